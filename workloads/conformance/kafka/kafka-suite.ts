import { randomBytes } from 'node:crypto';
import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode, kafkaError } from '../../../protocols/kafka/error-codes.js';
import type { ExpectationFailure, JsonValue, ScenarioRun, TranscriptEntry } from '../conformance-result.js';
import { parseVersionRange } from '../version-range.js';
import { AdminSession } from './admin-session.js';
import { KafkaNormaliser, withoutPaths } from './kafka-normaliser.js';
import type { KafkaTarget } from './kafka-target.js';
import { KafkaScenarioExecution, stepLabel, type StepRecord } from './scenario-execution.js';
import type { LoadedKafkaScenario } from './scenario-loader.js';
import type { ScenarioScope } from './scenario-scope.js';
import type { TopicDecl } from './scenario-schema.js';

/** How long set-up waits for a new topic to have leaders that answer. */
const TOPIC_READY_TIMEOUT_MS = 60_000;

/**
 * Runs one scenario against one Kafka broker. Every name it declares becomes run-unique
 * (`kzc-<scenario>-<random>-<name>`), so scenarios never see each other and a broker that
 * ran the suite before is fine. Set-up creates the declared topics (or an anchor topic, see
 * topicsToCreate) and waits until every partition has a leader that answers; clean-up
 * (whatever happened) makes the members the scenario joined leave, aborts the transactions it
 * may have left open, and deletes its groups and topics.
 */
export async function runKafkaScenario(loaded: LoadedKafkaScenario, target: KafkaTarget): Promise<ScenarioRun> {
  const started = Date.now();
  const { scenario } = loaded;
  if (scenario.versions !== undefined && !parseVersionRange(scenario.versions).matches(target.version)) {
    return { status: 'skip', reason: `needs version ${scenario.versions}; the target is ${target.version}`, failures: [], transcript: [], warnings: [], durationMs: 0 };
  }
  const prefix = `kzc-${loaded.name.replace(/[^A-Za-z0-9._-]+/g, '.').slice(0, 80)}-${randomBytes(3).toString('hex')}`;
  const names = new Map(loaded.names.map((n) => [n, `${prefix}-${n}`]));
  const scope: ScenarioScope = { names, topicIds: new Map(), saved: new Map(), prev: undefined, broker: target.broker, now: BigInt(Date.now()), clientTimestamps: new Set() };
  const failures: ExpectationFailure[] = [];
  const warnings: string[] = [];
  const records: StepRecord[] = [];
  const execution = new KafkaScenarioExecution(target, scope, loaded.connections);
  const setupTopics = topicsToCreate(scenario.topics ?? {}, names, prefix);
  const admin = await AdminSession.open(target.address.host, target.address.port, target.apiVersions);
  try {
    await createTopics(admin, setupTopics, scope);
    await execution.open();
    for (const [index, step] of scenario.steps.entries()) {
      if (step.versions !== undefined && !parseVersionRange(step.versions).matches(target.version)) {
        records.push({ step: index, label: stepLabel(step, loaded.connections[0]!), observation: {}, requested: new Set(), skipped: `version ${target.version} is not ${step.versions}` });
        continue;
      }
      const { record, problems } = await execution.run(step, index);
      records.push(record);
      for (const message of problems) failures.push({ step: index, label: record.label, message });
    }
  } catch (err) {
    failures.push({ step: null, label: 'scenario', message: (err as Error).message });
  } finally {
    execution.close();
    warnings.push(...(await cleanUp(admin, execution, [...new Set([...names.values(), ...setupTopics.keys()])])));
    admin.close();
  }
  return {
    status: failures.length > 0 ? 'fail' : 'pass',
    failures,
    transcript: transcriptOf(records, scope, (step) => {
      const s = scenario.steps[step];
      return s?.diffIgnore ?? [];
    }),
    warnings,
    durationMs: Date.now() - started,
  };
}

/** The normalised observations, one entry per step (diff mode compares them). */
function transcriptOf(records: StepRecord[], scope: ScenarioScope, ignored: (step: number) => readonly string[]): TranscriptEntry[] {
  const normaliser = new KafkaNormaliser({
    names: new Map([...scope.names].map(([declared, real]) => [real, declared])),
    topicIds: scope.topicIds,
    now: scope.now,
    clientTimestamps: scope.clientTimestamps,
  });
  return records.map((r) => {
    let value: JsonValue;
    const o = r.observation;
    if (r.skipped !== undefined) value = { skipped: true };
    else if (o.response !== undefined) value = { response: withoutPaths(normaliser.normalise(o.response, r.requested), ignored(r.step)) };
    else {
      const flags: { [k: string]: JsonValue } = {};
      if (o.closed !== undefined) flags.closed = o.closed;
      if (o.noResponse) flags.noResponse = true;
      if (o.sent) flags.sent = true;
      if (o.decodeError !== undefined) flags.decodeError = true;
      value = flags;
    }
    return { step: r.step, label: r.label, value };
  });
}

/**
 * Real name → declaration of the topics set-up creates. A scenario without topics gets an
 * anchor topic all the same: its creation is a metadata barrier. Apache applies metadata in
 * order, and deleting a topic also drops every Empty group without offsets (a group whose
 * only member is still pending after MEMBER_ID_REQUIRED) a few milliseconds after Metadata
 * stops listing the topic; once a topic created afterwards is listed, the deletions of the
 * previous scenario are fully applied and cannot reach into this one.
 */
