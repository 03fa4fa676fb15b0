import type { Producer } from 'kafkajs';
import { Fetcher, IsolationLevel } from '../clients/kafka/fetcher.js';
import { KafkaClient } from '../clients/kafka/kafka-client.js';
import { committedOffset } from './committed-offset.js';
import { type EosHistory, partitionKey } from './eos-history.js';
import { disconnectQuietly, kafkajsClient } from './kafkajs-factory.js';

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
  private process: number;

  constructor(
    private readonly history: EosHistory,
    private readonly o: TxnCopierOptions,
  ) {
    this.process = history.newProcess();
  }

  async run(): Promise<TxnCopierResult> {
    const result: TxnCopierResult = { committed: 0, aborted: 0, indeterminate: 0, restarts: 0 };
    const kafka = kafkajsClient(this.o.bootstrap, `kzbench-eos-copier-${this.o.partition}`);
    let producer: Producer | undefined;
    let client: KafkaClient | undefined;
    const inKey = partitionKey('in', this.o.partition);
    const outKey = partitionKey('out', this.o.partition);
    try {
      while (!this.o.signal?.aborted) {
        let complete: ((type: Outcome, value: unknown, error?: unknown) => void) | undefined;
        let polled: Array<[number, string]> = [];
        let sends: unknown[] = [];
        let commitSent = false;
        try {
          client ??= await KafkaClient.connect({ bootstrap: this.o.bootstrap, clientId: `kzbench-eos-reader-${this.o.partition}`, requestTimeoutMs: 15_000 });
          if (!producer) {
            producer = kafka.producer({ transactionalId: this.o.transactionalId, maxInFlightRequests: 1, idempotent: true, transactionTimeout: this.o.transactionTimeoutMs });
            await producer.connect();
          }
          const txn = await producer.transaction(); // the first one fences our predecessor
          this.position ??= Math.max(0, await committedOffset(client, this.o.group, this.o.inputTopic, this.o.partition, this.o.signal));
          const done = this.o.inputComplete();
          const fetched = await new Fetcher(client).fetch(this.o.inputTopic, this.o.partition, this.position, { isolationLevel: IsolationLevel.readCommitted, maxWaitMs: 200 });
          const records = fetched.records.slice(0, this.o.maxRecordsPerTxn);
          if (records.length === 0) {
            await txn.abort(); // nothing was added: kafkajs sends no EndTxn
            if (done && fetched.lastStableOffset <= this.position) return result;
            continue;
          }
          polled = records.map((r) => [r.offset, r.value!.toString()]);
          complete = this.history.invoke(this.process, 'txn', [['poll']]);
          sends = polled.map(([, v]) => ['send', outKey, v]);
          const [meta] = await txn.send({ topic: this.o.outputTopic, acks: -1, messages: polled.map(([, value]) => ({ partition: this.o.partition, value })) });
          const base = Number(meta!.baseOffset);
          sends = polled.map(([, v], i) => ['send', outKey, [base + i, v]]);
          const next = polled[polled.length - 1]![0] + 1;
          await txn.sendOffsets({ consumerGroupId: this.o.group, topics: [{ topic: this.o.inputTopic, partitions: [{ partition: this.o.partition, offset: String(next) }] }] });
          commitSent = true;
          await txn.commit();
          complete('ok', [['poll', { [inKey]: polled }], ...sends]);
          result.committed++;
          this.position = next;
          this.o.onCommitted?.(polled.length);
        } catch (err) {
          if (complete) {
            const outcome: Outcome = commitSent ? 'info' : 'fail';
            complete(outcome, [['poll', { [inKey]: polled }], ...sends], err);
            if (outcome === 'info') result.indeterminate++;
            else result.aborted++;
            if (outcome === 'info') this.process = this.history.newProcess();
          }
          result.restarts++;
          if (producer) await disconnectQuietly(producer);
          producer = undefined;
          await client?.close().catch(() => {});
          client = undefined;
          this.position = undefined;
          await new Promise((r) => setTimeout(r, 250));
        }
      }
    } finally {
      if (producer) await disconnectQuietly(producer);
      await client?.close().catch(() => {});
    }
    return result;
  }
}
