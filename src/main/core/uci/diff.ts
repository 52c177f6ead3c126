import type { UciConfig, UciConfigs, UciSection, UciValue } from './model';

export interface UciOptionDiff {
  name: string;
  /** Absent when the option is new. */
  before?: UciValue;
  /** Absent when the option is removed. */
  after?: UciValue;
}

export interface UciSectionDiff {
  /** `lan`, or `@rule[2]` for an anonymous section (index among sections of its type). */
  ref: string;
  type: string;
  /** Set when the section's type changed. */
  beforeType?: string;
  status: 'added' | 'removed' | 'changed';
  /** Only the options that differ (all of them for an added or removed section). */
  options: UciOptionDiff[];
}

export interface UciConfigDiff {
  config: string;
  status: 'added' | 'removed' | 'changed';
  sections: UciSectionDiff[];
  /** True when the same sections are present but in another order. */
  reordered: boolean;
}

function sameValue(a: UciValue | undefined, b: UciValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

// An emptied list is written as nothing, so for a preview it is the same as no option.
function visible(value: UciValue | undefined): UciValue | undefined {
  return Array.isArray(value) && value.length === 0 ? undefined : value;
}

interface Keyed {
  key: string;
  ref: string;
  section: UciSection;
}

// Named sections pair by name; anonymous ones by type and their order among anonymous
// sections of that type, which is how a person reads `@rule[0]`, `@rule[1]`.
function keyed(config: UciConfig): Keyed[] {
  const typeIndex = new Map<string, number>();
  const anonIndex = new Map<string, number>();
  const seen = new Set<string>();
  const out: Keyed[] = [];
  for (const section of config.sections) {
    const ti = typeIndex.get(section.type) ?? 0;
    typeIndex.set(section.type, ti + 1);
    if (section.name !== undefined) {
      if (seen.has(section.name)) continue;
      seen.add(section.name);
      out.push({ key: `n:${section.name}`, ref: section.name, section });
    } else {
      const ai = anonIndex.get(section.type) ?? 0;
      anonIndex.set(section.type, ai + 1);
      out.push({ key: `a:${section.type}:${ai}`, ref: `@${section.type}[${ti}]`, section });
    }
  }
  return out;
}

function optionDiffs(
  before: UciSection | undefined,
  after: UciSection | undefined,
): UciOptionDiff[] {
  const names: string[] = [];
  for (const o of after?.options ?? []) if (!names.includes(o.name)) names.push(o.name);
  for (const o of before?.options ?? []) if (!names.includes(o.name)) names.push(o.name);
  const diffs: UciOptionDiff[] = [];
  for (const name of names) {
    const b = visible(before?.options.find((o) => o.name === name)?.value);
    const a = visible(after?.options.find((o) => o.name === name)?.value);
    if (sameValue(a, b)) continue;
    const d: UciOptionDiff = { name };
    if (b !== undefined) d.before = b;
    if (a !== undefined) d.after = a;
    diffs.push(d);
  }
  return diffs;
}

function diffConfig(
  name: string,
  before: UciConfig | undefined,
  after: UciConfig | undefined,
): UciConfigDiff | undefined {
  const b = before ? keyed(before) : [];
  const a = after ? keyed(after) : [];
  const byKey = new Map(b.map((k) => [k.key, k]));
  const afterKeys = new Set(a.map((k) => k.key));
  const sections: UciSectionDiff[] = [];
  for (const k of a) {
    const old = byKey.get(k.key);
    const options = optionDiffs(old?.section, k.section);
    if (!old) {
      sections.push({ ref: k.ref, type: k.section.type, status: 'added', options });
      continue;
    }
    const typeChanged = old.section.type !== k.section.type;
    if (options.length === 0 && !typeChanged) continue;
    const d: UciSectionDiff = { ref: k.ref, type: k.section.type, status: 'changed', options };
    if (typeChanged) d.beforeType = old.section.type;
    sections.push(d);
  }
  for (const k of b) {
    if (afterKeys.has(k.key)) continue;
    sections.push({
      ref: k.ref,
      type: k.section.type,
      status: 'removed',
      options: optionDiffs(k.section, undefined),
    });
  }
  const common = (list: Keyed[], other: Set<string>): string[] =>
    list.filter((k) => other.has(k.key)).map((k) => k.key);
  const beforeOrder = common(b, afterKeys);
  const afterOrder = common(a, new Set(b.map((k) => k.key)));
  const reordered = beforeOrder.some((key, i) => afterOrder[i] !== key);
  if (before && after && sections.length === 0 && !reordered) return undefined;
  const status = !before ? 'added' : !after ? 'removed' : 'changed';
  return { config: name, status, sections, reordered };
}

/** What changes per config file, for a preview. Configs without differences are left out. */
export function diffConfigs(before: UciConfigs, after: UciConfigs): UciConfigDiff[] {
  const names = [...Object.keys(before)];
  for (const n of Object.keys(after)) if (!names.includes(n)) names.push(n);
  names.sort();
  const out: UciConfigDiff[] = [];
  for (const name of names) {
    const d = diffConfig(name, before[name], after[name]);
    if (d) out.push(d);
  }
  return out;
}

interface Line {
  text: string;
  /** The last line of a text that does not end with a newline. */
  noEol: boolean;
}

function splitLines(text: string): Line[] {
  if (text === '') return [];
  const parts = text.split('\n');
  const endsWithNewline = parts[parts.length - 1] === '';
  if (endsWithNewline) parts.pop();
  return parts.map((t, i) => ({ text: t, noEol: !endsWithNewline && i === parts.length - 1 }));
}

type Op = { op: ' ' | '-' | '+'; line: Line };

function sameLine(a: Line, b: Line): boolean {
  return a.text === b.text && a.noEol === b.noEol;
}

function editScript(a: Line[], b: Line[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && sameLine(a[start] as Line, b[start] as Line))
    start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && sameLine(a[endA - 1] as Line, b[endB - 1] as Line)) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  // LCS table over the differing middle; configs are a few hundred lines at most.
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] = sameLine(a[start + i] as Line, b[start + j] as Line)
        ? (lcs[(i + 1) * w + j + 1] as number) + 1
        : Math.max(lcs[(i + 1) * w + j] as number, lcs[i * w + j + 1] as number);
    }
  }
  const ops: Op[] = [];
  for (let k = 0; k < start; k++) ops.push({ op: ' ', line: a[k] as Line });
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && sameLine(a[start + i] as Line, b[start + j] as Line)) {
      ops.push({ op: ' ', line: a[start + i] as Line });
      i++;
      j++;
    } else if (
      j < m &&
      (i >= n || (lcs[i * w + j + 1] as number) >= (lcs[(i + 1) * w + j] as number))
    ) {
      ops.push({ op: '+', line: b[start + j] as Line });
      j++;
    } else {
      ops.push({ op: '-', line: a[start + i] as Line });
      i++;
    }
  }
  for (let k = endA; k < a.length; k++) ops.push({ op: ' ', line: a[k] as Line });
  // Deletions first within a run of changes, as diff(1) prints them.
  const ordered: Op[] = [];
  let run: Op[] = [];
  const flush = (): void => {
    ordered.push(...run.filter((o) => o.op === '-'), ...run.filter((o) => o.op === '+'));
    run = [];
  };
  for (const o of ops) {
    if (o.op === ' ') {
      flush();
      ordered.push(o);
    } else run.push(o);
  }
  flush();
  return ordered;
}

