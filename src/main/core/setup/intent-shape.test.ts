/* eslint-disable @typescript-eslint/no-explicit-any -- the cases edit parsed JSON in place */
import { describe, expect, it } from 'vitest';
import { expectChineseFor } from '../localized-text.test-support';
import { readIntent } from './intent-shape';
import { seedIntent } from './seed-intent.test-support';

const copy = () => JSON.parse(JSON.stringify(seedIntent)) as Record<string, unknown>;

describe('readIntent', () => {
  it('accepts the seed intent as JSON', () => {
    expect(readIntent(copy())).toEqual({ kind: 'ok', intent: seedIntent });
  });
  it.each([
    ['a missing field', (i: any) => delete i.home.publicKey, 'home.publicKey', /missing/],
    ['a quoted number', (i: any) => (i.home.endpointPort = '51820'), 'home.endpointPort', /number/],
    ['a bad band', (i: any) => (i.wifi.l2.band = '6g'), 'wifi.l2.band', /6g/],
    ['a bad width', (i: any) => (i.wifi.l3.widthMhz = 60), 'wifi.l3.widthMhz', /60/],
    ['an unknown field', (i: any) => (i.travel.lanIp = 'x'), 'travel.lanIp', /Unknown/],
    ['a non-object', (i: any) => (i.vxlan = 8), 'vxlan', /object/],
    ['a quoted boolean', (i: any) => (i.l3Nat = 'yes'), 'l3Nat', /boolean/],
  ])('names the field for %s', (_name, mutate, field, message) => {
    const value = copy();
    mutate(value);
    const result = readIntent(value);
    expect(result.kind).toBe('invalid');
    if (result.kind === 'invalid') {
      expect(result.error.field).toBe(field);
      expect(result.error.message).toMatch(message);
      expect(result.error.fix.length).toBeGreaterThan(5);
      const zh = result.error.localized?.['zh-CN'];
      expectChineseFor(result.error.message, zh?.message, `${field} message`);
      expectChineseFor(result.error.fix, zh?.fix, `${field} fix`);
      expect(zh?.message).toContain(field);
    }
  });
  it('refuses something that is not an object', () => {
    expect(readIntent([]).kind).toBe('invalid');
    const result = readIntent(null);
    expect(result).toMatchObject({
      kind: 'invalid',
      error: {
        message: 'The intent must be a JSON object.',
        localized: { 'zh-CN': { message: '意图文件必须是一个 JSON 对象。' } },
      },
    });
  });
});
