import { describe, expect, it } from 'vitest';
import { formatAge, liveHandshakeAgeS } from './router';

describe('liveHandshakeAgeS', () => {
  const measuredAt = '2026-11-25T12:00:00.000Z';
  const at = Date.parse(measuredAt);

  it('adds the whole seconds passed here since the router was read', () => {
    expect(liveHandshakeAgeS({ handshakeAgeS: 5 }, measuredAt, at)).toBe(5);
    expect(liveHandshakeAgeS({ handshakeAgeS: 5 }, measuredAt, at + 999)).toBe(5);
    expect(liveHandshakeAgeS({ handshakeAgeS: 5 }, measuredAt, at + 3000)).toBe(8);
  });

  it('never goes below the measured age, and is undefined without a handshake', () => {
    expect(liveHandshakeAgeS({ handshakeAgeS: 5 }, measuredAt, at - 10_000)).toBe(5);
    expect(liveHandshakeAgeS({}, measuredAt, at)).toBeUndefined();
    expect(liveHandshakeAgeS(undefined, measuredAt, at)).toBeUndefined();
  });
});

describe('formatAge', () => {
  it('picks the two largest units', () => {
    expect(formatAge(0)).toEqual([{ value: 0, unit: 's' }]);
    expect(formatAge(59.9)).toEqual([{ value: 59, unit: 's' }]);
    expect(formatAge(125)).toEqual([
      { value: 2, unit: 'min' },
      { value: 5, unit: 's' },
    ]);
    expect(formatAge(3 * 3600 + 4 * 60 + 9)).toEqual([
      { value: 3, unit: 'h' },
      { value: 4, unit: 'min' },
    ]);
    expect(formatAge(2 * 86_400 + 3 * 3600)).toEqual([
      { value: 2, unit: 'd' },
      { value: 3, unit: 'h' },
    ]);
  });
});
