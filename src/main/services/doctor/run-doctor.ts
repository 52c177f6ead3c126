import type {
  CheckId,
  CheckResult,
  DoctorProgress,
  DoctorReport,
  DoctorRequest,
} from '../../../shared/doctor';
import { doctorSchema } from '../../../shared/doctor';
import type { AppError } from '../../../shared/errors';
import type { LocalNetwork } from '../../../shared/model';
import type { Result } from '../../../shared/result';
import { fail, ok } from '../../../shared/result';
import { checkFunctions } from '../../core/doctor/checks';
import { diagnose, verdict } from '../../core/doctor/diagnose';
import type {
  DoctorFacts,
  LaptopLeaseFacts,
  PathMtuFacts,
  RouterReachFacts,
} from '../../core/doctor/facts';
import type { RouterSighting } from '../../core/router/remembered';
import type { PingOs } from '../../core/parsers/ping-args';
import type { UciConfig } from '../../core/uci/model';
import { cpuBusyPercent } from '../../core/parsers/parse-proc-stat';
import { shCommand } from '../../core/shell/quote';
import {
  discoverL2Dhcp,
  readInterfaceMtu,
  readProcStat,
  readRouterBasics,
  readRouterWifi,
  readWireguard,
} from './gather-router';
import { measurePathMtu, measureRtt, measureSegment, measureUdp } from './measure';
import type { RemoteShell } from './remote';
import type { ToolRunner } from './runners';
import { remoteRunner } from './runners';

export interface RouterConnection extends RemoteShell {
  close(): Promise<void>;
  /** The host key the session verified (SSH sessions have it; test fakes may not). */
  hostKey?: { fingerprint: string };
}

export interface DoctorDeps {
  connectRouter(
    request: DoctorRequest['router'],
    signal: AbortSignal,
  ): Promise<Result<RouterConnection, AppError>>;
  connectHome?(
    request: NonNullable<DoctorRequest['home']>,
    acceptNewHostKey: boolean,
    signal: AbortSignal,
  ): Promise<Result<RouterConnection, AppError>>;
  local: ToolRunner;
  localOs: PingOs;
  localNetwork(): Promise<LocalNetwork | undefined>;
  tcpReachable(host: string, port: number, timeoutMs: number): Promise<boolean>;
  now(): number;
  /** Remembers the router once it answered; its failures never reach the run. */
  routerSeen?(sighting: RouterSighting): Promise<void>;
}

export interface RunContext {
  runId: string;
  signal: AbortSignal;
  onProgress?: (progress: DoctorProgress) => void;
}

const titles: Record<CheckId, string> = {
  'router.reach': 'Router reachable over SSH',
  'wireguard.handshake': 'WireGuard handshake',
  'l2.dhcp': 'DHCP on the bridged (L2) SSID',
  'mtu.underlay': 'Path MTU between the sites',
  'mtu.l3': 'Path MTU through the tunnel',
  'mtu.l2': 'Path MTU across the L2 bridge',
  'throughput.lan': 'Throughput: laptop <-> travel router',
  'throughput.tunnel': 'Throughput: travel router <-> home',
  'throughput.e2e': 'Throughput: laptop <-> home',
  'udp.vr': 'UDP at the VR bitrate',
  'latency.loaded': 'Latency under load',
  'router.cpu': 'Router CPU during the tunnel test',
  'wifi.link': 'Wi-Fi link',
};

/** The port of the iperf3 servers Homeward starts itself, on either router. */
const homewardIperfPort = 5299;
const routerIperfPort = homewardIperfPort;

/** The SSID of a station-mode wifi-iface: the hotel or friend's network the router uplinks to. */
function uplinkSsid(wireless: UciConfig | undefined): string | undefined {
  const sta = wireless?.sections.find(
    (s) => s.type === 'wifi-iface' && s.options.some((o) => o.name === 'mode' && o.value === 'sta'),
  );
  const ssid = sta?.options.find((o) => o.name === 'ssid')?.value;
  return typeof ssid === 'string' && ssid ? ssid : undefined;
}

