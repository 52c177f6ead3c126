import { describe, expect, it } from 'vitest';
import { parseUci, parseUciBatch } from './parse';

function ok(text: string) {
  const r = parseUci(text);
  if (r.kind !== 'ok') throw new Error(r.message);
  return r.config;
}

function err(text: string) {
  const r = parseUci(text);
  if (r.kind !== 'error') throw new Error('expected an error');
  return `${r.reason} @${r.line}:${r.byte}`;
}

describe('parseUci grammar', () => {
  it('concatenates unquoted, single and double quoted pieces', () => {
    const c = ok(
      `config t 'a'\n\toption mix abc'def'"ghi"\n\toption dq "a\\"b\\\\c\\n"\n\toption sq 'a\\b'\n`,
    );
    expect(c.sections[0]?.options).toEqual([
      { name: 'mix', value: 'abcdefghi' },
      { name: 'dq', value: 'a"b\\cn' },
      { name: 'sq', value: 'a\\b' },
    ]);
  });

  it('reads the shortest keyword forms, comments, blank lines and CRLF', () => {
    const c = ok('# head\r\n\r\nc t n # tail\r\n\to x 1\r\n\tl y 2\r\n\tl y 3 #c\r\np ignored\r\n');
    expect(c).toEqual({
      sections: [
        {
          type: 't',
          name: 'n',
          options: [
            { name: 'x', value: '1' },
            { name: 'y', value: ['2', '3'] },
          ],
        },
      ],
    });
  });

  it('keeps newlines inside quotes and joins lines after a trailing backslash', () => {
    const c = ok('config t a\n\toption m \'one\ntwo\'\n\toption j ab\\\ncd\n\toption d "x\\\ny"\n');
    expect(c.sections[0]?.options).toEqual([
      { name: 'm', value: 'one\ntwo' },
      { name: 'j', value: 'abcd' },
      { name: 'd', value: 'xy' },
    ]);
  });

  it('keeps a CR that is inside quotes', () => {
    expect(ok("config t a\r\n\toption m 'x\r\ny'\r\n").sections[0]?.options[0]?.value).toBe(
      'x\r\ny',
    );
  });

  it('merges same-name sections: later options win in place, list items append', () => {
    const c = ok(
      "config i lan\n option a 1\n list l x\nconfig i wan\nconfig i lan\n option a 2\n list l y\n option b 3\n option a ''\n",
    );
    expect(c.sections.map((s) => s.name)).toEqual(['lan', 'wan']);
    expect(c.sections[0]?.options).toEqual([
      { name: 'a', value: '2' },
      { name: 'l', value: ['x', 'y'] },
      { name: 'b', value: '3' },
    ]);
  });

  it('turns options into lists and back as uci does, and drops empty options', () => {
    const c = ok(
      "config s a\n list l ''\n option o first\n list o second\n list m m1\n option m over\n option e ''\n",
    );
    expect(c.sections[0]?.options).toEqual([
      { name: 'l', value: [''] },
      { name: 'o', value: ['first', 'second'] },
      { name: 'm', value: 'over' },
    ]);
  });

  it('keeps anonymous sections separate', () => {
    const c = ok('config rule\n option a 1\nconfig rule\n option a 2\nconfig rule ""\n');
    expect(c.sections).toHaveLength(3);
    expect(c.sections.every((s) => s.name === undefined)).toBe(true);
  });

  it('treats ";" after whitespace as a command separator and after a word as the line end', () => {
    expect(ok('config t a ;option x 1\nconfig t b\n option y 2;option z 3\n').sections).toEqual([
      { type: 't', name: 'a', options: [{ name: 'x', value: '1' }] },
      { type: 't', name: 'b', options: [{ name: 'y', value: '2' }] },
    ]);
  });

  it('reads UTF-8 values and long lines', () => {
    const long = 'x'.repeat(5000);
    const c = ok(`config wifi-iface w\n option ssid '中文网络 📶'\n option long '${long}'\n`);
    expect(c.sections[0]?.options.map((o) => o.value)).toEqual(['中文网络 📶', long]);
  });

  it('accepts bytes as input', () => {
    expect(ok(new TextEncoder().encode('config t a\n') as unknown as string).sections).toHaveLength(
      1,
    );
  });
});

describe('parseUci errors (reason, libuci line counter, byte offset in the line buffer)', () => {
  it.each([
    ['foo\n', 'invalid command @1:0'],
    ['config t a\n  bogus x\n', 'invalid command @2:2'],
    // A keyword alone on its line keeps its newline in the strtok word.
    ['config\n', 'invalid command @1:0'],
    // Without a final newline the line is not counted.
    ['config', 'config without name @0:0'],
    ['config \n', 'insufficient arguments @1:8'],
    ['option a b\n', 'option/list command found before the first section @1:0'],
    ['config iface bad-name\n', 'invalid character in name field @1:22'],
    ["config iface 'x y'\n", 'invalid character in name field @1:19'],
    ['config t a\n option bad.name 1\n', 'invalid character in name field @2:17'],
    ['config a b c\n', 'too many arguments @1:13'],
    ['config t a\n option x 1 2\n', 'too many arguments @2:14'],
    [
      'config a b\nconfig c b\n',
      'section of different type overwrites prior section with same name @2:11',
    ],
    ["config t a\n option x 'abc\n", "EOF with unterminated ' @2:15"],
    ["config t a\n option x 'abc\nmore\n", "EOF with unterminated ' @3:20"],
    ['config t a\n option x "abc', 'EOF with unterminated " @1:14'],
    ['package bad.name\n', 'invalid character in name field @1:17'],
    ['package\n', 'invalid command @1:0'],
  ])('%j -> %s', (text, expected) => {
    expect(err(text)).toBe(expected);
  });

  it('formats the message as uci prints it', () => {
    const r = parseUci('foo\n');
    expect(r.kind === 'error' && r.message).toBe('Parse error (invalid command) at line 1, byte 0');
  });
});

describe('parseUciBatch', () => {
  it('splits commands, skips comments and stops at exit', () => {
    const r = parseUciBatch(
      "# c\nset a.b.c='x y'\n\n  # c2\nadd_list a.b.l=1\nadd net rule\nexit\nset a.b.d=2\n",
    );
    expect(r).toEqual({
      kind: 'ok',
      commands: [
        ['set', 'a.b.c=x y'],
        ['add_list', 'a.b.l=1'],
        ['add', 'net', 'rule'],
      ],
    });
  });

  it("reads multi-line values and '\\'' escapes", () => {
    const r = parseUciBatch("set a.b.c='it'\\''s\nnext\tline'\nset a.b.d=''\n");
    expect(r).toEqual({
      kind: 'ok',
      commands: [
        ['set', "a.b.c=it's\nnext\tline"],
        ['set', 'a.b.d='],
      ],
    });
  });

  it('reports an unterminated quote and too many arguments', () => {
    expect(parseUciBatch("set a.b.c='x\n").kind).toBe('error');
    const r = parseUciBatch('set a b c d\n');
    expect(r.kind === 'error' && r.reason).toBe('too many arguments');
  });
});
