import { createWriteStream, type WriteStream } from 'node:fs';
import type { Op, OpType, ProcessId } from '../../checkers/history/op.js';

/** One entry before the recorder numbers it. */
export interface HistoryEntry {
  /** Nanoseconds since the run started. */
  time: bigint | number;
  process: ProcessId;
  type: OpType;
  f: string;
  value?: unknown;
  key?: unknown;
  node?: string;
  error?: unknown;
}

export interface HistoryRecorderOptions {
  /** Stream ops to this `history.jsonl`. */
  file?: string;
  /** Also keep ops in memory (`ops`), e.g. to hand them to a checker straight after the run. */
  keep?: boolean;
}

// Flush to the file in chunks: one write per op would cost a syscall-sized overhead on the
// hot path of a high-rate run.
const flushBytes = 64 * 1024;

/**
 * Writes `history.jsonl` (DESIGN.md "Formats"): one Jepsen-style op per line, `index` dense
 * from 0 in the order ops are recorded, `time` in ns since the run started. Field order is
 * fixed (index, time, process, type, f, value, key, node, error) so files diff cleanly.
 */
export class HistoryRecorder {
  readonly ops: Op[] = [];
  private nextIndex = 0;
  private pending = '';
  private bytes = 0;
  private readonly stream: WriteStream | null;
  private streamError: Error | null = null;
  private closed = false;

  constructor(private readonly opts: HistoryRecorderOptions = {}) {
    this.stream = opts.file ? createWriteStream(opts.file, { flags: 'w' }) : null;
    this.stream?.on('error', (err) => {
      this.streamError = err;
    });
  }

  /** Ops recorded so far. */
  get count(): number {
    return this.nextIndex;
  }

  /** Bytes of JSONL written (or buffered) to the file so far. */
  get size(): number {
    return this.bytes;
  }

  /** Numbers the entry, writes it, and returns the op as stored. */
  record(entry: HistoryEntry): Op {
    if (this.closed) throw new Error('history recorder is closed');
    const op: Op = {
      index: this.nextIndex++,
      time: typeof entry.time === 'bigint' ? Number(entry.time) : entry.time,
      process: entry.process,
      type: entry.type,
      f: entry.f,
      value: entry.value === undefined ? null : entry.value,
    };
    if (entry.key !== undefined) op.key = entry.key;
    if (entry.node !== undefined) op.node = entry.node;
    if (entry.error !== undefined) op.error = errorForHistory(entry.error);
    if (this.opts.keep) this.ops.push(op);
    if (this.stream) {
      const line = JSON.stringify(op, jsonSafe) + '\n';
      this.bytes += Buffer.byteLength(line);
      this.pending += line;
      if (this.pending.length >= flushBytes) this.flush();
    }
    return op;
  }

  /** Flushes and closes the file. Rejects if writing failed at any point. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.stream) return;
    this.flush();
    const stream = this.stream;
    await new Promise<void>((resolve, reject) => {
      stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
    });
    if (this.streamError) throw this.streamError;
  }

  private flush(): void {
    if (this.pending.length === 0 || !this.stream) return;
    this.stream.write(this.pending);
    this.pending = '';
  }
}

/** JSON has no bigint: safe integers become numbers, larger ones decimal strings. */
function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  return value;
}

/** Errors keep their message (and stable code when they have one); anything else as is. */
function errorForHistory(error: unknown): unknown {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' || typeof code === 'number' ? `${code}: ${error.message}` : error.message;
  }
  return error;
}
