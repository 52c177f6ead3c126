import { parseRoute } from '../lib/route';
import type { Route } from '../lib/route';

export class Router {
  route = $state.raw<Route>(parseRoute(window.location.hash));

  constructor() {
    window.addEventListener('hashchange', () => {
      this.route = parseRoute(window.location.hash);
    });
  }
}

export const router = new Router();
