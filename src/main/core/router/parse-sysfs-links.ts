import type { IpLink } from '../parsers/parse-ip-json';
import { splitLines } from '../parsers/text-lines';

/**
 * The command that lists the router's interfaces from sysfs, one line each: name, operstate,
 * flags (hex), carrier (`-` when unreadable, as for a device that is down) and the master's name.
 * Used when the router's `ip` prints no JSON (busybox ip, ip-tiny).
 */
export const sysfsLinksCommand =
  'for d in /sys/class/net/*; do n=${d##*/}; m=$(readlink $d/master 2>/dev/null); ' +
  'echo "$n $(cat $d/operstate) $(cat $d/flags) $(cat $d/carrier 2>/dev/null || echo -) ${m##*/}"; done';

const iffUp = 0x1;

/** The lines of `sysfsLinksCommand` as links without addresses (sysfs does not list them). */
export function parseSysfsLinks(text: string): IpLink[] {
  const links: IpLink[] = [];
  for (const line of splitLines(text)) {
    const [ifname, operstate, flagsHex, carrier, master] = line.trim().split(/\s+/);
    if (!ifname || !operstate || !flagsHex || !/^0x[0-9a-f]+$/i.test(flagsHex)) continue;
    const flags = Number.parseInt(flagsHex, 16);
    const up = (flags & iffUp) !== 0;
    links.push({
      ifname,
      operstate: operstate.toUpperCase(),
      flags: [],
      up,
      lowerUp: up && carrier === '1',
      addresses: [],
      ...(master ? { master } : {}),
    });
  }
  return links;
}
