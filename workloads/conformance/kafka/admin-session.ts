import type { KafkaApi } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode, kafkaError } from '../../../protocols/kafka/error-codes.js';
import { decodeResponseFrame } from '../../../protocols/kafka/message-frames.js';
import type { MessageInput, MessageOf, MessageSpec } from '../../../protocols/kafka/schema/message-schema.js';
import { isClosedOutcome, ScenarioConnection } from './scenario-connection.js';

/** Broker version ranges by API key, from its ApiVersions response. */
export type BrokerApiVersions = ReadonlyMap<number, { min: number; max: number }>;

/**
 * The highest version of `api` both the codec and the broker speak, at most `cap`; undefined
 * when there is none (the broker does not offer the API).
 */
export function commonMaxVersion(api: KafkaApi, broker: BrokerApiVersions, cap = Infinity): number | undefined {
  const b = broker.get(api.key);
  if (!b) return undefined;
  const max = Math.min(b.max, api.maxVersion, cap);
  return max >= Math.max(b.min, api.minVersion) ? max : undefined;
}

/**
 * The runner's own connection for what surrounds scenarios (target preparation, topic
 * set-up, clean-up): typed requests at the highest common version, failing loudly when the
 * connection drops. Scenario steps use ScenarioConnection directly.
 */
export class AdminSession {
  private constructor(
    private readonly conn: ScenarioConnection,
    readonly versions: BrokerApiVersions,
  ) {}

  static async open(host: string, port: number, versions: BrokerApiVersions): Promise<AdminSession> {
    return new AdminSession(await ScenarioConnection.connect(host, port, 'kzbench-conformance-admin'), versions);
  }

  async request<Req extends MessageSpec, Res extends MessageSpec>(api: KafkaApi<Req, Res>, body: MessageInput<Req>, cap = Infinity): Promise<MessageOf<Res>> {
    const version = commonMaxVersion(api as KafkaApi, this.versions, cap);
    if (version === undefined) throw new Error(`the broker does not offer ${api.name}`);
    const outcome = await this.conn.request(api, version, body);
    if (isClosedOutcome(outcome)) throw new Error(`${api.name} v${version}: the connection closed (${outcome.reason})`);
    return decodeResponseFrame(api, version, outcome.frame).body;
  }

  /** Re-sends until `done` accepts the response (retriable states while a coordinator loads, a topic is created). */
  async until<Req extends MessageSpec, Res extends MessageSpec>(
    api: KafkaApi<Req, Res>,
    body: MessageInput<Req>,
    done: (r: MessageOf<Res>) => boolean,
    what: string,
    timeoutMs = 120_000,
    cap = Infinity,
  ): Promise<MessageOf<Res>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await this.request(api, body, cap);
      if (done(r)) return r;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}: last response ${summarise(r)}`);
      await new Promise((res) => setTimeout(res, 200));
    }
  }

  close(): void {
    this.conn.close();
  }
}

/** Errors a client retries while a coordinator loads or its internal topic is created. */
export const COORDINATOR_STARTUP_ERRORS: ReadonlySet<number> = new Set([ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, ErrorCode.COORDINATOR_NOT_AVAILABLE, ErrorCode.NOT_COORDINATOR]);

/**
 * Calls `call` until its error code is not a coordinator start-up error (Apache answers the
 * first lookups COORDINATOR_NOT_AVAILABLE while it creates `__consumer_offsets` /
 * `__transaction_state`, then COORDINATOR_LOAD_IN_PROGRESS while it loads them).
 */
export async function untilCoordinatorReady<T extends { errorCode: number }>(call: () => Promise<T>, attempts = 240, intervalMs = 500): Promise<T> {
  let r = await call();
  for (let i = 0; i < attempts && COORDINATOR_STARTUP_ERRORS.has(r.errorCode); i++) {
    await new Promise((res) => setTimeout(res, intervalMs));
    r = await call();
  }
  return r;
}

function summarise(r: unknown): string {
  const text = JSON.stringify(r, (k, v: unknown) => (typeof v === 'bigint' ? v.toString() : k === 'errorCode' && typeof v === 'number' && v !== 0 ? errorName(v) : v));
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

function errorName(code: number): string {
  try {
    return kafkaError(code).name;
  } catch {
    return String(code);
  }
}
