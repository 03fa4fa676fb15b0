import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { LogManager } from '../log/log-manager.js';
import { checkProducedRecords } from '../produce-validation.js';
import { closeConnection, defineHandler, noResponse } from './api-handler.js';

/** Produce v0–2 carry message format v0/v1, which this broker does not store. */
const FIRST_RECORD_BATCH_VERSION = 3;

/**
 * Produce. Advertised from v0 because librdkafka < 2.11.1 only compresses when Produce v0 is
 * advertised (KAFKA-18659); v0–2 get UNSUPPORTED_VERSION per partition, as Kafka 4 answers.
 * Single node: acks=1 and acks=all both complete on the leader append (ISR = {self}), and
 * acks=all fails with NOT_ENOUGH_REPLICAS when min.insync.replicas > 1. acks=0 gets no
 * response; if it failed, the connection is closed instead, as Apache does.
 */
export const produceHandler = defineHandler({
  api: KafkaApis.Produce,
  minVersion: 0,
  maxVersion: 11,
  handle: async (req, ctx) => {
    const { broker, header } = ctx;
    const acks = req.acks;
    let anyError = false;
    const now = Date.now();
    const responses = [];
    for (const topicData of req.topicData) {
      const topic = topicData.name;
      const partitionResponses: Array<{
        index: number;
        errorCode: number;
        baseOffset: bigint;
        logAppendTimeMs: bigint;
        logStartOffset: bigint;
        recordErrors: never[];
        errorMessage: string | null;
      }> = [];
      for (const pd of topicData.partitionData) {
        const respond = (errorCode: number, errorMessage: string | null = null, extra: { baseOffset?: bigint; logAppendTimeMs?: bigint; logStartOffset?: bigint } = {}) => {
          if (errorCode !== ErrorCode.NONE) anyError = true;
          partitionResponses.push({
            index: pd.index,
            errorCode,
            baseOffset: -1n,
            logAppendTimeMs: -1n,
            logStartOffset: -1n,
            recordErrors: [],
            errorMessage,
            ...extra,
          });
        };
        if (header.apiVersion < FIRST_RECORD_BATCH_VERSION) {
          respond(ErrorCode.UNSUPPORTED_VERSION);
          continue;
        }
        if (acks !== 0 && acks !== 1 && acks !== -1) {
          respond(ErrorCode.INVALID_REQUIRED_ACKS);
          continue;
        }
        if (req.transactionalId !== null) {
          // Issue #5 brings transactions; until then nothing can have begun one.
          respond(ErrorCode.INVALID_REQUEST, 'transactions are not supported yet by the reference broker');
          continue;
        }
        const log = broker.partitionLog(topic, pd.index);
        if (!log) {
          respond(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          continue;
        }
        if (acks === -1 && log.config.minInsyncReplicas > 1) {
          respond(ErrorCode.NOT_ENOUGH_REPLICAS, `min.insync.replicas is ${log.config.minInsyncReplicas} but the ISR has 1 member`);
          continue;
        }
        const check = await checkProducedRecords(pd.records, log.config);
        if (!check.ok) {
          respond(check.errorCode, check.message);
          continue;
        }
        // The topic may have been deleted while a compacted batch was being decoded.
        if (broker.partitionLog(topic, pd.index) !== log) {
          respond(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          continue;
        }
        const r = log.append(pd.records!, [[0, check.size]], broker.leaderEpoch, now);
        broker.appends.notify(LogManager.key(topic, pd.index));
        respond(ErrorCode.NONE, null, {
          baseOffset: BigInt(r.baseOffset),
          logAppendTimeMs: BigInt(r.logAppendTime),
          logStartOffset: BigInt(log.logStartOffset),
        });
      }
      responses.push({ name: topic, partitionResponses });
    }
    if (acks === 0) return anyError ? closeConnection : noResponse;
    return { responses, throttleTimeMs: 0 };
  },
});
