import type { UciConfig, UciConfigs, UciSection } from './model';
import {
  cloneConfig,
  findOption,
  isValidUciName,
  isValidUciPackageName,
  isValidUciType,
  isValidUciValue,
} from './model';
import { addListItem, setOption } from './parse';
import { uciEscape } from './serialize';

export { diffConfigs, renderUnifiedDiff } from './diff';
export type { UciConfigDiff, UciOptionDiff, UciSectionDiff } from './diff';

/**
 * A section is addressed by its name, or by uci's extended syntax `@type[index]` (`@[index]`
 * for any type; a negative index counts from the end), which is how anonymous sections are
 * reached, e.g. `@wireguard_wg0[-1]` right after `add`.
 */
export type UciSectionRef = string;

export type UciChange =
  /**
   * With `option`: sets it (an empty value deletes it). Without: `value` is a section type;
   * creates the named section or changes its type (`uci set cfg.sec=type`).
   */
  | { kind: 'set'; config: string; section: UciSectionRef; option?: string; value: string }
  /** `section` absent: an anonymous section appended at the end (`uci add cfg type`). */
  | { kind: 'add'; config: string; type: string; section?: string }
  | { kind: 'add_list'; config: string; section: UciSectionRef; option: string; value: string }
  | { kind: 'del_list'; config: string; section: UciSectionRef; option: string; value: string }
  | { kind: 'delete'; config: string; section: UciSectionRef; option?: string }
  | { kind: 'rename'; config: string; section: UciSectionRef; option?: string; name: string }
  | { kind: 'reorder'; config: string; section: UciSectionRef; position: number };

export type UciChangeErrorReason =
  /** uci says `Entry not found`. */
  | 'not-found'
  /** uci says `Invalid argument` or `Parse error`. */
  | 'invalid';

export interface UciChangeError {
  kind: 'error';
  reason: UciChangeErrorReason;
  message: string;
  /** Index of the failing change. */
  index: number;
}

export type ApplyChangesResult = { kind: 'ok'; configs: UciConfigs } | UciChangeError;

type SectionLookup =
  { kind: 'found'; section: UciSection; index: number } | { kind: 'missing' } | { kind: 'invalid' };

const EXTENDED_REF = /^@([^[\]]*)\[(-?\d*)\]$/;

function lookupSection(config: UciConfig, ref: UciSectionRef): SectionLookup {
  if (isValidUciName(ref)) {
    const index = config.sections.findIndex((s) => s.name === ref);
    const section = config.sections[index];
    return section ? { kind: 'found', section, index } : { kind: 'missing' };
  }
  const m = EXTENDED_REF.exec(ref);
  if (!m) return { kind: 'invalid' };
  const type = m[1] ?? '';
  if (type !== '' && !isValidUciType(type)) return { kind: 'invalid' };
  let idx = Number(m[2] === '' || m[2] === '-' ? 0 : m[2]);
  const candidates = config.sections
    .map((section, index) => ({ section, index }))
    .filter((c) => type === '' || c.section.type === type);
  if (idx < 0) idx += candidates.length;
  const hit = candidates[idx];
  return hit ? { kind: 'found', ...hit } : { kind: 'missing' };
}

function describe(change: UciChange): string {
  const option = 'option' in change && change.option !== undefined ? `.${change.option}` : '';
  const section = change.section ?? '';
  return `${change.config}${section ? `.${section}` : ''}${option}`;
}

// Internal control flow only: applyChanges and toUciBatch turn it into an error result.
class ChangeFailure extends Error {
  constructor(
    readonly reason: UciChangeErrorReason,
    message: string,
  ) {
    super(message);
  }
}

function errorResult(index: number, e: ChangeFailure): UciChangeError {
  return { kind: 'error', reason: e.reason, message: e.message, index };
}

function fail(reason: UciChangeErrorReason, message: string): never {
  throw new ChangeFailure(reason, message);
}

function requireSection(
  config: UciConfig,
  change: UciChange & { section: string },
): SectionLookup & { kind: 'found' } {
  const found = lookupSection(config, change.section);
  if (found.kind === 'invalid') fail('invalid', `${describe(change)}: bad section reference`);
  if (found.kind === 'missing') fail('not-found', `${describe(change)}: no such section`);
  return found;
}

