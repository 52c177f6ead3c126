import { describe, expect, it } from 'vitest';
import type { SetupDeps } from './connect';
import { measureUnderlay } from './measure-underlay';

const router = { host: '192.168.8.1', port: 22, user: 'root', acceptNewHostKey: false };

describe('measureUnderlay', () => {
  it.each(['', 'home example', '1.2.3.4;reboot', '$(id)', '-oProxyCommand=x'])(
    'refuses the endpoint %j before connecting, naming the field',
    async (endpointHost) => {
      let connected = false;
      const deps = {
        connect: () => {
          connected = true;
          throw new Error('must not connect');
        },
      } as unknown as SetupDeps;
      const result = await measureUnderlay({ router, endpointHost }, deps);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.field).toBe('home.endpointHost');
      expect(connected).toBe(false);
    },
  );
});
