// The in-memory shape of one UCI config file (one package), in file order.

export type UciValue = string | string[];

export interface UciOption {
  name: string;
  /** A string for `option`, an array for `list` (an emptied list serializes to nothing). */
  value: UciValue;
}

export interface UciSection {
  type: string;
  /** Absent for an anonymous section (`config rule`). */
  name?: string;
  options: UciOption[];
}

export interface UciConfig {
  sections: UciSection[];
}

/** Config name (file name under /etc/config) to its content. */
export type UciConfigs = Record<string, UciConfig>;

export function findOption(section: UciSection, name: string): UciOption | undefined {
  return section.options.find((o) => o.name === name);
}

export function cloneConfig(config: UciConfig): UciConfig {
  return {
    sections: config.sections.map((s) => ({
      ...s,
      options: s.options.map((o) => ({
        name: o.name,
        value: Array.isArray(o.value) ? [...o.value] : o.value,
      })),
    })),
  };
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

// Same rules as libuci's uci_validate_str: option and section names are [A-Za-z0-9_];
// config (package) names also allow '-'; types allow any printable ASCII except space.
function validate(str: string, kind: 'name' | 'package' | 'type'): boolean {
  if (str.length === 0) return false;
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (isAsciiAlnum(c) || c === 95) continue;
    if (c === 45 && kind === 'package') continue;
    if (kind !== 'type' || c < 33 || c > 126) return false;
  }
  return true;
}

export function isValidUciName(name: string): boolean {
  return validate(name, 'name');
}

export function isValidUciPackageName(name: string): boolean {
  return validate(name, 'package');
}

export function isValidUciType(type: string): boolean {
  return validate(type, 'type');
}

/**
 * What libuci accepts as a value given on the command line or in `uci batch`
 * (uci_validate_text): no control characters except tab, newline and carriage return.
 */
export function isValidUciValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return true;
}
