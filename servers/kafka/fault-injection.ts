import { BatchField } from '../../protocols/kafka/records/record-batch-layout.js';
import { isTransactional } from '../../protocols/kafka/records/record-batch-header.js';
import { clockOffsetEnvVar, followClockOffset } from '../../common/clock-offset.js';
import { injectBugEnvVar, durabilityJournalEnvVar } from '../../common/fault-switches.js';
export { injectBugEnvVar, durabilityJournalEnvVar };

/**
 * Deliberate faults for checker validation (`kzbench run --inject-bug`, workloads/nemesis),
 * OFF unless `KZBENCH_INJECT_BUG` names one; a broker with a bug on says so when it starts.
 * The call sites are single lines in the Produce handler.
 *
 * - `lost-ack`: every fifth produced batch is answered as appended at the log end offset but
 *   never written (an acknowledged write is lost; the offset goes to the next batch).
 * - `dup-append`: every fifth non-transactional batch is written twice, at two offsets (a
 *   record stored twice, as a broker that ignored producer sequence numbers would).
 * - `skip-fsync`: log flushes (`flush.messages`, `flush.ms`, rolls, shutdown) count as done
 *   without fsync: the recovery point moves and the produce is answered, but nothing reaches
 *   the disk, so the durability journal keeps saying where the disk really ends (use with
 *   the `disk` nemesis and `flush.messages=1`). The call site is in the partition log.
 * - `KZBENCH_DURABILITY_JOURNAL=1`: after every fsync of a partition's active segment the
 *   log records how far that `.log` file is durable (`kzbench-durable.json` in the partition
 *   directory), so the `disk` nemesis can throw away what was written but not synced.
 * - `KZBENCH_CLOCK_OFFSET_FILE=<file>`: the broker's wall clock (LogAppendTime, retention,
 *   flush and roll times, transaction and offset-commit timestamps, transaction timeouts) runs
 *   ahead or behind by the offset in the file (`+12s`, `-7s`), the nemesis's clock skew.
 */
export const kafkaInjectableBugs = ['lost-ack', 'dup-append', 'skip-fsync'] as const;
export type KafkaBug = (typeof kafkaInjectableBugs)[number];

const EVERY = 5;

export class KafkaFaultInjection {
  private produced = 0;

  constructor(
    readonly bug: KafkaBug | null,
    /** Keep the durability journal (the disk nemesis reads it). */
    readonly journal = false,
    /** The clock offset file the wall clock follows, or null. */
    readonly clockOffsetFile: string | null = null,
  ) {}

  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): KafkaFaultInjection {
    // A name this server does not know is another server's bug (the CLI loads both): ignored.
    const raw = env[injectBugEnvVar];
    const bug = raw && (kafkaInjectableBugs as readonly string[]).includes(raw) ? (raw as KafkaBug) : null;
    return new KafkaFaultInjection(bug, env[durabilityJournalEnvVar] === '1', env[clockOffsetEnvVar] || null);
  }

  /** What the startup log says, or null when nothing is injected. */
  get banner(): string | null {
    const parts: string[] = [];
    if (this.bug) parts.push(`INJECTED BUG '${this.bug}' (${injectBugEnvVar}): this broker breaks its guarantees on purpose`);
    if (this.journal) parts.push(`durability journal on (${durabilityJournalEnvVar})`);
    if (this.clockOffsetFile) parts.push(`wall clock follows ${this.clockOffsetFile} (${clockOffsetEnvVar})`);
    return parts.length > 0 ? parts.join('; ') : null;
  }

  /** skip-fsync: a log flush must not fsync (it still counts as done). */
  get skipsFsync(): boolean {
    return this.bug === 'skip-fsync';
  }

  /** lost-ack: acknowledge this client batch without appending it. */
  dropsBatch(): boolean {
    return this.bug === 'lost-ack' && ++this.produced % EVERY === 0;
  }

  /** dup-append: append this (just appended, non-transactional) client batch a second time. */
  duplicatesBatch(records: Buffer): boolean {
    if (this.bug !== 'dup-append' || isTransactional(records.readInt16BE(BatchField.attributes))) return false;
    return ++this.produced % EVERY === 0;
  }
}

/**
 * The broker's wall clock: the system's, skewed by the nemesis's offset file when one is
 * named (off unless asked).
 */
export function skewableWallClock(offsetFile: string | null): () => number {
  if (!offsetFile) return Date.now;
  const offsetMs = followClockOffset(offsetFile);
  return () => Date.now() + offsetMs();
}

/** The process-wide switch, read once from the environment at startup. */
export const kafkaFaults = KafkaFaultInjection.fromEnvironment();