function range(start: number, count: number): string {
  if (count === 1) return `${start}`;
  return `${count === 0 ? start - 1 : start},${count}`;
}

/**
 * A unified diff (`diff -u` format) of two versions of one file; empty when they are equal.
 */
export function renderUnifiedDiff(
  beforeText: string,
  afterText: string,
  options: { fromFile?: string; toFile?: string; context?: number } = {},
): string {
  const context = options.context ?? 3;
  const ops = editScript(splitLines(beforeText), splitLines(afterText));
  const changed = ops.map((o, i) => (o.op === ' ' ? -1 : i)).filter((i) => i >= 0);
  if (changed.length === 0) return '';
  const hunks: Array<[number, number]> = [];
  for (const i of changed) {
    const lo = Math.max(0, i - context);
    const hi = Math.min(ops.length, i + context + 1);
    const last = hunks[hunks.length - 1];
    if (last && lo <= last[1]) last[1] = Math.max(last[1], hi);
    else hunks.push([lo, hi]);
  }
  let out = `--- ${options.fromFile ?? 'a'}\n+++ ${options.toFile ?? 'b'}\n`;
  let oldLine = 1;
  let newLine = 1;
  let cursor = 0;
  for (const [lo, hi] of hunks) {
    for (; cursor < lo; cursor++) {
      oldLine++;
      newLine++;
    }
    let oldCount = 0;
    let newCount = 0;
    let body = '';
    for (let k = lo; k < hi; k++) {
      const o = ops[k] as Op;
      if (o.op !== '+') oldCount++;
      if (o.op !== '-') newCount++;
      body += `${o.op}${o.line.text}\n`;
      if (o.line.noEol) body += '\\ No newline at end of file\n';
    }
    out += `@@ -${range(oldLine, oldCount)} +${range(newLine, newCount)} @@\n${body}`;
    oldLine += oldCount;
    newLine += newCount;
    cursor = hi;
  }
  return out;
}
