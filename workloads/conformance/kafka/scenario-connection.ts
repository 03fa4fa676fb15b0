import { connect as netConnect, type Socket } from 'node:net';
import { ByteWriter } from '../../../protocols/kafka/byte-writer.js';
import { FrameReader } from '../../../protocols/kafka/frame-reader.js';
import { encodeRequestFrame } from '../../../protocols/kafka/message-frames.js';
import type { KafkaApi } from '../../../protocols/kafka/api-catalog.js';
import type { MessageInput, MessageSpec } from '../../../protocols/kafka/schema/message-schema.js';

/** What became of a request: its response frame (header included, no size prefix), or a closed connection. */
export type FrameOutcome = { frame: Buffer } | { closed: true; reason: string };

export function isClosedOutcome(o: FrameOutcome): o is { closed: true; reason: string } {
  return 'closed' in o;
}

interface Waiting {
  correlationId: number;
  settle(outcome: FrameOutcome): void;
}

/** A response that never came within this long fails the step (the broker is stuck, or the scenario is). */
const RESPONSE_TIMEOUT_MS = 60_000;

/**
 * One connection of a scenario: it sends requests exactly as the scenario says (any API, any
 * version, even ones the codec rejects, as raw frames) and hands back each response frame
 * undecoded, so the step decides how to read it. Kafka answers a connection's requests in
 * order, so responses are matched to requests by correlation id in FIFO order; a closed
 * connection settles every pending request as closed, which is itself an observation
 * (acks=0 failures, malformed requests).
 */
export class ScenarioConnection {
  private readonly reader = new FrameReader({ maxFrameSize: 256 * 1024 * 1024 });
  private readonly waiting: Waiting[] = [];
  private nextCorrelationId = 1;
  private closeReason: string | null = null;
  private readonly closeListeners: Array<() => void> = [];

  private constructor(
    private readonly socket: Socket,
    readonly clientId: string,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      try {
        this.reader.push(chunk, (frame) => this.onFrame(frame));
      } catch (err) {
        this.fail(`bad frame from the broker: ${(err as Error).message}`);
      }
    });
    socket.on('error', (err) => this.fail(`connection error: ${err.message}`));
    socket.on('close', () => this.fail('closed by the broker'));
  }

  static connect(host: string, port: number, clientId: string, timeoutMs = 10_000): Promise<ScenarioConnection> {
    return new Promise((resolve, reject) => {
      const socket = netConnect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`timed out connecting to ${host}:${port}`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new ScenarioConnection(socket, clientId));
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`cannot connect to ${host}:${port}: ${err.message}`));
      });
    });
  }

  get closed(): boolean {
    return this.closeReason !== null;
  }

  /** Encodes a request through the codec and sends it; resolves with its response frame. */
  request<Req extends MessageSpec>(api: KafkaApi<Req, MessageSpec>, version: number, body: MessageInput<Req>): Promise<FrameOutcome> {
    const correlationId = this.takeCorrelationId();
    const frame = encodeRequestFrame(api, { apiKey: api.key, apiVersion: version, correlationId, clientId: this.clientId }, body).toBuffer();
    return this.exchange(correlationId, frame);
  }

  /** Sends a request that gets no response (Produce acks=0); resolves once written. */
  async requestWithoutResponse<Req extends MessageSpec>(api: KafkaApi<Req, MessageSpec>, version: number, body: MessageInput<Req>): Promise<void> {
    const correlationId = this.takeCorrelationId();
    const frame = encodeRequestFrame(api, { apiKey: api.key, apiVersion: version, correlationId, clientId: this.clientId }, body).toBuffer();
    await this.write(frame);
  }

  /**
   * A hand-made frame: a request header (key, version, correlation id, client id; v2 adds an
   * empty tagged-field section) and `body` bytes, whatever the codec thinks of that key and
   * version.
   */
  raw(apiKey: number, apiVersion: number, body: Buffer, headerVersion: 1 | 2 = 1): Promise<FrameOutcome> {
    const correlationId = this.takeCorrelationId();
    const w = new ByteWriter(64 + body.length);
    const size = w.reserveInt32();
    const before = w.length;
    w.int16(apiKey);
    w.int16(apiVersion);
    w.int32(correlationId);
    w.string(this.clientId);
    if (headerVersion === 2) w.uvarint(0);
    w.raw(body);
    ByteWriter.patchInt32(size, w.length - before);
    return this.exchange(correlationId, w.toBuffer());
  }

  /** Resolves when the broker has closed the connection, or after `ms` (false: still open). */
  waitClosed(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.closed), ms);
      this.closeListeners.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  close(): void {
    this.fail('closed by the scenario');
  }

  private takeCorrelationId(): number {
    const id = this.nextCorrelationId;
    this.nextCorrelationId = (this.nextCorrelationId + 1) & 0x7fffffff;
    return id;
  }

  private exchange(correlationId: number, frame: Buffer): Promise<FrameOutcome> {
    if (this.closeReason !== null) return Promise.resolve({ closed: true, reason: this.closeReason });
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.fail(`no response to correlation id ${correlationId} within ${RESPONSE_TIMEOUT_MS / 1000} s`), RESPONSE_TIMEOUT_MS);
      this.waiting.push({
        correlationId,
        settle: (outcome) => {
          clearTimeout(timer);
          resolve(outcome);
        },
      });
      this.socket.write(frame);
    });
  }

  private write(frame: Buffer): Promise<void> {
    if (this.closeReason !== null) return Promise.resolve();
    return new Promise((resolve) => this.socket.write(frame, () => resolve()));
  }

  private onFrame(frame: Buffer): void {
    const next = this.waiting.shift();
    if (!next) {
      this.fail('a response nobody asked for');
      return;
    }
    const correlationId = frame.length >= 4 ? frame.readInt32BE(0) : -1;
    if (correlationId !== next.correlationId) {
      next.settle({ closed: true, reason: `response out of order: correlation id ${correlationId}, expected ${next.correlationId}` });
      this.fail(`response out of order (correlation id ${correlationId}, expected ${next.correlationId})`);
      return;
    }
    // The frame is a view into the reader's buffer; copy it, a step may keep it.
    next.settle({ frame: Buffer.from(frame) });
  }

  private fail(reason: string): void {
    if (this.closeReason !== null) return;
    this.closeReason = reason;
    this.socket.destroy();
    for (const w of this.waiting.splice(0)) w.settle({ closed: true, reason });
    for (const l of this.closeListeners.splice(0)) l();
  }
}