function hostOfEndpoint(endpoint: string | undefined): string | undefined {
  if (!endpoint || endpoint.startsWith('[')) return undefined;
  return endpoint.replace(/:\d+$/, '');
}

function sameSubnet24(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  return a.split('.').slice(0, 3).join('.') === b.split('.').slice(0, 3).join('.');
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** Starts a long-running command on a router, owned by `owner`: aborting it stops the command. */
function startRemote(shell: RemoteShell, argv: string[], owner: AbortController): Promise<unknown> {
  return shell.exec(shCommand(argv), { signal: owner.signal });
}

async function waitReachable(
  deps: DoctorDeps,
  host: string,
  port: number,
  signal: AbortSignal,
): Promise<boolean> {
  for (let i = 0; i < 20 && !signal.aborted; i++) {
    if (await deps.tcpReachable(host, port, 500)) return true;
    await delay(150, signal);
  }
  return false;
}

async function remember(
  deps: DoctorDeps,
  target: DoctorRequest['router'],
  router: RouterConnection,
  reach: Extract<RouterReachFacts, { kind: 'reached' }>,
): Promise<void> {
  if (!deps.routerSeen) return;
  await Promise.resolve()
    .then(() =>
      deps.routerSeen?.({
        host: target.host,
        port: target.port,
        user: target.user,
        ...(target.identityFile ? { identityFile: target.identityFile } : {}),
        ...(target.knownHostsFile ? { knownHostsFile: target.knownHostsFile } : {}),
        ...(router.hostKey ? { hostKeyFingerprint: router.hostKey.fingerprint } : {}),
        ...(reach.hostname ? { hostname: reach.hostname } : {}),
        ...(reach.model ? { model: reach.model } : {}),
        ...(reach.release ? { release: reach.release } : {}),
        seenBy: 'doctor',
      }),
    )
    .catch(() => undefined);
}

export async function runDoctor(
  request: DoctorRequest,
  deps: DoctorDeps,
  ctx: RunContext,
): Promise<Result<DoctorReport, AppError>> {
  const started = deps.now();
  const { signal, runId } = ctx;
  const emit = (progress: DoctorProgress) => ctx.onProgress?.(progress);
  const checks: CheckResult[] = [];
  const facts: DoctorFacts = {
    targetMbps: request.targetMbps,
    streamerPacketBytes: request.packetBytes,
    router: { kind: 'unreachable', message: 'not contacted yet' },
  };
  const decide = (id: CheckId) => {
    const result = checkFunctions[id](facts);
    const index = checks.findIndex((c) => c.id === id);
    if (index >= 0) checks[index] = result;
    else checks.push(result);
    emit({ kind: 'check-finished', runId, result });
  };
  const begin = (id: CheckId) => emit({ kind: 'check-started', runId, id, title: titles[id] });
  const cancelled = (): Result<DoctorReport, AppError> =>
    fail({ kind: 'cancelled', message: 'The check was cancelled; nothing was left running.' });

  begin('router.reach');
  const connected = await deps.connectRouter(request.router, signal);
  if (!connected.ok) return fail(connected.error);
  const router = connected.value;
  // Everything started on the routers belongs to this controller and is stopped in `finally`.
  const owned = new AbortController();
  const stopOwned = () => owned.abort();
  signal.addEventListener('abort', stopOwned, { once: true });
  let home: RouterConnection | undefined;
  try {
    const basics = await readRouterBasics(router, signal);
    facts.router = basics.reach;
    if (basics.reach.kind === 'reached') await remember(deps, request.router, router, basics.reach);
    decide('router.reach');
    if (signal.aborted) return cancelled();
    const layout = basics.layout;
    const localNetwork = await deps.localNetwork();
    const laptopIf =
      localNetwork?.interfaces.find((i) => i.isDefault) ?? localNetwork?.interfaces[0];

    begin('wireguard.handshake');
    facts.wireguard = await readWireguard(router, layout, signal);
    decide('wireguard.handshake');
    if (signal.aborted) return cancelled();

    begin('l2.dhcp');
    let dhcpServer: string | undefined;
    let laptopOnL2 = false;
    if (layout.l2Bridge) {
      const offer = await discoverL2Dhcp(router, layout.l2Bridge, signal);
      const { subnet: _subnet, ...discover } = offer;
      if (offer.kind === 'offer') {
        dhcpServer = offer.server;
        laptopOnL2 = sameSubnet24(laptopIf?.ipv4, offer.address);
      }
      const laptopLease: LaptopLeaseFacts = {
        onL2: laptopOnL2,
        ...(laptopOnL2 && laptopIf?.ipv4 ? { address: laptopIf.ipv4 } : {}),
        ...(laptopIf?.mtu !== undefined ? { interfaceMtu: laptopIf.mtu } : {}),
      };
      facts.l2Dhcp = { discover, laptopLease };
    } else {
      facts.l2Dhcp = {
        discover: {
          kind: 'skipped',
          reason: 'The router has no VXLAN bridge (no L2 SSID is set up).',
        },
      };
    }
    decide('l2.dhcp');
    if (signal.aborted) return cancelled();

    const routerRun = remoteRunner(router);
    const wgPeer = facts.wireguard.kind === 'measured' ? facts.wireguard.peers[0] : undefined;
    const endpointHost = hostOfEndpoint(wgPeer?.endpoint);
    facts.configuredMtu = {
      ...(layout.wgMtu !== undefined ? { wg0: layout.wgMtu } : {}),
      ...(layout.vxlanMtu !== undefined ? { vxlan0: layout.vxlanMtu } : {}),
      ...(layout.l2BridgeMtu !== undefined ? { brLan2: layout.l2BridgeMtu } : {}),
      ...(laptopIf?.mtu !== undefined ? { client: laptopIf.mtu } : {}),
      ...(facts.l2Dhcp.discover.kind === 'offer' && facts.l2Dhcp.discover.mtuOption !== undefined
        ? { dhcpOption26: facts.l2Dhcp.discover.mtuOption }
        : {}),
    };

    begin('mtu.underlay');
    const underlay: PathMtuFacts = endpointHost
      ? await measurePathMtu(routerRun, 'linux', endpointHost, {
          ceiling: 1500,
          candidates: [1500],
          signal,
        })
      : { kind: 'skipped', reason: 'No WireGuard endpoint address to probe.' };
    facts.mtu = { underlay };
    if (underlay.kind === 'measured' && underlay.search.kind === 'found')
      facts.configuredMtu.underlay = underlay.search.pathMtu;
    decide('mtu.underlay');
    if (signal.aborted) return cancelled();

    begin('mtu.l3');
    facts.mtu.l3 = layout.homeTunnelAddress
      ? await measurePathMtu(deps.local, deps.localOs, layout.homeTunnelAddress, {
          ceiling: laptopIf?.mtu ?? 1500,
          candidates: layout.wgMtu !== undefined ? [layout.wgMtu] : [1420],
          signal,
        })
      : { kind: 'skipped', reason: "The router's config names no home tunnel address." };
    decide('mtu.l3');
    if (signal.aborted) return cancelled();

    begin('mtu.l2');
    if (dhcpServer) {
      const bridgeMtu =
        !laptopOnL2 && layout.l2Bridge
          ? await readInterfaceMtu(router, layout.l2Bridge, signal)
          : undefined;
      const candidates = [layout.l2BridgeMtu, layout.vxlanMtu].filter(
        (v): v is number => v !== undefined,
      );
      facts.mtu.l2 = laptopOnL2
        ? await measurePathMtu(deps.local, deps.localOs, dhcpServer, {
            ceiling: laptopIf?.mtu ?? 1500,
            candidates,
            signal,
          })
        : await measurePathMtu(routerRun, 'linux', dhcpServer, {
            ceiling: 1500,
            candidates,
            signal,
            ...(bridgeMtu !== undefined ? { interfaceMtu: bridgeMtu } : {}),
          });
    } else {
      facts.mtu.l2 = {
        kind: 'skipped',
        reason: 'No DHCP server answered on the L2 bridge, so there is no far end to probe.',
      };
    }
    decide('mtu.l2');
    if (signal.aborted) return cancelled();

    const measureAll = !request.quick;
    // With SSH access to home, Homeward starts its own server on its own port (a server the
    // person runs on 5201 may be busy); otherwise it uses --home-iperf or the usual 5201.
    const ownHomeServer =
      measureAll && request.home !== undefined && deps.connectHome !== undefined;
    const homeIperf =
      request.homeIperf ??
      (layout.homeTunnelAddress
        ? { host: layout.homeTunnelAddress, port: ownHomeServer ? homewardIperfPort : 5201 }
        : undefined);
    let homeReady = false;
    if (measureAll && request.home && deps.connectHome) {
      const homeConnected = await deps.connectHome(
        request.home,
        request.router.acceptNewHostKey,
        signal,
      );
      if (homeConnected.ok) {
        home = homeConnected.value;
        void startRemote(
          home,
          ['iperf3', '-s', '-p', String(homeIperf?.port ?? homewardIperfPort)],
          owned,
        );
      } else {
        emit({ kind: 'note', runId, message: `Home router: ${homeConnected.error.message}` });
      }
    }
    if (measureAll && homeIperf)
      homeReady = await waitReachable(deps, homeIperf.host, homeIperf.port, signal);
    const noHome = {
      kind: 'skipped' as const,
      reason: homeIperf
        ? `No iperf3 server answers at ${homeIperf.host}:${homeIperf.port}. Start one at home (iperf3 -s), pass --home HOST for Homeward to start it, or --home-iperf HOST[:PORT].`
        : 'No home iperf3 server is known: pass --home-iperf HOST[:PORT].',
    };
    const quickSkip = { kind: 'skipped' as const, reason: 'Skipped by --quick.' };
    const live =
      (id: CheckId) => (direction: 'down' | 'up', interval: { second: number; mbps: number }) =>
        emit({
          kind: 'throughput',
          runId,
          id,
          direction,
          second: interval.second,
          mbps: interval.mbps,
        });

    facts.throughput = {};
    begin('throughput.lan');
    if (!measureAll) facts.throughput.lan = quickSkip;
    else {
      const server = new AbortController();
      owned.signal.addEventListener('abort', () => server.abort(), { once: true });
      const serverDone = startRemote(
        router,
        ['iperf3', '-s', '-p', String(routerIperfPort)],
        server,
      );
      const routerHost = request.router.host;
      if (await waitReachable(deps, routerHost, routerIperfPort, signal)) {
        facts.throughput.lan = await measureSegment(deps.local, {
          host: routerHost,
          port: routerIperfPort,
          durationS: request.durationS,
          signal,
          onInterval: live('throughput.lan'),
        });
      } else {
        facts.throughput.lan = {
          kind: 'error',
          message: 'iperf3 could not be started on the router (is the iperf3 package installed?).',
        };
      }
      server.abort();
      await serverDone;
    }
    decide('throughput.lan');
    if (signal.aborted) return cancelled();

    begin('throughput.tunnel');
    if (!measureAll) facts.throughput.tunnel = quickSkip;
    else if (!homeReady || !homeIperf) facts.throughput.tunnel = noHome;
    else {
      const before = await readProcStat(router, signal);
      facts.throughput.tunnel = await measureSegment(routerRun, {
        host: homeIperf.host,
        port: homeIperf.port,
        durationS: request.durationS,
        signal,
        onInterval: live('throughput.tunnel'),
      });
      const after = await readProcStat(router, signal);
      if (before?.kind === 'ok' && after?.kind === 'ok') {
        const busy = cpuBusyPercent(before, after);
        if (busy.busiestCorePercent !== undefined) {
          facts.routerCpu = {
            kind: 'measured',
            busiestCorePercent: busy.busiestCorePercent,
            cores: busy.corePercents.length,
          };
        }
      }
    }
    decide('throughput.tunnel');
    begin('router.cpu');
    facts.routerCpu ??= measureAll
      ? { kind: 'skipped', reason: 'No tunnel test ran to load the CPU.' }
      : quickSkip;
    decide('router.cpu');
    if (signal.aborted) return cancelled();

    begin('throughput.e2e');
    begin('latency.loaded');
    if (!measureAll) {
      facts.throughput.e2e = quickSkip;
      facts.latency = quickSkip;
    } else if (!homeReady || !homeIperf) {
      facts.throughput.e2e = noHome;
      facts.latency = noHome;
    } else {
      const target = layout.homeTunnelAddress ?? homeIperf.host;
      const idle = await measureRtt(deps.local, deps.localOs, target, {
        count: 10,
        intervalS: 0.2,
        signal,
      });
      const loadedPing = delay(1000, signal).then(() =>
        measureRtt(deps.local, deps.localOs, target, {
          count: Math.max(3, Math.floor((request.durationS - 1.5) / 0.2)),
          intervalS: 0.2,
          signal,
        }),
      );
      const e2e = measureSegment(deps.local, {
        host: homeIperf.host,
        port: homeIperf.port,
        durationS: request.durationS,
        signal,
        onInterval: live('throughput.e2e'),
      });
      const [loaded, e2eResult] = await Promise.all([loadedPing, e2e]);
      facts.throughput.e2e = e2eResult;
      facts.latency =
        idle.avgMs !== undefined
          ? {
              kind: 'measured',
              idleMs: idle.avgMs,
              ...(loaded.avgMs !== undefined ? { loadedDownMs: loaded.avgMs } : {}),
            }
          : { kind: 'error', message: `No ping reply from ${target}.` };
    }
    decide('throughput.e2e');
    decide('latency.loaded');
    if (signal.aborted) return cancelled();

    begin('udp.vr');
    facts.udp = !measureAll
      ? quickSkip
      : !homeReady || !homeIperf
        ? noHome
        : await measureUdp(deps.local, {
            host: homeIperf.host,
            port: homeIperf.port,
            durationS: request.durationS,
            mbps: request.targetMbps,
            packetBytes: request.packetBytes,
            signal,
          });
    decide('udp.vr');
    if (signal.aborted) return cancelled();

    begin('wifi.link');
    const laptopWifi = localNetwork?.wifi;
    facts.wifi = {
      router: await readRouterWifi(router, basics.wireless, signal),
      laptop: laptopWifi
        ? {
            kind: 'measured',
            ...(laptopWifi.ssid ? { ssid: laptopWifi.ssid } : {}),
            ...(laptopWifi.frequencyMhz !== undefined
              ? { frequencyMhz: laptopWifi.frequencyMhz }
              : {}),
            ...(laptopWifi.signalDbm !== undefined ? { signalDbm: laptopWifi.signalDbm } : {}),
            ...(laptopWifi.txRateMbps !== undefined ? { txRateMbps: laptopWifi.txRateMbps } : {}),
          }
        : { kind: 'skipped', reason: 'This computer is not on Wi-Fi (or does not report it).' },
    };
    decide('wifi.link');
    if (signal.aborted) return cancelled();

    const findings = diagnose(facts, checks);
    const location = uplinkSsid(basics.wireless);
    const report: DoctorReport = {
      schema: doctorSchema,
      startedAt: new Date(started).toISOString(),
      durationMs: deps.now() - started,
      router: {
        host: request.router.host,
        ...(basics.reach.kind === 'reached' && basics.reach.hostname
          ? { hostname: basics.reach.hostname }
          : {}),
        ...(basics.reach.kind === 'reached' && basics.reach.model
          ? { model: basics.reach.model }
          : {}),
        ...(basics.reach.kind === 'reached' && basics.reach.release
          ? { release: basics.reach.release }
          : {}),
        ...(basics.reach.kind === 'reached' && basics.reach.packageManager
          ? { packageManager: basics.reach.packageManager }
          : {}),
        ...(location ? { location } : {}),
      },
      checks,
      verdict: verdict(facts, checks, findings),
    };
    return ok(report);
  } finally {
    signal.removeEventListener('abort', stopOwned);
    owned.abort();
    await home?.close();
    await router.close();
  }
}
