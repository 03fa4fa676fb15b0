import { closeSync, openSync, readSync, unlinkSync } from 'node:fs';
import { UsageError } from '../../../common/errors.js';
import type { Logger } from '../../../common/logger.js';
import { DataTree, type DataTreeOptions } from '../tree/data-tree.js';
import { TxnType, type TxnEntry } from '../tree/txn.js';
import { listLogs, readLogFile, truncateLog, TxnLogWriter } from './txn-log.js';
import { listSnapshots, readSnapshot, writeSnapshot, type SnapshotSession, type SnapshotWriteResult } from './snapshot.js';
import { LOG_MAGIC, SNAPSHOT_MAGIC, versionDir } from './storage-files.js';

export interface PersistenceOptions {
  dataDir: string;
  dataLogDir: string;
  forceSync: boolean;
  preAllocSize: number;
  log: Logger;
  onFatal: (err: Error) => void;
}

export interface RecoveredState {
  tree: DataTree;
  /** Live sessions with their negotiated timeouts. */
  sessions: Map<bigint, number>;
  lastZxid: number;
  snapshotFile: string | null;
  replayedTxns: number;
}

/** A storage problem that stops the server from starting (exit 2: the operator must act). */
export class StorageError extends UsageError {
  constructor(message: string) {
    super('KZ_ZK_STORAGE', message);
  }
}

/**
 * Apache's `FileTxnSnapLog` in spirit: where snapshots and logs live, how the state is
 * rebuilt at start (newest valid snapshot, then every logged txn after it, a torn tail cut
 * off), and which old files autopurge may delete.
 */
export class Persistence {
  readonly snapDir: string;
  readonly logDir: string;
  log!: TxnLogWriter;
  private snapshotting: Promise<SnapshotWriteResult> | null = null;
  lastSnapshot: SnapshotWriteResult | null = null;

  constructor(private readonly options: PersistenceOptions) {
    this.snapDir = versionDir(options.dataDir);
    this.logDir = versionDir(options.dataLogDir);
  }

  recover(treeOptions: DataTreeOptions, onReplay?: (entry: TxnEntry) => void): RecoveredState {
    const logger = this.options.log;
    this.refuseForeignFiles();
    let tree = new DataTree(treeOptions);
    let sessions = new Map<bigint, number>();
    let snapZxid = 0;
    let snapshotFile: string | null = null;
    const snapshots = listSnapshots(this.snapDir).reverse();
    for (const snap of snapshots) {
      const candidate = new DataTree(treeOptions);
      try {
        const loaded = readSnapshot(snap.path, candidate);
        tree = candidate;
        sessions = new Map(loaded.sessions.map((s: SnapshotSession) => [s.id, s.timeout]));
        snapZxid = loaded.lastZxid;
        snapshotFile = snap.path;
        logger.info(`loaded snapshot ${snap.path} (${loaded.nodeCount} znodes, zxid 0x${snapZxid.toString(16)})`);
        break;
      } catch (err) {
        logger.warn(`skipping snapshot ${snap.path}: ${(err as Error).message}`);
      }
    }
    tree.setupQuota();

    const logs = listLogs(this.logDir);
    // The newest log starting at or before the snapshot holds the txns right after it.
    let first = 0;
    for (let i = 0; i < logs.length; i++) if (logs[i]!.zxid <= snapZxid + 1) first = i;
    let lastZxid = snapZxid;
    let replayed = 0;
    for (let i = first; i < logs.length; i++) {
      const file = logs[i]!;
      const isLast = i === logs.length - 1;
      const result = readLogFile(file.path, (entry) => {
        const { header, txn } = entry;
        if (header.zxid <= lastZxid) return;
        if (lastZxid !== 0 && header.zxid !== lastZxid + 1 && replayed > 0) {
          throw new StorageError(
            `transaction log gap: zxid 0x${lastZxid.toString(16)} is followed by 0x${header.zxid.toString(16)} in ${file.path}. ` +
              'A log file is missing; restore it or move the data directory aside.',
          );
        }
        tree.processTxn(header, txn);
        if (txn.type === TxnType.createSession) sessions.set(header.sessionId, txn.timeout);
        else if (txn.type === TxnType.closeSession) sessions.delete(header.sessionId);
        onReplay?.(entry);
        lastZxid = header.zxid;
        replayed++;
      });
      if (result.torn) {
        if (!isLast) {
          throw new StorageError(
            `${file.path} is corrupt (${result.problem}) and later logs exist, so acknowledged txns would be lost. ` +
              'Repair or remove the damaged files deliberately before starting.',
          );
        }
        logger.warn(`${file.path}: ${result.problem}; truncating the torn tail at byte ${result.validEnd}`);
        truncateLog(file.path, result.validEnd);
      }
    }
    tree.lastProcessedZxid = Math.max(tree.lastProcessedZxid, lastZxid);
    if (replayed > 0) logger.info(`replayed ${replayed} txns from the log up to zxid 0x${lastZxid.toString(16)}`);
    this.log = new TxnLogWriter(
      { dir: this.logDir, forceSync: this.options.forceSync, preAllocSize: this.options.preAllocSize, onFatal: this.options.onFatal },
      tree.lastProcessedZxid,
    );
    return { tree, sessions, lastZxid: tree.lastProcessedZxid, snapshotFile, replayedTxns: replayed };
  }

