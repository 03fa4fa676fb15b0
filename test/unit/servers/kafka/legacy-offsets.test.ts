import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { legacyOffsetsBefore } from '../../../../servers/kafka/handlers/legacy-offsets.js';
import { PartitionLog } from '../../../../servers/kafka/log/partition-log.js';
import { appendMessages, config, tempDir, values } from './log/log-fixtures.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function newLog(): PartitionLog {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return new PartitionLog(join(t.dir, 'topic-0'), 'topic', 0, config());
}

describe('ListOffsets v0 offsets (legacyOffsetsBefore)', () => {
  it('an empty log answers its start for latest and earliest alike', () => {
    const log = newLog();
    const now = Date.now();
    expect(legacyOffsetsBefore(log, -1, 1, true, now)).toEqual([0]);
    expect(legacyOffsetsBefore(log, -2, 1, true, now)).toEqual([0]);
  });

  it('lists segment starts and the log end, newest first, up to maxNumOffsets', async () => {
    const log = newLog();
    await appendMessages(log, values('a', 3));
    log.roll();
    await appendMessages(log, values('b', 2));
    const now = Date.now() + 1000;
    expect(legacyOffsetsBefore(log, -1, 10, true, now)).toEqual([5, 3, 0]);
    expect(legacyOffsetsBefore(log, -1, 2, true, now)).toEqual([5, 3]);
    expect(legacyOffsetsBefore(log, -2, 10, true, now)).toEqual([0]);
    // By time: nothing was written before the epoch; everything was by `now`.
    expect(legacyOffsetsBefore(log, 0, 10, true, now)).toEqual([]);
    expect(legacyOffsetsBefore(log, now, 10, true, now)).toEqual([5, 3, 0]);
    expect(legacyOffsetsBefore(log, 7, 0, true, now)).toEqual([]);
  });
});
