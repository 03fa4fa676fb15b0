import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { defineHandler } from './api-handler.js';

/** DeleteRecords: advances each partition's log start offset (-1 = up to the high watermark). */
export const deleteRecordsHandler = defineHandler({
  api: KafkaApis.DeleteRecords,
  minVersion: 0,
  maxVersion: 2,
  handle: (req, ctx) => {
    const { broker } = ctx;
    let changed = false;
    const topics = req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        const log = broker.partitionLog(t.name, p.partitionIndex);
        if (!log) return { partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        const target = p.offset === -1n ? log.highWatermark : Number(p.offset);
        if (target < 0 || target > log.highWatermark) return { partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE };
        changed = true;
        return { partitionIndex: p.partitionIndex, lowWatermark: BigInt(log.deleteRecordsBefore(target)), errorCode: ErrorCode.NONE };
      }),
    }));
    if (changed) broker.logs.writeLogStartCheckpoints();
    return { throttleTimeMs: 0, topics };
  },
});
