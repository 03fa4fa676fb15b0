import type { Socket } from 'node:net';
import { CodecError, FrameReader, type FourLetterWord } from '../../../protocols/zookeeper/index.js';
import type { Id } from '../tree/acl.js';
import type { Acl } from '../tree/acl.js';
import type { WatchedEvent, Watcher } from '../watch/watch-types.js';
import { normalizeRemoteAddress } from '../auth/ip-auth-provider.js';

/** What a connection needs from the server it belongs to. */
export interface ConnectionHost {
  readonly maxFrameSize: number;
  /** Highest zxid whose txn is durable: frames gated on later zxids wait. */
  readonly durableZxid: number;
  onConnectFrame(conn: ClientConnection, payload: Buffer): void;
  onRequestFrame(conn: ClientConnection, payload: Buffer): void;
  onFourLetterWord(conn: ClientConnection, word: FourLetterWord): void;
  onBadFrame(conn: ClientConnection, err: CodecError): void;
  onWatchEvent(conn: ClientConnection, event: WatchedEvent, acl: readonly Acl[] | null): void;
  onClosed(conn: ClientConnection): void;
  /** The connection holds frames waiting for durability; call `release` when it advances. */
  markBlocked(conn: ClientConnection): void;
  onFramesSent(conn: ClientConnection, count: number, bytes: number, latencies: number[]): void;
}

interface QueuedFrame {
  buf: Buffer;
  gate: number;
  started: number;
}

/** Pause reading when this many replies wait for the log, or this many bytes wait for the socket. */
const MAX_QUEUED_FRAMES = 2000;
const MAX_BUFFERED_BYTES = 8 << 20;

let nextConnectionId = 1;

/**
 * One client TCP connection (Apache's `NIOServerCnxn`): frames in, replies out in request
 * order. Every outgoing frame carries a gate — the zxid it reflects — and leaves only once the
 * transaction log is durable up to it, so no client ever sees a change a crash could lose.
 * Frames gated on the same durable point go out in one socket write.
 */
export class ClientConnection implements Watcher {
  readonly id = nextConnectionId++;
  sessionId = 0n;
  sessionTimeout = 0;
  /** Auth ids, starting with `ip:<peer>` as Apache's connections do. */
  readonly authInfo: Id[];
  /** A ConnectRequest has been accepted (later frames are requests). */
  initialized = false;
  /** The session is live and this connection serves it. */
  established = false;
  /** True once the client sent the short ConnectRequest (no readOnly byte). */
  shortConnectForm = false;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly connectedAt = Date.now();
  packetsReceived = 0;
  packetsSent = 0;
  lastLatency = 0;
  minLatency = Number.MAX_SAFE_INTEGER;
  maxLatency = 0;
  private latencyTotal = 0;
  private latencyCount = 0;
  lastOperation = 'NA';
  lastCxid = -1;
  lastZxid = -1;
  lastResponseAt = 0;
  /** SASL negotiation state, created on the first SASL packet. */
  sasl: unknown = null;

