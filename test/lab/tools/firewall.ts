// /etc/init.d/firewall on a lab node: zones, forwardings and rules as iptables in the node.
import { applyFirewall, flushFirewall } from '../node/firewall';

function main(argv: string[]): number {
  const action = argv[0] ?? '';
  if (['start', 'boot', 'reload', 'restart'].includes(action)) {
    const { errors } = applyFirewall();
    for (const e of errors) process.stderr.write(`firewall: ${e}\n`);
    return errors.length === 0 ? 0 : 1;
  }
  if (action === 'stop') {
    flushFirewall();
    return 0;
  }
  if (['enable', 'disable', 'enabled'].includes(action)) return 0;
  process.stderr.write('Syntax: /etc/init.d/firewall [command]\n');
  return 1;
}

process.exitCode = main(process.argv.slice(2));
