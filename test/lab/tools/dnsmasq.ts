// /etc/init.d/dnsmasq on a lab node: one dnsmasq built from /etc/config/dhcp.
import { startDnsmasq, stopDnsmasq } from '../node/dnsmasq';

function main(argv: string[]): number {
  const action = argv[0] ?? '';
  if (['start', 'boot', 'reload', 'restart'].includes(action)) {
    const { errors } = startDnsmasq();
    for (const e of errors) process.stderr.write(`dnsmasq: ${e}\n`);
    return errors.length === 0 ? 0 : 1;
  }
  if (action === 'stop') {
    stopDnsmasq();
    return 0;
  }
  if (['enable', 'disable', 'enabled'].includes(action)) return 0;
  process.stderr.write('Syntax: /etc/init.d/dnsmasq [command]\n');
  return 1;
}

process.exitCode = main(process.argv.slice(2));