  private readonly reader: FrameReader;
  private queue: QueuedFrame[] = [];
  private flushScheduled = false;
  private closing = false;
  closed = false;
  private paused = false;
  private sessionlessTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly socket: Socket,
    private readonly host: ConnectionHost,
    sessionlessTimeoutMs: number,
  ) {
    this.remoteAddress = normalizeRemoteAddress(socket.remoteAddress ?? '0.0.0.0');
    this.remotePort = socket.remotePort ?? 0;
    this.authInfo = [{ scheme: 'ip', id: this.remoteAddress }];
    this.reader = new FrameReader(
      {
        onFrame: (frame) => {
          if (this.closing) return;
          this.packetsReceived++;
          if (!this.initialized) host.onConnectFrame(this, frame);
          else host.onRequestFrame(this, frame);
        },
        onFourLetterWord: (word) => host.onFourLetterWord(this, word),
      },
      { maxFrameSize: host.maxFrameSize, fourLetterWords: true },
    );
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.destroy());
    socket.on('close', () => this.destroy());
    socket.on('drain', () => this.maybeResume());
    // A connection that never completes its handshake is dropped (Apache's sessionless timeout).
    this.sessionlessTimer = setTimeout(() => {
      if (!this.established) this.destroy();
    }, sessionlessTimeoutMs);
    this.sessionlessTimer.unref();
  }

  get watcherSessionId(): bigint {
    return this.sessionId;
  }

  private onData(chunk: Buffer): void {
    if (this.closing) return;
    try {
      this.reader.push(chunk);
    } catch (err) {
      if (err instanceof CodecError) this.host.onBadFrame(this, err);
      else throw err;
    }
  }

  /** The handshake finished: stop the sessionless timer. */
  markEstablished(): void {
    this.established = true;
    if (this.sessionlessTimer !== null) clearTimeout(this.sessionlessTimer);
    this.sessionlessTimer = null;
  }

  deliver(event: WatchedEvent, acl: readonly Acl[] | null): void {
    if (!this.closed) this.host.onWatchEvent(this, event, acl);
  }

  /** Queues one encoded frame; it leaves once the log is durable up to `gate`. */
  send(buf: Buffer, gate: number, started = 0): void {
    if (this.closed) return;
    this.queue.push({ buf, gate, started });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(() => {
        this.flushScheduled = false;
        this.release();
      });
    }
    if (this.queue.length > MAX_QUEUED_FRAMES) this.pause();
  }

  /** Writes every queued frame whose gate is durable, in order, in one socket write. */
  release(): void {
    if (this.closed || this.queue.length === 0) {
      this.maybeFinishClose();
      return;
    }
    const durable = this.host.durableZxid;
    let n = 0;
    while (n < this.queue.length && this.queue[n]!.gate <= durable) n++;
    if (n > 0) {
      const frames = n === this.queue.length ? this.queue : this.queue.slice(0, n);
      this.queue = n === this.queue.length ? [] : this.queue.slice(n);
      const now = performance.now();
      const latencies: number[] = [];
      let bytes = 0;
      for (const f of frames) {
        bytes += f.buf.length;
        if (f.started > 0) {
          const ms = now - f.started;
          latencies.push(ms);
          this.recordLatency(ms);
        }
      }
      const out = frames.length === 1 ? frames[0]!.buf : Buffer.concat(frames.map((f) => f.buf), bytes);
      this.packetsSent += frames.length;
      this.lastResponseAt = Date.now();
      this.host.onFramesSent(this, frames.length, bytes, latencies);
      const flushed = this.socket.write(out);
      if (!flushed || this.socket.writableLength > MAX_BUFFERED_BYTES) this.pause();
    }
    if (this.queue.length > 0) this.host.markBlocked(this);
    else this.maybeResume();
    this.maybeFinishClose();
  }

  private recordLatency(ms: number): void {
    const rounded = Math.round(ms);
    this.lastLatency = rounded;
    this.latencyTotal += rounded;
    this.latencyCount++;
    if (rounded < this.minLatency) this.minLatency = rounded;
    if (rounded > this.maxLatency) this.maxLatency = rounded;
  }

  get avgLatency(): number {
    return this.latencyCount === 0 ? 0 : this.latencyTotal / this.latencyCount;
  }

  get queuedFrames(): number {
    return this.queue.length;
  }

  /** `crst`: forget this connection's counters. */
  resetStats(): void {
    this.packetsReceived = 0;
    this.packetsSent = 0;
    this.minLatency = Number.MAX_SAFE_INTEGER;
    this.maxLatency = 0;
    this.latencyTotal = 0;
    this.latencyCount = 0;
    this.lastLatency = 0;
    this.lastOperation = 'NA';
    this.lastCxid = -1;
    this.lastZxid = -1;
  }

  private pause(): void {
    if (!this.paused && !this.closed) {
      this.paused = true;
      this.socket.pause();
    }
  }

  private maybeResume(): void {
    if (!this.paused || this.closed || this.closing) return;
    if (this.queue.length <= MAX_QUEUED_FRAMES / 2 && this.socket.writableLength <= MAX_BUFFERED_BYTES / 2) {
      this.paused = false;
      this.socket.resume();
    }
  }

  /** Stops reading; closes once every queued frame has been written (after closeSession, AUTHFAILED...). */
  closeAfterFlush(): void {
    if (this.closing) return;
    this.closing = true;
    this.socket.pause();
    this.maybeFinishClose();
  }

  get isClosing(): boolean {
    return this.closing;
  }

  private maybeFinishClose(): void {
    if (this.closing && !this.closed && this.queue.length === 0 && !this.flushScheduled) {
      this.socket.end();
      // A peer that never reads must not keep the socket forever.
      setTimeout(() => this.destroy(), 5000).unref();
    }
  }

  /** Writes raw text (four-letter-word output) and closes. */
  writeAndClose(text: string): void {
    this.closing = true;
    this.socket.end(text);
    setTimeout(() => this.destroy(), 5000).unref();
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.closing = true;
    this.queue = [];
    if (this.sessionlessTimer !== null) clearTimeout(this.sessionlessTimer);
    this.socket.destroy();
    this.host.onClosed(this);
  }
}
