import type {
  CandidateProbe,
  CandidateReason,
  RankedCandidate,
  RouterVerdict,
  SshFinding,
  WebFinding,
} from '../../../shared/discovery';
import { describeSshBanner, parseSshBanner } from './ssh-banner';
import { parseHttpPage } from './http-page';

// Scores add up evidence. Dropbear and LuCI/GL.iNet pages are what OpenWrt ships, so each weighs
// far more than the address being a factory default; an answering stranger still beats silence.
const weights = {
  dropbear: 40,
  openssh: 20,
  otherSsh: 10,
  luci: 40,
  glinet: 45,
  otherWeb: 5,
  defaultGateway: 15,
  wellKnown: 5,
  subnetFirstHost: 2,
  mdns: 10,
};

export function sshFinding(probe: CandidateProbe['ssh']): SshFinding {
  if (probe.kind === 'failed') return { kind: 'failed', failure: probe.failure };
  if (probe.kind === 'no-line') return { kind: 'not-ssh' };
  const banner = parseSshBanner(probe.text);
  return banner ? { kind: 'banner', banner } : { kind: 'not-ssh', line: probe.text.slice(0, 80) };
}

export function webFinding(probe: CandidateProbe['http']): WebFinding {
  if (probe.kind === 'failed') return { kind: 'failed', failure: probe.failure };
  return {
    kind: 'page',
    status: probe.status,
    page: parseHttpPage(probe),
    ...(probe.server ? { server: probe.server } : {}),
  };
}

function reasonScore(reason: CandidateReason): number {
  switch (reason.kind) {
    case 'default-gateway':
      return weights.defaultGateway;
    case 'well-known':
      return weights.wellKnown;
    case 'subnet-first-host':
      return weights.subnetFirstHost;
    case 'mdns':
      return weights.mdns;
  }
}

export function describeReason(reason: CandidateReason, iface: string): string {
  switch (reason.kind) {
    case 'default-gateway':
      return 'default gateway';
    case 'well-known':
      return reason.vendor === 'common'
        ? 'a common router address'
        : `the usual ${reason.vendor} address`;
    case 'subnet-first-host':
      return `first address of the ${iface} subnet`;
    case 'mdns':
      return `announces ${reason.services.join(' and ')} over mDNS${reason.name ? ` as "${reason.name}"` : ''}`;
  }
}

function verdictOf(ssh: SshFinding, web: WebFinding): RouterVerdict {
  const ui = web.kind === 'page' ? web.page.ui : undefined;
  if (ui === 'glinet') return 'glinet';
  if (ui === 'luci' || (ssh.kind === 'banner' && ssh.banner.software === 'dropbear')) {
    return 'openwrt';
  }
  if (ssh.kind === 'banner' || ssh.kind === 'not-ssh') return 'ssh-host';
  if (web.kind === 'page') return 'web-host';
  return 'no-answer';
}

function evidenceScore(ssh: SshFinding, web: WebFinding): number {
  let score = 0;
  if (ssh.kind === 'banner') {
    score +=
      ssh.banner.software === 'dropbear'
        ? weights.dropbear
        : ssh.banner.software === 'openssh'
          ? weights.openssh
          : weights.otherSsh;
  } else if (ssh.kind === 'not-ssh') {
    score += 1;
  }
  if (web.kind === 'page') {
    score +=
      web.page.ui === 'luci'
        ? weights.luci
        : web.page.ui === 'glinet'
          ? weights.glinet
          : weights.otherWeb;
  }
  return score;
}

function identity(verdict: RouterVerdict, ssh: SshFinding): string {
  const sshText = ssh.kind === 'banner' ? describeSshBanner(ssh.banner) : undefined;
  switch (verdict) {
    case 'openwrt':
      return sshText ? `OpenWrt (${sshText})` : 'OpenWrt';
    case 'glinet':
      return sshText ? `GL.iNet (${sshText})` : 'GL.iNet';
    case 'ssh-host':
      return sshText ? `SSH server (${sshText})` : 'something on port 22 that is not SSH';
    case 'web-host':
      return 'a web server';
    case 'no-answer':
      return 'no answer on ports 22 and 80';
  }
}

function webText(web: WebFinding): string | undefined {
  if (web.kind !== 'page') return undefined;
  switch (web.page.ui) {
    case 'luci':
      return 'LuCI answers on port 80';
    case 'glinet':
      return 'the GL.iNet admin panel answers on port 80';
    case 'other':
      return web.page.title
        ? `web page "${web.page.title.slice(0, 60)}" on port 80`
        : `HTTP ${web.status} on port 80`;
  }
}

/** Scores, verdicts and one-line summaries, best first; ties keep the candidates' order. */
export function rankCandidates(probes: readonly CandidateProbe[]): RankedCandidate[] {
  const ranked = probes.map((probe, index) => {
    const ssh = sshFinding(probe.ssh);
    const web = webFinding(probe.http);
    const verdict = verdictOf(ssh, web);
    const evidence = evidenceScore(ssh, web);
    // An address alone is no evidence: silence scores 0 whatever the reasons.
    const score =
      evidence === 0
        ? 0
        : evidence + probe.candidate.reasons.reduce((sum, r) => sum + reasonScore(r), 0);
    const found = [identity(verdict, ssh), webText(web)].filter(Boolean).join(', ');
    const why = probe.candidate.reasons
      .map((r) => describeReason(r, probe.candidate.interface))
      .join(', ');
    const candidate: RankedCandidate = {
      ...probe.candidate,
      reasons: [...probe.candidate.reasons],
      verdict,
      score,
      summary: why ? `${found}; ${why}` : found,
      ssh,
      web,
      elapsedMs: Math.round(probe.elapsedMs),
    };
    return { candidate, index };
  });
  ranked.sort((a, b) => b.candidate.score - a.candidate.score || a.index - b.index);
  return ranked.map((r) => r.candidate);
}