function requireOptionName(change: UciChange & { option?: string }): void {
  if (change.option !== undefined && !isValidUciName(change.option)) {
    fail('invalid', `${describe(change)}: option names may contain only letters, digits and _`);
  }
}

function setSectionType(
  config: UciConfig,
  change: UciChange,
  found: SectionLookup,
  type: string,
): void {
  if (found.kind === 'invalid') fail('invalid', `${describe(change)}: bad section reference`);
  if (type === '') {
    if (found.kind === 'found') config.sections.splice(found.index, 1);
    return;
  }
  if (!isValidUciType(type)) fail('invalid', `${describe(change)}: bad section type`);
  if (found.kind === 'found') found.section.type = type;
  else config.sections.push({ type, name: change.section, options: [] });
}

// Each branch follows what the uci command-line tool does for the same command
// (libuci list.c: uci_set, uci_add_list, uci_del_list, uci_delete, uci_rename,
// uci_reorder_section), including its quiet no-ops.
function applyOne(configs: UciConfigs, change: UciChange): void {
  const config = configs[change.config];
  if (!config) return fail('not-found', `${change.config}: no such config file`);
  switch (change.kind) {
    case 'set': {
      requireOptionName(change);
      const found = lookupSection(config, change.section);
      if (change.option === undefined) {
        setSectionType(config, change, found, change.value);
        return;
      }
      if (found.kind !== 'found') fail('invalid', `${describe(change)}: no such section`);
      if (change.value === '') {
        const i = found.section.options.findIndex((o) => o.name === change.option);
        if (i >= 0) found.section.options.splice(i, 1);
        return;
      }
      setOption(found.section, change.option, change.value);
      return;
    }
    case 'add': {
      if (change.section === undefined) {
        if (change.type === '') fail('invalid', `${change.config}: empty section type`);
        config.sections.push({ type: change.type, options: [] });
        return;
      }
      setSectionType(config, change, lookupSection(config, change.section), change.type);
      return;
    }
    case 'add_list': {
      requireOptionName(change);
      const found = lookupSection(config, change.section);
      if (found.kind !== 'found') fail('invalid', `${describe(change)}: no such section`);
      addListItem(found.section, change.option, change.value);
      return;
    }
    case 'del_list': {
      requireOptionName(change);
      const found = lookupSection(config, change.section);
      if (found.kind !== 'found') fail('invalid', `${describe(change)}: no such section`);
      const option = findOption(found.section, change.option);
      if (option && Array.isArray(option.value)) {
        option.value = option.value.filter((v) => v !== change.value);
      }
      return;
    }
    case 'delete': {
      requireOptionName(change);
      const found = requireSection(config, change);
      if (change.option === undefined) {
        config.sections.splice(found.index, 1);
        return;
      }
      const i = found.section.options.findIndex((o) => o.name === change.option);
      if (i < 0) fail('not-found', `${describe(change)}: no such option`);
      found.section.options.splice(i, 1);
      return;
    }
    case 'rename': {
      requireOptionName(change);
      const found = requireSection(config, change);
      if (!isValidUciName(change.name)) fail('not-found', `${describe(change)}: bad new name`);
      if (change.option === undefined) {
        found.section.name = change.name;
        return;
      }
      const option = findOption(found.section, change.option);
      if (!option) fail('not-found', `${describe(change)}: no such option`);
      option.name = change.name;
      return;
    }
    case 'reorder': {
      const found = requireSection(config, change);
      config.sections.splice(found.index, 1);
      const at = Math.min(Math.max(0, Math.trunc(change.position)), config.sections.length);
      config.sections.splice(at, 0, found.section);
      return;
    }
  }
}

/**
 * The configs as they will be after uci runs `changes` in order (pure: the input is not
 * touched). Mirrors uci also where uci is lenient: `set` with an empty value deletes, `del_list`
 * of a missing item does nothing, `rename` onto an existing name leaves two sections with that
 * name (the first one wins on lookup; they merge when the file is read back).
 */
export function applyChanges(
  configs: UciConfigs,
  changes: readonly UciChange[],
): ApplyChangesResult {
  const next: UciConfigs = {};
  for (const [name, config] of Object.entries(configs)) next[name] = cloneConfig(config);
  for (let index = 0; index < changes.length; index++) {
    try {
      applyOne(next, changes[index] as UciChange);
    } catch (e) {
      if (e instanceof ChangeFailure) return errorResult(index, e);
      throw e;
    }
  }
  return { kind: 'ok', configs: next };
}

