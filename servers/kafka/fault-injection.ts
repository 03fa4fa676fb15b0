import { BatchField } from '../../protocols/kafka/records/record-batch-layout.js';
import { isTransactional } from '../../protocols/kafka/records/record-batch-header.js';

/**
 * Deliberate faults for checker validation (`kzbench run --inject-bug`, workloads/nemesis),
 * OFF unless `KZBENCH_INJECT_BUG` names one; a broker with a bug on says so when it starts.
 * The call sites are single lines in the Produce handler.
 *
 * - `lost-ack`: every fifth produced batch is answered as appended at the log end offset but
 *   never written (an acknowledged write is lost; the offset goes to the next batch).
 * - `dup-append`: every fifth non-transactional batch is written twice, at two offsets (a
 *   record stored twice, as a broker that ignored producer sequence numbers would).
 */
export const injectBugEnvVar = 'KZBENCH_INJECT_BUG';
export const kafkaInjectableBugs = ['lost-ack', 'dup-append'] as const;
export type KafkaBug = (typeof kafkaInjectableBugs)[number];

const EVERY = 5;

export class KafkaFaultInjection {
  private produced = 0;

  constructor(readonly bug: KafkaBug | null) {}

  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): KafkaFaultInjection {
    // A name this server does not know is another server's bug (the CLI loads both): ignored.
    const raw = env[injectBugEnvVar];
    const bug = raw && (kafkaInjectableBugs as readonly string[]).includes(raw) ? (raw as KafkaBug) : null;
    return new KafkaFaultInjection(bug);
  }

  get banner(): string | null {
    return this.bug ? `INJECTED BUG '${this.bug}' (${injectBugEnvVar}): this broker breaks its guarantees on purpose` : null;
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

/** The process-wide switch, read once from the environment at startup. */
export const kafkaFaults = KafkaFaultInjection.fromEnvironment();
