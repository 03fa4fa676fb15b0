import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { ControlRecordType } from '../../../protocols/kafka/records/end-transaction-marker.js';
import { Attribute } from '../../../protocols/kafka/records/record-batch-layout.js';
import { decodeRecordSet } from '../../../protocols/kafka/records/record-set.js';
import { KafkaResponseError } from './client-errors.js';
import type { KafkaClient } from './kafka-client.js';

export const IsolationLevel = { readUncommitted: 0, readCommitted: 1 } as const;

export interface FetchedRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Array<{ key: string; value: Buffer | null }>;
}

export interface FetchOptions {
  /** Long-poll: how long the broker may wait for `minBytes` (default 500 ms). */
  maxWaitMs?: number;
  minBytes?: number;
  /** Per-partition byte limit (default 1 MiB); the broker still returns one whole batch. */
  maxBytes?: number;
  /** Default read_uncommitted; read_committed stops at the LSO and drops aborted records. */
  isolationLevel?: 0 | 1;
}

export interface FetchResult {
  records: FetchedRecord[];
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  /** Where the next fetch should start (after the last batch seen, control batches included). */
  nextOffset: number;
}

/** Control record key: version int16, type int16 (0 = ABORT, 1 = COMMIT). */
function isAbortMarker(key: Buffer | null): boolean {
  return key !== null && key.length >= 4 && key.readInt16BE(2) === ControlRecordType.abort;
}

/** Fetch v12 is the last version that names topics; v13+ needs topic ids from Metadata. */
const FETCH_VERSION_WITHOUT_TOPIC_IDS = 12;

/**
 * Fetch from an offset (long poll), decode the record batches with the records module and
 * return the records with their offsets. Control batches are skipped (they still advance
 * `nextOffset`); with read_committed, records of aborted transactions are dropped using the
 * response's aborted-transaction list, as the Java consumer does.
 */
export class Fetcher {
  constructor(private readonly client: KafkaClient) {}

  async fetch(topic: string, partition: number, offset: number, opts: FetchOptions = {}): Promise<FetchResult> {
    const info = await this.client.topic(topic);
    const leader = info.partitions[partition]?.leaderId;
    if (leader === undefined) throw new KafkaResponseError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `fetching ${topic}-${partition}`);
    const conn = await this.client.connectionTo(leader, 'fetcher');
    const version = conn.versionFor(KafkaApis.Fetch, this.client.hasTopicIds(topic) ? Infinity : FETCH_VERSION_WITHOUT_TOPIC_IDS);
    const isolationLevel = opts.isolationLevel ?? IsolationLevel.readUncommitted;
    const res = await conn.request(
      KafkaApis.Fetch,
      {
        replicaId: -1,
        maxWaitMs: opts.maxWaitMs ?? 500,
        minBytes: opts.minBytes ?? 1,
        maxBytes: 0x7fffffff,
        isolationLevel,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [
          {
            topic,
            topicId: info.topicId,
            partitions: [{ partition, currentLeaderEpoch: -1, fetchOffset: BigInt(offset), logStartOffset: -1n, partitionMaxBytes: opts.maxBytes ?? 1024 * 1024 }],
          },
        ],
        forgottenTopicsData: [],
        rackId: '',
      },
      version,
    );
    if (res.errorCode !== 0) throw new KafkaResponseError(res.errorCode, `fetching ${topic}-${partition}`);
    const p = res.responses[0]?.partitions.find((x) => x.partitionIndex === partition);
    if (!p) throw new KafkaResponseError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Fetch response for ${topic}-${partition}`);
    if (p.errorCode !== 0) throw new KafkaResponseError(p.errorCode, `fetching ${topic}-${partition} at offset ${offset}`);

    const result: FetchResult = {
      records: [],
      highWatermark: Number(p.highWatermark),
      lastStableOffset: Number(p.lastStableOffset),
      logStartOffset: Number(p.logStartOffset),
      nextOffset: offset,
    };
    if (!p.records || p.records.length === 0) return result;
    const batches = await decodeRecordSet(p.records);
    const aborted = isolationLevel === IsolationLevel.readCommitted ? [...(p.abortedTransactions ?? [])].sort((a, b) => Number(a.firstOffset - b.firstOffset)) : [];
    const abortedProducers = new Set<number>();
    let nextAborted = 0;
    for (const batch of batches) {
      const lastOffset = batch.baseOffset + batch.lastOffsetDelta;
      if (lastOffset < offset) continue;
      result.nextOffset = lastOffset + 1;
      while (nextAborted < aborted.length && Number(aborted[nextAborted]!.firstOffset) <= lastOffset) {
        abortedProducers.add(Number(aborted[nextAborted]!.producerId));
        nextAborted++;
      }
      const transactional = (batch.attributes & Attribute.transactional) !== 0;
      if ((batch.attributes & Attribute.control) !== 0) {
        // An ABORT marker ends that producer's aborted range.
        const first = batch.records[0];
        if (first && transactional && isAbortMarker(first.key)) abortedProducers.delete(batch.producerId);
        continue;
      }
      if (transactional && abortedProducers.has(batch.producerId)) continue;
      for (const r of batch.records) {
        const recordOffset = batch.baseOffset + r.offsetDelta;
        if (recordOffset < offset) continue;
        result.records.push({
          topic,
          partition,
          offset: recordOffset,
          timestamp: batch.baseTimestamp + r.timestampDelta,
          key: r.key,
          value: r.value,
          headers: r.headers,
        });
      }
    }
    return result;
  }

  /**
   * Fetch from `fromOffset` until `count` records have been read (or `untilOffset` is reached),
   * handing each fetch's records to `onRecords`. Bounded by `timeoutMs` (default 60 s).
   */
  async consume(
    topic: string,
    partition: number,
    fromOffset: number,
    opts: FetchOptions & { count?: number; untilOffset?: number; timeoutMs?: number; onRecords?: (records: FetchedRecord[]) => void },
  ): Promise<{ records: number; nextOffset: number }> {
    const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
    let offset = fromOffset;
    let seen = 0;
    while ((opts.count === undefined || seen < opts.count) && (opts.untilOffset === undefined || offset < opts.untilOffset)) {
      if (Date.now() > deadline) throw new KafkaResponseError(ErrorCode.REQUEST_TIMED_OUT, `consuming ${topic}-${partition} (${seen} records read)`);
      const r = await this.fetch(topic, partition, offset, opts);
      seen += r.records.length;
      offset = r.nextOffset;
      if (r.records.length) opts.onRecords?.(r.records);
    }
    return { records: seen, nextOffset: offset };
  }
}
