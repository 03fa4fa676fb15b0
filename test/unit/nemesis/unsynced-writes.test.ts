import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZookeeperFaultInjection, durabilityJournalFile as serverJournalFile, durabilityJournalEnvVar as serverEnvVar } from '../../../servers/zookeeper/fault-injection.js';
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
    expect(lost).toEqual([{ file: log, durableEnd: 16, zeroedBytes: 30, lostBytes: 10 }]);
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
});
