import { describe, expect, it } from 'vitest';
import { createServices } from '../main/services/index';
import { main } from './index';
import { captureOutput } from './output.test-support';

const services = () =>
  createServices({
    shell: 'cli',
    version: '0.0.0',
    platform: 'linux',
    fetchLocalNetwork: () =>
      Promise.resolve({
        gateway: '192.168.8.1',
        defaultInterface: 'wlan0',
        interfaces: [
          { iface: 'wlan0', ip4: '192.168.8.120', ip4subnet: '255.255.255.0', operstate: 'up' },
        ],
        wifi: [],
      }),
  });

describe('homeward CLI', () => {
  it('prints help with exit 0', async () => {
    const c = captureOutput();
    expect(await main(['--help'], { output: c.output })).toBe(0);
    expect(c.out.join('')).toContain('Usage: homeward <command>');
  });
  it('system --json prints the local network as one JSON object', async () => {
    const c = captureOutput();
    expect(await main(['system', '--json'], { output: c.output, services })).toBe(0);
    const parsed = JSON.parse(c.out.join('')) as Record<string, unknown>;
    expect(parsed).toMatchObject({ schema: 'homeward.system/1', defaultGateway: '192.168.8.1' });
  });
  it('system without --json prints a readable summary', async () => {
    const c = captureOutput();
    expect(await main(['system'], { output: c.output, services })).toBe(0);
    expect(c.out.join('\n')).toMatch(
      /Default gateway: 192\.168\.8\.1[\s\S]*wlan0.*192\.168\.8\.120\/24/,
    );
  });
  it.each([[['bogus']], [['system', '--nope']], [['serve', '--port', 'x']]])(
    'bad usage %j exits 2 with one line on stderr',
    async (argv) => {
      const c = captureOutput();
      expect(await main(argv, { output: c.output, services })).toBe(2);
      expect(c.err).toHaveLength(1);
      expect(c.err[0]).toMatch(/^homeward: /);
      expect(c.err[0]).not.toContain('\n');
    },
  );
});
