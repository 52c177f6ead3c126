import type { UciConfig } from './model';

/** libuci's uci_escape: only `'` is special inside single quotes, written as `'\''`. */
export function uciEscape(text: string): string {
  return text.replaceAll("'", "'\\''");
}

/**
 * The bytes `uci commit` writes for a config: a leading empty line, then every section as
 * `config type 'name'` with tab-indented `option`/`list` lines. The type is written unquoted
 * (as libuci does); an anonymous section has no name; a list with no items writes nothing.
 */
export function serializeUci(config: UciConfig): string {
  let out = '';
  for (const section of config.sections) {
    out += `\nconfig ${uciEscape(section.type)}`;
    if (section.name !== undefined) out += ` '${uciEscape(section.name)}'`;
    out += '\n';
    for (const option of section.options) {
      if (Array.isArray(option.value)) {
        for (const item of option.value) {
          out += `\tlist ${uciEscape(option.name)} '${uciEscape(item)}'\n`;
        }
      } else {
        out += `\toption ${uciEscape(option.name)} '${uciEscape(option.value)}'\n`;
      }
    }
  }
  return out + '\n';
}

/** The output of `uci export NAME` (anonymous sections unnamed, uci's default). */
export function exportUci(name: string, config: UciConfig): string {
  return `package ${uciEscape(name)}\n${serializeUci(config)}`;
}
