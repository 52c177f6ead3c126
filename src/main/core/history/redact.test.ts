import { describe, expect, it } from 'vitest';
import { fixture } from '../../../../test/fixtures/read-fixture';
import { isSecretName, redactText, redactValue, redactedMark } from './redact';

// Test keys generated for these tests (wg genkey); they guard nothing.
const privateKey = 'wOF7+DTs7QutSZhnuMZhBuKsW+RPWFYo2BEb8C7Gf30=';
const presharedKey = 'qAXMBYNTwiUBWN+MBrk1sV8FBLcSOwDMnmRSpQWv7rM=';
const publicKey = 'HBFEwMoKVjQTxR8cWLcrQfxMtUmTOS29NwZLG2pm2kA=';

const pem = [
  '-----BEGIN OPENSSH PRIVATE KEY-----',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
  'QyNTUxOQAAACBTOPSECRETMATERIALxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx==',
  '-----END OPENSSH PRIVATE KEY-----',
].join('\n');

describe('isSecretName', () => {
  it.each([
    'private_key',
    'privateKey',
    'PrivateKey',
    'preshared_key',
    'PresharedKey',
    'psk',
    'wpa_psk',
    'sae_password',
    'password',
    'Password',
    'key',
    'wifiKey',
    'token',
    'accessToken',
    'client_secret',
    'SECRET',
    'apiKey',
    'pass',
    'credentials',
    'Authorization',
  ])('%s is a secret', (name) => expect(isSecretName(name)).toBe(true));

  it.each([
    'publicKey',
    'public_key',
    'hostKey',
    'hostKeyFingerprint',
    'keepalive',
    'persistentKeepalive',
    'keyFile',
    'status',
    'summary',
    'downMbps',
    'ssid',
    'endpoint',
    '',
  ])('%s is not a secret', (name) => expect(isSecretName(name)).toBe(false));
});

