import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from './route';

describe('hash routes', () => {
  it('parses each screen and falls back to home', () => {
    expect(parseRoute('')).toEqual({ name: 'home' });
    expect(parseRoute('#/')).toEqual({ name: 'home' });
    expect(parseRoute('#/troubleshoot')).toEqual({ name: 'troubleshoot' });
    expect(parseRoute('#/history/')).toEqual({ name: 'history' });
    expect(parseRoute('#/history/42')).toEqual({ name: 'history-run', id: 42 });
    expect(parseRoute('#/history/abc')).toEqual({ name: 'home' });
    expect(parseRoute('#/packet')).toEqual({ name: 'packet' });
    expect(parseRoute('#/setup')).toEqual({ name: 'setup' });
    expect(parseRoute('#/nope')).toEqual({ name: 'home' });
  });
  it('round-trips', () => {
    for (const hash of ['#/', '#/troubleshoot', '#/history', '#/history/7', '#/packet', '#/setup'])
      expect(routeHref(parseRoute(hash))).toBe(hash);
  });
});
