import { UciContext } from './context';
import { latin1ToUtf8, utf8ToLatin1 } from './parser';

export interface UciSection {
  type: string;
  name: string;
  anonymous: boolean;
  options: Record<string, string | string[]>;
}

export interface UciConfig {
  name: string;
  sections: UciSection[];
}

/**
 * Reads one config the way `uci` sees it: the committed file in confDir, plus the staged changes
 * in deltaDir when given. Anonymous sections carry their cfgXXYYYY name. Throws UciError
 * (code 3 = not found, 5 = parse error) like the CLI would fail.
 */
export function readUciConfig(confDir: string, name: string, deltaDir?: string): UciConfig {
  const ctx = new UciContext();
  ctx.confDir = confDir;
  if (deltaDir === undefined) ctx.ignoreDeltas = true;
  else ctx.saveDir = deltaDir;
  const pkg = ctx.load(utf8ToLatin1(name));
  return {
    name,
    sections: pkg.sections.map((s) => {
      const options: Record<string, string | string[]> = {};
      for (const o of s.options) {
        options[latin1ToUtf8(o.name)] =
          o.kind === 'string' ? latin1ToUtf8(o.value) : o.items.map(latin1ToUtf8);
      }
      return {
        type: latin1ToUtf8(s.type),
        name: latin1ToUtf8(s.name),
        anonymous: s.anonymous,
        options,
      };
    }),
  };
}

export { UciContext } from './context';
export { UciError, UCI_ERR } from './parser';
export { runUci, type UciIo } from './cli';
