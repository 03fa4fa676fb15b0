import { connect as netConnect, type Socket } from 'node:net';
import { KafkaApis, type KafkaApi } from '../../../protocols/kafka/api-catalog.js';
import { ByteWriter } from '../../../protocols/kafka/byte-writer.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { FrameReader } from '../../../protocols/kafka/frame-reader.js';
import { decodeResponseFrame, encodeRequestFrame, peekCorrelationId } from '../../../protocols/kafka/message-frames.js';
import type { MessageInput, MessageOf, MessageSpec } from '../../../protocols/kafka/schema/message-schema.js';
import { KafkaConnectionError, KafkaUnsupportedApiError } from './client-errors.js';

export interface KafkaConnectionOptions {
  host: string;
  port: number;
  clientId?: string;
  connectTimeoutMs?: number;
  /** A request without a response after this long fails the connection (default 30 s). */
  requestTimeoutMs?: number;
  maxFrameSize?: number;
}

interface PendingRequest {
  api: KafkaApi;
  version: number;
  sentAt: number;
  resolve(body: unknown): void;
  reject(err: Error): void;
}

export interface VersionRange {
  min: number;
  max: number;
}

const CLIENT_SOFTWARE_NAME = 'kzbench';
const CLIENT_SOFTWARE_VERSION = '0.1.0';

/**
 * One pipelined TCP connection to a broker. Requests are written as soon as they are made
 * (any number in flight; Kafka answers in order), writes issued in the same tick are coalesced
 * into one writev, and responses are matched by correlation id. On connect the ApiVersions
 * handshake finds the versions both sides speak (KIP-511 downgrade included).
 */
export class KafkaConnection {
  readonly host: string;
  readonly port: number;
  readonly clientId: string;
  private readonly socket: Socket;
  private readonly reader: FrameReader;
  private readonly pending = new Map<number, PendingRequest>();
  private nextCorrelationId = 0;
  private corked = false;
  private closedError: Error | null = null;
  private readonly timeoutTimer: NodeJS.Timeout;
  private readonly requestTimeoutMs: number;
  /** Broker version ranges by API key, after the handshake. */
  readonly brokerVersions = new Map<number, VersionRange>();

