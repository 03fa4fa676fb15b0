import type { Logger } from '../../../common/logger.js';
import { runGuarded } from '../coordinator/background-work.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { writeTxnMarker } from '../coordinator/txn-marker-writer.js';
import type { GroupStoreHost } from '../group/group-metadata-store.js';
import { ProducerStateError } from '../producer/producer-state-error.js';
import type { ProducerIdManager } from './producer-id-manager.js';
import type { TransactionLog } from './transaction-log.js';
import { type TransactionMetadata, type TransactionUpdate, isEpochExhausted, parseTxnPartitionKey, transitioned } from './transaction-metadata.js';
import { type TransactionState, isTransactionStateName } from './transaction-state.js';

export interface TransactionCoordinatorConfig {
  /** transaction.max.timeout.ms */
  maxTimeoutMs: number;
  /** transaction.abort.timed.out.transaction.cleanup.interval.ms */
  abortTimedOutIntervalMs: number;
}

export interface TransactionCoordinatorHost extends GroupStoreHost {
  /** A marker reached `__consumer_offsets-partition` (the group coordinator applies or drops offsets). */
  onOffsetsTxnCompleted(producerId: number, partition: number, commit: boolean): void;
}

export interface InitProducerIdResult {
  errorCode: number;
  producerId: number;
  producerEpoch: number;
}

/** The single node is the only coordinator there ever was: its epoch never changes. */
const COORDINATOR_EPOCH = 0;

/**
 * The transaction coordinator, following Apache 3.9's TransactionCoordinator: producer ids
 * and epochs (InitProducerId, with fencing of older instances and KIP-360 recovery),
 * AddPartitionsToTxn / AddOffsetsToTxn, EndTxn with markers to every partition, the
 * KIP-890 verification of transactional produces, and the abort of transactions that
 * outlive their timeout (with an epoch bump that fences the zombie). Every transition is
 * logged to `__transaction_state` before it takes effect. Unlike Apache, markers are written
 * before EndTxn answers (Apache answers once PrepareCommit/PrepareAbort is logged and writes
 * them asynchronously).
 */
export class TransactionCoordinator {
  private readonly txns = new Map<string, TransactionMetadata>();
  private abortTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly host: TransactionCoordinatorHost,
    readonly txnLog: TransactionLog,
    private readonly producerIds: ProducerIdManager,
    private readonly config: TransactionCoordinatorConfig,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Loads `__transaction_state` and finishes transactions a crash left prepared. */
  async load(): Promise<void> {
    for (const [id, m] of await this.txnLog.load()) this.txns.set(id, m);
    for (const m of [...this.txns.values()]) {
      if (m.state === 'PrepareCommit' || m.state === 'PrepareAbort') {
        this.log.info(`completing ${m.state === 'PrepareCommit' ? 'commit' : 'abort'} of ${m.transactionalId} left prepared by the previous run`);
        this.completeTransaction(m, m.state === 'PrepareCommit');
      }
    }
  }

  startScheduler(): void {
    if (this.config.abortTimedOutIntervalMs <= 0) return;
    this.abortTimer = setInterval(
      () => runGuarded('aborting timed-out transactions', () => this.abortTimedOutTransactions(), { log: this.log, storageFailed: (err) => this.host.storageFailed?.(err) ?? false }),
      this.config.abortTimedOutIntervalMs,
    );
    this.abortTimer.unref();
  }

  partitionFor(transactionalId: string): number {
    return this.txnLog.partitionFor(transactionalId);
  }

  get(transactionalId: string): TransactionMetadata | undefined {
    return this.txns.get(transactionalId);
  }

  private transition(m: TransactionMetadata, update: TransactionUpdate): TransactionMetadata {
    const next = transitioned(m, { ...update, txnLastUpdateTimestamp: update.txnLastUpdateTimestamp ?? this.now() });
    this.txnLog.write(next, this.now());
    this.txns.set(next.transactionalId, next);
    return next;
  }

