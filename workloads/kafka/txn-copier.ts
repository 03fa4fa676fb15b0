import type { Kafka, Producer } from 'kafkajs';
import { Fetcher, IsolationLevel } from '../clients/kafka/fetcher.js';
import { KafkaClient } from '../clients/kafka/kafka-client.js';
import { committedOffset } from './committed-offset.js';
import { type EosHistory, partitionKey } from './eos-history.js';
import { disconnectQuietly, kafkajsClient } from './kafkajs-factory.js';
import { withDeadline } from './step-deadline.js';

export interface TxnCopierOptions {
  bootstrap: string;
  inputTopic: string;
  outputTopic: string;
  /** Copies input partition `partition` to output partition `partition`. */
  partition: number;
  group: string;
  transactionalId: string;
  maxRecordsPerTxn: number;
  transactionTimeoutMs: number;
  /**
   * One attempt (connect, fence, read, send, commit) gives up after this long (default 45 s):
   * its client is thrown away and the attempt ends `fail` or `info` like any other error.
   */
  attemptTimeoutMs?: number;
  /** True once nothing more will be written to the input. */
  inputComplete: () => boolean;
  signal?: AbortSignal;
  onCommitted?: (records: number) => void;
}

export interface TxnCopierResult {
  committed: number;
  aborted: number;
  indeterminate: number;
  restarts: number;
}

type Outcome = 'ok' | 'fail' | 'info';

/** What an attempt did so far: the op's value is built from it whenever the attempt ends. */
interface AttemptState {
  polled: Array<[number, string]>;
  sends: unknown[];
  begun: boolean;
  commitSent: boolean;
  /** Set when the attempt missed its deadline. */
  cancelled: boolean;
}

/** One transaction attempt: how it ended and the `txn` op completion value. */
export interface CopyAttempt {
  outcome: Outcome;
  /** `[["poll", {in-p: [[offset, v], ...]}], ["send", out-p, [offset, v]], ...]` */
  value: unknown[];
  error?: unknown;
  records: number;
}

/**
 * One transactional copier (Kafka's TransactionalMessageCopier, non-group mode): reads its
 * input partition with read_committed from the group's committed offset and, per transaction,
 * sends what it read to its output partition and commits the next input offset
 * (sendOffsets). Each transaction is one `txn` op: `ok` committed, `fail` ended without a
 * commit being sent (it can only be aborted), `info` the commit was sent but its answer never
 * came. After any error the producer is replaced: the new instance's InitProducerId fences the
 * old one and aborts its open transaction, and only then is the committed offset read again.
 */
export class TxnCopier {
  private position: number | undefined;
  private producer: Producer | undefined;
  private client: KafkaClient | undefined;
  private readonly kafka: Kafka;
  private readonly inKey: string;
  private readonly outKey: string;
  readonly result: TxnCopierResult = { committed: 0, aborted: 0, indeterminate: 0, restarts: 0 };

  constructor(private readonly o: TxnCopierOptions) {
    this.kafka = kafkajsClient(o.bootstrap, `kzbench-eos-copier-${o.partition}`);
    this.inKey = partitionKey('in', o.partition);
    this.outKey = partitionKey('out', o.partition);
  }

  /** Copies until the input is complete and fully copied, recording one `txn` op per attempt. */
  async run(history: EosHistory): Promise<TxnCopierResult> {
    let process = history.newProcess();
    try {
      while (!this.o.signal?.aborted) {
        let complete: ReturnType<EosHistory['invoke']> | undefined;
        const step = await this.step(() => (complete = history.invoke(process, 'txn', [['poll']])));
        if (step === 'done') break;
        if (step === 'idle') continue;
        complete!(step.outcome, step.value, step.error);
        if (step.outcome === 'info') process = history.newProcess();
      }
    } finally {
      await this.close();
    }
    return this.result;
  }

