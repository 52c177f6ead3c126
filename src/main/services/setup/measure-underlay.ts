import { appError, localizedError } from '../../../shared/errors';
import type { AppError } from '../../../shared/errors';
import type { Result } from '../../../shared/result';
import { fail, ok } from '../../../shared/result';
import type { UnderlayMeasureRequest, UnderlayMeasurement } from '../../../shared/setup-run';
import { measurePathMtu } from '../doctor/measure';
import { remoteRunner } from '../doctor/runners';
import { connectTargetFor } from './connect';
import type { SetupDeps } from './connect';

// The wizard's "measure" for the MTU ladder: the same DF-ping search the doctor's mtu.underlay
// runs, from the router to home's endpoint, before any tunnel exists.

const hostPattern = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^[0-9A-Fa-f:]+$/;

/** Sizes routers commonly have on the way: Ethernet, PPPoE, DS-Lite, IPv6 minimum. */
const commonUnderlays = [1500, 1492, 1460, 1452, 1420, 1400, 1280];

export async function measureUnderlay(
  request: UnderlayMeasureRequest,
  deps: SetupDeps,
  signal?: AbortSignal,
): Promise<Result<UnderlayMeasurement, AppError>> {
  const endpoint = request.endpointHost?.trim() ?? '';
  if (!hostPattern.test(endpoint))
    return fail(
      localizedError(
        'invalid-request',
        {
          message: `"${endpoint}" is not a host name or address to probe.`,
          fix: "Fill in home's endpoint first (the host name or address in Endpoint = ...).",
        },
        {
          message: `“${endpoint}”不是可以探测的主机名或地址。`,
          fix: '请先填写家里的端点（Endpoint = ... 中的主机名或地址）。',
        },
        { field: 'home.endpointHost' },
      ),
    );
  const target = await connectTargetFor(request.router, deps, 'router');
  if (!target.ok) return target;
  const session = await deps.connect(target.value, signal);
  if (!session.ok) return session;
  try {
    const measured = await measurePathMtu(remoteRunner(session.value), 'linux', endpoint, {
      ceiling: 1500,
      candidates: commonUnderlays,
      ...(signal ? { signal } : {}),
    });
    if (measured.kind === 'skipped')
      return fail(appError('tool-missing', measured.reason, { fix: measured.reason }));
    if (measured.kind === 'error')
      return fail(
        localizedError(
          signal?.aborted ? 'cancelled' : 'remote-command-failed',
          { message: `Probing ${endpoint} from the router failed: ${measured.message}` },
          { message: `从路由器探测 ${endpoint} 失败：${measured.message}` },
        ),
      );
    if (measured.kind !== 'measured' || measured.search.kind !== 'found')
      return fail(
        localizedError(
          'host-unreachable',
          {
            message: `${endpoint} did not answer pings from the router.`,
            fix: 'Check that home answers ping on its public address, or type the underlay MTU (1500 on most lines, 1492 on PPPoE).',
          },
          {
            message: `${endpoint} 没有回应来自路由器的 ping。`,
            fix: '请确认家里的公网地址会回应 ping，或直接输入底层 MTU（大多数线路为 1500，PPPoE 为 1492）。',
          },
        ),
      );
    const s = measured.search;
    return ok({
      target: endpoint,
      pathMtu: s.pathMtu,
      method: s.method,
      blackHole: s.blackHole,
      probes: s.probes,
    });
  } finally {
    await session.value.close();
  }
}
