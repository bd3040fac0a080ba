// A child process for the crash test: appends events (each with a local state row, in one
// transaction) as fast as it can, acknowledging and pruning now and then, and prints
// "committed <sequence>" only after each commit. The test SIGKILLs it at random moments.
import { writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openTestKiosk } from './testKiosk';
import { offerClaimed } from './sampleEvents';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    synchronous: { type: 'string', default: 'FULL' },
    'max-appends': { type: 'string', default: '1000000' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help || !values['data-dir']) {
  writeSync(1, 'usage: crashAppender --data-dir DIR [--synchronous FULL|NORMAL] [--max-appends N]\n');
  process.exit(values.help ? 0 : 2);
}

const kiosk = openTestKiosk(values['data-dir'], { store: { synchronous: values.synchronous as 'FULL' | 'NORMAL' }, outbox: { retentionMs: 0 } });
kiosk.store.db.exec('CREATE TABLE IF NOT EXISTS crash_probe (sequence INTEGER PRIMARY KEY)');
const probe = kiosk.store.db.prepare('INSERT INTO crash_probe (sequence) VALUES (?)');
writeSync(1, 'ready\n');

const max = Number(values['max-appends']);
for (let i = 0; i < max; i++) {
  const count = 1 + (i % 4);
  const sequences = kiosk.store.transaction(() => {
    const appended: number[] = [];
    for (let j = 0; j < count; j++) {
      const result = kiosk.outbox.appendInTransaction(offerClaimed(i));
      if (result.kind !== 'appended') throw new Error('a business event was not appended');
      probe.run(result.sequence);
      appended.push(result.sequence);
    }
    return appended;
  });
  writeSync(1, sequences.map((s) => `committed ${s}\n`).join(''));
  if (i % 25 === 24) {
    // as if an upload was acknowledged: mark most of it delivered, and prune
    const { lastSequence } = kiosk.outbox.watermarks();
    kiosk.outbox.markDelivered(lastSequence - 7, [], Date.now());
    kiosk.outbox.prune(Date.now());
  }
}
kiosk.close();
