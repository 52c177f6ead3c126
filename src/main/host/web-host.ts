import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import type { Unsubscribe } from '../../shared/api';
import { dispatchCommand } from '../services/dispatch';
import type { Services } from '../services/index';
import { contentSecurityPolicy } from './csp';

// The browser host: the built renderer and the API contract over a WebSocket, for people and
// tests without the Electron binary. Loopback only; every request carries the random token as
// the first path segment (so relative asset URLs keep it), and sockets from a foreign Origin or
// Host are refused.

export interface WebHostOptions {
  services: Services;
  /** Directory of the built renderer (out/renderer). */
  rendererDir: string;
  port?: number;
  token?: string;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const maxMessageBytes = 1024 * 1024;

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as Uint8Array).toString('utf8');
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const rendererDir = path.resolve(options.rendererDir);
  let port = 0;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = () => allowedHosts().map((h) => `http://${h}`);

  const hostAllowed = (req: http.IncomingMessage) =>
    allowedHosts().includes(req.headers.host ?? '');
  const originAllowed = (req: http.IncomingMessage) => {
    const origin = req.headers.origin;
    return origin === undefined || allowedOrigins().includes(origin);
  };
  const tokenFrom = (url: string | undefined) => {
    const pathname = new URL(url ?? '/', 'http://x').pathname;
    const [, first = '', ...rest] = pathname.split('/');
    return { token: first, rest: rest.join('/') };
  };

  const refuse = (res: http.ServerResponse, status: number, message: string) => {
    res.writeHead(status, {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(message);
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      if (!hostAllowed(req)) return refuse(res, 421, 'Unknown host\n');
      if (!originAllowed(req)) return refuse(res, 403, 'Foreign origin refused\n');
      const { token: given, rest } = tokenFrom(req.url);
      if (!sameToken(given, token)) return refuse(res, 401, 'Missing or wrong token\n');
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'GET only\n');
      const relative = rest === '' ? 'index.html' : decodeURIComponent(rest);
      const file = path.resolve(rendererDir, relative);
      if (!file.startsWith(rendererDir + path.sep)) return refuse(res, 404, 'Not found\n');
      try {
        if (!(await stat(file)).isFile()) return refuse(res, 404, 'Not found\n');
        const body = await readFile(file);
        const headers: Record<string, string> = {
          'content-type': mimeTypes[path.extname(file)] ?? 'application/octet-stream',
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
        };
        if (file.endsWith('.html')) {
          headers['content-security-policy'] = contentSecurityPolicy({
            connectSelfWebSocket: true,
          });
        }
        res.writeHead(200, headers);
        res.end(req.method === 'HEAD' ? undefined : body);
      } catch {
        refuse(res, 404, 'Not found\n');
      }
    })();
  });

  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });
  server.on('upgrade', (req, socket, head) => {
    const { token: given, rest } = tokenFrom(req.url);
    const origin = req.headers.origin;
    const ok =
      hostAllowed(req) &&
      origin !== undefined &&
      allowedOrigins().includes(origin) &&
      sameToken(given, token) &&
      rest === 'api';
    if (!ok) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws));
  });

  const serveSocket = (ws: WebSocket) => {
    sockets.add(ws);
    const unsubscribe: Unsubscribe = options.services.events.onAny((event, payload) => {
      ws.send(JSON.stringify({ type: 'event', event, payload }));
    });
    ws.on('message', (data) => {
      void (async () => {
        let message: { id?: unknown; command?: unknown; args?: unknown };
        try {
          message = JSON.parse(rawText(data)) as typeof message;
        } catch {
          ws.close(1003, 'invalid JSON');
          return;
        }
        const result = await dispatchCommand(
          options.services.handlers,
          message.command,
          message.args,
        );
        if (ws.readyState === ws.OPEN)
          ws.send(JSON.stringify({ type: 'result', id: message.id, result }));
      })();
    });
    ws.on('close', () => {
      unsubscribe();
      sockets.delete(ws);
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/${token}/`,
    port,
    token,
    close: async () => {
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