  // ---------------------------------------------------------------- InitProducerId

  initProducerId(transactionalId: string | null, transactionTimeoutMs: number, expected?: { producerId: number; producerEpoch: number }): InitProducerIdResult {
    const fail = (errorCode: number): InitProducerIdResult => ({ errorCode, producerId: -1, producerEpoch: -1 });
    if (this.closed) return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    // Idempotent producers get a fresh id at epoch 0, blindly.
    if (transactionalId === null) return { errorCode: ErrorCode.NONE, producerId: this.producerIds.generate(), producerEpoch: 0 };
    if (transactionalId === '') return fail(ErrorCode.INVALID_REQUEST);
    if (transactionTimeoutMs <= 0 || transactionTimeoutMs > this.config.maxTimeoutMs) return fail(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    let m = this.txns.get(transactionalId);
    if (!m) {
      this.txnLog.ensureTopic();
      m = {
        transactionalId,
        producerId: this.producerIds.generate(),
        lastProducerId: -1,
        producerEpoch: -1,
        lastProducerEpoch: -1,
        txnTimeoutMs: transactionTimeoutMs,
        state: 'Empty',
        partitions: new Set(),
        txnStartTimestamp: -1,
        txnLastUpdateTimestamp: this.now(),
      };
      this.txns.set(transactionalId, m);
    }
    // KIP-360: a producer recovering with its id and epoch is fenced unless it is the current one
    // (or retries a bump that exhausted the previous id's epochs).
    if (expected) {
      const valid = m.producerEpoch === -1 || expected.producerId === m.producerId || (expected.producerId === m.lastProducerId && isEpochExhausted(expected.producerEpoch));
      if (!valid) return fail(ErrorCode.PRODUCER_FENCED);
    }
    switch (m.state) {
      case 'PrepareAbort':
      case 'PrepareCommit':
        return fail(ErrorCode.CONCURRENT_TRANSACTIONS);
      case 'Ongoing': {
        // Fence the open transaction (abort it with a bumped epoch); the client retries and gets the epoch after.
        const error = this.fenceAndAbort(m);
        return fail(error === ErrorCode.NONE ? ErrorCode.CONCURRENT_TRANSACTIONS : error);
      }
      default:
        break;
    }
    let update: TransactionUpdate;
    if (isEpochExhausted(m.producerEpoch) && (expected === undefined || expected.producerEpoch === m.producerEpoch)) {
      update = { state: 'Empty', producerId: this.producerIds.generate(), lastProducerId: m.producerId, producerEpoch: 0, lastProducerEpoch: expected ? m.producerEpoch : -1 };
    } else if (expected === undefined) {
      update = { state: 'Empty', producerEpoch: m.producerEpoch + 1, lastProducerEpoch: -1 };
    } else if (m.producerEpoch === -1 || expected.producerEpoch === m.producerEpoch) {
      update = { state: 'Empty', producerEpoch: m.producerEpoch + 1, lastProducerEpoch: m.producerEpoch };
    } else if (expected.producerEpoch === m.lastProducerEpoch) {
      update = { state: 'Empty' }; // a retry of a bump that already happened
    } else {
      return fail(ErrorCode.PRODUCER_FENCED);
    }
    const next = this.transition(m, { ...update, txnTimeoutMs: transactionTimeoutMs, partitions: new Set(), txnStartTimestamp: -1 });
    this.log.info(`initialized transactional id ${transactionalId} with producer id ${next.producerId} and epoch ${next.producerEpoch}`);
    return { errorCode: ErrorCode.NONE, producerId: next.producerId, producerEpoch: next.producerEpoch };
  }

  // ---------------------------------------------------------------- AddPartitionsToTxn

  private checkProducer(transactionalId: string, producerId: number, producerEpoch: number): { error: number } | { m: TransactionMetadata } {
    if (this.closed) return { error: ErrorCode.COORDINATOR_NOT_AVAILABLE };
    if (!transactionalId) return { error: ErrorCode.INVALID_REQUEST };
    const m = this.txns.get(transactionalId);
    if (!m || m.producerId !== producerId) return { error: ErrorCode.INVALID_PRODUCER_ID_MAPPING };
    if (m.producerEpoch !== producerEpoch) return { error: ErrorCode.PRODUCER_FENCED };
    if (m.state === 'PrepareCommit' || m.state === 'PrepareAbort') return { error: ErrorCode.CONCURRENT_TRANSACTIONS };
    return { m };
  }

  /** Partitions are `topic\0partition` keys, already known to exist. */
  addPartitions(transactionalId: string, producerId: number, producerEpoch: number, partitions: string[]): number {
    const checked = this.checkProducer(transactionalId, producerId, producerEpoch);
    if ('error' in checked) return checked.error;
    const m = checked.m;
    if (m.state === 'Ongoing' && partitions.every((p) => m.partitions.has(p))) return ErrorCode.NONE;
    const starting = m.state === 'Empty' || m.state === 'CompleteCommit' || m.state === 'CompleteAbort';
    this.transition(m, { state: 'Ongoing', partitions: new Set([...m.partitions, ...partitions]), txnStartTimestamp: starting ? this.now() : m.txnStartTimestamp });
    return ErrorCode.NONE;
  }

  /**
   * Whether each partition is in the producer's open transaction (AddPartitionsToTxn v4
   * verifyOnly, and the check before a transactional produce or offset commit):
   * TRANSACTION_ABORTABLE for one that is not.
   */
  verifyPartitions(transactionalId: string, producerId: number, producerEpoch: number, partitions: string[]): Map<string, number> {
    const checked = this.checkProducer(transactionalId, producerId, producerEpoch);
    if ('error' in checked) return new Map(partitions.map((p) => [p, checked.error]));
    return new Map(partitions.map((p) => [p, checked.m.partitions.has(p) ? ErrorCode.NONE : ErrorCode.TRANSACTION_ABORTABLE]));
  }

  // ---------------------------------------------------------------- EndTxn

  endTransaction(transactionalId: string, producerId: number, producerEpoch: number, commit: boolean): number {
    return this.endTransactionAs(transactionalId, producerId, producerEpoch, commit, true);
  }

  private endTransactionAs(transactionalId: string, producerId: number, producerEpoch: number, commit: boolean, fromClient: boolean): number {
    if (this.closed) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (!transactionalId) return ErrorCode.INVALID_REQUEST;
    const m = this.txns.get(transactionalId);
    if (!m || m.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    // Clients must match the epoch exactly; the coordinator itself may end with a bumped one (fencing).
    if ((fromClient && producerEpoch !== m.producerEpoch) || producerEpoch < m.producerEpoch) return ErrorCode.PRODUCER_FENCED;
    const wanted: TransactionState = commit ? 'CompleteCommit' : 'CompleteAbort';
    switch (m.state) {
      case 'Ongoing': {
        const fencing = producerEpoch !== m.producerEpoch;
        const prepared = this.transition(m, {
          state: commit ? 'PrepareCommit' : 'PrepareAbort',
          producerEpoch,
          lastProducerEpoch: fencing ? -1 : m.lastProducerEpoch,
        });
        this.completeTransaction(prepared, commit);
        return ErrorCode.NONE;
      }
      case 'CompleteCommit':
      case 'CompleteAbort':
        return m.state === wanted ? ErrorCode.NONE : ErrorCode.INVALID_TXN_STATE;
      case 'PrepareCommit':
        return commit ? ErrorCode.CONCURRENT_TRANSACTIONS : ErrorCode.INVALID_TXN_STATE;
      case 'PrepareAbort':
        return commit ? ErrorCode.INVALID_TXN_STATE : ErrorCode.CONCURRENT_TRANSACTIONS;
      default:
        return ErrorCode.INVALID_TXN_STATE;
    }
  }

  /** Markers to every partition of a prepared transaction, then CompleteCommit / CompleteAbort. */
  private completeTransaction(prepared: TransactionMetadata, commit: boolean): void {
    const now = this.now();
    for (const key of prepared.partitions) {
      const { topic, partition } = parseTxnPartitionKey(key);
      if (!this.host.partitionLog(topic, partition)) {
        this.log.warn(`skipping the ${commit ? 'COMMIT' : 'ABORT'} marker of ${prepared.transactionalId} for ${topic}-${partition}: the partition no longer exists`);
        continue;
      }
      try {
        writeTxnMarker(this.host, topic, partition, { producerId: prepared.producerId, producerEpoch: prepared.producerEpoch, commit, coordinatorEpoch: COORDINATOR_EPOCH }, now, (pid, p, c) =>
          this.host.onOffsetsTxnCompleted(pid, p, c),
        );
      } catch (err) {
        if (!(err instanceof ProducerStateError)) throw err;
        this.log.warn(`the ${commit ? 'COMMIT' : 'ABORT'} marker of ${prepared.transactionalId} was refused by ${topic}-${partition}: ${err.message}`);
      }
    }
    this.transition(prepared, { state: commit ? 'CompleteCommit' : 'CompleteAbort', partitions: new Set() });
  }

  /** Aborts the open transaction with the epoch bumped, so its producer is fenced. */
  private fenceAndAbort(m: TransactionMetadata): number {
    if (m.producerEpoch >= 0x7fff) {
      this.log.error(`cannot fence producer ${m.producerId} of ${m.transactionalId}: its epoch is exhausted`);
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    }
    return this.endTransactionAs(m.transactionalId, m.producerId, m.producerEpoch + 1, false, false);
  }

  /** Ongoing transactions past their timeout are aborted and their producer fenced. */
  abortTimedOutTransactions(): number {
    if (this.closed) return 0;
    const now = this.now();
    let aborted = 0;
    for (const m of [...this.txns.values()]) {
      if (m.state !== 'Ongoing' || m.txnStartTimestamp + m.txnTimeoutMs >= now) continue;
      this.log.info(`aborting transaction of ${m.transactionalId} (producer ${m.producerId}, epoch ${m.producerEpoch}): it exceeded its ${m.txnTimeoutMs} ms timeout`);
      if (this.fenceAndAbort(m) === ErrorCode.NONE) aborted++;
    }
    return aborted;
  }

  // ---------------------------------------------------------------- admin

  describe(transactionalId: string): { errorCode: number; metadata?: TransactionMetadata } {
    if (this.closed) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE };
    if (transactionalId === '') return { errorCode: ErrorCode.INVALID_REQUEST };
    const m = this.txns.get(transactionalId);
    if (!m || m.state === 'Dead') return { errorCode: ErrorCode.TRANSACTIONAL_ID_NOT_FOUND };
    return { errorCode: ErrorCode.NONE, metadata: m };
  }

  list(stateFilters: string[], producerIdFilters: number[], durationFilterMs: number): { unknownStateFilters: string[]; transactions: TransactionMetadata[] } {
    const unknownStateFilters = stateFilters.filter((s) => !isTransactionStateName(s));
    const states = new Set(stateFilters.filter(isTransactionStateName));
    const pids = new Set(producerIdFilters);
    const now = this.now();
    const transactions = [...this.txns.values()].filter(
      (m) =>
        m.state !== 'Dead' &&
        (pids.size === 0 || pids.has(m.producerId)) &&
        (stateFilters.length === 0 || states.has(m.state)) &&
        !(durationFilterMs >= 0 && now - m.txnStartTimestamp <= durationFilterMs),
    );
    return { unknownStateFilters, transactions };
  }

  close(): void {
    this.closed = true;
    if (this.abortTimer) clearInterval(this.abortTimer);
  }
}
