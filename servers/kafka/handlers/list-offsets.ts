import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { defineHandler } from './api-handler.js';
import { legacyOffsetsBefore } from './legacy-offsets.js';

const LATEST = -1n;
const EARLIEST = -2n;
const MAX_TIMESTAMP = -3n;
/** v8+ (tiered storage): earliest local = earliest here, as nothing is tiered. */
const EARLIEST_LOCAL = -4n;
const READ_COMMITTED = 1;
/** Consumers send replica id -1; others (replicas, debugging tools) see past the high watermark. */
const CONSUMER_REPLICA_ID = -1;

/**
 * ListOffsets. v0 answers a list of offsets (oldStyleOffsets, see legacy-offsets.ts). v1+: latest (the high watermark, or the last stable offset for
 * read_committed), earliest (log start offset), max timestamp (v7+) and by timestamp (the
 * first record at or after it; -1/-1 when none).
 */
export const listOffsetsHandler = defineHandler({
  api: KafkaApis.ListOffsets,
  minVersion: 0,
  maxVersion: 8,
  handle: async (req, ctx) => {
    const { broker } = ctx;
    const topics = [];
    for (const t of req.topics) {
      const partitions = [];
      for (const p of t.partitions) {
        const base = { partitionIndex: p.partitionIndex, errorCode: ErrorCode.NONE, oldStyleOffsets: [], timestamp: -1n, offset: -1n, leaderEpoch: -1 };
        const log = broker.partitionLog(t.name, p.partitionIndex);
        if (!log) {
          partitions.push({ ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
          continue;
        }
        if (p.currentLeaderEpoch > broker.leaderEpoch) {
          partitions.push({ ...base, errorCode: ErrorCode.UNKNOWN_LEADER_EPOCH });
          continue;
        }
        if (ctx.header.apiVersion === 0) {
          // A negative count makes Apache fail allocating the answer (an unexpected error).
          if (p.maxNumOffsets < 0) partitions.push({ ...base, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR });
          else partitions.push({ ...base, oldStyleOffsets: legacyOffsetsBefore(log, Number(p.timestamp), p.maxNumOffsets, req.replicaId === CONSUMER_REPLICA_ID, broker.now()).map(BigInt) });
          continue;
        }
        // leaderEpoch exists from v4; older versions must carry its default.
        const epoch = ctx.header.apiVersion >= 4 ? broker.leaderEpoch : -1;
        if (p.timestamp === LATEST) {
          const offset = req.isolationLevel === READ_COMMITTED ? log.lastStableOffset : log.highWatermark;
          partitions.push({ ...base, offset: BigInt(offset), leaderEpoch: epoch });
        } else if (p.timestamp === EARLIEST || p.timestamp === EARLIEST_LOCAL) {
          partitions.push({ ...base, offset: BigInt(log.logStartOffset), leaderEpoch: epoch });
        } else if (p.timestamp === MAX_TIMESTAMP) {
          const found = await log.offsetOfMaxTimestamp();
          partitions.push(found ? { ...base, offset: BigInt(found.offset), timestamp: BigInt(found.timestamp), leaderEpoch: epoch } : base);
        } else if (p.timestamp >= 0n) {
          const found = await log.offsetForTimestamp(Number(p.timestamp));
          partitions.push(found ? { ...base, offset: BigInt(found.offset), timestamp: BigInt(found.timestamp), leaderEpoch: epoch } : base);
        } else {
          partitions.push({ ...base, errorCode: ErrorCode.INVALID_REQUEST });
        }
      }
      topics.push({ name: t.name, partitions });
    }
    return { throttleTimeMs: 0, topics };
  },
});
