import type { DoctorRequest } from '../../../shared/doctor';
import type { AppError } from '../../../shared/errors';
import { appError } from '../../../shared/errors';

const hostPattern = /^[A-Za-z0-9.:_-]{1,253}$/;

/** The same rules as the CLI's flags, for requests that arrive over IPC or the socket. */
export function validateDoctorRequest(request: DoctorRequest): AppError | undefined {
  const bad = (field: string, message: string, fix: string) =>
    appError('invalid-request', message, { field, fix });
  if (typeof request !== 'object' || request === null)
    return bad('request', 'No doctor request was given.', 'Fill in the router address.');
  const router = request.router;
  if (
    !router ||
    typeof router.host !== 'string' ||
    !hostPattern.test(router.host) ||
    router.host.startsWith('-')
  ) {
    return bad(
      'router.host',
      'The router address is not a host name or IP address.',
      'Enter the travel router address, e.g. 192.168.8.1.',
    );
  }
  if (!Number.isInteger(router.port) || router.port < 1 || router.port > 65535) {
    return bad(
      'router.port',
      'The SSH port must be 1 to 65535.',
      'Use 22 unless the router says otherwise.',
    );
  }
  if (typeof router.user !== 'string' || !/^[a-z_][a-z0-9_-]{0,31}$/i.test(router.user)) {
    return bad('router.user', 'The SSH user name is not valid.', 'OpenWrt uses root.');
  }
  if (
    !Number.isFinite(request.targetMbps) ||
    request.targetMbps <= 0 ||
    request.targetMbps > 10_000
  ) {
    return bad(
      'targetMbps',
      'The target bitrate must be above 0 and at most 10000 Mbps.',
      'VR streaming usually needs 60 to 150 Mbps.',
    );
  }
  if (!Number.isFinite(request.durationS) || request.durationS <= 0 || request.durationS > 300) {
    return bad(
      'durationS',
      'Each test must last more than 0 and at most 300 seconds.',
      'Use 5 seconds.',
    );
  }
  if (
    !Number.isInteger(request.packetBytes) ||
    request.packetBytes < 64 ||
    request.packetBytes > 9000
  ) {
    return bad(
      'packetBytes',
      'The packet size must be 64 to 9000 bytes.',
      "Use your streamer's packet size (ALVR: 1400 by default).",
    );
  }
  if (
    request.homeIperf &&
    (!hostPattern.test(request.homeIperf.host) || !Number.isInteger(request.homeIperf.port))
  ) {
    return bad(
      'homeIperf',
      'The home iperf3 server is not host:port.',
      'Write it like 10.0.31.1:5201.',
    );
  }
  if (request.home && (!hostPattern.test(request.home.host) || request.home.host.startsWith('-'))) {
    return bad(
      'home.host',
      'The home router address is not a host name or IP address.',
      'Enter the home router address.',
    );
  }
  return undefined;
}
