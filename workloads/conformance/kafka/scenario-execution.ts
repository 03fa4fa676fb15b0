import { setTimeout as sleep } from 'node:timers/promises';
import { KafkaApis, type KafkaApi } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { ZERO_UUID } from '../../../protocols/kafka/schema/compile-codec.js';
import type { MessageInput, MessageSpec } from '../../../protocols/kafka/schema/message-schema.js';
import { resolveVersions } from '../by-version.js';
import { COORDINATOR_STARTUP_ERRORS, commonMaxVersion } from './admin-session.js';
import { matchExpectation } from './expectation-match.js';
import type { KafkaTarget } from './kafka-target.js';
import { buildRequestBody } from './request-builder.js';
import { decodeStepResponse } from './response-decoding.js';
import { viewResponse } from './response-view.js';
import { isClosedOutcome, ScenarioConnection, type FrameOutcome } from './scenario-connection.js';
import type { ScenarioScope } from './scenario-scope.js';
import { isAwaitStep, isRawStep, type AwaitStep, type RawStep, type RequestStep, type Step } from './scenario-schema.js';

/** What one step observed: the decoded response, or how the connection behaved instead. */
export interface StepObservation {
  response?: Record<string, unknown>;
  /** The broker closed the connection instead of answering. */
  closed?: boolean;
  closeReason?: string;
  /** Produce acks=0: no response is sent. */
  noResponse?: boolean;
  /** An async step's request went out; its await step has the response. */
  sent?: boolean;
  /** A raw step without decodeAs: the response body (after the correlation id) as hex. */
  hex?: string;
  decodeError?: string;
}

export interface StepRecord {
  step: number;
  label: string;
  observation: StepObservation;
  /** Strings of the request, so the normaliser keeps the entities the step asked about. */
  requested: Set<string>;
  /** The step did not run (version gate). */
  skipped?: string;
}

/** A group member the scenario left behind, for clean-up. */
export interface TrackedMember {
  groupId: string;
  memberId: string;
  groupInstanceId: string | null;
}

/** A transactional producer the scenario initialised, for clean-up (abort what it left open). */
export interface TrackedProducer {
  transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
}

const EVENTUALLY_DEFAULT_MS = 30_000;
const EVENTUALLY_INTERVAL_MS = 200;
/**
 * A coordinator error that clients retry (COORDINATOR_NOT_AVAILABLE when a write to the
 * coordinator's log timed out on a loaded machine, a load in progress, NOT_COORDINATOR) is
 * retried like a client would, when the step did not expect it: such answers say nothing
 * about the protocol, only about timing.
 */
const COORDINATOR_RETRIES = 10;
const COORDINATOR_RETRY_MS = 500;

function transientCoordinatorError(o: StepObservation): boolean {
  const code = o.response?.errorCode;
  return typeof code === 'number' && COORDINATOR_STARTUP_ERRORS.has(code);
}

/** After an acks=0 produce: how long to wait for the broker to close the connection. */
const ACKS0_PROBE_TIMEOUT_MS = 10_000;

interface Sent {
  api: KafkaApi;
  version: number;
  body: MessageInput<MessageSpec>;
  outcome: Promise<FrameOutcome>;
  requested: Set<string>;
}

/**
 * Runs the steps of one Kafka scenario on one broker: builds each request from its body,
 * sends it on the step's connection, decodes and views the response, checks it against the
 * step's expectation (re-sending while `eventually` allows), and remembers what clean-up will
 * need (members, transactional producers) and what later steps may reference.
 */
export class KafkaScenarioExecution {
  private readonly connections = new Map<string, ScenarioConnection>();
  private readonly pending = new Map<string, Sent>();
  readonly members: TrackedMember[] = [];
  readonly producers = new Map<string, TrackedProducer>();

  constructor(
    private readonly target: KafkaTarget,
    private readonly scope: ScenarioScope,
    private readonly connectionNames: string[],
  ) {}

  async open(): Promise<void> {
    for (const name of this.connectionNames) {
      this.connections.set(name, await ScenarioConnection.connect(this.target.address.host, this.target.address.port, 'kzbench-conformance'));
    }
  }

  close(): void {
    for (const c of this.connections.values()) c.close();
  }

