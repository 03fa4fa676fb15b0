import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import type { BrokerState } from '../broker-state.js';
import { recordSetSpans } from '../../../protocols/kafka/records/record-set.js';
import { BatchField } from '../../../protocols/kafka/records/record-batch-layout.js';
import { readInt64 } from '../../../protocols/kafka/records/varint.js';
import { CompressionType } from '../../../protocols/kafka/records/compression/compression-type.js';
import { emulatesKafka4 } from '../emulated-release.js';
import { LogManager } from '../log/log-manager.js';
import { storedCodecOf } from '../topic-compression.js';
import { OffsetOutOfRangeError, type PartitionLog } from '../log/partition-log.js';
import { defineHandler } from './api-handler.js';

const READ_COMMITTED = 1;
/** KIP-110: Fetch v10 is the first a client that reads zstd sends. */
const FIRST_ZSTD_FETCH_VERSION = 10;
const EMPTY = Buffer.alloc(0);

interface WantedPartition {
  topic: string;
  topicId: string;
  partition: number;
  fetchOffset: number;
  maxBytes: number;
  currentLeaderEpoch: number;
}

/**
 * The aborted transactions overlapping the returned batches, up to the offset after the last
 * one (Apache's fetch upper bound), so a read_committed consumer can drop their records.
 */
function abortedIn(log: PartitionLog, fetchOffset: number, records: Buffer): Array<{ producerId: bigint; firstOffset: bigint }> {
  const spans = recordSetSpans(records);
  const last = spans[spans.length - 1];
  if (!last) return [];
  const upperBound = readInt64(records, last[0] + BatchField.baseOffset) + records.readInt32BE(last[0] + BatchField.lastOffsetDelta) + 1;
  return log.collectAbortedTxns(fetchOffset, upperBound).map((t) => ({ producerId: BigInt(t.producerId), firstOffset: BigInt(t.firstOffset) }));
}

function partitionResult(broker: BrokerState, w: WantedPartition, isolation: number, budget: number, firstWithData: boolean) {
  const base = {
    partitionIndex: w.partition,
    highWatermark: -1n,
    lastStableOffset: -1n,
    logStartOffset: -1n,
    abortedTransactions: isolation === READ_COMMITTED ? [] : null,
    preferredReadReplica: -1,
    records: EMPTY as Buffer,
  };
  // Apache answers a partition it does not know with a default entry (aborted transactions
  // `[]`), and one whose read failed with no aborted transactions at all (null).
  const log = broker.partitionLog(w.topic, w.partition);
  if (!log) return { ...base, abortedTransactions: [], errorCode: w.topic === '' ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, bytes: 0 };
  const readFailed = { ...base, abortedTransactions: null, bytes: 0 };
  if (w.currentLeaderEpoch > broker.leaderEpoch) return { ...readFailed, errorCode: ErrorCode.UNKNOWN_LEADER_EPOCH };
  if (w.currentLeaderEpoch >= 0 && w.currentLeaderEpoch < broker.leaderEpoch) return { ...readFailed, errorCode: ErrorCode.FENCED_LEADER_EPOCH };
  const offsets = {
    highWatermark: BigInt(log.highWatermark),
    lastStableOffset: BigInt(log.lastStableOffset),
    logStartOffset: BigInt(log.logStartOffset),
  };
  const limit = isolation === READ_COMMITTED ? log.lastStableOffset : log.highWatermark;
  // KIP-74: the first partition with data returns at least one whole batch, whatever the budget.
  const maxBytes = firstWithData ? Math.max(1, Math.min(w.maxBytes, budget)) : Math.min(w.maxBytes, budget);
  if (maxBytes <= 0 && !firstWithData) return { ...base, ...offsets, errorCode: ErrorCode.NONE, bytes: 0 };
  try {
    const { records } = log.read(w.fetchOffset, maxBytes, limit);
    const r = records ?? EMPTY;
    const abortedTransactions = isolation === READ_COMMITTED && r.length > 0 ? abortedIn(log, w.fetchOffset, r) : base.abortedTransactions;
    return { ...base, ...offsets, abortedTransactions, errorCode: ErrorCode.NONE, records: r, bytes: r.length };
  } catch (err) {
    // Apache's failed local read carries no offsets: the watermarks and log start stay -1.
    if (err instanceof OffsetOutOfRangeError) return { ...readFailed, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE };
    throw err;
  }
}