const PLAIN_TOKEN = /^[A-Za-z0-9_.@[\]-]+$/;

function quoteToken(token: string): string {
  return PLAIN_TOKEN.test(token) ? token : `'${uciEscape(token)}'`;
}

function quoteValue(value: string): string {
  return `'${uciEscape(value)}'`;
}

function checkRef(ref: string): boolean {
  if (isValidUciName(ref)) return true;
  const m = EXTENDED_REF.exec(ref);
  if (!m) return false;
  const type = m[1] ?? '';
  return type === '' || (isValidUciType(type) && !/[.=]/.test(type));
}

function batchLine(change: UciChange): string | ChangeFailure {
  if (!isValidUciPackageName(change.config)) {
    return new ChangeFailure('invalid', `${change.config}: bad config name`);
  }
  if (change.kind === 'add' && change.section === undefined) {
    if (!isValidUciType(change.type))
      return new ChangeFailure('invalid', `bad type ${change.type}`);
    return `add ${change.config} ${quoteToken(change.type)}`;
  }
  const section = change.section as string;
  if (!checkRef(section)) return new ChangeFailure('invalid', `${describe(change)}: bad section`);
  const option = 'option' in change ? change.option : undefined;
  if (option !== undefined && !isValidUciName(option)) {
    return new ChangeFailure('invalid', `${describe(change)}: bad option name`);
  }
  const path = `${change.config}.${section}${option !== undefined ? `.${option}` : ''}`;
  // The tokenizer glues quoted and unquoted pieces into one argument, so a plain path can stay
  // readable (`set network.lan.proto='static'`); anything else is quoted as a whole.
  const value = (v: string): string | ChangeFailure =>
    isValidUciValue(v)
      ? PLAIN_TOKEN.test(path)
        ? `${path}=${quoteValue(v)}`
        : quoteValue(`${path}=${v}`)
      : new ChangeFailure(
          'invalid',
          `${describe(change)}: uci cannot store control characters other than tab and newline`,
        );
  const prefixed = (cmd: string, v: string): string | ChangeFailure => {
    const tail = value(v);
    return typeof tail === 'string' ? `${cmd} ${tail}` : tail;
  };
  switch (change.kind) {
    case 'set':
      if (option === undefined && !isValidUciType(change.value)) {
        return new ChangeFailure('invalid', `bad type ${change.value}`);
      }
      return prefixed('set', change.value);
    case 'add_list':
    case 'del_list':
      return prefixed(change.kind, change.value);
    case 'add':
      if (!isValidUciType(change.type))
        return new ChangeFailure('invalid', `bad type ${change.type}`);
      return prefixed('set', change.type);
    case 'delete':
      return `delete ${quoteToken(path)}`;
    case 'rename':
      if (!isValidUciName(change.name))
        return new ChangeFailure('invalid', `bad name ${change.name}`);
      return prefixed('rename', change.name);
    case 'reorder':
      if (!Number.isInteger(change.position) || change.position < 0) {
        return new ChangeFailure('invalid', `${describe(change)}: bad position`);
      }
      return `reorder ${quoteToken(path)}=${change.position}`;
  }
}

export type UciBatchResult = { kind: 'ok'; text: string } | UciChangeError;

/**
 * The text to feed `uci batch` on stdin. Every value is single-quoted (a `'` written as
 * `'\''`), so any text uci can store arrives byte for byte, newlines included. Refuses what uci
 * cannot store or address: control characters other than tab/newline/CR, names outside
 * [A-Za-z0-9_], types that would not read back from the committed file.
 * With `commit`, a `commit CONFIG` line follows for each config touched, in first-touch order.
 */
export function toUciBatch(
  changes: readonly UciChange[],
  options: { commit?: boolean } = {},
): UciBatchResult {
  const lines: string[] = [];
  const touched: string[] = [];
  for (let index = 0; index < changes.length; index++) {
    const change = changes[index] as UciChange;
    const line = batchLine(change);
    if (line instanceof ChangeFailure) return errorResult(index, line);
    lines.push(line);
    if (!touched.includes(change.config)) touched.push(change.config);
  }
  if (options.commit) for (const config of touched) lines.push(`commit ${config}`);
  return { kind: 'ok', text: lines.map((l) => l + '\n').join('') };
}

