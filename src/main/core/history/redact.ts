// Secrets never reach the history file or an export. Two layers: fields whose name says "secret"
// lose their value, and every string is scrubbed for secrets embedded in text (wg-quick and uci
// lines, PEM blocks, command lines, URLs, bare WireGuard keys). It errs on the side of removing:
// a public key in free text cannot be told from a private one, so it goes too.

export const redactedMark = '[redacted]';

const secretFragments = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'privatekey',
  'privkey',
  'presharedkey',
  'psk',
  'apikey',
  'authkey',
  'credential',
  'cookie',
  'authorization',
];

function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

const secretNameCache = new Map<string, boolean>();

/** True for field, option and flag names that hold a secret (private_key, wpa_psk, key, ...). */
export function isSecretName(name: string): boolean {
  let known = secretNameCache.get(name);
  if (known === undefined) {
    known = classifyName(name);
    // Names come from reports and text; bound the cache so odd input cannot grow it forever.
    if (secretNameCache.size > 5000) secretNameCache.clear();
    secretNameCache.set(name, known);
  }
  return known;
}

function classifyName(name: string): boolean {
  const words = nameWords(name);
  const flat = words.join('');
  if (flat === '') return false;
  if (secretFragments.some((fragment) => flat.includes(fragment))) return true;
  if (flat === 'pass' || flat === 'pwd' || words.at(-1) === 'pwd') return true;
  const last = words.at(-1);
  // A lone "key" is a Wi-Fi key in uci and a private key in most configs; host and public keys
  // are public by design.
  return (
    (last === 'key' || last === 'keys') && !words.includes('public') && !words.includes('host')
  );
}

function isPublicName(name: string | undefined): boolean {
  if (name === undefined) return false;
  const words = nameWords(name);
  return words.includes('public') || words.includes('pub') || words.includes('pubkey');
}

const pemBlock =
  /-----BEGIN ([A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?)-----[\s\S]*?(?:-----END \1-----|$)/g;
// A 32-byte key in base64 (WireGuard private, public and preshared keys look alike).
const wireguardKey = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=(?![A-Za-z0-9+/=])/g;
const urlUserinfo = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/?#]*:)[^\s@/?#]+@/gi;
const authScheme = /\b(Bearer|Basic|Digest|Token)\s+[A-Za-z0-9._~+/=-]{6,}/g;
const sshpass = /\b(sshpass\s+-p)\s*(?:'[^']*'|"(?:[^"\\]|\\.)*"|\S+)/g;
const quotedOrBare = String.raw`\[redacted\]|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^\s,;&}\]]+`;
// uci files: `option key 'x'`, `list preshared_key 'x'`.
const uciOption = new RegExp(
  String.raw`\b(option|list)([ \t]+)(['"]?)([\w-]+)\3([ \t]+)(${quotedOrBare})`,
  'g',
);
// Flags: `--password x`, `--psk=x`.
const longFlag = new RegExp(
  String.raw`(?<![\w-])(--?)([A-Za-z][\w-]*)(=|[ \t]+)(?!-)(${quotedOrBare})`,
  'g',
);
// `PrivateKey = x`, `private key: x`, `"psk": "x"`, `network.wg0.private_key='x'`, `TOKEN=x`.
// Only the name is matched here: a value after a harmless name is scanned again, so the token
// in `url: https://x/?token=y` is still found.
const valueName = /(?:\b(public|host)[ \t]+)?(["']?)([A-Za-z_][\w.@[\]-]*)\2([ \t]*[=:][ \t]*)/gi;
const valueAt = new RegExp(quotedOrBare, 'y');

function maskValue(value: string): string {
  const quote = value[0];
  if ((quote === "'" || quote === '"') && value.length >= 2 && value.endsWith(quote)) {
    return `${quote}${redactedMark}${quote}`;
  }
  return redactedMark;
}

function redactNamedValues(text: string): string {
  let out = '';
  let copied = 0;
  valueName.lastIndex = 0;
  for (let match = valueName.exec(text); match !== null; match = valueName.exec(text)) {
    const [, pub, , name = ''] = match;
    const secret =
      pub !== undefined ? isSecretName(`${pub} ${name}`) : isSecretName(lastSegment(name));
    if (!secret) {
      // Resume right after the name so the value itself is scanned too.
      valueName.lastIndex = match.index + match[0].length;
      continue;
    }
    valueAt.lastIndex = valueName.lastIndex;
    const value = valueAt.exec(text);
    if (value === null || value[0].includes(redactedMark)) continue;
    out += text.slice(copied, value.index) + maskValue(value[0]);
    copied = value.index + value[0].length;
    valueName.lastIndex = copied;
  }
  return out + text.slice(copied);
}

function lastSegment(name: string): string {
  return name.split('.').at(-1) ?? name;
}

/** Removes secrets embedded in free text, keeping the text around them readable. */
export function redactText(text: string, options: { keepKeys?: boolean } = {}): string {
  // Each pass runs only when its trigger is present: most strings in a report are short words
  // and numbers, and exports redact thousands of reports at once.
  let result = text;
  if (result.includes('-----BEGIN')) result = result.replace(pemBlock, `${redactedMark} $1`);
  if (result.includes('://')) result = result.replace(urlUserinfo, `$1${redactedMark}@`);
  if (/Bearer|Basic|Digest|Token/.test(result)) {
    result = result.replace(authScheme, `$1 ${redactedMark}`);
  }
  if (result.includes('sshpass')) result = result.replace(sshpass, `$1 ${redactedMark}`);
  if (result.includes('option') || result.includes('list')) {
    result = result.replace(
      uciOption,
      (match, kw: string, s1: string, q: string, name: string, s2: string, v: string) =>
        isSecretName(name) ? `${kw}${s1}${q}${name}${q}${s2}${maskValue(v)}` : match,
    );
  }
  if (result.includes('-')) {
    result = result.replace(
      longFlag,
      (match, dashes: string, name: string, sep: string, v: string) =>
        isSecretName(name) ? `${dashes}${name}${sep}${maskValue(v)}` : match,
    );
  }
  if (result.includes('=') || result.includes(':')) result = redactNamedValues(result);
  if (!options.keepKeys && result.length >= 44) result = result.replace(wireguardKey, redactedMark);
  return result;
}

/**
 * A deep copy of a JSON-like value with secrets removed: secret-named fields lose their value
 * (booleans and null stay: they carry no secret), every string is scrubbed with redactText.
 */
export function redactValue<T>(value: T): T {
  return redactAny(value, undefined, new WeakSet()) as T;
}

function redactAny(value: unknown, fieldName: string | undefined, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value, { keepKeys: isPublicName(fieldName) });
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (seen.has(value)) return redactedMark;
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      return value.map((item) => redactAny(item, fieldName, seen) ?? null);
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (isSecretName(key) && item !== null && typeof item !== 'boolean' && item !== undefined) {
        out[key] = redactedMark;
        continue;
      }
      const redacted = redactAny(item, key, seen);
      if (redacted !== undefined) out[key] = redacted;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}