/**
 * Fetch v4+ (record batch v2 only). Sessions are declined (session id 0: every fetch is a
 * full fetch, which KIP-227 allows). Reads stop at the high watermark, or at the last stable
 * offset for read_committed, which also gets the aborted transactions the data overlaps. Without minBytes of data the request waits up to maxWaitMs,
 * woken by appends to the partitions it reads.
 */
export const fetchHandler = defineHandler({
  api: KafkaApis.Fetch,
  minVersion: 4,
  maxVersion: 16,
  handle: async (req, ctx) => {
    const { broker } = ctx;
    const wanted: WantedPartition[] = [];
    for (const t of req.topics) {
      const name = t.topic ?? '';
      const resolved = ctx.header.apiVersion >= 13 ? (broker.topics.byId(t.topicId)?.name ?? '') : name;
      for (const p of t.partitions) {
        wanted.push({
          topic: resolved,
          topicId: t.topicId,
          partition: p.partition,
          fetchOffset: Number(p.fetchOffset),
          maxBytes: p.partitionMaxBytes,
          currentLeaderEpoch: p.currentLeaderEpoch,
        });
      }
    }
    const isolation = req.isolationLevel;
    const responseMaxBytes = ctx.header.apiVersion >= 3 ? req.maxBytes : Number.MAX_SAFE_INTEGER;

    const readAll = () => {
      let budget = responseMaxBytes;
      let total = 0;
      let errors = false;
      const results = wanted.map((w) => {
        const r = partitionResult(broker, w, isolation, budget, total === 0);
        budget -= r.bytes;
        total += r.bytes;
        if (r.errorCode !== ErrorCode.NONE) errors = true;
        return r;
      });
      return { results, total, errors };
    };

    // Kafka 3.x (KafkaApis.maybeConvertFetchedData): a topic stored as zstd is refused to a
    // client older than Fetch v10, after the read (which still counts toward minBytes).
    // Kafka 4 dropped the check.
    const refusesZstd = (w: WantedPartition) =>
      ctx.header.apiVersion < FIRST_ZSTD_FETCH_VERSION &&
      !emulatesKafka4(broker.config.asVersion) &&
      storedCodecOf(broker.partitionLog(w.topic, w.partition)?.config.compressionType ?? 'producer') === CompressionType.zstd;

    let out = readAll();
    if (out.total < req.minBytes && !out.errors && req.maxWaitMs > 0 && !ctx.aborted.aborted) {
      await new Promise<void>((resolve) => {
        let unsubscribe = () => {};
        const done = () => {
          clearTimeout(timer);
          unsubscribe();
          ctx.aborted.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, req.maxWaitMs);
        ctx.aborted.addEventListener('abort', done);
        unsubscribe = broker.appends.subscribe(
          wanted.map((w) => LogManager.key(w.topic, w.partition)),
          () => {
            out = readAll();
            if (out.total >= req.minBytes) done();
          },
        );
      });
      out = readAll();
    }

    // Group results back by topic, in request order.
    const responses: Array<{ topic: string; topicId: string; partitions: unknown[] }> = [];
    let i = 0;
    for (const t of req.topics) {
      const partitions = t.partitions.map(() => {
        const w = wanted[i]!;
        const { bytes: _bytes, ...r } = out.results[i++]!;
        return refusesZstd(w) ? { ...r, errorCode: ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, highWatermark: -1n, lastStableOffset: -1n, logStartOffset: -1n, abortedTransactions: [], records: null } : r;
      });
      responses.push({ topic: t.topic, topicId: t.topicId, partitions });
    }
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      sessionId: 0,
      responses: responses as never,
    };
  },
});