describe('redactText', () => {
  it('removes wg-quick PrivateKey and PresharedKey lines, keeps the rest of the file', () => {
    const conf = [
      '[Interface]',
      `PrivateKey = ${privateKey}`,
      'Address = 10.0.31.103/32',
      'MTU=1420',
      '',
      '[Peer]',
      `PublicKey = ${publicKey}`,
      `PresharedKey=${presharedKey}`,
      'Endpoint = home.example.net:51820',
      'PersistentKeepalive = 25',
    ].join('\r\n');
    const out = redactText(conf);
    expect(out).not.toContain(privateKey);
    expect(out).not.toContain(presharedKey);
    expect(out).toContain(`PrivateKey = ${redactedMark}`);
    expect(out).toContain(`PresharedKey=${redactedMark}`);
    expect(out).toContain('Address = 10.0.31.103/32');
    expect(out).toContain('Endpoint = home.example.net:51820');
    expect(out).toContain('PersistentKeepalive = 25');
  });

  it('removes PEM private key blocks of any flavour, also when cut off mid-block', () => {
    const text = `before\n${pem}\nafter`;
    const out = redactText(text);
    expect(out).not.toMatch(/b3BlbnNzaC1rZXkt|SECRETMATERIAL/);
    expect(out).toBe(`before\n${redactedMark} OPENSSH PRIVATE KEY\nafter`);
    const truncated = redactText('log: -----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7');
    expect(truncated).not.toContain('MIIEpAIBAAKCAQEA7');
    const encrypted = redactText(
      '-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----',
    );
    expect(encrypted).not.toContain('AAAA');
    const pgp = redactText(
      '-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF\n-----END PGP PRIVATE KEY BLOCK-----',
    );
    expect(pgp).not.toContain('lQOYBF');
  });

  it('keeps certificates and public key blocks', () => {
    const cert = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    expect(redactText(cert)).toBe(cert);
  });

  it('removes keys from real `wg show all dump` output (private and preshared keys, bare)', () => {
    const dump = fixture('wg/wg-show-all-dump-wireguard-go-2-interfaces-4-peers.txt');
    expect(dump).toContain(privateKey);
    const out = redactText(dump);
    expect(out).not.toContain(privateKey);
    expect(out).not.toContain(presharedKey);
    expect(out).not.toMatch(/[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=/);
    expect(out.split('\n')).toHaveLength(dump.split('\n').length);
    expect(out).toContain('192.0.2.1:51821');
  });

  it('removes uci option values and `uci show` assignments', () => {
    const uci = [
      "config wifi-iface 'default_radio1'",
      "\toption ssid 'Homeward-L2'",
      "\toption encryption 'sae-mixed'",
      "\toption key 'correct horse battery staple'",
      '\toption sae_password "it\'s \\"quoted\\""',
      `\toption private_key '${privateKey}'`,
      `\tlist preshared_key ${presharedKey}`,
      "wireless.default_radio0.key='hunter2 with spaces'",
      `network.@wireguard_wg0[0].preshared_key='${presharedKey}'`,
      "network.wg0.listen_port='51820'",
    ].join('\n');
    const out = redactText(uci);
    for (const secret of ['correct horse', 'quoted', 'hunter2', privateKey, presharedKey]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain(`option key '${redactedMark}'`);
    expect(out).toContain("option ssid 'Homeward-L2'");
    expect(out).toContain("network.wg0.listen_port='51820'");
  });

  it('removes JSON-looking pairs inside strings and command-line secrets', () => {
    const text =
      '{"private_key":"abc\\"def","mtu":1420,"psk": "p s k", "nested": {"token":"t0k"}} ' +
      'sshpass -p s3cret ssh root@192.168.8.1; iperf3 --password=pw1 -c x; tool --psk "two words" --port 22';
    const out = redactText(text);
    for (const secret of ['abc', 'def', 'p s k', 't0k', 's3cret', 'pw1', 'two words']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('"mtu":1420');
    expect(out).toContain('--port 22');
  });

  it('removes credentials in URLs and authorization headers', () => {
    const out = redactText(
      'fetch https://admin:Sup3r@192.168.8.1/cgi-bin/luci?token=abc123&x=1 with Authorization: Bearer eyJhbGciOi.xyz',
    );
    expect(out).not.toContain('Sup3r');
    expect(out).not.toContain('abc123');
    expect(out).not.toContain('eyJhbGciOi');
    expect(out).toContain('https://admin:');
    expect(out).toContain('&x=1');
  });

  it('finds a secret after a harmless name that swallowed it', () => {
    expect(redactText('url: https://x/?token=y1y1')).not.toContain('y1y1');
    expect(redactText('Fix: token=abc and more')).not.toContain('abc');
  });

  it('keeps a public key when told the text is a public key, and labelled public keys', () => {
    expect(redactText(publicKey, { keepKeys: true })).toBe(publicKey);
    expect(redactText('Public key: (none)')).toBe('Public key: (none)');
    expect(redactText('private key: (hidden)')).toBe(`private key: ${redactedMark}`);
  });

  it('leaves ordinary report text alone', () => {
    const text =
      "Set the home DHCP server's MTU option to 1370 for the L2 SSID, or set ALVR's packet size to at most 1320. Latency: 12.5 ms at 14:03.";
    expect(redactText(text)).toBe(text);
  });

  it('is idempotent', () => {
    const once = redactText(`PrivateKey = ${privateKey}\noption key 'x'`);
    expect(redactText(once)).toBe(once);
  });
});

describe('redactValue', () => {
  it('drops secret-named fields at any depth and scrubs every string', () => {
    const input = {
      router: {
        host: '192.168.8.1',
        password: 'hunter2',
        ssh: { privateKey: pem, passphrase: 'x' },
      },
      checks: [
        {
          id: 'wireguard.handshake',
          data: {
            publicKey,
            peerPublicKeys: [publicKey],
            secrets: { a: 1 },
            token: 1234,
            hasPassword: true,
            psk: null,
            raw: `interface: wg0\n  private key: ${privateKey}\n  public key: ${publicKey}`,
            lines: [`PresharedKey = ${presharedKey}`],
          },
        },
      ],
    };
    const out = redactValue(input);
    const text = JSON.stringify(out);
    for (const secret of ['hunter2', 'SECRETMATERIAL', privateKey, presharedKey, '1234']) {
      expect(text).not.toContain(secret);
    }
    expect(out.router.host).toBe('192.168.8.1');
    expect(out.router.password).toBe(redactedMark);
    expect(out.checks[0]!.data.publicKey).toBe(publicKey);
    expect(out.checks[0]!.data.peerPublicKeys).toEqual([publicKey]);
    expect(out.checks[0]!.data.secrets).toBe(redactedMark);
    expect(out.checks[0]!.data.hasPassword).toBe(true);
    expect(out.checks[0]!.data.psk).toBeNull();
    // the input is not modified
    expect(input.router.password).toBe('hunter2');
  });

  it('survives cycles, shared references, dates and non-JSON values', () => {
    const shared = { note: 'token=abc' };
    const cyclic: Record<string, unknown> = { a: shared, b: shared, when: new Date(0), f: () => 1 };
    cyclic.self = cyclic;
    const out = redactValue(cyclic);
    expect(out.a).toEqual({ note: `token=${redactedMark}` });
    expect(out.b).toEqual({ note: `token=${redactedMark}` });
    expect(out.self).toBe(redactedMark);
    expect(out.when).toBe('1970-01-01T00:00:00.000Z');
    expect('f' in out).toBe(false);
  });

  it('handles very long and pathological strings quickly', () => {
    const nasty = `${'a='.repeat(50_000)}${'"'.repeat(20_000)}${"option key '".repeat(5000)}`;
    const started = performance.now();
    redactText(nasty);
    redactText('-----BEGIN RSA PRIVATE KEY-----' + 'x'.repeat(200_000));
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
