// Holds a delay line and never clears it, so a test can kill this owner and watch the
// delay line go with it. usage: node --import tsx owner-fixture.ts NETNS DEV
import { applyImpairment } from './index';

const [netns, dev] = process.argv.slice(2);
if (!netns || !dev) throw new Error('usage: owner-fixture.ts NETNS DEV');
const impairment = await applyImpairment({ netns, dev }, { delayMs: 5 });
process.stdout.write(`${JSON.stringify(impairment.delayLine)}\n`);
setInterval(() => undefined, 60_000);
