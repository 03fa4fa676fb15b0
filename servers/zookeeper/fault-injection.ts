import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { clockOffsetEnvVar, followClockOffset } from '../../common/clock-offset.js';
import { OpCode, type ZkRequest } from '../../protocols/zookeeper/index.js';
import type { Clock } from './session/clock.js';
import type { Stat } from './tree/stat.js';
import { injectBugEnvVar, durabilityJournalEnvVar, durabilityJournalFile } from '../../common/fault-switches.js';
export { injectBugEnvVar, durabilityJournalEnvVar, durabilityJournalFile };

/**
 * Deliberate faults for checker validation (`kzbench run --inject-bug`, workloads/nemesis).
 * Everything here is OFF unless the environment asks for it, and a server that has a bug
 * switched on says so loudly when it starts. Nothing else in the server depends on it: the
 * call sites are single lines in the request processor and the transaction log.
 *
 * - `KZBENCH_INJECT_BUG=stale-read`: getData sometimes answers from a copy of the znode it
 *   served before, although the znode has changed since (a stale read).
 * - `KZBENCH_INJECT_BUG=lost-ack`: every fourth setData that would succeed is acknowledged
 *   with a plausible Stat but never applied (an acknowledged write is lost).
 * - `KZBENCH_INJECT_BUG=skip-fsync`: log batches count as durable without fdatasync, so
 *   replies leave before the data is on disk (a crash can lose acknowledged writes).
 * - `KZBENCH_DURABILITY_JOURNAL=1`: after every fdatasync the log records how far its
 *   current file is durable (`version-2/kzbench-durable.json`), so the `disk` nemesis can
 *   throw away what was written but not synced before a crash (lazyfs's
 *   lose-unfsynced-writes, without FUSE).
 * - `KZBENCH_CLOCK_OFFSET_FILE=<file>`: the wall clock (ctime, mtime, txn times, TTLs) runs
 *   ahead or behind by the offset in the file (`+12s`, `-7s`, re-read every 250 ms), the
 *   nemesis's clock skew; monotonic time (session expiry) is left alone, as NTP leaves it.
 */
export { clockOffsetEnvVar };
export const zookeeperInjectableBugs = ['stale-read', 'lost-ack', 'skip-fsync'] as const;
export type ZookeeperBug = (typeof zookeeperInjectableBugs)[number];

/** How often the bugs strike: often enough to show in a short run, rarely enough to look like a bug. */
const STALE_EVERY = 2;
const LOSE_EVERY = 4;

interface ServedCopy {
  data: Buffer | null;
  stat: Stat;
}

export class ZookeeperFaultInjection {
  private readonly served = new Map<string, ServedCopy>();
  private staleCountdown = STALE_EVERY;
  private setDataCount = 0;

  constructor(
    readonly bug: ZookeeperBug | null,
    readonly journal: boolean,
    readonly clockOffsetFile: string | null = null,
  ) {}

  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): ZookeeperFaultInjection {
    // A name this server does not know is another server's bug (the CLI loads both): ignored.
    const raw = env[injectBugEnvVar];
    const bug = raw && (zookeeperInjectableBugs as readonly string[]).includes(raw) ? (raw as ZookeeperBug) : null;
    return new ZookeeperFaultInjection(bug, env[durabilityJournalEnvVar] === '1', env[clockOffsetEnvVar] || null);
  }

  /** What the startup log says, or null when nothing is injected. */
  get banner(): string | null {
    const parts: string[] = [];
    if (this.bug) parts.push(`INJECTED BUG '${this.bug}' (${injectBugEnvVar}): this server breaks its guarantees on purpose`);
    if (this.journal) parts.push(`durability journal on (${durabilityJournalEnvVar})`);
    if (this.clockOffsetFile) parts.push(`wall clock follows ${this.clockOffsetFile} (${clockOffsetEnvVar})`);
    return parts.length > 0 ? parts.join('; ') : null;
  }

  /** stale-read: the getData answer, or an older copy of it served before. */
  readView(path: string, current: ServedCopy): ServedCopy {
    if (this.bug !== 'stale-read') return current;
    const old = this.served.get(path);
    if (old && old.stat.mzxid !== current.stat.mzxid && --this.staleCountdown <= 0) {
      this.staleCountdown = STALE_EVERY;
      return old;
    }
    this.served.set(path, { data: current.data === null ? null : Buffer.from(current.data), stat: { ...current.stat } });
    return current;
  }

  /**
   * lost-ack: for a setData that would succeed, the Stat to acknowledge it with while the
   * write is dropped; null to process the request normally.
   */
  lostWrite(req: ZkRequest, currentStat: (path: string) => Stat | undefined, zxid: number): Stat | null {
    if (this.bug !== 'lost-ack' || req.type !== OpCode.setData) return null;
    const { path: znode, version, data } = req.body as { path: string; version: number; data: Buffer | null };
    const stat = currentStat(znode);
    if (stat === undefined || (version !== -1 && version !== stat.version)) return null;
    if (++this.setDataCount % LOSE_EVERY !== 0) return null;
    return { ...stat, version: stat.version + 1, mzxid: zxid, dataLength: data?.length ?? 0 };
  }

  /** skip-fsync: the log must not wait for fdatasync before replies go out. */
  get skipsFsync(): boolean {
    return this.bug === 'skip-fsync';
  }

  /** After a durable write: `file` is on disk up to `end` (bytes). */
  recordDurable(file: string, end: number): void {
    if (!this.journal) return;
    const journal = path.join(path.dirname(file), durabilityJournalFile);
    const tmp = `${journal}.tmp`;
    // Rename is atomic: a crash leaves the old or the new record, never half of one.
    writeFileSync(tmp, JSON.stringify({ format: 1, file: path.basename(file), durableEnd: end }));
    renameSync(tmp, journal);
  }
}

/**
 * The server's clock, skewed when the nemesis asks for it: wall time plus the offset in the
 * offset file, re-read every 250 ms (an unreadable file means no offset).
 */
export function skewableClock(base: Clock, offsetFile: string | null): Clock {
  if (!offsetFile) return base;
  const offsetMs = followClockOffset(offsetFile);
  return { elapsed: () => base.elapsed(), wall: () => base.wall() + offsetMs() };
}

/** The process-wide switch, read once from the environment at startup. */
export const zookeeperFaults = ZookeeperFaultInjection.fromEnvironment();
