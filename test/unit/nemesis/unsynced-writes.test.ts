import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZookeeperFaultInjection, durabilityJournalFile as serverJournalFile, durabilityJournalEnvVar as serverEnvVar } from '../../../servers/zookeeper/fault-injection.js';
import { durabilityJournalEnvVar as kafkaEnvVar } from '../../../servers/kafka/fault-injection.js';
import { DurabilityJournal, durabilityJournalFile as kafkaJournalFile } from '../../../servers/kafka/log/durability-journal.js';
import { durabilityJournalEnvVar, durabilityJournalFile, findDurabilityJournals, loseUnsyncedWrites } from '../../../workloads/nemesis/unsynced-writes.js';

describe('losing unsynced writes (durability journal)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kz-unsynced-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('the server writes the journal the nemesis reads (same file name and format)', async () => {
    expect(durabilityJournalFile).toBe(serverJournalFile);
    expect(durabilityJournalEnvVar).toBe(serverEnvVar);
    const logDir = join(dir, 'version-2');
    await mkdir(logDir);
    const log = join(logDir, 'log.1');
    await writeFile(log, Buffer.concat([Buffer.alloc(16, 0xaa), Buffer.alloc(10, 0xbb), Buffer.alloc(20, 0)]));
    const faults = new ZookeeperFaultInjection(null, true);
    faults.recordDurable(log, 16);
    expect(findDurabilityJournals(dir)).toEqual([join(logDir, durabilityJournalFile)]);
    const lost = loseUnsyncedWrites(dir);
    expect(lost).toEqual([{ file: log, durableEnd: 16, how: 'zeroed', cutBytes: 30, lostBytes: 10 }]);
    const after = await readFile(log);
    expect(after.length).toBe(46);
    expect(after.subarray(0, 16).equals(Buffer.alloc(16, 0xaa))).toBe(true);
    expect(after.subarray(16).every((b) => b === 0)).toBe(true);
  });

  it('without a journal nothing is touched; a journal off in the server writes nothing', async () => {
    const log = join(dir, 'log.1');
    await writeFile(log, Buffer.alloc(8, 1));
    new ZookeeperFaultInjection(null, false).recordDurable(log, 4);
    expect(loseUnsyncedWrites(dir)).toEqual([]);
    expect((await readFile(log)).equals(Buffer.alloc(8, 1))).toBe(true);
  });

  it("the Kafka broker's journals (one per partition directory) cut appended segments short instead of zeroing them", async () => {
    expect(kafkaJournalFile).toBe(durabilityJournalFile);
    expect(kafkaEnvVar).toBe(durabilityJournalEnvVar);
    const partitions = [join(dir, 'queue-0'), join(dir, 'queue-1')];
    const segment = '00000000000000000000.log';
    for (const p of partitions) {
      await mkdir(p);
      await writeFile(join(p, segment), Buffer.concat([Buffer.alloc(40, 0xaa), Buffer.alloc(25, 0xbb)]));
    }
    new DurabilityJournal(partitions[0]!).record(join(partitions[0]!, segment), 40);
    new DurabilityJournal(partitions[1]!).record(join(partitions[1]!, segment), 65); // all of it synced
    const lost = loseUnsyncedWrites(dir).sort((a, b) => a.file.localeCompare(b.file));
    expect(lost).toEqual([
      { file: join(partitions[0]!, segment), durableEnd: 40, how: 'truncated', cutBytes: 25, lostBytes: 25 },
      { file: join(partitions[1]!, segment), durableEnd: 65, how: 'truncated', cutBytes: 0, lostBytes: 0 },
    ]);
    expect((await readFile(join(partitions[0]!, segment))).equals(Buffer.alloc(40, 0xaa))).toBe(true);
    expect((await readFile(join(partitions[1]!, segment))).length).toBe(65);
  });

  it('skips a journal that is not JSON or names a file that is gone', async () => {
    await writeFile(join(dir, durabilityJournalFile), 'not json');
    await mkdir(join(dir, 'p'));
    new DurabilityJournal(join(dir, 'p')).record(join(dir, 'p', 'gone.log'), 3);
    expect(findDurabilityJournals(dir)).toHaveLength(2);
    expect(loseUnsyncedWrites(dir)).toEqual([]);
  });
});
