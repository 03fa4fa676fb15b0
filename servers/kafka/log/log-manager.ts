import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../../common/logger.js';
import { LogCleaner } from './log-cleaner.js';
import { isStorageError } from '../storage-failure.js';
import type { LogConfig } from './log-config.js';
import { checkpointKey, readOffsetCheckpoint, writeOffsetCheckpoint } from './offset-checkpoint-file.js';
import { PartitionLog } from './partition-log.js';
import { parsePartitionDirName, partitionDirName } from './segment-files.js';

/** Apache's marker of a clean shutdown; its absence at startup means recovery. */
const CLEAN_SHUTDOWN_FILE = '.kafka_cleanshutdown';
const RECOVERY_POINT_FILE = 'recovery-point-offset-checkpoint';
const LOG_START_FILE = 'log-start-offset-checkpoint';
const CLEANER_FILE = 'cleaner-offset-checkpoint';

export interface LogManagerSchedule {
  /** log.retention.check.interval.ms */
  retentionCheckIntervalMs: number;
  /** log.flush.scheduler.interval.ms */
  flushSchedulerIntervalMs: number;
  /** log.flush.offset.checkpoint.interval.ms */
  checkpointIntervalMs: number;
  /** log.cleaner.backoff.ms; log.cleaner.enable=false disables the cleaner */
  cleanerBackoffMs: number;
  cleanerEnabled: boolean;
  /** producer.id.expiration.ms: idle producer ids are forgotten after this long. */
  producerIdExpirationMs: number;
}

export const defaultSchedule: LogManagerSchedule = {
  retentionCheckIntervalMs: 300_000,
  flushSchedulerIntervalMs: Number.MAX_SAFE_INTEGER,
  checkpointIntervalMs: 60_000,
  cleanerBackoffMs: 15_000,
  cleanerEnabled: true,
  producerIdExpirationMs: 86_400_000,
};

export interface LoadedLog {
  log: PartitionLog;
  /** Bytes discarded by recovery (a torn or corrupt tail). */
  truncatedBytes: number;
}

/**
 * All partition logs of the broker under `log.dirs`: loading (with recovery after an
 * unclean shutdown), creation and deletion, and the background duties Apache's LogManager
 * schedules — retention, time-based flushes, checkpoints and the log cleaner.
 */
export class LogManager {
  private readonly logs = new Map<string, PartitionLog>();
  private readonly dirOf = new Map<PartitionLog, string>();
  private readonly timers: NodeJS.Timeout[] = [];
  readonly cleaner = new LogCleaner();
  private maintenance: Promise<unknown> = Promise.resolve();
  /** True when the previous run did not shut down cleanly. */
  readonly recoveredFromCrash: boolean;
  private closed = false;
  /** Called when a background duty fails with a disk error (the broker then halts). */
  onStorageFailure: ((err: Error) => void) | undefined;

  constructor(
    readonly logDirs: string[],
    private readonly schedule: LogManagerSchedule,
    private readonly log: Logger,
    /** Wall clock in epoch ms (the broker's, which the clock nemesis may skew). */
    private readonly now: () => number = Date.now,
  ) {
    for (const d of logDirs) mkdirSync(d, { recursive: true });
    this.recoveredFromCrash = logDirs.some((d) => readdirSync(d).some((n) => parsePartitionDirName(n)) && !existsSync(join(d, CLEAN_SHUTDOWN_FILE)));
  }

  static key(topic: string, partition: number): string {
    return `${topic}-${partition}`;
  }

  /** Opens every partition directory found, recovering past the recovery point when needed. */
  loadAll(configFor: (topic: string) => LogConfig | undefined): LoadedLog[] {
    const loaded: LoadedLog[] = [];
    for (const d of this.logDirs) {
      const clean = existsSync(join(d, CLEAN_SHUTDOWN_FILE));
      const recoveryPoints = readOffsetCheckpoint(join(d, RECOVERY_POINT_FILE));
      const logStarts = readOffsetCheckpoint(join(d, LOG_START_FILE));
      const cleanerPoints = readOffsetCheckpoint(join(d, CLEANER_FILE));
      for (const name of readdirSync(d)) {
        const parsed = parsePartitionDirName(name);
        if (!parsed || !statSync(join(d, name)).isDirectory()) continue;
        const config = configFor(parsed.topic);
        if (!config) {
          this.log.warn(`ignoring ${join(d, name)}: topic ${parsed.topic} is not in the broker metadata`);
          continue;
        }
        const ck = checkpointKey(parsed.topic, parsed.partition);
        const log = new PartitionLog(join(d, name), parsed.topic, parsed.partition, config, {
          recoverFrom: clean ? undefined : (recoveryPoints.get(ck) ?? 0),
          logStartOffset: logStarts.get(ck),
          now: this.now,
        });
        if (log.recoveredBytesTruncated > 0) {
          this.log.warn(`recovered ${name}: discarded ${log.recoveredBytesTruncated} bytes of torn or corrupt tail`);
        }
        const cleanedUpTo = cleanerPoints.get(ck);
        if (cleanedUpTo !== undefined) this.cleaner.cleanedUpTo.set(log, cleanedUpTo);
        this.add(d, log);
        loaded.push({ log, truncatedBytes: log.recoveredBytesTruncated });
      }
      // Running from now on: a crash must be detected at the next start.
      rmSync(join(d, CLEAN_SHUTDOWN_FILE), { force: true });
    }
    return loaded;
  }

