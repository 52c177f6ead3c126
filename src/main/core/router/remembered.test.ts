import { describe, expect, it } from 'vitest';
import type { RememberedRouter } from '../../../shared/router';
import {
  maxRememberedRouters,
  parseRouterStore,
  rememberSighting,
  serializeRouterStore,
} from './remembered';

const t0 = '2026-11-25T10:00:00.000Z';
const t1 = '2026-11-25T11:00:00.000Z';

describe('rememberSighting', () => {
  it('adds a new router with first and last seen, most recent first', () => {
    const one = rememberSighting(
      [],
      { host: '192.168.8.1', port: 22, user: 'root', seenBy: 'sign-in' },
      t0,
    );
    const two = rememberSighting(
      one,
      { host: '10.0.0.1', port: 2222, user: 'admin', identityFile: '/k', seenBy: 'doctor' },
      t1,
    );
    expect(two.map((r) => `${r.host}:${r.port}`)).toEqual(['10.0.0.1:2222', '192.168.8.1:22']);
    expect(two[1]).toEqual({
      host: '192.168.8.1',
      port: 22,
      user: 'root',
      firstSeen: t0,
      lastSeen: t0,
      seenBy: 'sign-in',
    });
  });

  it('merges a sighting of the same host and port: new facts win, missing ones are kept', () => {
    const first = rememberSighting(
      [],
      {
        host: 'GL.lan',
        port: 22,
        user: 'root',
        identityFile: '/home/me/.ssh/id',
        hostKeyFingerprint: 'SHA256:old',
        model: 'GL.iNet GL-MT3000',
        release: 'OpenWrt 23.05.5',
        seenBy: 'doctor',
      },
      t0,
    );
    const merged = rememberSighting(
      [{ ...first[0]!, label: 'Beryl' }],
      {
        host: 'gl.LAN',
        port: 22,
        user: 'root',
        hostKeyFingerprint: 'SHA256:new',
        release: 'OpenWrt 24.10.0',
        seenBy: 'sign-in',
      },
      t1,
    );
    expect(merged).toHaveLength(1);
    expect(merged[0]).toEqual({
      host: 'gl.LAN',
      port: 22,
      user: 'root',
      identityFile: '/home/me/.ssh/id',
      hostKeyFingerprint: 'SHA256:new',
      label: 'Beryl',
      model: 'GL.iNet GL-MT3000',
      release: 'OpenWrt 24.10.0',
      firstSeen: t0,
      lastSeen: t1,
      seenBy: 'sign-in',
    });
  });

  it('the same host on another port is another router; the list is bounded', () => {
    let routers: RememberedRouter[] = [];
    for (let i = 0; i < maxRememberedRouters + 5; i++) {
      routers = rememberSighting(
        routers,
        { host: '192.168.8.1', port: 1000 + i, user: 'root', seenBy: 'status' },
        new Date(Date.parse(t0) + i * 1000).toISOString(),
      );
    }
    expect(routers).toHaveLength(maxRememberedRouters);
    expect(routers[0]?.port).toBe(1000 + maxRememberedRouters + 4);
  });
});

describe('parseRouterStore', () => {
  it('reads back what it wrote', () => {
    const routers = rememberSighting(
      [],
      { host: '192.168.8.1', port: 22, user: 'root', model: 'JCG Q30 PRO', seenBy: 'setup' },
      t0,
    );
    expect(parseRouterStore(serializeRouterStore(routers))).toEqual({ kind: 'ok', routers });
  });

  it('calls anything unexpected corrupt rather than dropping entries silently', () => {
    expect(parseRouterStore('{"schema":"homeward.routers/1","routers":[').kind).toBe('corrupt');
    expect(parseRouterStore('[]').kind).toBe('corrupt');
    expect(parseRouterStore('{"schema":"homeward.routers/2","routers":[]}').kind).toBe('corrupt');
    const badPort = serializeRouterStore([
      { host: 'a', port: 0, user: 'root', firstSeen: t0, lastSeen: t0, seenBy: 'doctor' },
    ]);
    expect(parseRouterStore(badPort)).toEqual({
      kind: 'corrupt',
      message: 'entry 1 is incomplete',
    });
  });
});
