import { describe, expect, it } from 'vitest';
import { commandNames } from '../../shared/api';
import { dispatchCommand } from './dispatch';
import { createServices } from './index';

function services(fetchLocalNetwork = () => Promise.resolve({ interfaces: [], wifi: [] })) {
  return createServices({ shell: 'cli', version: '1.2.3', platform: 'linux', fetchLocalNetwork });
}

describe('dispatchCommand', () => {
  it('has a handler for every command of the contract', () => {
    expect(Object.keys(services().handlers).sort()).toEqual([...commandNames].sort());
  });
  it('answers app:info', async () => {
    const result = await dispatchCommand(services().handlers, 'app:info', []);
    expect(result).toEqual({
      ok: true,
      value: { name: 'Homeward', version: '1.2.3', shell: 'cli', platform: 'linux' },
    });
  });
  it('refuses unknown commands and non-array args as data', async () => {
    const handlers = services().handlers;
    expect(await dispatchCommand(handlers, 'app:explode', [])).toMatchObject({
      ok: false,
      error: { kind: 'unknown-command' },
    });
    expect(await dispatchCommand(handlers, '__proto__', [])).toMatchObject({ ok: false });
    expect(await dispatchCommand(handlers, 'app:info', 'x')).toMatchObject({
      ok: false,
      error: { kind: 'invalid-request' },
    });
  });
  it('turns a failing adapter into a system-info-failed result', async () => {
    const s = services(() => Promise.reject(new Error('iw not found')));
    expect(await dispatchCommand(s.handlers, 'system:local-network', [])).toMatchObject({
      ok: false,
      error: { kind: 'system-info-failed', message: expect.stringContaining('iw not found') },
    });
  });
});
