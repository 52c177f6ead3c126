// Test and bench support: doctor reports shaped like the real ones (homeward.doctor/1), with
// secrets planted where a careless doctor might leave them. Not imported by app code.
import type { CheckResult, DoctorReport } from '../../../shared/doctor';

export const plantedSecrets = {
  wireguardPrivateKey: 'wOF7+DTs7QutSZhnuMZhBuKsW+RPWFYo2BEb8C7Gf30=',
  presharedKey: 'qAXMBYNTwiUBWN+MBrk1sV8FBLcSOwDMnmRSpQWv7rM=',
  routerPassword: 'hunter2-router-pw',
  wifiKey: 'correct horse battery staple',
  pemBody: 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
};

export interface SampleOptions {
  startedAt?: string;
  host?: string;
  hostname?: string;
  vrReady?: boolean;
  targetMbps?: number;
  lanMbps?: number;
  tunnelMbps?: number;
  e2eMbps?: number;
  loadedMs?: number;
  lossPercent?: number;
  /** Put secrets into data and summaries, to prove they are removed. */
  withSecrets?: boolean;
  summarySuffix?: string;
}

export function sampleReport(options: SampleOptions = {}): DoctorReport {
  const target = options.targetMbps ?? 100;
  const throughput = (id: CheckResult['id'], down: number | undefined): CheckResult => ({
    id,
    status: down === undefined ? 'skip' : down >= target ? 'pass' : 'fail',
    summary: down === undefined ? 'not measured' : `${down} Mbps down`,
    data: down === undefined ? {} : { downMbps: down, upMbps: Math.round(down * 0.8) },
  });
  const checks: CheckResult[] = [
    {
      id: 'router.reach',
      status: 'pass',
      summary: `OpenWrt 24.10.0 on GL.iNet GL-MT3000${options.summarySuffix ?? ''}`,
      data: { model: 'GL.iNet GL-MT3000', release: '24.10.0', packageManager: 'opkg' },
    },
    {
      id: 'wireguard.handshake',
      status: 'pass',
      summary: 'handshake 12 s ago',
      data: {
        latestHandshakeAgeS: 12,
        endpoint: '192.0.2.2:51820',
        publicKey: 'HBFEwMoKVjQTxR8cWLcrQfxMtUmTOS29NwZLG2pm2kA=',
      },
    },
    throughput('throughput.lan', options.lanMbps),
    throughput('throughput.tunnel', options.tunnelMbps),
    throughput('throughput.e2e', options.e2eMbps),
    {
      id: 'latency.loaded',
      status: (options.loadedMs ?? 0) > 60 ? 'warn' : 'pass',
      summary: 'idle 18 ms, loaded 31 ms (B)',
      data: options.loadedMs === undefined ? {} : { idleMs: 18, loadedMs: options.loadedMs },
    },
    {
      id: 'udp.vr',
      status: (options.lossPercent ?? 0) > 1 ? 'fail' : 'pass',
      summary: 'UDP at the target bitrate',
      data:
        options.lossPercent === undefined
          ? {}
          : { lossPercent: options.lossPercent, jitterMs: 0.4 },
    },
  ];
  if (options.withSecrets) {
    checks.push({
      id: 'wifi.link',
      status: 'pass',
      summary: `station on 5 GHz; uci: option key '${plantedSecrets.wifiKey}'`,
      data: {
        password: plantedSecrets.routerPassword,
        raw: `[Interface]\nPrivateKey = ${plantedSecrets.wireguardPrivateKey}\n[Peer]\nPresharedKey = ${plantedSecrets.presharedKey}`,
        identity: `-----BEGIN OPENSSH PRIVATE KEY-----\n${plantedSecrets.pemBody}\n-----END OPENSSH PRIVATE KEY-----`,
      },
    });
  }
  return {
    schema: 'homeward.doctor/1',
    startedAt: options.startedAt ?? '2026-11-25T14:03:00.000Z',
    durationMs: 21_400,
    router: {
      host: options.host ?? '192.168.8.1',
      ...(options.hostname !== undefined
        ? { hostname: options.hostname }
        : { hostname: 'gl-mt3000' }),
      model: 'GL.iNet GL-MT3000',
      release: '24.10.0',
      packageManager: 'opkg',
    },
    checks,
    verdict: {
      vrReady: options.vrReady ?? true,
      targetMbps: target,
      limitingSegment: options.vrReady === false ? 'tunnel' : null,
      findings:
        options.vrReady === false
          ? [
              {
                id: 'throughput.below-target',
                severity: 'critical',
                cause: 'The tunnel carries less than the target bitrate.',
                fix: 'Lower the streamer bitrate or move the router closer to the uplink.',
                localized: {
                  'zh-CN': { cause: '隧道吞吐量低于目标码率。', fix: '降低串流码率。' },
                },
                evidence: ['throughput.tunnel'],
              },
            ]
          : [],
    },
  };
}

/** The i-th of a deterministic series of runs, one hour apart, across two routers and places. */
export function syntheticReport(i: number): { report: DoctorReport; location: string } {
  const wave = Math.sin(i / 7);
  return {
    location: i % 3 === 0 ? 'Hotel Lobby' : 'Cafe "Zur Post"',
    report: sampleReport({
      startedAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
      host: i % 2 === 0 ? '192.168.8.1' : '192.168.9.1',
      hostname: i % 2 === 0 ? 'gl-mt3000' : 'gl-axt1800',
      vrReady: wave > -0.3,
      lanMbps: Math.round(400 + 80 * wave),
      tunnelMbps: Math.round(120 + 40 * wave),
      e2eMbps: Math.round(110 + 38 * wave),
      loadedMs: Math.round(30 + 20 * Math.cos(i / 5)),
      lossPercent: Math.max(0, Math.round((0.5 - wave) * 100) / 100),
      summarySuffix: ` #${i}`,
    }),
  };
}