  /** Runs a step; returns what it observed and the expectations that did not hold. */
  async run(step: Step, index: number): Promise<{ record: StepRecord; problems: string[] }> {
    const label = stepLabel(step, this.connectionNames[0]!);
    if (isAwaitStep(step)) return this.await(step, index, label);
    const deadline = Date.now() + eventuallyMs(step);
    for (let attempt = 1; ; attempt++) {
      const { observation, requested } = isRawStep(step) ? await this.raw(step) : await this.request(step);
      const problems = checkObservation(step, observation, this.scope, this.target.version);
      if (problems.length > 0 && attempt < COORDINATOR_RETRIES && transientCoordinatorError(observation)) {
        await sleep(COORDINATOR_RETRY_MS);
        continue;
      }
      if (problems.length === 0 || !step.eventually || Date.now() > deadline) {
        this.remember(step, observation);
        return { record: { step: index, label, observation, requested }, problems };
      }
      await sleep(EVENTUALLY_INTERVAL_MS);
    }
  }

  private connection(step: RequestStep | RawStep): ScenarioConnection {
    return this.connections.get(step.connection ?? this.connectionNames[0]!)!;
  }

  private versionOf(step: RequestStep): number {
    const api = KafkaApis[step.api];
    if (typeof step.version === 'number') return step.version;
    const v = commonMaxVersion(api, this.target.apiVersions);
    if (v === undefined) throw new Error(`${this.target.label} does not offer ${step.api} in a version the codec speaks`);
    return v;
  }

  private async request(step: RequestStep): Promise<{ observation: StepObservation; requested: Set<string> }> {
    const api = KafkaApis[step.api] as KafkaApi;
    const version = this.versionOf(step);
    // Built field by field along the request schema, so it is that message's input.
    const body = (await buildRequestBody(api, version, step.body ?? {}, this.scope)) as MessageInput<MessageSpec>;
    const requested = stringsIn(body);
    const conn = this.connection(step);
    if (step.api === 'Produce' && (body as { acks?: number }).acks === 0) return { observation: await this.produceWithoutAcks(conn, api, version, body), requested };
    const outcome = conn.request(api, version, body);
    if (step.async) {
      this.pending.set(step.save!, { api, version, body, outcome, requested });
      return { observation: { sent: true }, requested };
    }
    return { observation: await this.observe(api, version, await outcome, body), requested };
  }

  /**
   * acks=0: the broker sends nothing; when the produce fails it closes the connection
   * instead. An ApiVersions v0 probe on the same connection tells which: Apache handles a
   * connection's requests one at a time, so the probe is answered only if the produce did
   * not close the connection.
   */
  private async produceWithoutAcks(conn: ScenarioConnection, api: KafkaApi, version: number, body: MessageInput<MessageSpec>): Promise<StepObservation> {
    await conn.requestWithoutResponse(api, version, body);
    const probe = await Promise.race([conn.request(KafkaApis.ApiVersions, 0, {}), sleep(ACKS0_PROBE_TIMEOUT_MS).then(() => undefined)]);
    if (probe === undefined) return { noResponse: true, closed: false, decodeError: 'the ApiVersions probe after the acks=0 produce got no answer' };
    return isClosedOutcome(probe) ? { noResponse: true, closed: true, closeReason: probe.reason } : { noResponse: true, closed: false };
  }

  private async raw(step: RawStep): Promise<{ observation: StepObservation; requested: Set<string> }> {
    const outcome = await this.connection(step).raw(step.raw.apiKey, step.raw.apiVersion, Buffer.from(step.raw.body ?? '', 'hex'), step.raw.headerVersion);
    if (isClosedOutcome(outcome)) return { observation: { closed: true, closeReason: outcome.reason }, requested: new Set() };
    if (!step.decodeAs) return { observation: { response: { hex: outcome.frame.subarray(4).toString('hex') } }, requested: new Set() };
    return { observation: await this.observe(KafkaApis[step.decodeAs.api] as KafkaApi, step.decodeAs.version, outcome), requested: new Set() };
  }

  private async await(step: AwaitStep, index: number, label: string): Promise<{ record: StepRecord; problems: string[] }> {
    const sent = this.pending.get(step.await)!;
    this.pending.delete(step.await);
    const observation = await this.observe(sent.api, sent.version, await sent.outcome, sent.body);
    const problems = checkObservation(step, observation, this.scope, this.target.version);
    if (observation.response) {
      this.scope.saved.set(step.await, observation.response);
      this.scope.prev = observation.response;
      this.learn(sent.api, observation.response);
    }
    return { record: { step: index, label, observation, requested: sent.requested }, problems };
  }

  private async observe(api: KafkaApi, version: number, outcome: FrameOutcome, body?: MessageInput<MessageSpec>): Promise<StepObservation> {
    if (isClosedOutcome(outcome)) return { closed: true, closeReason: outcome.reason };
    try {
      const decoded = decodeStepResponse(api, version, outcome.frame);
      const response = await viewResponse(api.response.fields, decoded.body, decoded.version);
      if (body) this.learnMembers(api, body as Record<string, unknown>, response);
      return { response };
    } catch (err) {
      return { decodeError: (err as Error).message };
    }
  }