function topicsToCreate(declared: Record<string, TopicDecl>, names: ReadonlyMap<string, string>, prefix: string): Map<string, TopicDecl> {
  const out = new Map<string, TopicDecl>();
  for (const [decl, topic] of Object.entries(declared)) out.set(names.get(decl)!, topic);
  if (out.size === 0) out.set(`${prefix}--anchor`, {});
  return out;
}

async function createTopics(admin: AdminSession, topics: Map<string, TopicDecl>, scope: ScenarioScope): Promise<void> {
  const entries = [...topics].map(([name, decl]) => ({ name, decl }));
  const created = await admin.request(KafkaApis.CreateTopics, {
    topics: entries.map(({ name, decl }) => ({
      name,
      numPartitions: decl.partitions ?? 1,
      replicationFactor: 1,
      assignments: [],
      configs: Object.entries(decl.configs ?? {}).map(([k, v]) => ({ name: k, value: String(v) })),
    })),
    timeoutMs: 30_000,
    validateOnly: false,
  });
  for (const t of created.topics) {
    if (t.errorCode !== ErrorCode.NONE) throw new Error(`set-up: creating topic ${t.name} failed with ${kafkaError(t.errorCode).name}${t.errorMessage ? `: ${t.errorMessage}` : ''}`);
  }
  const wanted = new Map(entries.map(({ name, decl }) => [name, decl.partitions ?? 1]));
  // Apache answers CreateTopics before the partitions have leaders: wait until Metadata shows them all.
  const metadata = await admin.until(
    KafkaApis.Metadata,
    { topics: entries.map(({ name }) => ({ name })), allowAutoTopicCreation: false },
    (m) => m.topics.every((t) => t.errorCode === ErrorCode.NONE && t.partitions.length === wanted.get(t.name ?? '') && t.partitions.every((p) => p.errorCode === ErrorCode.NONE && p.leaderId >= 0)),
    `the leaders of ${[...wanted.keys()].join(', ')}`,
    TOPIC_READY_TIMEOUT_MS,
    12,
  );
  for (const t of metadata.topics) if (t.name && t.topicId) scope.topicIds.set(t.name, t.topicId);
  // ...and until each leader answers for its partition.
  await admin.until(
    KafkaApis.ListOffsets,
    { replicaId: -1, isolationLevel: 0, topics: entries.map(({ name }) => ({ name, partitions: Array.from({ length: wanted.get(name)! }, (_, i) => ({ partitionIndex: i, timestamp: -1n })) })) },
    (r) => r.topics.every((t) => t.partitions.every((p) => p.errorCode === ErrorCode.NONE)),
    'the new partitions to answer ListOffsets',
    TOPIC_READY_TIMEOUT_MS,
  );
}

/** Best effort: every problem becomes a warning, never a failure of the scenario. */
async function cleanUp(admin: AdminSession, execution: KafkaScenarioExecution, realNames: string[]): Promise<string[]> {
  const warnings: string[] = [];
  const attempt = async (what: string, action: () => Promise<void>) => {
    try {
      await action();
    } catch (e) {
      warnings.push(`clean-up, ${what}: ${(e as Error).message}`);
    }
  };
  const groups = new Map<string, Array<{ memberId: string; groupInstanceId: string | null }>>();
  for (const m of execution.members) groups.set(m.groupId, [...(groups.get(m.groupId) ?? []), { memberId: m.memberId, groupInstanceId: m.groupInstanceId }]);
  for (const [groupId, members] of groups) {
    await attempt(`leaving group ${groupId}`, async () => {
      await admin.request(KafkaApis.LeaveGroup, { groupId, members }, 4);
    });
  }
  for (const p of execution.producers.values()) {
    await attempt(`aborting ${p.transactionalId}`, async () => {
      await admin.request(KafkaApis.EndTxn, { transactionalId: p.transactionalId, producerId: p.producerId, producerEpoch: p.producerEpoch, committed: false }, 3);
    });
  }
  if (realNames.length === 0) return warnings;
  await attempt('deleting groups', async () => {
    const r = await admin.request(KafkaApis.DeleteGroups, { groupsNames: realNames });
    for (const g of r.results) {
      if (g.errorCode !== ErrorCode.NONE && g.errorCode !== ErrorCode.GROUP_ID_NOT_FOUND) warnings.push(`clean-up: deleting group ${g.groupId}: ${kafkaError(g.errorCode).name}`);
    }
  });
  await attempt('deleting topics', async () => {
    const r = await admin.request(KafkaApis.DeleteTopics, { topicNames: realNames, timeoutMs: 30_000 }, 5);
    for (const t of r.responses) {
      if (t.errorCode !== ErrorCode.NONE && t.errorCode !== ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) warnings.push(`clean-up: deleting topic ${t.name}: ${kafkaError(t.errorCode).name}`);
    }
    const deleted = r.responses.filter((t) => t.errorCode === ErrorCode.NONE).map((t) => ({ name: t.name }));
    if (deleted.length === 0) return;
    // Apache deletes asynchronously, and a deletion also drops every Empty group without
    // offsets — another scenario's group with only a pending member. Wait until it is done.
    await admin.until(
      KafkaApis.Metadata,
      { topics: deleted, allowAutoTopicCreation: false },
      (m) => m.topics.every((t) => t.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION),
      `the deletion of ${deleted.map((t) => t.name).join(', ')}`,
      TOPIC_READY_TIMEOUT_MS,
      12,
    );
  });
  return warnings;
}
