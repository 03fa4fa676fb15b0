import type { Socket } from 'node:net';
import { KafkaApis } from '../../protocols/kafka/api-catalog.js';
import { ApiKey } from '../../protocols/kafka/api-keys.js';
import { FrameReader } from '../../protocols/kafka/frame-reader.js';
import { UnsupportedRequestError, decodeRequestHeader, encodeResponseFrame } from '../../protocols/kafka/message-frames.js';
import { codecFor } from '../../protocols/kafka/schema/compile-codec.js';
import type { BrokerState } from './broker-state.js';
import { type ApiHandler, closeConnection, noResponse } from './handlers/api-handler.js';
import { unsupportedApiVersionsResponse } from './handlers/api-versions.js';

/**
 * One client connection. Requests are handled one at a time in arrival order and answered
 * in that order, as Apache mutes a channel until its response is sent: the client may
 * pipeline (it does not wait for a response before sending the next request), the broker
 * keeps per-connection ordering (idempotent producers depend on it). A malformed frame, an
 * unknown API or version, or a handler failure closes this connection only.
 */
export class BrokerConnection {
  private readonly reader: FrameReader;
  private readonly queue: Buffer[] = [];
  private processing = false;
  private readonly abort = new AbortController();
  private closed = false;
  private readonly clientHost: string;

  constructor(
    private readonly socket: Socket,
    private readonly broker: BrokerState,
    private readonly handlers: Map<number, ApiHandler>,
  ) {
    this.reader = new FrameReader({ maxFrameSize: broker.config.socketRequestMaxBytes });
    // Java's InetAddress.toString() form, which Apache shows as a member's client host.
    this.clientHost = `/${(socket.remoteAddress ?? '').replace(/^::ffff:/, '')}`;
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  private onData(chunk: Buffer): void {
    try {
      this.reader.push(chunk, (frame) => this.queue.push(frame));
    } catch (err) {
      this.broker.log.warn(`closing connection from ${this.socket.remoteAddress}:${this.socket.remotePort}: ${(err as Error).message}`);
      this.close();
      return;
    }
    if (!this.processing) void this.drain();
  }

  private async drain(): Promise<void> {
    this.processing = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const frame = this.queue.shift()!;
        const out = await this.handle(frame);
        if (out === closeConnection) {
          this.close();
          return;
        }
        if (out && !this.closed) {
          this.socket.cork();
          let ok = true;
          for (const chunk of out) ok = this.socket.write(chunk);
          this.socket.uncork();
          // Backpressure: a slow reader stops us from reading further requests' responses into memory.
          if (!ok && !this.closed) await new Promise<void>((resolve) => {
            const done = () => {
              this.socket.off('drain', done);
              this.socket.off('close', done);
              resolve();
            };
            this.socket.once('drain', done);
            this.socket.once('close', done);
          });
        }
      }
    } finally {
      this.processing = false;
    }
  }

  /** The response chunks, undefined for no response, or closeConnection. */
  private async handle(frame: Buffer): Promise<Buffer[] | undefined | typeof closeConnection> {
    let decoded;
    try {
      decoded = decodeRequestHeader(frame);
    } catch (err) {
      if (err instanceof UnsupportedRequestError && err.header.apiKey === ApiKey.ApiVersions) return this.apiVersionsFallback(err.header.correlationId);
      this.broker.log.warn(`closing connection: ${(err as Error).message}`);
      return closeConnection;
    }
    const { header, reader } = decoded;
    const handler = this.handlers.get(header.apiKey);
    if (!handler || header.apiVersion < handler.minVersion || header.apiVersion > handler.maxVersion) {
      if (header.apiKey === ApiKey.ApiVersions) return this.apiVersionsFallback(header.correlationId);
      this.broker.log.warn(`closing connection: ${handler ? `${handler.api.name} v${header.apiVersion}` : `API key ${header.apiKey}`} is not implemented`);
      return closeConnection;
    }
    try {
      const body = codecFor(handler.api.request, header.apiVersion).decode(reader);
      const result = await handler.handle(body, { header, broker: this.broker, aborted: this.abort.signal, clientHost: this.clientHost });
      if (result === noResponse) return undefined;
      if (result === closeConnection) return closeConnection;
      return encodeResponseFrame(handler.api, header.apiVersion, header.correlationId, result).toChunks();
    } catch (err) {
      // A disk error stops the whole broker (BrokerState.storageFailed); anything else, this connection.
      if (this.broker.storageFailed(err)) return closeConnection;
      this.broker.log.warn(`closing connection after ${handler.api.name} v${header.apiVersion} failed: ${(err as Error).message}`);
      return closeConnection;
    }
  }

  /** KIP-511: an ApiVersions version we do not know is answered in v0 (see unsupportedApiVersionsResponse). */
  private apiVersionsFallback(correlationId: number): Buffer[] {
    return encodeResponseFrame(KafkaApis.ApiVersions, 0, correlationId, unsupportedApiVersionsResponse(this.broker.advertisedVersions)).toChunks();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    this.socket.destroy();
  }
}