  private remember(step: RequestStep | RawStep, observation: StepObservation): void {
    const response = observation.response;
    if (!response) return;
    this.scope.prev = response;
    if (step.save !== undefined && !('async' in step && step.async)) this.scope.saved.set(step.save, response);
    this.learn(isRawStep(step) ? (step.decodeAs ? (KafkaApis[step.decodeAs.api] as KafkaApi) : undefined) : (KafkaApis[step.api] as KafkaApi), response);
  }

  /** Topic ids the response reveals (CreateTopics, Metadata, DeleteTopics, ...), for `$t.id` and the normaliser. */
  private learn(api: KafkaApi | undefined, response: Record<string, unknown>): void {
    if (!api) return;
    const visit = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(visit);
      else if (typeof v === 'object' && v !== null && !Buffer.isBuffer(v)) {
        const o = v as Record<string, unknown>;
        const name = typeof o.name === 'string' ? o.name : typeof o.topic === 'string' ? o.topic : undefined;
        if (name && typeof o.topicId === 'string' && o.topicId !== ZERO_UUID && o.errorCode === ErrorCode.NONE) this.scope.topicIds.set(name, o.topicId);
        Object.values(o).forEach(visit);
      }
    };
    visit(response);
  }

  /** Members that joined, so clean-up can make them leave (an abandoned member holds its group until its session times out). */
  private learnMembers(api: KafkaApi, body: Record<string, unknown>, response: Record<string, unknown>): void {
    if (api.key === KafkaApis.JoinGroup.key && response.errorCode === ErrorCode.NONE && typeof response.memberId === 'string') {
      const groupInstanceId = typeof body.groupInstanceId === 'string' ? body.groupInstanceId : null;
      if (!this.members.some((m) => m.groupId === body.groupId && m.memberId === response.memberId)) {
        this.members.push({ groupId: String(body.groupId), memberId: response.memberId, groupInstanceId });
      }
    }
    if (api.key === KafkaApis.InitProducerId.key && response.errorCode === ErrorCode.NONE && typeof body.transactionalId === 'string') {
      this.producers.set(body.transactionalId, { transactionalId: body.transactionalId, producerId: response.producerId as bigint, producerEpoch: response.producerEpoch as number });
    }
  }
}

/** The expectations of a step that do not hold for an observation. */
export function checkObservation(step: Step, obs: StepObservation, scope: ScenarioScope, version: string): string[] {
  const problems: string[] = [];
  if (obs.sent) return problems;
  let wantClosed: boolean;
  try {
    wantClosed = (resolveVersions(step.closed, version) as boolean | undefined) ?? false;
  } catch (e) {
    return [(e as Error).message];
  }
  if (obs.closed && !wantClosed) problems.push(`the broker closed the connection (${obs.closeReason ?? 'no reason'})${obs.noResponse ? ' after the acks=0 produce' : ''}`);
  if (!obs.closed && wantClosed) problems.push(obs.noResponse ? 'expected the broker to close the connection after the acks=0 produce; it stayed open' : 'expected the broker to close the connection; it answered');
  if (obs.decodeError) problems.push(`the response did not decode: ${obs.decodeError}`);
  if (step.expect === undefined || obs.response === undefined) return problems;
  let expected: unknown;
  try {
    expected = resolveVersions(step.expect, version);
  } catch (e) {
    problems.push((e as Error).message);
    return problems;
  }
  problems.push(...matchExpectation(expected, obs.response, scope));
  return problems;
}

export function stepLabel(step: Step, firstConnection: string): string {
  if (isAwaitStep(step)) return `await ${step.await}`;
  const conn = step.connection ?? firstConnection;
  if (isRawStep(step)) return `raw key ${step.raw.apiKey} v${step.raw.apiVersion} (${conn})`;
  return `${step.api}${typeof step.version === 'number' ? ` v${step.version}` : ''} (${conn})${step.async ? ' async' : ''}`;
}

function eventuallyMs(step: Step): number {
  if (!('eventually' in step) || !step.eventually) return 0;
  return step.eventually === true ? EVENTUALLY_DEFAULT_MS : step.eventually.timeoutMs;
}

function stringsIn(v: unknown, out = new Set<string>()): Set<string> {
  if (typeof v === 'string') out.add(v);
  else if (Array.isArray(v)) v.forEach((e) => stringsIn(e, out));
  else if (typeof v === 'object' && v !== null && !Buffer.isBuffer(v)) Object.values(v).forEach((e) => stringsIn(e, out));
  return out;
}
