import { setTimeout as sleep } from 'node:timers/promises';
import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode, kafkaError } from '../../../protocols/kafka/error-codes.js';
import type { CompressionName } from '../../../protocols/kafka/records/compression/compression-type.js';
import type { RecordHeader } from '../../../protocols/kafka/records/record.js';
import { KafkaConnectionError, KafkaResponseError } from './client-errors.js';
import type { KafkaClient, TopicInfo } from './kafka-client.js';
import type { KafkaConnection } from './kafka-connection.js';
import { partitionForKey, StickyPartitioner } from './partitioner.js';
import { estimateRecordBytes, ProducerBatch, type DeliveryCallback } from './producer-batch.js';

export interface ProducerRecord {
  topic: string;
  /** Explicit partition; otherwise murmur2 of the key, or sticky for keyless records. */
  partition?: number;
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Array<{ key: string; value: Buffer | string | null }>;
  /** Create time in ms (default now). */
  timestamp?: number;
}

/** What a sent batch reports, for throughput and per-batch latency accounting. */
export interface BatchReport {
  topic: string;
  partition: number;
  records: number;
  /** Encoded batch size in bytes (after compression). */
  bytes: number;
  /** -1 with acks=0 or on error. */
  baseOffset: number;
  errorCode: number;
  error: Error | null;
  /** process.hrtime.bigint() of the first append, the send, and the acknowledgement. */
  firstAppendNs: bigint;
  sentAtNs: bigint;
  completedAtNs: bigint;
}

export interface FastProducerOptions {
  /** 0 (no response), 1 (leader) or -1 / 'all' (all in-sync replicas). Default -1. */
  acks?: 0 | 1 | -1 | 'all';
  /** How long a partition batch may wait for more records (default 5 ms). */
  lingerMs?: number;
  /** Seal a partition batch once it holds about this many bytes (default 64 KiB). */
  batchSize?: number;
  /** Produce requests in flight per broker connection (default 5). */
  maxInFlight?: number;
  compression?: CompressionName;
  /** InitProducerId, then producer id, epoch and per-partition sequences in every batch. */
  idempotent?: boolean;
  /** Broker-side produce timeout (default 30 s). */
  timeoutMs?: number;
  /** Bytes buffered (unsent and in flight) before `send` reports back-pressure (default 64 MiB). */
  bufferMemory?: number;
  /** Upper bound of one Produce request (default 1 MiB, Kafka's max.request.size). */
  maxRequestSize?: number;
  /**
   * Retriable partition errors (NOT_LEADER_OR_FOLLOWER, a partition not loaded yet right after
   * creation, ...) are retried until the batch is this old (default 30 s, Kafka's
   * delivery.timeout.ms is 120 s); connection failures are not retried.
   */
  deliveryTimeoutMs?: number;
  /** Pause before a retry (default 100 ms, Kafka's retry.backoff.ms). */
  retryBackoffMs?: number;
  /** Called once per batch when it is acknowledged (or written, with acks=0) or failed. */
  onBatch?: (report: BatchReport) => void;
}

interface PartitionState {
  topic: TopicInfo;
  partition: number;
  open: ProducerBatch | null;
  /** Sealed batches in order; the head is sent once encoded. */
  sealed: ProducerBatch[];
  nextSequence: number;
  /** Batches of this partition waiting to be retried. */
  retrying: number;
}

interface BrokerState {
  nodeId: number;
  connection: KafkaConnection | null;
  connecting: Promise<void> | null;
  inFlight: number;
  /** Partitions led by this broker that have sealed batches. */
  ready: Set<PartitionState>;
}

const toBuffer = (v: Buffer | string | null | undefined): Buffer | null => (v === null || v === undefined ? null : typeof v === 'string' ? Buffer.from(v) : v);
const NO_HEADERS: RecordHeader[] = [];
const INT32_MAX = 0x7fffffff;
/** Errors after which the partition's leader should be looked up again before a retry. */
const LEADERSHIP_ERRORS = new Set<number>([
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.FENCED_LEADER_EPOCH,
  ErrorCode.UNKNOWN_LEADER_EPOCH,
]);

