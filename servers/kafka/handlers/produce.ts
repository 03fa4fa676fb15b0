import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { BatchField } from '../../../protocols/kafka/records/record-batch-layout.js';
import { isTransactional } from '../../../protocols/kafka/records/record-batch-header.js';
import { readInt64 } from '../../../protocols/kafka/records/varint.js';
import type { BrokerState } from '../broker-state.js';
import { LogManager } from '../log/log-manager.js';
import type { PartitionLog } from '../log/partition-log.js';
import { isInternalTopic } from '../metadata/topic-name.js';
import { type RecordError, checkProducedRecords } from '../produce-validation.js';
import { ProducerStateError } from '../producer/producer-state-error.js';
import { txnPartitionKey } from '../txn/transaction-metadata.js';
import { closeConnection, defineHandler, noResponse } from './api-handler.js';
import { emulatesKafka4 } from '../emulated-release.js';
import { kafkaFaults } from '../fault-injection.js';

/** Produce v0–2 predate record batch v2; Kafka 4 removed them (KIP-896) but still advertises v0. */
const FIRST_RECORD_BATCH_VERSION = 3;

/**
 * KIP-890 verification: a transactional batch that opens a transaction in this partition must
 * be to a partition the coordinator added to the producer's transaction. Returns the error
 * the partition answers (Apache's translation of coordinator errors for producers), or
 * undefined when the write may go ahead.
 */
function verifyTransactionalWrite(broker: BrokerState, log: PartitionLog, records: Buffer, transactionalId: string | null, version: number): { code: number; message: string | null } | undefined {
  if (transactionalId === null || !broker.config.transactionPartitionVerification) return undefined;
  if (!isTransactional(records.readInt16BE(BatchField.attributes))) return undefined;
  const producerId = readInt64(records, BatchField.producerId);
  if (log.producerState.hasOngoingTransaction(producerId)) return undefined;
  const key = txnPartitionKey(log.topic, log.partition);
  const error = broker.txns.verifyPartitions(transactionalId, producerId, records.readInt16BE(BatchField.producerEpoch), [key]).get(key)!;
  switch (error) {
    case ErrorCode.NONE:
      return undefined;
    case ErrorCode.PRODUCER_FENCED:
      return { code: ErrorCode.INVALID_PRODUCER_EPOCH, message: null };
    case ErrorCode.TRANSACTION_ABORTABLE:
      // Produce v11+ clients understand TRANSACTION_ABORTABLE; older ones get INVALID_TXN_STATE.
      return version > 10 ? { code: error, message: null } : { code: ErrorCode.INVALID_TXN_STATE, message: 'Partition was not added to the transaction' };
    case ErrorCode.CONCURRENT_TRANSACTIONS:
    case ErrorCode.COORDINATOR_NOT_AVAILABLE:
    case ErrorCode.COORDINATOR_LOAD_IN_PROGRESS:
    case ErrorCode.NOT_COORDINATOR:
      // A retriable error older clients do retry on produce, as Apache translates it.
      return { code: ErrorCode.NOT_ENOUGH_REPLICAS, message: `Unable to verify the partition has been added to the transaction. Underlying error: ${error}` };
    default:
      return { code: error, message: null };
  }
}

/**
 * Produce v0–11. v0–2 may carry message format v0/v1, converted to record batch v2 as Apache
 * 3.9 does (see produce-validation.ts); emulating Kafka 4 (which advertises v0 only because
 * librdkafka < 2.11.1 compresses only when Produce v0 is advertised, KAFKA-18659) they close
 * the connection instead. A refused batch is answered as Apache answers it (see
 * produce-rejection.ts): log start offset, recordErrors and errorMessage by where it failed.
 * Single node: acks=1 and acks=all both complete on the leader append (ISR = {self}), and
 * acks=all fails with NOT_ENOUGH_REPLICAS when min.insync.replicas > 1. acks=0 gets no
 * response; if it failed, the connection is closed instead, as Apache does. Idempotent and
 * transactional batches go through producer state: a retried batch is answered with its
 * original offsets, sequence gaps and stale epochs are refused, transactional batches are
 * verified against the transaction coordinator. Internal topics are not writable.
 */
