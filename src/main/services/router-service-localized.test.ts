import { describe, expect, it } from 'vitest';
import { expectChineseFor } from '../core/localized-text.test-support';
import { createRouterService, validateStatusRequest } from './router-service';
import type { RouterServiceDeps } from './router-service';

describe('validateStatusRequest in both languages', () => {
  it.each([
    ['router', 'just text'],
    ['host', { host: '' }],
    ['identityFile', { identityFile: 7 }],
    ['router.host', { host: 'a;reboot' }],
    ['router.port', { port: 0 }],
  ])('%s', (field, request) => {
    const result = validateStatusRequest(request);
    if (result.ok) throw new Error('must fail');
    expect(result.error.field).toBe(field);
    const zh = result.error.localized?.['zh-CN'];
    expectChineseFor(result.error.message, zh?.message, `${field} message`);
    expectChineseFor(result.error.fix ?? '', zh?.fix, `${field} fix`);
  });
});

describe('the router card errors in both languages', () => {
  it('an unreadable store, no router yet, and a router that does not answer', async () => {
    const deps = (list: () => Promise<unknown>, exec?: () => Promise<unknown>) => () =>
      ({
        store: { list },
        connect: () =>
          Promise.resolve({
            ok: true,
            value: { exec, close: () => Promise.resolve(), closed: false, hostKey: {} },
          }),
        now: () => new Date(0),
      }) as unknown as RouterServiceDeps;
    const unreadable = createRouterService(deps(() => Promise.reject(new Error('EACCES 13'))));
    const listed = await unreadable.list();
    if (listed.ok) throw new Error('must fail');
    expectChineseFor(listed.error.message, listed.error.localized?.['zh-CN'].message, 'list');
    expect(listed.error.localized?.['zh-CN'].message).toContain('EACCES 13');

    const empty = createRouterService(deps(() => Promise.resolve({ routers: [], notices: [] })));
    const none = await empty.status({});
    if (none.ok) throw new Error('must fail');
    expect(none.error.kind).toBe('not-found');
    expectChineseFor(none.error.fix ?? '', none.error.localized?.['zh-CN'].fix, 'not-found fix');

    const silent = createRouterService(
      deps(
        () => Promise.resolve({ routers: [], notices: [] }),
        () =>
          Promise.resolve({ stdout: '', stderr: '', code: 1, timedOut: true, cancelled: false }),
      ),
    );
    const status = await silent.status({ host: '10.0.0.9' });
    if (status.ok) throw new Error('must fail');
    expect(status.error.localized?.['zh-CN'].message).toContain('10.0.0.9');
    expectChineseFor(status.error.message, status.error.localized?.['zh-CN'].message, 'silent');
  });
});
