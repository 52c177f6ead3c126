import type { SshBanner, SshSoftware } from '../../../shared/discovery';

// RFC 4253 4.2: the identification string is `SSH-protoversion-softwareversion SP comments CR LF`,
// at most 255 characters; a server may send other lines before it. Dropbear sends
// `SSH-2.0-dropbear_2022.83` (test/fixtures/ssh), OpenSSH `SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10`.
const identification = /^SSH-([0-9.]+)-(\S+)(?: +(.*))?$/;

function classify(softwareField: string): { software: SshSoftware; version?: string } {
  const dropbear = /^dropbear(?:_(\S+))?$/i.exec(softwareField);
  if (dropbear) return { software: 'dropbear', ...(dropbear[1] ? { version: dropbear[1] } : {}) };
  const openssh = /^OpenSSH_(\S+)$/i.exec(softwareField);
  if (openssh?.[1]) return { software: 'openssh', version: openssh[1] };
  return { software: 'other' };
}

/** The SSH identification line in `text`, or undefined when no line is one. */
export function parseSshBanner(text: string): SshBanner | undefined {
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.length > 255) continue;
    const match = identification.exec(line);
    if (!match?.[1] || !match[2]) continue;
    const comments = match[3]?.trim();
    return {
      ...classify(match[2]),
      softwareField: match[2],
      protocol: match[1],
      ...(comments ? { comments } : {}),
    };
  }
  return undefined;
}

export function describeSshBanner(banner: SshBanner): string {
  const name =
    banner.software === 'dropbear'
      ? 'dropbear'
      : banner.software === 'openssh'
        ? 'OpenSSH'
        : banner.softwareField;
  return banner.software !== 'other' && banner.version ? `${name} ${banner.version}` : name;
}
