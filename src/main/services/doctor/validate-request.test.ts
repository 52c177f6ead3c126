import { describe, expect, it } from 'vitest';
import type { DoctorRequest } from '../../../shared/doctor';
import { expectChineseFor } from '../../core/localized-text.test-support';
import { validateDoctorRequest } from './validate-request';

const good: DoctorRequest = {
  router: { host: '192.168.8.1', port: 22, user: 'root', acceptNewHostKey: false },
  targetMbps: 100,
  durationS: 5,
  quick: false,
  saveHistory: true,
  packetBytes: 1400,
};

describe('validateDoctorRequest in both languages', () => {
  it('accepts a good request', () => {
    expect(validateDoctorRequest(good)).toBeUndefined();
  });

  it.each([
    ['request', null],
    ['router.host', { ...good, router: { ...good.router, host: '-oProxy' } }],
    ['router.port', { ...good, router: { ...good.router, port: 70000 } }],
    ['router.user', { ...good, router: { ...good.router, user: 'a b' } }],
    ['targetMbps', { ...good, targetMbps: 0 }],
    ['durationS', { ...good, durationS: 301 }],
    ['packetBytes', { ...good, packetBytes: 20 }],
    ['homeIperf', { ...good, homeIperf: { host: 'a b', port: 5201 } }],
    ['home.host', { ...good, home: { host: '-x', port: 22, user: 'root' } }],
  ])('%s', (field, request) => {
    const error = validateDoctorRequest(request as DoctorRequest);
    expect(error?.field).toBe(field);
    expectChineseFor(error?.message ?? '', error?.localized?.['zh-CN'].message, `${field} message`);
    expectChineseFor(error?.fix ?? '', error?.localized?.['zh-CN'].fix, `${field} fix`);
  });
});