/** Sequence numbers wrap from Int32.MAX to 0, as in Kafka's DefaultRecordBatch.incrementSequence. */
function incrementSequence(sequence: number, increment: number): number {
  return sequence > INT32_MAX - increment ? increment - (INT32_MAX - sequence) - 1 : sequence + increment;
}

/**
 * A pipelined, batching Kafka producer built for load generation: records are appended to
 * per-partition batches (linger / batch size), batches are encoded once (records module,
 * optional compression), and each broker connection carries up to `maxInFlight` Produce
 * requests at a time, each holding the ready batches of every partition that broker leads.
 *
 * Batches that fail with a retriable partition error are resent (same bytes, same sequence)
 * until `deliveryTimeoutMs`; other failures are reported per batch, not retried.
 */
export class FastProducer {
  private readonly acks: 0 | 1 | -1;
  private readonly lingerMs: number;
  private readonly batchSize: number;
  private readonly maxInFlight: number;
  private readonly compression: CompressionName;
  private readonly timeoutMs: number;
  private readonly bufferMemory: number;
  private readonly maxRequestSize: number;
  private readonly onBatch?: (report: BatchReport) => void;
  private readonly deliveryTimeoutNs: bigint;
  private readonly retryBackoffMs: number;
  private readonly partitions = new Map<string, PartitionState[]>();
  private readonly brokers = new Map<number, BrokerState>();
  private readonly sticky = new StickyPartitioner();
  private lingerTimer: NodeJS.Timeout | null = null;
  private bufferedBytes = 0;
  private outstandingBatches = 0;
  private idleWaiters: Array<() => void> = [];
  private spaceWaiters: Array<() => void> = [];
  private producerId = -1;
  private producerEpoch = -1;
  private closed = false;
  private fatal: Error | null = null;

  private constructor(
    private readonly client: KafkaClient,
    opts: FastProducerOptions,
  ) {
    this.acks = opts.acks === 'all' || opts.acks === undefined ? -1 : opts.acks;
    this.lingerMs = opts.lingerMs ?? 5;
    this.batchSize = opts.batchSize ?? 64 * 1024;
    this.maxInFlight = Math.max(1, opts.maxInFlight ?? 5);
    this.compression = opts.compression ?? 'none';
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.bufferMemory = opts.bufferMemory ?? 64 * 1024 * 1024;
    this.maxRequestSize = opts.maxRequestSize ?? 1024 * 1024;
    this.onBatch = opts.onBatch;
    this.deliveryTimeoutNs = BigInt(opts.deliveryTimeoutMs ?? 30_000) * 1_000_000n;
    this.retryBackoffMs = opts.retryBackoffMs ?? 100;
  }

  static async create(client: KafkaClient, opts: FastProducerOptions = {}): Promise<FastProducer> {
    const p = new FastProducer(client, opts);
    if (opts.idempotent) {
      if (p.acks !== -1) throw new KafkaConnectionError('an idempotent producer needs acks=all');
      if (p.maxInFlight > 5) throw new KafkaConnectionError('an idempotent producer allows at most 5 requests in flight');
      await p.initProducerId();
    }
    return p;
  }