  private constructor(socket: Socket, opts: KafkaConnectionOptions) {
    this.socket = socket;
    this.host = opts.host;
    this.port = opts.port;
    this.clientId = opts.clientId ?? 'kzbench';
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
    this.reader = new FrameReader({ maxFrameSize: opts.maxFrameSize ?? 256 * 1024 * 1024 });
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      try {
        this.reader.push(chunk, (frame) => this.onFrame(frame));
      } catch (err) {
        this.fail(new KafkaConnectionError(`bad frame from ${this.address}: ${(err as Error).message}`, { cause: err }));
      }
    });
    socket.on('error', (err) => this.fail(new KafkaConnectionError(`connection to ${this.address} failed: ${err.message}`, { cause: err })));
    socket.on('close', () => this.fail(new KafkaConnectionError(`connection to ${this.address} closed`)));
    this.timeoutTimer = setInterval(() => this.expire(), Math.min(1000, this.requestTimeoutMs)).unref();
  }

  get address(): string {
    return `${this.host}:${this.port}`;
  }

  /** Requests written and not yet answered. */
  get inFlight(): number {
    return this.pending.size;
  }

  get closed(): boolean {
    return this.closedError !== null;
  }

  /** Open a connection and run the ApiVersions handshake. */
  static async connect(opts: KafkaConnectionOptions): Promise<KafkaConnection> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = netConnect({ host: opts.host, port: opts.port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new KafkaConnectionError(`timed out connecting to ${opts.host}:${opts.port}`));
      }, opts.connectTimeoutMs ?? 10_000);
      s.once('connect', () => {
        clearTimeout(timer);
        resolve(s);
      });
      s.once('error', (err) => {
        clearTimeout(timer);
        reject(new KafkaConnectionError(`cannot connect to ${opts.host}:${opts.port}: ${err.message}`, { cause: err }));
      });
    });
    const conn = new KafkaConnection(socket, opts);
    try {
      await conn.handshake();
    } catch (err) {
      conn.close();
      throw err;
    }
    return conn;
  }

  private async handshake(): Promise<void> {
    const api = KafkaApis.ApiVersions;
    let version = api.maxVersion;
    for (let attempt = 0; attempt < 3; attempt++) {
      const res = await this.request(api, { clientSoftwareName: CLIENT_SOFTWARE_NAME, clientSoftwareVersion: CLIENT_SOFTWARE_VERSION }, version);
      if (res.errorCode === ErrorCode.UNSUPPORTED_VERSION) {
        // KIP-511: the broker answered in v0 with its own ApiVersions range; retry within it.
        const ours = res.apiKeys.find((k) => k.apiKey === api.key);
        version = Math.min(api.maxVersion, ours?.maxVersion ?? 0);
        continue;
      }
      if (res.errorCode !== 0) throw new KafkaConnectionError(`ApiVersions to ${this.address} failed with error ${res.errorCode}`);
      for (const k of res.apiKeys) this.brokerVersions.set(k.apiKey, { min: k.minVersion, max: k.maxVersion });
      return;
    }
    throw new KafkaConnectionError(`ApiVersions handshake with ${this.address} did not converge`);
  }

  /**
   * The highest version of `api` both sides speak, at most `cap`. Throws
   * KafkaUnsupportedApiError when there is none.
   */
  versionFor(api: KafkaApi, cap = Infinity): number {
    const broker = this.brokerVersions.get(api.key);
    if (!broker) throw new KafkaUnsupportedApiError(`broker ${this.address} does not offer ${api.name}`);
    const max = Math.min(broker.max, api.maxVersion, cap);
    const min = Math.max(broker.min, api.minVersion);
    if (max < min) {
      throw new KafkaUnsupportedApiError(
        `no common ${api.name} version with ${this.address} (broker ${broker.min}-${broker.max}, client ${api.minVersion}-${Math.min(api.maxVersion, cap)})`,
      );
    }
    return max;
  }

  /** Send a request and resolve with the decoded response body. */
  request<Req extends MessageSpec, Res extends MessageSpec>(
    api: KafkaApi<Req, Res>,
    body: MessageInput<Req>,
    version: number = this.versionFor(api),
  ): Promise<MessageOf<Res>> {
    return new Promise((resolve, reject) => {
      if (this.closedError) {
        reject(this.closedError);
        return;
      }
      const correlationId = this.nextId();
      let writer: ByteWriter;
      try {
        writer = encodeRequestFrame(api, { apiKey: api.key, apiVersion: version, correlationId, clientId: this.clientId }, body);
      } catch (err) {
        reject(err as Error);
        return;
      }
      this.pending.set(correlationId, {
        api: api as KafkaApi,
        version,
        sentAt: Date.now(),
        resolve: resolve as (b: unknown) => void,
        reject,
      });
      this.write(writer.toChunks());
    });
  }

  /**
   * Send a request that gets no response (Produce with acks=0); resolves once the bytes have
   * been handed to the kernel.
   */
  send<Req extends MessageSpec>(api: KafkaApi<Req, MessageSpec>, body: MessageInput<Req>, version: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closedError) {
        reject(this.closedError);
        return;
      }
      const writer = encodeRequestFrame(api, { apiKey: api.key, apiVersion: version, correlationId: this.nextId(), clientId: this.clientId }, body);
      const chunks = writer.toChunks();
      for (let i = 0; i < chunks.length - 1; i++) this.writeChunk(chunks[i]!);
      this.writeChunk(chunks[chunks.length - 1]!, (err) => (err ? reject(err) : resolve()));
    });
  }

  private nextId(): number {
    const id = this.nextCorrelationId;
    this.nextCorrelationId = (this.nextCorrelationId + 1) & 0x7fffffff;
    return id;
  }

  private write(chunks: Buffer[]): void {
    for (const c of chunks) this.writeChunk(c);
  }

  private writeChunk(chunk: Buffer, cb?: (err?: Error | null) => void): void {
    if (!this.corked) {
      // Coalesce everything written in this tick into one writev.
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(chunk, cb);
  }

  private onFrame(frame: Buffer): void {
    const correlationId = peekCorrelationId(frame);
    const p = this.pending.get(correlationId);
    if (!p) {
      this.fail(new KafkaConnectionError(`response with unknown correlation id ${correlationId} from ${this.address}`));
      return;
    }
    this.pending.delete(correlationId);
    // A broker that does not know our ApiVersions version answers in v0 with error 35 (KIP-511);
    // the error code is the first body field in every version, right after the v0 header.
    const version =
      p.api.key === KafkaApis.ApiVersions.key && frame.length >= 6 && frame.readInt16BE(4) === ErrorCode.UNSUPPORTED_VERSION ? 0 : p.version;
    let body: unknown;
    try {
      body = decodeResponseFrame(p.api, version, frame).body;
    } catch (err) {
      p.reject(err as Error);
      return;
    }
    p.resolve(body);
  }

  private expire(): void {
    const now = Date.now();
    for (const p of this.pending.values()) {
      if (now - p.sentAt < this.requestTimeoutMs) break;
      this.fail(new KafkaConnectionError(`${p.api.name} request to ${this.address} timed out after ${this.requestTimeoutMs} ms`));
      return;
    }
  }

  private fail(err: Error): void {
    if (this.closedError) return;
    this.closedError = err;
    clearInterval(this.timeoutTimer);
    this.socket.destroy();
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(err);
  }

  close(): void {
    this.fail(new KafkaConnectionError(`connection to ${this.address} closed by the client`));
  }
}
