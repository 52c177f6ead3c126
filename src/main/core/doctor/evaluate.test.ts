import { describe, expect, it } from 'vitest';
import { evaluateDoctor } from './evaluate';
import { healthySnapshot, seedExactSnapshot } from './snapshots';

describe('evaluateDoctor', () => {
  it('runs every check and concludes', () => {
    const healthy = evaluateDoctor(healthySnapshot());
    expect(healthy.checks).toHaveLength(13);
    expect(healthy.verdict.vrReady).toBe(true);
    const seed = evaluateDoctor(seedExactSnapshot());
    expect(seed.verdict.findings.map((f) => f.id)).toEqual(['mtu.l2-black-hole']);
    for (const check of [...healthy.checks, ...seed.checks]) {
      expect(check.localized?.['zh-CN'].summary, check.id).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('runs only the checks asked for (a quick run)', () => {
    const quick = evaluateDoctor(seedExactSnapshot(), ['router.reach', 'wireguard.handshake']);
    expect(quick.checks.map((c) => c.id)).toEqual(['router.reach', 'wireguard.handshake']);
    // Findings must point at a check in the report, so the unrun mtu.l2 cannot speak.
    expect(quick.verdict.findings).toEqual([]);
  });
});
