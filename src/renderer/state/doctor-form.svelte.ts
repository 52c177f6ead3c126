import type { DoctorRequest } from '../../shared/doctor';

export const streamers = ['alvr', 'virtual-desktop', 'steam-link', 'other'] as const;
export type Streamer = (typeof streamers)[number];

/** Default UDP payload per streamer; the field stays editable for custom settings. */
export const streamerPacketBytes: Record<Streamer, number> = {
  alvr: 1400,
  'virtual-desktop': 1200,
  'steam-link': 1200,
  other: 1200,
};

export type FormCheck = { ok: true; request: DoctorRequest } | { ok: false; field: string };

function parseHostPort(text: string): { host: string; port: number } | undefined {
  const match = /^\[([^\]]+)\](?::(\d+))?$/.exec(text) ?? /^([^:\s]+)(?::(\d+))?$/.exec(text);
  if (!match?.[1]) return undefined;
  const port = match[2] === undefined ? 5201 : Number(match[2]);
  return port >= 1 && port <= 65535 ? { host: match[1], port } : undefined;
}

/** What the troubleshooter asks; the doctor service validates the same fields again. */
export class DoctorFormState {
  host = $state('192.168.8.1');
  port = $state(22);
  user = $state('root');
  identityFile = $state('');
  acceptNewHostKey = $state(false);
  targetMbps = $state(100);
  streamer = $state<Streamer>('alvr');
  packetBytes = $state(streamerPacketBytes.alvr);
  durationS = $state(5);
  homeIperf = $state('');

  setStreamer(streamer: Streamer): void {
    this.streamer = streamer;
    this.packetBytes = streamerPacketBytes[streamer];
  }

  toRequest(): FormCheck {
    const host = this.host.trim();
    if (host === '') return { ok: false, field: 'router.host' };
    const homeText = this.homeIperf.trim();
    const homeIperf = homeText === '' ? undefined : parseHostPort(homeText);
    if (homeText !== '' && !homeIperf) return { ok: false, field: 'homeIperf' };
    const identityFile = this.identityFile.trim();
    return {
      ok: true,
      request: {
        router: {
          host,
          port: Number(this.port),
          user: this.user.trim(),
          ...(identityFile ? { identityFile } : {}),
          acceptNewHostKey: this.acceptNewHostKey,
        },
        ...(homeIperf ? { homeIperf } : {}),
        targetMbps: Number(this.targetMbps),
        durationS: Number(this.durationS),
        quick: false,
        saveHistory: true,
        packetBytes: Number(this.packetBytes),
      },
    };
  }
}
