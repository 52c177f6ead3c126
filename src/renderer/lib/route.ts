// Hash routes, so the built renderer works from a file, the browser host and Electron alike.

export type Route =
  | { name: 'home' }
  | { name: 'troubleshoot' }
  | { name: 'history' }
  | { name: 'history-run'; id: number }
  | { name: 'packet' }
  | { name: 'setup' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '').replace(/\/+$/, '');
  if (path === 'troubleshoot') return { name: 'troubleshoot' };
  if (path === 'history') return { name: 'history' };
  if (path === 'packet') return { name: 'packet' };
  if (path === 'setup') return { name: 'setup' };
  const run = /^history\/(\d{1,15})$/.exec(path);
  if (run?.[1]) return { name: 'history-run', id: Number(run[1]) };
  return { name: 'home' };
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case 'home':
      return '#/';
    case 'history-run':
      return `#/history/${route.id}`;
    default:
      return `#/${route.name}`;
  }
}
