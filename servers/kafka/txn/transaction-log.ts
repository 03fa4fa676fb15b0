import type { Logger } from '../../../common/logger.js';
import { appendCoordinatorRecords, readPartitionBatches } from '../coordinator/coordinator-log.js';
import { coordinatorPartitionFor } from '../coordinator/coordinator-partition.js';
import { TRANSACTION_STATE_TOPIC, transactionStateTopicSpec } from '../coordinator/internal-topics.js';
import { fromVersionPrefixedBytes, readVersionPrefix, toVersionPrefixedBytes } from '../coordinator/version-prefixed.js';
import type { GroupStoreHost } from '../group/group-metadata-store.js';
import { type TransactionMetadata, partitionsByTopic, txnPartitionKey } from './transaction-metadata.js';
import { TransactionLogKey, TransactionLogValue } from './transaction-record-schemas.js';
import { transactionStateFromId, transactionStateId } from './transaction-state.js';

export interface TransactionLogConfig {
  /** transaction.state.log.num.partitions */
  partitions: number;
  /** transaction.state.log.segment.bytes */
  segmentBytes: number;
}

/**
 * `__transaction_state`: every transition of a transactional id is written (key
 * TransactionLogKey v0, value TransactionLogValue v0, as Apache 3.9 writes them) before the
 * coordinator acts on it, and the topic is replayed at startup.
 */
export class TransactionLog {
  readonly partitions: number;

  constructor(
    private readonly host: GroupStoreHost,
    private readonly config: TransactionLogConfig,
    private readonly log: Logger,
  ) {
    this.partitions = host.partitionCount(TRANSACTION_STATE_TOPIC) ?? config.partitions;
  }

  partitionFor(transactionalId: string): number {
    return coordinatorPartitionFor(transactionalId, this.partitions);
  }

  ensureTopic(): void {
    this.host.ensureInternalTopic(transactionStateTopicSpec(this.partitions, this.config.segmentBytes));
  }

  write(m: TransactionMetadata, now: number): void {
    this.ensureTopic();
    const key = toVersionPrefixedBytes(TransactionLogKey, 0, { transactionalId: m.transactionalId });
    const value = toVersionPrefixedBytes(TransactionLogValue, 0, {
      producerId: BigInt(m.producerId),
      producerEpoch: m.producerEpoch,
      transactionTimeoutMs: m.txnTimeoutMs,
      transactionStatus: transactionStateId(m.state),
      transactionPartitions: m.state === 'Empty' ? null : partitionsByTopic(m.partitions).map((t) => ({ topic: t.topic, partitionIds: t.partitions })),
      transactionLastUpdateTimestampMs: BigInt(m.txnLastUpdateTimestamp),
      transactionStartTimestampMs: BigInt(m.txnStartTimestamp),
    });
    appendCoordinatorRecords(this.host, TRANSACTION_STATE_TOPIC, this.partitionFor(m.transactionalId), [{ key, value }], now);
  }

  /** The latest state of every transactional id (startup). */
  async load(): Promise<Map<string, TransactionMetadata>> {
    const out = new Map<string, TransactionMetadata>();
    const partitions = this.host.partitionCount(TRANSACTION_STATE_TOPIC);
    if (partitions === undefined) return out;
    for (let p = 0; p < partitions; p++) {
      const log = this.host.partitionLog(TRANSACTION_STATE_TOPIC, p);
      if (!log) continue;
      for await (const batch of readPartitionBatches(log)) {
        for (const r of batch.records) {
          if (r.key === null || readVersionPrefix(r.key) !== 0) continue;
          const transactionalId = fromVersionPrefixedBytes(TransactionLogKey, r.key).transactionalId;
          if (r.value === null) {
            out.delete(transactionalId);
            continue;
          }
          const v = fromVersionPrefixedBytes(TransactionLogValue, r.value);
          const state = transactionStateFromId(v.transactionStatus);
          const parts = new Set<string>();
          if (state !== 'Empty') for (const t of v.transactionPartitions ?? []) for (const p2 of t.partitionIds) parts.add(txnPartitionKey(t.topic, p2));
          out.set(transactionalId, {
            transactionalId,
            producerId: Number(v.producerId),
            lastProducerId: -1,
            producerEpoch: v.producerEpoch,
            lastProducerEpoch: -1,
            txnTimeoutMs: v.transactionTimeoutMs,
            state,
            partitions: parts,
            txnStartTimestamp: Number(v.transactionStartTimestampMs),
            txnLastUpdateTimestamp: Number(v.transactionLastUpdateTimestampMs),
          });
        }
      }
    }
    if (out.size > 0) this.log.info(`loaded ${out.size} transactional id(s) from ${TRANSACTION_STATE_TOPIC}`);
    return out;
  }
}
