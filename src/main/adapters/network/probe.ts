import http from 'node:http';
import net from 'node:net';
import type { ProbeFailure, RawHttpAnswer, RawSshAnswer } from '../../../shared/discovery';
import { ResourceOwner } from './owner';

// Gathers what ports 22 and 80 of one address say, briefly and concurrently. Parsing and judging
// happen in core (parseSshBanner, parseHttpPage, rankCandidates).

export const defaultProbeTimeoutMs = 1000;
/** RFC 4253 4.2: the identification line, CR LF included, is at most 255 bytes. */
export const maxSshLineBytes = 255;
/** Enough for a router's landing page head; the rest is never read. */
export const maxHttpBodyBytes = 32 * 1024;

export interface ProbeOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Sockets and timers are registered here; by default the probe owns and disposes its own. */
  owner?: ResourceOwner;
  /** For tests on loopback; discovery always uses 22 and 80. */
  sshPort?: number;
  httpPort?: number;
}

export interface ProbeOutcome {
  ssh: RawSshAnswer;
  http: RawHttpAnswer;
  elapsedMs: number;
}

function failureOf(error: unknown): { failure: ProbeFailure; code?: string } {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return { failure: 'refused', code };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'ENETDOWN':
    case 'EADDRNOTAVAIL':
      return { failure: 'unreachable', code };
    case 'ECONNRESET':
    case 'EPIPE':
      return { failure: 'reset', code };
    case 'ETIMEDOUT':
      return { failure: 'timeout', code };
    default:
      return code ? { failure: 'error', code } : { failure: 'error' };
  }
}

/** Resolves once; the first outcome wins, later ones are ignored. */
function settleOnce<T>(resolve: (value: T) => void, cleanup: () => void): (value: T) => void {
  let settled = false;
  return (value) => {
    if (settled) return;
    settled = true;
    cleanup();
    resolve(value);
  };
}

export function readSshIdentification(
  address: string,
  port: number,
  timeoutMs: number,
  owner: ResourceOwner,
  signal?: AbortSignal,
): Promise<RawSshAnswer> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve({ kind: 'failed', failure: 'timeout' });
    const socket = owner.track(new net.Socket());
    let received = Buffer.alloc(0);
    const onAbort = (): void => finish({ kind: 'failed', failure: 'timeout' });
    const timer = owner.setTimeout(onAbort, timeoutMs);
    const finish = settleOnce<RawSshAnswer>(resolve, () => {
      owner.clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      owner.release(socket);
    });
    signal?.addEventListener('abort', onAbort, { once: true });

    const partial = (): RawSshAnswer =>
      received.length > 0
        ? { kind: 'line', text: received.subarray(0, maxSshLineBytes).toString('latin1') }
        : { kind: 'no-line', received: 0 };

    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const newline = received.indexOf(0x0a);
      if (newline !== -1 && newline < maxSshLineBytes) {
        finish({ kind: 'line', text: received.subarray(0, newline + 1).toString('latin1') });
      } else if (received.length >= maxSshLineBytes) {
        finish(partial());
      }
    });
    socket.on('end', () => finish(partial()));
    socket.on('close', () => finish(partial()));
    socket.on('error', (error) => finish({ kind: 'failed', ...failureOf(error) }));
    socket.connect({ host: address, port });
  });
}

export function fetchHttpRoot(
  address: string,
  port: number,
  timeoutMs: number,
  owner: ResourceOwner,
  signal?: AbortSignal,
): Promise<RawHttpAnswer> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve({ kind: 'failed', failure: 'timeout' });
    const host = port === 80 ? address : `${address}:${port}`;
    const request = owner.track(
      http.request({
        host: address,
        port,
        path: '/',
        method: 'GET',
        agent: false,
        headers: { Host: host, Accept: 'text/html', 'User-Agent': 'Homeward-discovery' },
      }),
    );
    // Once headers are in, running out of time still yields the page as read so far.
    let partial: (() => RawHttpAnswer) | undefined;
    const onAbort = (): void =>
      finish(partial ? partial() : { kind: 'failed', failure: 'timeout' });
    const timer = owner.setTimeout(onAbort, timeoutMs);
    const finish = settleOnce<RawHttpAnswer>(resolve, () => {
      owner.clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      owner.release(request);
    });
    signal?.addEventListener('abort', onAbort, { once: true });

    request.on('response', (response) => {
      owner.track(response);
      const chunks: Buffer[] = [];
      let size = 0;
      const answer = (): RawHttpAnswer => {
        owner.release(response);
        const location = response.headers.location;
        const server = [response.headers.server].flat()[0];
        return {
          kind: 'response',
          status: response.statusCode ?? 0,
          ...(location ? { location } : {}),
          ...(server ? { server } : {}),
          body: Buffer.concat(chunks).subarray(0, maxHttpBodyBytes).toString('utf8'),
        };
      };
      partial = answer;
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= maxHttpBodyBytes) finish(answer());
      });
      response.on('end', () => finish(answer()));
      // A page cut short by a reset or our own timer still says what it is.
      response.on('error', () => finish(answer()));
      response.on('close', () => finish(answer()));
    });
    request.on('error', (error) => finish({ kind: 'failed', ...failureOf(error) }));
    request.end();
  });
}

/**
 * SSH identification on port 22 and `GET /` on port 80, concurrently, each within `timeoutMs`.
 * Never rejects: every failure is a value. All sockets are closed when the promise settles.
 */
export async function probeCandidate(
  address: string,
  options: ProbeOptions = {},
): Promise<ProbeOutcome> {
  const owner = options.owner ?? new ResourceOwner();
  const timeoutMs = options.timeoutMs ?? defaultProbeTimeoutMs;
  const started = performance.now();
  try {
    const [ssh, answer] = await Promise.all([
      readSshIdentification(address, options.sshPort ?? 22, timeoutMs, owner, options.signal),
      fetchHttpRoot(address, options.httpPort ?? 80, timeoutMs, owner, options.signal),
    ]);
    return { ssh, http: answer, elapsedMs: performance.now() - started };
  } finally {
    if (!options.owner) await owner.close(50);
  }
}
