import type { DoctorRequest } from '../../../shared/doctor';
import type { AppError, ErrorText } from '../../../shared/errors';
import { localizedError } from '../../../shared/errors';

const hostPattern = /^[A-Za-z0-9.:_-]{1,253}$/;

/** The same rules as the CLI's flags, for requests that arrive over IPC or the socket. */
export function validateDoctorRequest(request: DoctorRequest): AppError | undefined {
  const bad = (field: string, message: string, fix: string, zh: Required<ErrorText>) =>
    localizedError('invalid-request', { message, fix }, zh, { field });
  if (typeof request !== 'object' || request === null)
    return bad('request', 'No doctor request was given.', 'Fill in the router address.', {
      message: '没有收到检查请求。',
      fix: '请填写路由器地址。',
    });
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
      {
        message: '路由器地址不是主机名或 IP 地址。',
        fix: '请输入旅行路由器的地址，例如 192.168.8.1。',
      },
    );
  }
  if (!Number.isInteger(router.port) || router.port < 1 || router.port > 65535) {
    return bad(
      'router.port',
      'The SSH port must be 1 to 65535.',
      'Use 22 unless the router says otherwise.',
      { message: 'SSH 端口必须在 1 到 65535 之间。', fix: '除非路由器另有说明，请使用 22。' },
    );
  }
  if (typeof router.user !== 'string' || !/^[a-z_][a-z0-9_-]{0,31}$/i.test(router.user)) {
    return bad('router.user', 'The SSH user name is not valid.', 'OpenWrt uses root.', {
      message: 'SSH 用户名无效。',
      fix: 'OpenWrt 使用 root。',
    });
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
      {
        message: '目标码率必须大于 0 且不超过 10000 Mbps。',
        fix: 'VR 串流通常需要 60 到 150 Mbps。',
      },
    );
  }
  if (!Number.isFinite(request.durationS) || request.durationS <= 0 || request.durationS > 300) {
    return bad(
      'durationS',
      'Each test must last more than 0 and at most 300 seconds.',
      'Use 5 seconds.',
      { message: '每项测试的时长必须大于 0 且不超过 300 秒。', fix: '请使用 5 秒。' },
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
      {
        message: '数据包大小必须在 64 到 9000 字节之间。',
        fix: '请使用串流软件的数据包大小（ALVR 默认为 1400）。',
      },
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
      {
        message: '家中的 iperf3 服务器不是 主机:端口 格式。',
        fix: '请写成 10.0.31.1:5201 这样的格式。',
      },
    );
  }
  if (request.home && (!hostPattern.test(request.home.host) || request.home.host.startsWith('-'))) {
    return bad(
      'home.host',
      'The home router address is not a host name or IP address.',
      'Enter the home router address.',
      { message: '家里的路由器地址不是主机名或 IP 地址。', fix: '请输入家里路由器的地址。' },
    );
  }
  return undefined;
}
