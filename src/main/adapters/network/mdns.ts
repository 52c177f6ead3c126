import dgram from 'node:dgram';
import { buildMdnsQuery, mdnsGroup, mdnsPort, mdnsServices } from '../../core/discovery/mdns';
import type { ResourceOwner } from './owner';

export interface MdnsQueryOptions {
  /** Local IPv4 addresses to ask on, one per interface; 224.0.0.251 never leaves their link. */
  interfaceAddresses: readonly string[];
  timeoutMs: number;
  owner: ResourceOwner;
  signal?: AbortSignal;
  services?: readonly string[];
}

export interface MdnsAnswer {
  from: string;
  bytes: Uint8Array;
}

/** A dgram socket as the owner expects: destroy() closes, `closed` and 'close' report it. */
function ownedSocket(socket: dgram.Socket) {
  const state = { closed: false };
  socket.once('close', () => (state.closed = true));
  return {
    get closed() {
      return state.closed;
    },
    once: (event: 'close', listener: () => void) => socket.once(event, listener),
    destroy: () => {
      if (!state.closed) {
        try {
          socket.close();
        } catch {
          // already closed
        }
      }
    },
  };
}

function bind(socket: dgram.Socket, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onError = (): void => resolve(false);
    socket.once('error', onError);
    socket.bind(port, () => {
      socket.off('error', onError);
      resolve(true);
    });
  });
}

async function openSocket(
  owner: ResourceOwner,
  port: number,
): Promise<{ socket: dgram.Socket; handle: ReturnType<typeof ownedSocket> } | undefined> {
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: port !== 0 });
  const handle = owner.track(ownedSocket(socket));
  if (await bind(socket, port)) return { socket, handle };
  owner.release(handle);
  return undefined;
}

/**
 * Asks the local links which hosts offer `services` and collects raw answers for `timeoutMs`.
 * Asks twice per interface: from an ephemeral port, which responders must answer by unicast at
 * once (RFC 6762 6.7, "legacy unicast"), and, when 5353 can be shared with a running responder,
 * from 5353 as a member of the group, which hears ordinary multicast answers. The first alone
 * misses responders that skip legacy queries; the second alone misses records a responder
 * multicast less than a second ago (it will not repeat them so soon, RFC 6762 6).
 */
export async function queryMdns(options: MdnsQueryOptions): Promise<MdnsAnswer[]> {
  if (options.interfaceAddresses.length === 0 || options.signal?.aborted) return [];
  const answers: MdnsAnswer[] = [];
  const query = buildMdnsQuery(options.services ?? mdnsServices);
  const opened = [await openSocket(options.owner, 0), await openSocket(options.owner, mdnsPort)];
  const sockets = opened.filter((o) => o !== undefined);
  const shared = opened[1];

  const done = new Promise<MdnsAnswer[]>((resolve) => {
    const finish = (): void => {
      options.owner.clearTimeout(timer);
      options.signal?.removeEventListener('abort', finish);
      for (const { handle } of sockets) options.owner.release(handle);
      resolve(answers);
    };
    const timer = options.owner.setTimeout(finish, options.timeoutMs);
    options.signal?.addEventListener('abort', finish, { once: true });
  });
  for (const { socket } of sockets) {
    socket.on('error', () => undefined);
    socket.on('message', (bytes, remote) => {
      answers.push({ from: remote.address, bytes: new Uint8Array(bytes) });
    });
    try {
      socket.setMulticastTTL(255);
      socket.setMulticastLoopback(false);
    } catch {
      // Refused on some platforms; the query still goes out with the defaults.
    }
  }
  // One interface at a time: send() resolves its destination on a later tick, so switching the
  // multicast interface before it has gone would send every copy out of the last interface.
  for (const address of options.interfaceAddresses) {
    for (const { socket, handle } of sockets) {
      if (handle.closed) continue;
      try {
        if (socket === shared?.socket) socket.addMembership(mdnsGroup, address);
        socket.setMulticastInterface(address);
        const sent = new Promise<void>((resolve) =>
          socket.send(query, mdnsPort, mdnsGroup, () => resolve()),
        );
        await Promise.race([sent, done]);
      } catch {
        // An interface that went away between listing and asking is simply not asked.
      }
    }
  }
  return done;
}
