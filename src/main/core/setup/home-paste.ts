import type { UciChange } from '../uci/changes';
import type { SetupPlan } from './plan-setup';

const baseDelimiter = 'HOMEWARD_UCI_END';

/** A heredoc delimiter no line of `text` equals (a uci value may itself hold newlines). */
export function heredocDelimiter(text: string): string {
  const lines = new Set(text.split('\n').map((l) => l.replace(/\r$/, '')));
  let delimiter = baseDelimiter;
  for (let n = 1; lines.has(delimiter) || [...lines].some((l) => l.trim() === delimiter); n++) {
    delimiter = `${baseDelimiter}_${n}`;
  }
  return delimiter;
}

function valuesOf(changes: UciChange[], type: string, option: string): string[] {
  return changes
    .filter(
      (c): c is UciChange & { option: string; value: string } =>
        (c.kind === 'set' || c.kind === 'add_list') &&
        c.option === option &&
        (c.section === `@${type}[-1]` || c.section.startsWith(`@${type}[`)),
    )
    .map((c) => c.value);
}

/**
 * The home part of a plan for a person to apply by hand: a `uci batch` heredoc (quoted
 * delimiter: the shell expands nothing inside) with the reloads, to paste into an SSH session on
 * the home router, then the same changes as LuCI steps.
 */
export function homePasteText(plan: Pick<SetupPlan, 'home'>): string {
  const home = plan.home;
  if (home.changes.length === 0) return '# The home router needs no changes.\n';
  const delimiter = heredocDelimiter(home.batch);
  const lines = [
    '# Homeward: the home router part. Paste it into an SSH session on the home router',
    '# (ssh root@<home router>), or follow the LuCI steps below.',
    `uci batch <<'${delimiter}'`,
    home.batch.replace(/\n$/, ''),
    delimiter,
    ...home.reloads,
  ];
  const steps: string[] = [];
  const peerKey = valuesOf(home.changes, 'wireguard_wg0', 'public_key')[0];
  if (peerKey) {
    const name = valuesOf(home.changes, 'wireguard_wg0', 'description')[0] ?? '';
    const allowed = valuesOf(home.changes, 'wireguard_wg0', 'allowed_ips');
    const psk = valuesOf(home.changes, 'wireguard_wg0', 'preshared_key')[0];
    steps.push(
      `Network > Interfaces > wg0 > Edit > Peers > Add peer: Description "${name}", Public Key ${peerKey}${psk ? ', Preshared Key (from the intent)' : ''}, Allowed IPs ${allowed.join(', ')}, tick "Route Allowed IPs"; Save.`,
    );
  }
  const vxlanMtu = home.changes.find(
    (c) => c.kind === 'set' && c.section === 'vxlan0' && c.option === 'mtu',
  );
  if (vxlanMtu && vxlanMtu.kind === 'set')
    steps.push(
      `Network > Interfaces > vxlan0 > Edit > Advanced Settings: Override MTU ${vxlanMtu.value}; Save.`,
    );
  const dhcpOption = home.changes.find(
    (c) => c.kind === 'add_list' && c.config === 'dhcp' && c.option === 'dhcp_option',
  );
  if (dhcpOption && dhcpOption.kind === 'add_list')
    steps.push(
      `Network > Interfaces > LAN > Edit > DHCP Server > Advanced Settings > DHCP-Options: add ${dhcpOption.value}; Save.`,
    );
  const vxlanPeer = valuesOf(home.changes, 'vxlan_peer', 'dst')[0];
  if (vxlanPeer)
    steps.push(
      `The VXLAN peer (dst ${vxlanPeer}) has no LuCI page: run the uci batch above for it (SSH, or System > Custom Commands with luci-app-commands).`,
    );
  steps.push('Save & Apply (LuCI then waits for you to confirm the change, as Homeward does).');
  const comment = (text: string) => text.replace(/[\r\n]+/g, ' ');
  return `${lines.join('\n')}\n\n# In LuCI instead:\n${steps.map((s, i) => `#  ${i + 1}. ${comment(s)}`).join('\n')}\n`;
}
