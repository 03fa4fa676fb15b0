import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../../common/logger.js';
import { LogManager, defaultSchedule } from '../../../../../servers/kafka/log/log-manager.js';
import { appendMessages, config, tempDir, values } from './log-fixtures.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

describe('LogManager', () => {
  it('writes checkpoints and the clean-shutdown marker, and reloads partitions', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const dirs = [join(t.dir, 'a'), join(t.dir, 'b')];
    const m1 = new LogManager(dirs, defaultSchedule, silentLogger);
    expect(m1.recoveredFromCrash).toBe(false);
    m1.loadAll(() => config());
    for (let p = 0; p < 4; p++) await appendMessages(m1.create('orders', p, config()), values(`p${p}`, 3 + p));
    m1.get('orders', 1)!.deleteRecordsBefore(2);
    await m1.close();
    for (const d of dirs) {
      expect(existsSync(join(d, '.kafka_cleanshutdown'))).toBe(true);
      expect(readFileSync(join(d, 'recovery-point-offset-checkpoint'), 'utf8')).toMatch(/^0\n2\norders \d \d\n/);
    }

    const m2 = new LogManager(dirs, defaultSchedule, silentLogger);
    expect(m2.recoveredFromCrash).toBe(false);
    const loaded = m2.loadAll(() => config());
    expect(loaded).toHaveLength(4);
    expect(m2.get('orders', 3)!.logEndOffset).toBe(6);
    expect(m2.get('orders', 1)!.logStartOffset).toBe(2);
    // Running now: without a clean close the next start recovers.
    for (const d of dirs) expect(existsSync(join(d, '.kafka_cleanshutdown'))).toBe(false);
    for (const l of m2.all()) l.close();
    const m3 = new LogManager(dirs, defaultSchedule, silentLogger);
    expect(m3.recoveredFromCrash).toBe(true);
    expect(m3.loadAll(() => config()).map((l) => l.log.logEndOffset).sort()).toEqual([3, 4, 5, 6]);
    await m3.close();
  });

  it('ignores directories of topics the metadata does not know', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const m = new LogManager([t.dir], defaultSchedule, silentLogger);
    m.loadAll(() => config());
    m.create('known', 0, config());
    m.create('stray', 0, config());
    await m.close();
    const m2 = new LogManager([t.dir], defaultSchedule, silentLogger);
    expect(m2.loadAll((topic) => (topic === 'known' ? config() : undefined)).map((l) => l.log.topic)).toEqual(['known']);
    await m2.close();
  });
});
