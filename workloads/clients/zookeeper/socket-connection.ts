import { connect, type Socket } from 'node:net';
import { FrameReader, JuteWriter } from '../../../protocols/zookeeper/index.js';
import type { HostAddress } from './connect-string.js';

export interface SocketConnectionHandlers {
  onConnect(connection: SocketConnection): void;
  onFrame(connection: SocketConnection, frame: Buffer): void;
  /** Called once, whatever ended the connection. */
  onClose(connection: SocketConnection, reason: Error | undefined): void;
}

/**
 * One TCP connection to a ZooKeeper server: connect with a timeout, split incoming frames,
 * and batch outgoing ones. Messages are appended to `writer` and written in one socket write
 * per tick (process.nextTick runs after the current call stack and its promise continuations
 * queue more requests, so a burst of requests becomes one write).
 */
export class SocketConnection {
  readonly writer = new JuteWriter();
  readonly address: HostAddress;
  private handshakeDoneValue = false;
  lastSentAt = Date.now();
  lastReceivedAt = Date.now();
  private readonly socket: Socket;
  private readonly frames: FrameReader;
  private flushScheduled = false;
  private closed = false;
  private connectTimer: NodeJS.Timeout | undefined;
  private closeReason: Error | undefined;

  constructor(address: HostAddress, options: { connectTimeout: number; maxFrameSize: number }, private readonly handlers: SocketConnectionHandlers) {
    this.address = address;
    this.frames = new FrameReader({ onFrame: (frame) => this.handlers.onFrame(this, frame) }, { maxFrameSize: options.maxFrameSize });
    this.socket = connect({ host: address.host, port: address.port });
    this.socket.setNoDelay(true);
    // Covers the TCP connect and the handshake: a server that accepts but never answers the
    // ConnectRequest (one still starting up, say) must not hold the client forever.
    this.connectTimer = setTimeout(
      () => this.destroy(new Error(`no session from ${address.host}:${address.port} within ${options.connectTimeout} ms`)),
      options.connectTimeout,
    );
    this.socket.on('connect', () => this.handlers.onConnect(this));
    this.socket.on('data', (chunk: Buffer) => {
      this.lastReceivedAt = Date.now();
      try {
        this.frames.push(chunk);
      } catch (e) {
        this.destroy(e instanceof Error ? e : new Error(String(e)));
      }
    });
    this.socket.on('error', (e) => (this.closeReason ??= e));
    this.socket.on('close', () => {
      clearTimeout(this.connectTimer);
      if (this.closed) return;
      this.closed = true;
      this.handlers.onClose(this, this.closeReason);
    });
  }

  /** True once the ConnectResponse arrived. */
  get handshakeDone(): boolean {
    return this.handshakeDoneValue;
  }

  handshakeCompleted(): void {
    this.handshakeDoneValue = true;
    clearTimeout(this.connectTimer);
  }

  get isClosed(): boolean {
    return this.closed || this.socket.destroyed;
  }

  scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    process.nextTick(() => this.flush());
  }

  flush(): void {
    this.flushScheduled = false;
    if (this.writer.length === 0 || this.isClosed) return;
    this.lastSentAt = Date.now();
    this.socket.write(this.writer.take());
  }

  /** Ends the connection now; `reason` is reported to onClose. */
  destroy(reason?: Error): void {
    this.closeReason ??= reason;
    this.socket.destroy();
  }
}