  private async initProducerId(): Promise<void> {
    const conn = await this.client.anyConnection();
    // The transaction coordinator may still be loading right after startup: retry what Kafka calls retriable.
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const res = await conn.request(KafkaApis.InitProducerId, { transactionalId: null, transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 });
      if (res.errorCode === 0) {
        this.producerId = Number(res.producerId);
        this.producerEpoch = res.producerEpoch;
        return;
      }
      if (!kafkaError(res.errorCode).retriable || Date.now() > deadline) throw new KafkaResponseError(res.errorCode, 'InitProducerId');
      await sleep(100);
    }
  }

  /** Make sure topic metadata is loaded before the first `send` to it (send itself is synchronous). */
  async prepare(topic: string): Promise<void> {
    const info = await this.client.topic(topic);
    if (!this.partitions.has(topic)) {
      this.partitions.set(
        topic,
        info.partitions.map((p) => ({ topic: info, partition: p.partition, open: null, sealed: [], nextSequence: 0, retrying: 0 })),
      );
    }
    for (const p of info.partitions) await this.broker(p.leaderId);
  }

  /** Bytes buffered in unsent and in-flight batches. */
  get buffered(): number {
    return this.bufferedBytes;
  }

  /**
   * Append a record. The topic must have been `prepare`d. Returns false when the buffer is
   * over `bufferMemory`: the caller should `await waitForSpace()` before sending more.
   */
  send(record: ProducerRecord, callback?: DeliveryCallback): boolean {
    if (this.fatal) throw this.fatal;
    if (this.closed) throw new KafkaConnectionError('producer is closed');
    const parts = this.partitions.get(record.topic);
    if (!parts) throw new KafkaConnectionError(`topic ${record.topic} is not prepared: await producer.prepare(topic) first`);
    const key = toBuffer(record.key);
    const value = toBuffer(record.value);
    let partition = record.partition;
    if (partition === undefined) partition = key ? partitionForKey(key, parts.length) : this.sticky.partition(record.topic, parts.length);
    const state = parts[partition];
    if (!state) throw new KafkaConnectionError(`topic ${record.topic} has no partition ${partition}`);
    const headers = record.headers ? record.headers.map((h) => ({ key: h.key, value: toBuffer(h.value) })) : NO_HEADERS;
    const timestamp = record.timestamp ?? Date.now();
    const bytes = estimateRecordBytes(key, value, headers);

    let batch = state.open;
    if (batch && batch.estimatedBytes + bytes > this.batchSize && batch.count > 0) {
      this.seal(state);
      batch = null;
    }
    if (!batch) {
      batch = new ProducerBatch(record.topic, partition, timestamp);
      state.open = batch;
      this.outstandingBatches++;
      this.armLinger();
    }
    batch.append(key, value, headers, timestamp, bytes, callback);
    this.bufferedBytes += bytes;
    if (batch.estimatedBytes >= this.batchSize) this.seal(state);
    return this.bufferedBytes < this.bufferMemory;
  }

  /** Promise form of `send` with the record's offset. */
  sendAndWait(record: ProducerRecord): Promise<{ topic: string; partition: number; offset: number }> {
    return new Promise((resolve, reject) => {
      this.send(record, (err, meta) => (err ? reject(err) : resolve(meta!)));
    });
  }

  /** Resolves once buffered bytes are below `bufferMemory`. */
  waitForSpace(): Promise<void> {
    if (this.bufferedBytes < this.bufferMemory || this.fatal) return Promise.resolve();
    return new Promise((resolve) => this.spaceWaiters.push(resolve));
  }

  /** Send everything buffered and wait until every batch is acknowledged or failed. */
  async flush(): Promise<void> {
    this.sealAll();
    if (this.outstandingBatches === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    if (this.fatal) throw this.fatal;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush().catch(() => {});
    this.closed = true;
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
  }

  private armLinger(): void {
    if (this.lingerTimer) return;
    const fire = () => {
      this.lingerTimer = null;
      this.sealAll();
    };
    this.lingerTimer = this.lingerMs > 0 ? setTimeout(fire, this.lingerMs) : (setImmediate(fire) as unknown as NodeJS.Timeout);
  }

  private sealAll(): void {
    for (const parts of this.partitions.values()) for (const s of parts) if (s.open) this.seal(s);
  }

  /** Close the partition's open batch: assign its sequence, start encoding, queue it. */
  private seal(state: PartitionState): void {
    const batch = state.open;
    if (!batch) return;
    state.open = null;
    this.sticky.batchSealed(state.topic.name, state.partition, state.topic.partitions.length);
    const baseSequence = this.producerId >= 0 ? state.nextSequence : -1;
    if (this.producerId >= 0) state.nextSequence = incrementSequence(state.nextSequence, batch.count);
    batch.baseSequence = baseSequence;
    state.sealed.push(batch);
    void batch
      .encode({ compression: this.compression, producerId: this.producerId, producerEpoch: this.producerEpoch, baseSequence, transactional: false })
      .then(() => this.route(state, batch));
  }

  /** The partition's current leader, from the client's latest metadata. */
  private leaderOf(state: PartitionState): number {
    return this.client.topics.get(state.topic.name)?.partitions[state.partition]?.leaderId ?? -1;
  }

  /** Queue `state` at its leader's connection and send what is ready there. */
  private route(state: PartitionState, batch: ProducerBatch): void {
    const leader = this.leaderOf(state);
    const broker = this.brokers.get(leader);
    if (!broker) {
      const i = state.sealed.indexOf(batch);
      if (i >= 0) state.sealed.splice(i, 1);
      this.failBatch(state, batch, new KafkaConnectionError(`no connection to leader ${leader} of ${state.topic.name}-${state.partition}`));
      return;
    }
    broker.ready.add(state);
    this.drain(broker);
  }

  /**
   * Put a batch that failed with a retriable error back in its partition's queue (in sequence
   * order, so an idempotent producer resends batches as the broker expects them), after a
   * backoff and, for leadership errors, a metadata refresh.
   */
  private retry(state: PartitionState, batch: ProducerBatch, errorCode: number): void {
    state.retrying++;
    setTimeout(() => {
      const refresh = LEADERSHIP_ERRORS.has(errorCode) ? this.client.refreshMetadata([state.topic.name]).catch(() => {}) : Promise.resolve();
      void refresh
        .then(async () => {
          const leader = this.leaderOf(state);
          if (leader >= 0) await this.broker(leader).catch(() => {});
        })
        .then(() => {
          state.retrying--;
          let i = 0;
          if (batch.baseSequence >= 0) while (i < state.sealed.length && state.sealed[i]!.baseSequence >= 0 && state.sealed[i]!.baseSequence < batch.baseSequence) i++;
          state.sealed.splice(i, 0, batch);
          this.route(state, batch);
        });
    }, this.retryBackoffMs);
  }

  private retriable(state: PartitionState, batch: ProducerBatch, errorCode: number): boolean {
    if (process.hrtime.bigint() - batch.firstAppendNs > this.deliveryTimeoutNs) return false;
    if (kafkaError(errorCode).retriable) return true;
    // Behind a retried batch, the broker refuses the later sequences of the same partition: resend them too.
    return errorCode === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER && this.producerId >= 0 && state.retrying > 0;
  }

  private async broker(nodeId: number): Promise<BrokerState> {
    let b = this.brokers.get(nodeId);
    if (!b) {
      b = { nodeId, connection: null, connecting: null, inFlight: 0, ready: new Set() };
      this.brokers.set(nodeId, b);
    }
    if (!b.connection || b.connection.closed) {
      const state = b;
      state.connecting ??= this.client.connectionTo(nodeId, 'producer').then((c) => {
        state.connection = c;
        state.connecting = null;
      });
      await state.connecting;
    }
    return b;
  }

  /** Send what is ready for `broker`, while it has room in flight. */
  private drain(broker: BrokerState): void {
    const conn = broker.connection;
    if (!conn || conn.closed) {
      // No fail-over: report what was meant for this broker instead of waiting forever.
      const err = new KafkaConnectionError(`connection to broker ${broker.nodeId} is closed`);
      for (const state of broker.ready) {
        while (state.sealed[0]?.encoded || state.sealed[0]?.encodeError) this.failBatch(state, state.sealed.shift()!, err);
        if (state.sealed.length === 0) broker.ready.delete(state);
      }
      return;
    }
    while (broker.inFlight < this.maxInFlight && broker.ready.size > 0) {
      const batches: Array<{ state: PartitionState; batch: ProducerBatch }> = [];
      let size = 0;
      for (const state of broker.ready) {
        const head = state.sealed[0];
        if (!head || (!head.encoded && !head.encodeError)) {
          if (!head) broker.ready.delete(state);
          continue;
        }
        if (head.encodeError) {
          state.sealed.shift();
          this.failBatch(state, head, head.encodeError);
          if (state.sealed.length === 0) broker.ready.delete(state);
          continue;
        }
        if (batches.length > 0 && size + head.encoded!.length > this.maxRequestSize) break;
        // One batch per partition per request keeps sequences in order on the broker.
        state.sealed.shift();
        if (state.sealed.length === 0) broker.ready.delete(state);
        batches.push({ state, batch: head });
        size += head.encoded!.length;
      }
      if (batches.length === 0) return;
      this.sendRequest(broker, conn, batches);
    }
  }

  private sendRequest(broker: BrokerState, conn: KafkaConnection, batches: Array<{ state: PartitionState; batch: ProducerBatch }>): void {
    const byTopic = new Map<string, { name: string; topicId: string; partitionData: Array<{ index: number; records: Buffer }> }>();
    let topicIds = true;
    for (const { state, batch } of batches) {
      let t = byTopic.get(state.topic.name);
      if (!t) byTopic.set(state.topic.name, (t = { name: state.topic.name, topicId: state.topic.topicId, partitionData: [] }));
      t.partitionData.push({ index: state.partition, records: batch.encoded! });
      if (!this.client.hasTopicIds(state.topic.name)) topicIds = false;
    }
    // Produce v13 addresses topics by id: only with real ids. v3 is the first with record batch v2.
    const version = conn.versionFor(KafkaApis.Produce, topicIds ? Infinity : 12);
    const body = { transactionalId: null, acks: this.acks, timeoutMs: this.timeoutMs, topicData: [...byTopic.values()] };
    const sentAt = process.hrtime.bigint();
    for (const b of batches) {
      b.batch.sentAtNs = sentAt;
      b.batch.attempts++;
    }
    broker.inFlight++;
    const done = () => {
      broker.inFlight--;
      this.drain(broker);
    };
    if (this.acks === 0) {
      conn.send(KafkaApis.Produce, body, version).then(
        () => {
          for (const { state, batch } of batches) this.finishBatch(state, batch, -1, 0, null);
          done();
        },
        (err: Error) => {
          for (const { state, batch } of batches) this.failBatch(state, batch, err);
          done();
        },
      );
      return;
    }
    conn.request(KafkaApis.Produce, body, version).then(
      (res) => {
        const results = new Map<string, { errorCode: number; baseOffset: bigint; errorMessage: string | null }>();
        for (const t of res.responses) {
          for (const p of t.partitionResponses) results.set(`${version >= 13 ? t.topicId : t.name}/${p.index}`, p);
        }
        for (const { state, batch } of batches) {
          const r = results.get(`${version >= 13 ? state.topic.topicId : state.topic.name}/${state.partition}`);
          if (!r) this.failBatch(state, batch, new KafkaConnectionError(`Produce response lacks ${state.topic.name}-${state.partition}`));
          else if (r.errorCode !== 0 && this.retriable(state, batch, r.errorCode)) this.retry(state, batch, r.errorCode);
          else if (r.errorCode !== 0) this.failBatch(state, batch, new KafkaResponseError(r.errorCode, `producing to ${state.topic.name}-${state.partition}`, r.errorMessage), r.errorCode);
          else this.finishBatch(state, batch, Number(r.baseOffset), 0, null);
        }
        done();
      },
      (err: Error) => {
        for (const { state, batch } of batches) this.failBatch(state, batch, err);
        done();
      },
    );
  }

  private failBatch(state: PartitionState, batch: ProducerBatch, err: Error, errorCode = -1): void {
    if (errorCode !== -1 && !kafkaError(errorCode).retriable && this.producerId >= 0) {
      // Sequences of this partition are now out of step with the broker.
      this.fatal ??= err;
    }
    this.finishBatch(state, batch, -1, errorCode, err);
  }

  private finishBatch(_state: PartitionState, batch: ProducerBatch, baseOffset: number, errorCode: number, err: Error | null): void {
    this.bufferedBytes -= batch.estimatedBytes - 61;
    this.outstandingBatches--;
    batch.complete(err, baseOffset);
    this.onBatch?.({
      topic: batch.topic,
      partition: batch.partition,
      records: batch.count,
      bytes: batch.encoded?.length ?? batch.estimatedBytes,
      baseOffset,
      errorCode,
      error: err,
      firstAppendNs: batch.firstAppendNs,
      sentAtNs: batch.sentAtNs,
      completedAtNs: process.hrtime.bigint(),
    });
    if (this.bufferedBytes < this.bufferMemory && this.spaceWaiters.length) {
      const waiters = this.spaceWaiters;
      this.spaceWaiters = [];
      for (const w of waiters) w();
    }
    if (this.outstandingBatches === 0 && this.idleWaiters.length) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