  private add(dir: string, log: PartitionLog): void {
    this.logs.set(LogManager.key(log.topic, log.partition), log);
    this.dirOf.set(log, dir);
  }

  get(topic: string, partition: number): PartitionLog | undefined {
    return this.logs.get(LogManager.key(topic, partition));
  }

  all(): PartitionLog[] {
    return [...this.logs.values()];
  }

  /** Creates (or returns) a partition log, in the log dir holding the fewest partitions. */
  create(topic: string, partition: number, config: LogConfig): PartitionLog {
    const existing = this.get(topic, partition);
    if (existing) return existing;
    const counts = this.logDirs.map((d) => [...this.dirOf.values()].filter((x) => x === d).length);
    const dir = this.logDirs[counts.indexOf(Math.min(...counts))]!;
    const log = new PartitionLog(join(dir, partitionDirName(topic, partition)), topic, partition, config, { now: this.now });
    this.add(dir, log);
    return log;
  }

  delete(topic: string, partition: number): void {
    const log = this.get(topic, partition);
    if (!log) return;
    this.logs.delete(LogManager.key(topic, partition));
    this.dirOf.delete(log);
    this.cleaner.cleanedUpTo.delete(log);
    log.delete();
  }

  /** Starts the background duties. Each runs serially with the others (one maintenance chain). */
  startScheduler(): void {
    const every = (ms: number, task: () => void | Promise<void>) => {
      if (ms <= 0 || ms >= 2 ** 31) return;
      const t = setInterval(() => this.enqueue(task), ms);
      t.unref();
      this.timers.push(t);
    };
    every(this.schedule.retentionCheckIntervalMs, () => {
      this.runRetention(this.now());
    });
    every(this.schedule.flushSchedulerIntervalMs, () => this.runTimedFlushes(this.now()));
    every(this.schedule.checkpointIntervalMs, () => this.writeCheckpoints());
    if (this.schedule.cleanerEnabled) every(this.schedule.cleanerBackoffMs, () => this.cleanOnce(this.now()));
  }

  private enqueue(task: () => void | Promise<void>): Promise<void> {
    const run = this.maintenance.then(async () => {
      if (this.closed) return;
      try {
        await task();
      } catch (err) {
        if (isStorageError(err) && this.onStorageFailure) this.onStorageFailure(err);
        else this.log.error(`log maintenance failed: ${(err as Error).stack ?? err}`);
      }
    });
    this.maintenance = run;
    return run;
  }

  /** Retention pass (also rolls segments older than segment.ms). Returns segments deleted. */
  runRetention(now: number): number {
    let deleted = 0;
    for (const log of this.logs.values()) {
      log.rollIfAged(now);
      deleted += log.applyRetention(now);
      log.producerState.removeExpired(now, this.schedule.producerIdExpirationMs);
    }
    if (deleted > 0) this.writeLogStartCheckpoints();
    return deleted;
  }

  runTimedFlushes(now: number): void {
    for (const log of this.logs.values()) log.flushIfDue(now);
  }

  /** One cleaner pass over every compacted log that needs it; serialised with other duties. */
  runCleaner(now: number): Promise<void> {
    return this.enqueue(() => this.cleanOnce(now));
  }

  private async cleanOnce(now: number): Promise<void> {
    for (const log of [...this.logs.values()]) {
      if (!this.logs.has(LogManager.key(log.topic, log.partition))) continue;
      if (this.cleaner.needsCleaning(log, now)) {
        const r = await this.cleaner.clean(log, now);
        if (r.segmentsCleaned > 0) this.log.debug(`compacted ${log.topic}-${log.partition}: ${r.recordsRemoved} records removed`);
      }
    }
    this.writeCleanerCheckpoints();
  }

  private perDir(valueOf: (log: PartitionLog) => number | undefined, file: string): void {
    for (const d of this.logDirs) {
      const entries = new Map<string, number>();
      for (const [log, dir] of this.dirOf) {
        if (dir !== d) continue;
        const v = valueOf(log);
        if (v !== undefined) entries.set(checkpointKey(log.topic, log.partition), v);
      }
      writeOffsetCheckpoint(join(d, file), entries);
    }
  }

  writeLogStartCheckpoints(): void {
    this.perDir((l) => l.logStartOffset, LOG_START_FILE);
  }

  private writeCleanerCheckpoints(): void {
    this.perDir((l) => this.cleaner.cleanedUpTo.get(l), CLEANER_FILE);
  }

  writeCheckpoints(): void {
    this.perDir((l) => l.recoveryPoint, RECOVERY_POINT_FILE);
    this.writeLogStartCheckpoints();
    this.writeCleanerCheckpoints();
  }

  /**
   * Stops after a disk failure: no more duties, every file closed as it is — nothing flushed,
   * no checkpoint and no clean-shutdown marker, so the next start recovers (like a crash).
   */
  halt(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    for (const log of this.logs.values()) {
      try {
        log.close();
      } catch {
        // A file that cannot be closed cleanly is recovered at the next start anyway.
      }
    }
  }

  /** Clean shutdown: waits for maintenance, flushes, checkpoints, then leaves the marker. */
  async close(): Promise<void> {
    if (this.closed) return;
    for (const t of this.timers) clearInterval(t);
    await this.maintenance;
    this.closed = true;
    for (const log of this.logs.values()) {
      log.flush();
      log.snapshotProducerState();
    }
    this.writeCheckpoints();
    for (const log of this.logs.values()) log.close();
    for (const d of this.logDirs) writeFileSync(join(d, CLEAN_SHUTDOWN_FILE), '');
  }
}
