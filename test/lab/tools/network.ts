// /etc/init.d/network on a lab node: the lab's netifd, reconciling links with /etc/config/network.
import { applyNetwork, stopNetwork } from '../node/netifd';
import { applyWireless } from '../node/wireless';

async function main(argv: string[]): Promise<number> {
  const action = argv[0] ?? '';
  switch (action) {
    case 'start':
    case 'boot':
    case 'reload':
    case 'restart': {
      if (action === 'restart') {
        applyWireless(true);
        stopNetwork();
      }
      const errors = [...(await applyNetwork()).errors, ...applyWireless().errors];
      for (const e of errors) process.stderr.write(`network: ${e}\n`);
      return errors.length === 0 ? 0 : 1;
    }
    case 'stop':
      applyWireless(true);
      stopNetwork();
      return 0;
    case 'enable':
    case 'disable':
      return 0;
    case 'enabled':
      return 0;
    default:
      process.stderr.write(
        'Syntax: /etc/init.d/network [command]\n\nAvailable commands:\n\tstart\n\tstop\n\trestart\n\treload\n\tenable\n\tdisable\n\tenabled\n',
      );
      return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
