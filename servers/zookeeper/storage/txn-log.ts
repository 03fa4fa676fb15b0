import { close, closeSync, fdatasync, fsyncSync, ftruncateSync, openSync, write, writeSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { TxnEntry } from '../tree/txn.js';
import { FORMAT_VERSION, LOG_MAGIC, LOG_PREFIX, fileName, listFiles, type StorageFile } from './storage-files.js';
import { SequentialFileReader } from './sequential-file-reader.js';
import { zookeeperFaults } from '../fault-injection.js';
import { JuteReader, JuteWriter, LogFileHeaderRecord, decodeTxnEntry, encodeTxnEntry } from './txn-records.js';

/**
 * Log file layout: a 16-byte header (LogFileHeader: magic "KZTL", version, dbid), then one
 * record per txn: int32 length L of what follows, uint32 CRC-32 of the payload, payload
 * (TxnHeader + body, L-4 bytes). The file is zero-filled ahead of the write position, so a
 * zero length marks the end; a record that is short or fails its CRC is a torn tail.
 */
const FILE_HEADER_SIZE = 16;
const RECORD_OVERHEAD = 8;
/** Zero-fill granularity: big enough to amortise, small enough that one fill never stalls a batch. */
const FILL_CHUNK = 1 << 20;
/** Batches up to this size are written synchronously (a page-cache copy); larger ones in the thread pool. */
const SYNC_WRITE_LIMIT = 64 * 1024;

export interface TxnLogOptions {
  dir: string;
  /** fsync (fdatasync) each batch before it counts as durable; `zookeeper.forceSync`. */
  forceSync: boolean;
  /** Upper bound of one zero-fill step, bytes (`zookeeper.preAllocSize`). */
  preAllocSize: number;
  /** Called once when a write or fsync fails: the log can no longer promise durability. */
  onFatal: (err: Error) => void;
}

/**
 * The write-ahead log with group commit: `append` encodes into the pending batch; the batch is
 * written and fdatasync'ed on the next turn of the event loop; txns appended meanwhile form the
 * next batch. `durableZxid` and the listeners tell the server which replies may go out.
 */
export class TxnLogWriter {
  private pending = new JuteWriter(64 * 1024);
  private pendingStarts: number[] = [];
  private pendingLastZxid = 0;
  private pendingFirstZxid = -1;
  private inFlight = false;
  private flushScheduled = false;
  private fd = -1;
  private filePos = 0;
  private allocatedEnd = 0;
  private filling = false;
  private waitingForFill: Array<() => void> = [];
  private fillIdleWaiters: Array<() => void> = [];
  private rollRequested = false;
  private closed = false;
  private failed = false;
  private closeWaiters: Array<() => void> = [];
  private readonly durableListeners: Array<(zxid: number) => void> = [];
  durableZxid: number;
  /** Txns appended since the log was last rolled. */
  txnsSinceRoll = 0;
  /** Bytes written to the current file. */
  get currentFileSize(): number {
    return this.filePos;
  }
  currentFile: string | null = null;
  batches = 0;
  fsyncTimeTotalMs = 0;

  constructor(
    private readonly options: TxnLogOptions,
    lastZxid: number,
  ) {
    this.durableZxid = lastZxid;
  }

  onDurable(listener: (zxid: number) => void): void {
    this.durableListeners.push(listener);
  }

  get hasPending(): boolean {
    return this.pendingStarts.length > 0 || this.inFlight;
  }

  append(entry: TxnEntry): void {
    if (this.closed || this.failed) throw new Error('the transaction log is closed');
    const w = this.pending;
    const start = w.pos;
    w.int(0);
    w.int(0);
    encodeTxnEntry(w, entry);
    this.pendingStarts.push(start);
    if (this.pendingFirstZxid === -1) this.pendingFirstZxid = entry.header.zxid;
    this.pendingLastZxid = entry.header.zxid;
    this.txnsSinceRoll++;
    if (!this.inFlight && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }

  /** The next batch starts a new file (called before a snapshot, as Apache rolls its log). */
  roll(): void {
    this.rollRequested = true;
    this.txnsSinceRoll = 0;
  }

  private flush(): void {
    if (this.inFlight || this.pendingStarts.length === 0 || this.failed) {
      this.maybeFinishClose();
      return;
    }
    this.inFlight = true;
    const starts = this.pendingStarts;
    const firstZxid = this.pendingFirstZxid;
    const lastZxid = this.pendingLastZxid;
    const batch = this.pending.take();
    this.pendingStarts = [];
    this.pendingFirstZxid = -1;
    for (let i = 0; i < starts.length; i++) {
      const s = starts[i]!;
      const e = i + 1 < starts.length ? starts[i + 1]! : batch.length;
      const payload = batch.subarray(s + RECORD_OVERHEAD, e);
      batch.writeInt32BE(e - s - 4, s);
      batch.writeUInt32BE(crc32(payload), s + 4);
    }
    const writeBatch = () => {
      const writeAt = this.filePos;
      this.filePos += batch.length;
      this.ensureAllocated(this.filePos, () => {
        const t0 = performance.now();
        const done = () => {
          this.fsyncTimeTotalMs += performance.now() - t0;
          this.batches++;
          this.inFlight = false;
          this.durableZxid = lastZxid;
          for (const l of this.durableListeners) l(lastZxid);
          this.prefill();
          if (this.pendingStarts.length > 0) this.flush();
          else this.maybeFinishClose();
        };
        const sync = () => {
          if (!this.options.forceSync || zookeeperFaults.skipsFsync) return done(); // skip-fsync: off unless --inject-bug
          fdatasync(this.fd, (syncErr) => (syncErr ? this.fail(syncErr) : (zookeeperFaults.recordDurable(this.currentFile!, writeAt + batch.length), done())));
        };
        if (batch.length <= SYNC_WRITE_LIMIT) {
          // A small write into preallocated space only copies into the page cache: doing it here
          // saves a thread-pool round trip per batch; the fdatasync that makes it durable is async.
          try {
            writeSync(this.fd, batch, 0, batch.length, writeAt);
          } catch (err) {
            return this.fail(err as Error);
          }
          return sync();
        }
        write(this.fd, batch, 0, batch.length, writeAt, (err) => (err ? this.fail(err) : sync()));
      });
    };
    if (this.fd !== -1 && !this.rollRequested) return writeBatch();
    // A file is closed only once no zero-fill is writing to it: a reused fd number must never
    // receive a stale write.
    this.whenFillIdle(() => {
      try {
        this.openNewFile(firstZxid);
      } catch (err) {
        this.fail(err as Error);
        return;
      }
      writeBatch();
    });
  }

  private whenFillIdle(then: () => void): void {
    if (!this.filling) return then();
    this.fillIdleWaiters.push(then);
  }

  private openNewFile(firstZxid: number): void {
    if (this.fd !== -1) {
      // The previous file is complete and durable (flush never overlaps), so closing is safe.
      closeSync(this.fd);
    }
    this.rollRequested = false;
    const file = path.join(this.options.dir, fileName(LOG_PREFIX, firstZxid));
    this.fd = openSync(file, 'w+');
    const header = new JuteWriter(FILE_HEADER_SIZE);
    LogFileHeaderRecord.encode(header, { magic: LOG_MAGIC, version: FORMAT_VERSION, dbid: 0n });
    writeSync(this.fd, header.take(), 0, FILE_HEADER_SIZE, 0);
    fsyncSync(this.fd);
    zookeeperFaults.recordDurable(file, FILE_HEADER_SIZE); // durability journal: off unless the disk nemesis asks
    this.currentFile = file;
    this.filePos = FILE_HEADER_SIZE;
    this.allocatedEnd = FILE_HEADER_SIZE;
  }

  private get fillChunk(): number {
    return Math.max(4096, Math.min(FILL_CHUNK, this.options.preAllocSize));
  }

  /**
   * Runs `then` once [0, end) is zero-filled. Fills only extend past `allocatedEnd`, and a
   * batch is written only inside filled space, so a fill can never overwrite a record.
   */
  private ensureAllocated(end: number, then: () => void): void {
    if (end <= this.allocatedEnd) return then();
    this.waitingForFill.push(() => this.ensureAllocated(end, then));
    if (!this.filling) this.fill(Math.max(end, this.allocatedEnd + this.fillChunk));
  }

  /** Keeps a chunk of zeros ahead of the writer so fdatasync rarely has to update file metadata. */
  private prefill(): void {
    if (!this.filling && this.fd !== -1 && this.allocatedEnd - this.filePos < this.fillChunk / 2) {
      this.fill(this.allocatedEnd + this.fillChunk);
    }
  }

  private fill(target: number): void {
    this.filling = true;
    const from = this.allocatedEnd;
    const zeros = Buffer.alloc(target - from);
    write(this.fd, zeros, 0, zeros.length, from, (err) => {
      this.filling = false;
      if (err) return this.fail(err);
      this.allocatedEnd = Math.max(this.allocatedEnd, target);
      const waiting = this.waitingForFill;
      this.waitingForFill = [];
      for (const w of waiting) w();
      const idle = this.fillIdleWaiters;
      this.fillIdleWaiters = [];
      if (!this.filling) for (const w of idle) w();
      else this.fillIdleWaiters.push(...idle);
    });
  }

  private fail(err: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.inFlight = false;
    this.options.onFatal(err);
    this.maybeFinishClose();
  }

  /** Flushes what is pending, then closes the file. */
  close(): Promise<void> {
    this.closed = true;
    return new Promise((resolve) => {
      this.closeWaiters.push(resolve);
      if (!this.inFlight && !this.flushScheduled) this.flush();
    });
  }

  private maybeFinishClose(): void {
    if (!this.closed || this.inFlight || (this.pendingStarts.length > 0 && !this.failed)) return;
    const waiters = this.closeWaiters;
    this.closeWaiters = [];
    if (waiters.length === 0) return;
    const fd = this.fd;
    this.fd = -1;
    const finish = () => {
      for (const w of waiters) w();
    };
    if (fd === -1) finish();
    else this.whenFillIdle(() => close(fd, () => finish()));
  }
}

export interface LogReadResult {
  file: string;
  /** Offset just past the last valid record. */
  validEnd: number;
  /** True when bytes after `validEnd` are not zero padding (a torn or corrupt record). */
  torn: boolean;
  /** Why reading stopped early, when it did. */
  problem?: string;
}

/** Reads every valid txn of one log file, in order. */
export function readLogFile(file: string, onEntry: (entry: TxnEntry) => void): LogReadResult {
  const reader = new SequentialFileReader(file);
  try {
    const head = reader.read(FILE_HEADER_SIZE);
    if (head === null) return { file, validEnd: 0, torn: true, problem: 'file shorter than its header' };
    const header = LogFileHeaderRecord.decode(new JuteReader(head));
    if (header.magic !== LOG_MAGIC) return { file, validEnd: 0, torn: true, problem: 'not a kzbench transaction log (bad magic)' };
    if (header.version !== FORMAT_VERSION) return { file, validEnd: 0, torn: true, problem: `unsupported log version ${header.version}` };
    let validEnd = FILE_HEADER_SIZE;
    const r = new JuteReader();
    for (;;) {
      const prefix = reader.read(8);
      if (prefix === null) return { file, validEnd, torn: false };
      const len = prefix.readInt32BE(0);
      const crc = prefix.readUInt32BE(4);
      if (len === 0 && crc === 0) return { file, validEnd, torn: false };
      if (len < 4) return { file, validEnd, torn: true, problem: `bad record length ${len} at ${validEnd}` };
      const payload = reader.read(len - 4);
      if (payload === null) return { file, validEnd, torn: true, problem: `record at ${validEnd} is cut short` };
      if (crc32(payload) !== crc) return { file, validEnd, torn: true, problem: `CRC mismatch in record at ${validEnd}` };
      let entry: TxnEntry;
      try {
        // A view is enough: the entry is handled before the next read reuses the window,
        // and the tree keeps its own copy of the data.
        entry = decodeTxnEntry(r.reset(payload));
      } catch (err) {
        return { file, validEnd, torn: true, problem: `undecodable record at ${validEnd}: ${(err as Error).message}` };
      }
      onEntry(entry);
      validEnd = reader.position;
    }
  } finally {
    reader.close();
  }
}

/** Cuts a torn tail off so appends after recovery never follow garbage. */
export function truncateLog(file: string, validEnd: number): void {
  const fd = openSync(file, 'r+');
  try {
    ftruncateSync(fd, validEnd);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function listLogs(dir: string): StorageFile[] {
  return listFiles(dir, LOG_PREFIX);
}