export type UciArgvChange =
  | { kind: 'change'; change: UciChange }
  | { kind: 'error'; reason: UciChangeErrorReason | 'usage'; message: string }
  | { kind: 'unsupported'; message: string };

interface UciPath {
  config: string;
  section?: string;
  option?: string;
  value?: string;
}

// uci_parse_ptr: the first '=' starts the value, then at most three '.'-separated parts.
function parsePath(arg: string): UciPath | undefined {
  const eq = arg.indexOf('=');
  const path = eq >= 0 ? arg.slice(0, eq) : arg;
  const value = eq >= 0 ? arg.slice(eq + 1) : undefined;
  const parts = path.split('.');
  if (parts.length > 3) return undefined;
  const [config = '', section, option] = parts;
  if (config === '' || /[^\x21-\x7e]/.test(config)) return undefined;
  if (option !== undefined && !isValidUciName(option)) return undefined;
  if (value !== undefined && !isValidUciValue(value)) return undefined;
  const out: UciPath = { config };
  if (section !== undefined) out.section = section;
  if (option !== undefined) out.option = option;
  if (value !== undefined) out.value = value;
  return out;
}

// strtoul followed by libuci's int conversion: junk reads as 0, "-1" wraps to a huge value.
function reorderPosition(text: string): number {
  const m = /^\s*([+-]?)(\d*)/.exec(text);
  const digits = m?.[2] ?? '';
  if (digits === '') return 0;
  return m?.[1] === '-' ? Number.MAX_SAFE_INTEGER : Number(digits);
}

/**
 * Reads one uci command (argv without the program name, as `parseUciBatch` yields them) into
 * a change. Read-only commands, `commit`, `revert`, `import` and `delete ...=INDEX` are
 * reported as unsupported.
 */
export function changeFromUciArgv(argv: readonly string[]): UciArgvChange {
  const [cmdRaw = '', ...args] = argv;
  const cmd = cmdRaw.toLowerCase();
  const usage = { kind: 'error', reason: 'usage', message: `usage: ${cmd}` } as const;
  if (cmd === 'add') {
    if (args.length !== 2) return usage;
    const [config = '', type = ''] = args;
    return { kind: 'change', change: { kind: 'add', config, type } };
  }
  const sectionCommands = [
    'set',
    'add_list',
    'del_list',
    'delete',
    'del',
    'rename',
    'ren',
    'reorder',
  ];
  if (!sectionCommands.includes(cmd)) return { kind: 'unsupported', message: cmd };
  if (args.length !== 1) return usage;
  const p = parsePath(args[0] as string);
  if (!p) return { kind: 'error', reason: 'invalid', message: `bad path ${args[0]}` };
  const { config, section, option, value } = p;
  if (section === undefined) {
    return { kind: 'error', reason: 'invalid', message: `${cmd} needs a section` };
  }
  const base = { config, section };
  switch (cmd) {
    case 'set':
      if (value === undefined)
        return { kind: 'error', reason: 'invalid', message: 'set needs =value' };
      return {
        kind: 'change',
        change:
          option === undefined
            ? { kind: 'set', ...base, value }
            : { kind: 'set', ...base, option, value },
      };
    case 'add_list':
    case 'del_list':
      if (option === undefined || value === undefined) {
        return { kind: 'error', reason: 'invalid', message: `${cmd} needs an option and a value` };
      }
      return { kind: 'change', change: { kind: cmd, ...base, option, value } };
    case 'delete':
    case 'del':
      if (value !== undefined) return { kind: 'unsupported', message: 'delete by list index' };
      return {
        kind: 'change',
        change:
          option === undefined ? { kind: 'delete', ...base } : { kind: 'delete', ...base, option },
      };
    case 'rename':
    case 'ren':
      if (value === undefined)
        return { kind: 'error', reason: 'not-found', message: 'rename needs =name' };
      return {
        kind: 'change',
        change:
          option === undefined
            ? { kind: 'rename', ...base, name: value }
            : { kind: 'rename', ...base, option, name: value },
      };
    default:
      if (value === undefined)
        return { kind: 'error', reason: 'not-found', message: 'reorder needs =position' };
      return {
        kind: 'change',
        change: { kind: 'reorder', ...base, position: reorderPosition(value) },
      };
  }
}
