// A child process for the crash and concurrency tests: adds runs in a loop and prints
// "ack <label> <seq> <id>" once each add has resolved (i.e. is on disk).
// Usage: node --import tsx history-writer.test-support.ts DIR LABEL FIRST_SEQ COUNT
import { syntheticReport } from '../../core/history/sample-report.test-support';
import { openHistoryStore } from './history-store';

const [dir, label, first, count] = process.argv.slice(2);
if (!dir || !label) throw new Error('usage: DIR LABEL FIRST_SEQ COUNT');
const start = Number(first ?? 0);
const end = start + Number(count ?? 1_000_000);
const store = await openHistoryStore({ dir, debounceMs: 0, lockTimeoutMs: 60_000 });
process.stdout.write(`ready ${process.pid}\n`);
for (let seq = start; seq < end; seq += 1) {
  const { report } = syntheticReport(seq);
  // The label and sequence number travel in the report so the parent can check the prefix.
  report.router.hostname = `${label}-${seq}`;
  const id = await store.add(report, { location: label });
  process.stdout.write(`ack ${label} ${seq} ${id}\n`);
}
await store.close();
process.stdout.write('done\n');