  /**
   * One attempt: 'done' when the input is complete and copied, 'idle' when there is nothing
   * to copy yet (no transaction happened), else the transaction's outcome. `begin` is called
   * once records are in hand, just before the transaction's first write (the op's invocation).
   */
  async step(begin: () => void = () => {}): Promise<CopyAttempt | 'idle' | 'done'> {
    const state: AttemptState = { polled: [], sends: [], begun: false, commitSent: false, cancelled: false };
    const value = () => [['poll', { [this.inKey]: state.polled }], ...state.sends];
    try {
      return await withDeadline(this.attempt(state, begin, value), this.o.attemptTimeoutMs ?? 45_000, `copying partition ${this.o.partition}`);
    } catch (err) {
      // An attempt past its deadline goes on in the background: it must not commit or touch our state.
      state.cancelled = true;
      this.result.restarts++;
      await this.reset();
      if (!state.begun) return 'idle';
      const outcome: Outcome = state.commitSent ? 'info' : 'fail';
      if (outcome === 'info') this.result.indeterminate++;
      else this.result.aborted++;
      return { outcome, value: value(), error: err, records: state.polled.length };
    }
  }

  private async attempt(state: AttemptState, begin: () => void, value: () => unknown[]): Promise<CopyAttempt | 'idle' | 'done'> {
    const live = () => {
      if (state.cancelled) throw new Error('attempt abandoned after its deadline');
    };
    if (!this.client) {
      const client = await KafkaClient.connect({ bootstrap: this.o.bootstrap, clientId: `kzbench-eos-reader-${this.o.partition}`, requestTimeoutMs: 15_000 });
      if (state.cancelled) {
        await client.close().catch(() => {});
        live();
      }
      this.client = client;
    }
    if (!this.producer) {
      this.producer = this.kafka.producer({ transactionalId: this.o.transactionalId, maxInFlightRequests: 1, idempotent: true, transactionTimeout: this.o.transactionTimeoutMs });
      await this.producer.connect();
    }
    live();
    const txn = await this.producer.transaction(); // the first one fences our predecessor
    live();
    if (this.position === undefined) {
      const committed = await committedOffset(this.client!, this.o.group, this.o.inputTopic, this.o.partition, this.o.signal);
      live();
      this.position = Math.max(0, committed);
    }
    const inputComplete = this.o.inputComplete();
    const fetched = await new Fetcher(this.client).fetch(this.o.inputTopic, this.o.partition, this.position, { isolationLevel: IsolationLevel.readCommitted, maxWaitMs: 200 });
    live();
    const records = fetched.records.slice(0, this.o.maxRecordsPerTxn);
    if (records.length === 0) {
      await txn.abort(); // nothing was added: kafkajs sends no EndTxn
      return inputComplete && fetched.lastStableOffset <= this.position ? 'done' : 'idle';
    }
    state.polled = records.map((r) => [r.offset, r.value!.toString()]);
    begin();
    state.begun = true;
    const polled = state.polled;
    state.sends = polled.map(([, v]) => ['send', this.outKey, v]);
    const [meta] = await txn.send({ topic: this.o.outputTopic, acks: -1, messages: polled.map(([, v]) => ({ partition: this.o.partition, value: v })) });
    live();
    const base = Number(meta!.baseOffset);
    state.sends = polled.map(([, v], i) => ['send', this.outKey, [base + i, v]]);
    const next = polled[polled.length - 1]![0] + 1;
    await txn.sendOffsets({ consumerGroupId: this.o.group, topics: [{ topic: this.o.inputTopic, partitions: [{ partition: this.o.partition, offset: String(next) }] }] });
    live();
    state.commitSent = true;
    await txn.commit();
    live();
    this.result.committed++;
    this.position = next;
    this.o.onCommitted?.(polled.length);
    return { outcome: 'ok', value: value(), records: polled.length };
  }

  /** Drops the producer and the reader: the next attempt starts over from the committed offset. */
  private async reset(): Promise<void> {
    await this.close();
    this.position = undefined;
    await new Promise((r) => setTimeout(r, 250));
  }

  async close(): Promise<void> {
    if (this.producer) await disconnectQuietly(this.producer);
    this.producer = undefined;
    await this.client?.close().catch(() => {});
    this.client = undefined;
  }
}
