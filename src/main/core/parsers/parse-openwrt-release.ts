import { splitLines } from './text-lines';

export interface OpenwrtRelease {
  kind: 'ok';
  distribution?: string;
  version?: string;
  revision?: string;
  target?: string;
  arch?: string;
  description?: string;
  /** Every assignment seen, unquoted: DISTRIB_* and, when concatenated, os-release keys. */
  vars: Record<string, string>;
}

export type OpenwrtReleaseResult = OpenwrtRelease | { kind: 'error'; message: string };

/**
 * `/etc/openwrt_release` (DISTRIB_*='...') and `/etc/os-release` (double-quoted), alone or as
 * `cat /etc/*release` prints them back to back. DISTRIB_* wins where both say the same thing.
 */
export function parseOpenwrtRelease(text: string): OpenwrtReleaseResult {
  const vars: Record<string, string> = {};
  for (const line of splitLines(text)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match?.[1]) continue;
    vars[match[1]] = unquote((match[2] ?? '').trim());
  }
  const pick = (...keys: string[]): string | undefined => {
    for (const key of keys) {
      const value = vars[key];
      if (value !== undefined && value !== '') return value;
    }
    return undefined;
  };
  if (pick('DISTRIB_ID', 'DISTRIB_RELEASE', 'ID', 'VERSION_ID') === undefined) {
    return { kind: 'error', message: 'no DISTRIB_* or os-release assignments found' };
  }
  const release: OpenwrtRelease = { kind: 'ok', vars };
  const fields: [keyof Omit<OpenwrtRelease, 'kind' | 'vars'>, string[]][] = [
    ['distribution', ['DISTRIB_ID', 'NAME']],
    ['version', ['DISTRIB_RELEASE', 'VERSION_ID', 'VERSION']],
    ['revision', ['DISTRIB_REVISION', 'BUILD_ID']],
    ['target', ['DISTRIB_TARGET', 'OPENWRT_BOARD']],
    ['arch', ['DISTRIB_ARCH', 'OPENWRT_ARCH']],
    ['description', ['DISTRIB_DESCRIPTION', 'OPENWRT_RELEASE', 'PRETTY_NAME']],
  ];
  for (const [field, keys] of fields) {
    const value = pick(...keys);
    if (value !== undefined) release[field] = value;
  }
  return release;
}

// Shell quoting as these files use it: 'single' (with '\'' for a quote), "double" with
// backslash escapes, or a bare word.
function unquote(raw: string): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const char = raw[i];
    if (char === "'") {
      const end = raw.indexOf("'", i + 1);
      if (end < 0) return out + raw.slice(i + 1);
      out += raw.slice(i + 1, end);
      i = end + 1;
    } else if (char === '"') {
      i++;
      while (i < raw.length && raw[i] !== '"') {
        if (raw[i] === '\\' && i + 1 < raw.length && '"\\$`'.includes(raw[i + 1] ?? '')) i++;
        out += raw[i];
        i++;
      }
      i++;
    } else if (char === '\\' && i + 1 < raw.length) {
      out += raw[i + 1];
      i += 2;
    } else if (char === ' ' || char === '\t' || char === '#') {
      break;
    } else {
      out += char;
      i++;
    }
  }
  return out;
}