export const produceHandler = defineHandler({
  api: KafkaApis.Produce,
  minVersion: 0,
  maxVersion: 11,
  handle: async (req, ctx) => {
    const { broker, header } = ctx;
    if (header.apiVersion < FIRST_RECORD_BATCH_VERSION && emulatesKafka4(broker.config.asVersion)) return closeConnection; // as Kafka 4 does
    const acks = req.acks;
    let anyError = false;
    const responses = [];
    for (const topicData of req.topicData) {
      const topic = topicData.name;
      const partitionResponses: Array<{
        index: number;
        errorCode: number;
        baseOffset: bigint;
        logAppendTimeMs: bigint;
        logStartOffset: bigint;
        recordErrors: RecordError[];
        errorMessage: string | null;
      }> = [];
      for (const pd of topicData.partitionData) {
        const respond = (
          errorCode: number,
          errorMessage: string | null = null,
          extra: { baseOffset?: bigint; logAppendTimeMs?: bigint; logStartOffset?: bigint; recordErrors?: RecordError[] } = {},
        ) => {
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
        if (acks !== 0 && acks !== 1 && acks !== -1) {
          respond(ErrorCode.INVALID_REQUIRED_ACKS);
          continue;
        }
        if (isInternalTopic(topic)) {
          respond(ErrorCode.INVALID_TOPIC_EXCEPTION, `Cannot append to internal topic ${topic}`);
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
        const check = await checkProducedRecords(pd.records, { version: header.apiVersion, topicPartition: `${topic}-${pd.index}`, config: log.config });
        if (!check.ok) {
          broker.log.debug(`refused a produce to ${topic}-${pd.index}: ${check.message}`);
          if (check.stage === 'request') respond(check.errorCode);
          else {
            respond(check.errorCode, check.stage === 'records' ? check.message : null, {
              logStartOffset: BigInt(log.logStartOffset),
              recordErrors: check.recordErrors,
            });
          }
          continue;
        }
        // The topic may have been deleted while a compacted batch was being decoded.
        if (broker.partitionLog(topic, pd.index) !== log) {
          respond(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          continue;
        }
        const records = check.records;
        const unverified = verifyTransactionalWrite(broker, log, records, req.transactionalId, header.apiVersion);
        if (unverified) {
          respond(unverified.code, unverified.message);
          continue;
        }
        if (kafkaFaults.dropsBatch()) { respond(ErrorCode.NONE, null, { baseOffset: BigInt(log.logEndOffset), logStartOffset: BigInt(log.logStartOffset) }); continue; } // off unless --inject-bug lost-ack
        // After a disk failure the broker is halting: nothing more is appended.
        if (broker.storageFailure) {
          respond(ErrorCode.KAFKA_STORAGE_ERROR);
          continue;
        }
        let r;
        try {
          r = log.append(records, [[0, check.size]], broker.leaderEpoch, broker.now(), 'client');
        } catch (err) {
          if (broker.storageFailed(err)) {
            respond(ErrorCode.KAFKA_STORAGE_ERROR);
            continue;
          }
          if (!(err instanceof ProducerStateError)) throw err;
          respond(err.errorCode, null, { logStartOffset: BigInt(log.logStartOffset) });
          continue;
        }
        if (!r.duplicate && kafkaFaults.duplicatesBatch(records)) log.append(Buffer.from(records.subarray(0, check.size)), [[0, check.size]], broker.leaderEpoch, broker.now(), 'replication'); // off unless --inject-bug dup-append
        if (!r.duplicate) broker.appends.notify(LogManager.key(topic, pd.index));
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
