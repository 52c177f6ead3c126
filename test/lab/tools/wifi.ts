// /sbin/wifi on a lab node: (re)attaches the SSID veths to the bridges of their networks.
import { applyWireless } from '../node/wireless';

function main(argv: string[]): number {
  const action = argv[0] ?? 'reload';
  if (!['reload', 'up', 'down', ''].includes(action)) {
    process.stderr.write(`Usage: /sbin/wifi [config|up|down|reconf|reload|status|isup]\n`);
    return 1;
  }
  const { errors } = applyWireless(action === 'down');
  for (const e of errors) process.stderr.write(`wifi: ${e}\n`);
  return errors.length === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
