import { describe, expect, it } from 'vitest';
import { appError } from '../../shared/errors';
import { errorAction } from './error-view';

describe('error actions', () => {
  it('offers to trust an unknown host key with its fingerprint', () => {
    const error = {
      ...appError('host-key-unknown', '192.168.8.1 is new to Homeward.'),
      fingerprint: 'SHA256:abc+/def',
    };
    expect(errorAction(error)).toEqual({ kind: 'trust-host-key', fingerprint: 'SHA256:abc+/def' });
    const fromMessage = appError('host-key-unknown', 'Its fingerprint is SHA256:xyz0123=.');
    expect(errorAction(fromMessage)).toEqual({
      kind: 'trust-host-key',
      fingerprint: 'SHA256:xyz0123=',
    });
  });
  it('points at the field of an invalid request, never offers trust for a changed key', () => {
    expect(errorAction(appError('invalid-request', 'bad', { field: 'router.port' }))).toEqual({
      kind: 'check-field',
      field: 'router.port',
    });
    expect(errorAction(appError('host-key-changed', 'changed'))).toEqual({
      kind: 'host-key-changed',
    });
    expect(errorAction(appError('cancelled', 'stopped'))).toEqual({ kind: 'none' });
  });
});
