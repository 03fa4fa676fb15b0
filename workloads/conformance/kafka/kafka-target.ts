import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode, kafkaError } from '../../../protocols/kafka/error-codes.js';
import type { Target } from '../../launchers/target.js';
import type { TargetInfo } from '../conformance-result.js';
import { AdminSession, untilCoordinatorReady, type BrokerApiVersions } from './admin-session.js';
import { decodeStepResponse } from './response-decoding.js';
import { isClosedOutcome, ScenarioConnection } from './scenario-connection.js';
import type { BrokerAddress } from './scenario-scope.js';

/**
 * The Apache release the reference broker is written against (and compared with by its
 * parity test); the runner gives it as the reference target's version, for version gates.
 */
export const REFERENCE_KAFKA_MATCHES = '3.9.2';

/** A Kafka broker ready for scenarios: where it is, its version, what it advertises. */
export interface KafkaTarget {
  label: string;
  target: Target;
  address: { host: string; port: number };
  /** What version gates use: target.json's version (for the reference broker, the release it matches). */
  version: string;
  apiVersions: BrokerApiVersions;
  broker: BrokerAddress;
}

export function describeKafkaTarget(t: KafkaTarget): TargetInfo {
  return { label: t.label, impl: t.target.impl, version: t.version, capabilities: [] };
}

/**
 * Prepares a target: learns its API versions and node id, then warms its coordinators up
 * (group and transaction coordinators, producer id allocation), so that the first scenario
 * does not see Apache creating `__consumer_offsets` and `__transaction_state` — timing that
 * would make its answers depend on which scenario happens to run first.
 */
export async function prepareKafkaTarget(label: string, target: Target): Promise<KafkaTarget> {
  const node = target.nodes[0]!;
  const address = { host: node.host, port: node.port };
  const apiVersions = await fetchApiVersions(address.host, address.port);
  const admin = await AdminSession.open(address.host, address.port, apiVersions);
  try {
    const metadata = await admin.until(KafkaApis.Metadata, { topics: [], allowAutoTopicCreation: false }, (m) => m.brokers.length > 0, 'the broker to list itself', 120_000, 12);
    const self = metadata.brokers.find((b) => b.host === address.host && b.port === address.port) ?? metadata.brokers[0]!;
    const warmKey = 'kzbench-conformance-warm-up';
    for (const keyType of [0, 1]) {
      const found = await untilCoordinatorReady(() => admin.request(KafkaApis.FindCoordinator, { key: warmKey, keyType }, 3));
      if (found.errorCode !== ErrorCode.NONE) throw new Error(`${label}: FindCoordinator (key type ${keyType}) keeps failing with ${kafkaError(found.errorCode).name}`);
    }
    const pid = await untilCoordinatorReady(() => admin.request(KafkaApis.InitProducerId, { transactionalId: null, transactionTimeoutMs: 60_000 }));
    if (pid.errorCode !== ErrorCode.NONE) throw new Error(`${label}: InitProducerId keeps failing with ${kafkaError(pid.errorCode).name}`);
    return { label, target, address, version: target.version, apiVersions, broker: { nodeId: self.nodeId, host: self.host, port: self.port } };
  } finally {
    admin.close();
  }
}

/** ApiVersions at the codec's highest version, downgrading as KIP-511 says when the broker does not speak it. */
async function fetchApiVersions(host: string, port: number): Promise<BrokerApiVersions> {
  const conn = await ScenarioConnection.connect(host, port, 'kzbench-conformance-admin');
  try {
    let version = KafkaApis.ApiVersions.maxVersion;
    for (let attempt = 0; attempt < 3; attempt++) {
      const outcome = await conn.request(KafkaApis.ApiVersions, version, { clientSoftwareName: 'kzbench-conformance', clientSoftwareVersion: '1.0' });
      if (isClosedOutcome(outcome)) throw new Error(`ApiVersions to ${host}:${port}: ${outcome.reason}`);
      const decoded = decodeStepResponse(KafkaApis.ApiVersions, version, outcome.frame).body as { errorCode: number; apiKeys: Array<{ apiKey: number; minVersion: number; maxVersion: number }> };
      const ranges = new Map(decoded.apiKeys.map((k) => [k.apiKey, { min: k.minVersion, max: k.maxVersion }]));
      if (decoded.errorCode === ErrorCode.UNSUPPORTED_VERSION) {
        version = Math.min(version - 1, ranges.get(KafkaApis.ApiVersions.key)?.max ?? 0);
        continue;
      }
      if (decoded.errorCode !== ErrorCode.NONE) throw new Error(`ApiVersions to ${host}:${port} failed with ${kafkaError(decoded.errorCode).name}`);
      return ranges;
    }
    throw new Error(`the ApiVersions handshake with ${host}:${port} did not converge`);
  } finally {
    conn.close();
  }
}

/**
 * Diff mode: both targets get the API version ranges they share, so `version: max` asks
 * both the same question (a field one version has and the other lacks would otherwise show
 * up as a difference). The advertised ranges themselves are compared by the ApiVersions
 * scenarios.
 */
export function alignKafkaTargets([a, b]: [KafkaTarget, KafkaTarget]): [KafkaTarget, KafkaTarget] {
  const shared = new Map<number, { min: number; max: number }>();
  for (const [key, ra] of a.apiVersions) {
    const rb = b.apiVersions.get(key);
    if (!rb) continue;
    const min = Math.max(ra.min, rb.min);
    const max = Math.min(ra.max, rb.max);
    if (min <= max) shared.set(key, { min, max });
  }
  return [
    { ...a, apiVersions: shared },
    { ...b, apiVersions: shared },
  ];
}