  /**
   * Apache's own log and snapshot files share our names but not our format. Starting over them
   * would truncate an Apache log as a "torn tail" and later overwrite its snapshots, so we stop.
   */
  private refuseForeignFiles(): void {
    const files = [...listLogs(this.logDir).map((f) => ({ ...f, magic: LOG_MAGIC })), ...listSnapshots(this.snapDir).map((f) => ({ ...f, magic: SNAPSHOT_MAGIC }))];
    for (const f of files) {
      const head = Buffer.alloc(4);
      const fd = openSync(f.path, 'r');
      let n: number;
      try {
        n = readSync(fd, head, 0, 4, 0);
      } finally {
        closeSync(fd);
      }
      if (n === 4 && head.readInt32BE(0) !== f.magic) {
        throw new StorageError(
          `${f.path} is not a kzbench file (Apache ZooKeeper's format?). The reference server keeps its own format; ` +
            'give it an empty data directory (its contents are not migrated).',
        );
      }
    }
  }

  get snapshotInProgress(): boolean {
    return this.snapshotting !== null;
  }

  /** Rolls the log and writes a fuzzy snapshot in the background (one at a time). */
  snapshot(tree: DataTree, sessions: SnapshotSession[], now: () => number): Promise<SnapshotWriteResult> | null {
    if (this.snapshotting !== null) return null;
    this.log.roll();
    const started = performance.now();
    this.snapshotting = writeSnapshot({
      dir: this.snapDir,
      tree,
      sessions,
      now,
      waitDurable: (zxid) => this.waitDurable(zxid),
    }).then(
      (result) => {
        this.snapshotting = null;
        this.lastSnapshot = result;
        this.options.log.info(
          `snapshot ${result.file}: ${result.nodeCount} znodes in ${Math.round(performance.now() - started)} ms`,
        );
        return result;
      },
      (err: Error) => {
        this.snapshotting = null;
        this.options.log.error(`snapshot failed: ${err.message}`);
        throw err;
      },
    );
    return this.snapshotting;
  }

  /** Resolves when the snapshot being written (if any) has finished or failed. */
  async snapshotDone(): Promise<void> {
    try {
      await this.snapshotting;
    } catch {
      // already logged
    }
  }

  /** Resolves when every txn up to `zxid` is durable in the log. */
  waitDurable(zxid: number): Promise<void> {
    if (this.log.durableZxid >= zxid) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (durable: number) => {
        if (durable >= zxid) {
          resolve();
          return true;
        }
        return false;
      };
      this.durableWaiters.push(check);
      if (!this.listening) {
        this.listening = true;
        this.log.onDurable((durable) => {
          this.durableWaiters = this.durableWaiters.filter((w) => !w(durable));
        });
      }
    });
  }
  private durableWaiters: Array<(durable: number) => boolean> = [];
  private listening = false;

  /** Autopurge: keep the newest `retain` snapshots and the logs they need; delete the rest. */
  purge(retain: number): { snapshots: string[]; logs: string[] } {
    const snaps = listSnapshots(this.snapDir);
    const removed = { snapshots: [] as string[], logs: [] as string[] };
    if (snaps.length <= retain) return removed;
    const kept = snaps.slice(snaps.length - retain);
    const oldestKeptZxid = kept[0]!.zxid;
    for (const s of snaps.slice(0, snaps.length - retain)) {
      unlinkSync(s.path);
      removed.snapshots.push(s.path);
    }
    const logs = listLogs(this.logDir);
    // Keep the newest log that starts at or before the oldest kept snapshot: it holds the txns after it.
    let keepFrom = 0;
    for (let i = 0; i < logs.length; i++) if (logs[i]!.zxid <= oldestKeptZxid) keepFrom = i;
    for (const l of logs.slice(0, keepFrom)) {
      if (l.path === this.log.currentFile) continue;
      unlinkSync(l.path);
      removed.logs.push(l.path);
    }
    return removed;
  }

  close(): Promise<void> {
    return this.log.close();
  }
}
