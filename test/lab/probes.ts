import type { Lab } from './index';

/** One DF ping of `payload` bytes; the PMTU cache is flushed first so each probe stands alone. */
export async function dfPing(
  lab: Lab,
  node: string,
  dst: string,
  payload: number,
): Promise<{ ok: boolean; output: string }> {
  const r = await lab.exec(
    node,
    `ip route flush cache; ping -n -c 1 -W 1 -M do -s ${payload} ${dst} 2>&1`,
  );
  return { ok: r.code === 0 && /1 received/.test(r.stdout), output: r.stdout };
}

/** The largest IP packet (payload + 28) that crosses with DF set, by binary search between lo and hi payloads. */
export async function pathMtu(
  lab: Lab,
  node: string,
  dst: string,
  lo = 1000,
  hi = 1472,
): Promise<number> {
  if (!(await dfPing(lab, node, dst, lo)).ok)
    throw new Error(`${node} -> ${dst}: even ${lo} bytes do not cross`);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if ((await dfPing(lab, node, dst, mid)).ok) lo = mid;
    else hi = mid - 1;
  }
  return lo + 28;
}
