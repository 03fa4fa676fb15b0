import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaApis } from '../../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../../protocols/kafka/error-codes.js';
import { KafkaConnectionError, KafkaResponseError } from '../../../../workloads/clients/kafka/client-errors.js';
import { type Generation, GroupMember } from '../../../../workloads/clients/kafka/group-member.js';
import { KafkaClient } from '../../../../workloads/clients/kafka/kafka-client.js';
import { LocalCluster } from '../../../../workloads/launchers/local-cluster.js';
import { cachedApache } from '../../launchers/cached-apache.js';
import { cliBuilt } from '../../servers/kafka/child-broker.js';

const topic = 'group-member-topic';
const PARTITIONS = 6;

/** A deadline for convergence only: a bound so a broken member fails the test instead of hanging it. */
const CONVERGE_MS = 30_000;

const apache = await cachedApache('kafka', '4.3.1');
if (!apache.dist) console.warn(`skipping GroupMember against Apache Kafka 4.3.1: ${apache.reason}`);

/** The reference broker (which the fault case kills and pauses) and Apache Kafka 4.3.1 as the oracle. */
const targets = [
  { name: 'the reference broker', impl: 'reference' as const, version: undefined, faults: true, skip: !cliBuilt },
  { name: 'Apache Kafka 4.3.1', impl: 'apache' as const, version: '4.3.1', faults: false, skip: !apache.dist },
];

describe.each(targets)('GroupMember (classic consumer group protocol) against $name', { timeout: 180_000 }, ({ impl, version, faults, skip }) => {
  if (skip) {
    it.skip('needs npm run build (reference) or kzbench apache fetch (Apache)', () => {});
    return;
  }
  let dir: string;
  let cluster: LocalCluster;
  const clients: KafkaClient[] = [];
  const members: GroupMember[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kz-group-member-'));
    cluster = await LocalCluster.start({ system: 'kafka', impl, version, nodes: 1, dir });
    const admin = await KafkaClient.connect({ bootstrap: cluster.connectString });
    clients.push(admin);
    await admin.createTopic(topic, { partitions: PARTITIONS });
  });

  afterAll(async () => {
    await Promise.all(members.map((m) => m.close()));
    await Promise.all(clients.map((c) => c.close()));
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function member(groupId: string, assignors?: Array<'range' | 'roundrobin'>): Promise<{ m: GroupMember; generations: Generation[]; logs: string[] }> {
    const client = await KafkaClient.connect({ bootstrap: cluster.connectString, requestTimeoutMs: 2000 });
    clients.push(client);
    const generations: Generation[] = [];
    const logs: string[] = [];
    const m = new GroupMember({ log: (line) => logs.push(line), client, groupId, topic, heartbeatIntervalMs: 100, requestTimeoutMs: 1000, sessionTimeoutMs: 6000, rebalanceTimeoutMs: 6000, assignors, onGeneration: (g) => generations.push(g) });
    members.push(m);
    m.start();
    return { m, generations, logs };
  }

  /** Waits until every member is in the same generation (the rebalance finished for all). */
  async function settled(group: GroupMember[]): Promise<Generation[]> {
    const deadline = Date.now() + CONVERGE_MS;
    for (;;) {
      const gens = group.map((m) => m.generation);
      if (gens.every((g) => g !== null) && new Set(gens.map((g) => g!.generationId)).size === 1) {
        // The coordinator has this generation's every member: the split must be complete.
        const owned = gens.flatMap((g) => g!.partitions);
        if (owned.length === PARTITIONS) return gens as Generation[];
      }
      if (Date.now() > deadline) throw new Error(`members did not settle: ${JSON.stringify(gens.map((g) => g && { id: g.generationId, partitions: g.partitions }))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  function expectDisjointCover(gens: Generation[]): void {
    const owned = gens.flatMap((g) => g.partitions).sort((a, b) => a - b);
    expect(owned).toEqual(Array.from({ length: PARTITIONS }, (_, p) => p));
  }

  it('three members split the partitions disjointly (range), one leaves and its partitions move, and a stale generation cannot commit', async () => {
    const groupId = 'group-member-range';
    const a = await member(groupId);
    const b = await member(groupId);
    const c = await member(groupId);
    const first = await settled([a.m, b.m, c.m]);
    expectDisjointCover(first);
    // One leader, chosen by the coordinator; every member got a contiguous range of two.
    expect(first.filter((g) => g.leader)).toHaveLength(1);
    expect(first.every((g) => g.protocol === 'range')).toBe(true);
    for (const g of first) expect(g.partitions).toEqual([g.partitions[0]!, g.partitions[0]! + 1]);

    // c commits in its generation: accepted.
    const cGen = c.m.generation!;
    await c.m.commit(cGen, new Map(cGen.partitions.map((p) => [p, 5])), 5000);
    const cPartitions = cGen.partitions;

    // c leaves: a and b rebalance into a newer generation and take c's partitions.
    const aOld = a.m.generation!;
    await c.m.close();
    expect(c.logs.filter((l) => l.includes('left the group') || l.includes('LeaveGroup'))).toEqual([expect.stringContaining('left the group')]);
    const second = await settled([a.m, b.m]);
    expect(second[0]!.generationId).toBeGreaterThan(cGen.generationId);
    expectDisjointCover(second);
    for (const p of cPartitions) expect(second.some((g) => g.partitions.includes(p))).toBe(true);
    // The new owner of c's partitions starts where c committed.
    for (const g of second) for (const p of g.partitions) if (cPartitions.includes(p)) expect(g.committed.get(p)).toBe(5);

    // a's commit under the generation before the rebalance is fenced.
    const stale = await a.m.commit(aOld, new Map([[aOld.partitions[0]!, 1]]), 5000).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(stale).toBeInstanceOf(KafkaResponseError);
    expect((stale as KafkaResponseError).errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    // Nothing changed: the group is still in the same generation, and a current commit is accepted.
    const aNow = a.m.generation!;
    await a.m.commit(aNow, new Map(aNow.partitions.map((p) => [p, 7])), 5000);
  });

  it('round-robin when every member prefers it; the first join of a member needs a member id (v4+) and gets one', async () => {
    const groupId = 'group-member-roundrobin';
    const a = await member(groupId, ['roundrobin', 'range']);
    const b = await member(groupId, ['roundrobin', 'range']);
    const gens = await settled([a.m, b.m]);
    expectDisjointCover(gens);
    expect(gens.every((g) => g.protocol === 'roundrobin')).toBe(true);
    // Round robin over two members sorted by id: one gets the even partitions, the other the odd.
    const sorted = [...gens].sort((x, y) => (x.memberId < y.memberId ? -1 : 1));
    expect(sorted[0]!.partitions).toEqual([0, 2, 4]);
    expect(sorted[1]!.partitions).toEqual([1, 3, 5]);
    expect(gens.every((g) => g.memberId.length > 0)).toBe(true);
    // KIP-394 (JoinGroup v4+): each first join was answered MEMBER_ID_REQUIRED with the id to use.
    for (const m of [a, b]) expect(m.logs.some((l) => l.includes('MEMBER_ID_REQUIRED'))).toBe(true);
    expect(new Set(gens.map((g) => g.memberId)).size).toBe(2);
  });

  it('a member the coordinator no longer knows (its session gone) joins again under a new member id', async () => {
    const groupId = 'group-member-fenced';
    const a = await member(groupId);
    const [before] = await settled([a.m]);
    // Another client removes a's member id from the group (LeaveGroup on its behalf, as an admin's removeMembers).
    const admin = clients[0]!;
    const coordinator = await admin.anyConnection();
    await coordinator.request(KafkaApis.LeaveGroup, { groupId, members: [{ memberId: before!.memberId, groupInstanceId: null }] });
    const after = await a.m.joined(CONVERGE_MS, before);
    expect(after.memberId).not.toBe(before!.memberId);
    expect(after.generationId).toBeGreaterThan(before!.generationId);
    expect(after.partitions).toEqual(Array.from({ length: PARTITIONS }, (_, p) => p));
  });

  /** Commits in the member's current generation until the coordinator accepts (it may still be loading after a restart). */
  async function commitAccepted(m: GroupMember): Promise<Generation> {
    const deadline = Date.now() + CONVERGE_MS;
    for (;;) {
      const g = m.generation;
      const err = g ? await m.commit(g, new Map(g.partitions.map((p) => [p, 3])), 2000).then(() => undefined, (e: unknown) => e) : new Error('no generation');
      if (err === undefined) return g!;
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  // Last: it kills and pauses the broker the other cases use (the reference only: Apache's restarts take too long here).
  if (faults) it('its coordinator killed and restarted, then paused and resumed: the members carry on in a generation whose commits are accepted; close returns with the broker down', async () => {
    const groupId = 'group-member-faults';
    const a = await member(groupId);
    const b = await member(groupId);
    const before = await settled([a.m, b.m]);

    await cluster.killNode(1);
    // With the coordinator gone a commit fails as a connection error; it does not hang.
    const down = await a.m.commit(before[0]!, new Map([[before[0]!.partitions[0]!, 1]]), 2000).then(() => undefined, (e: unknown) => e);
    expect(down).toBeInstanceOf(KafkaConnectionError);
    await cluster.startNode(1);
    const restarted = await settled([a.m, b.m]);
    expectDisjointCover(restarted);
    expect(restarted[0]!.generationId).toBeGreaterThanOrEqual(before[0]!.generationId);
    await commitAccepted(a.m);
    await commitAccepted(b.m);

    // Paused longer than a request timeout (1 s): heartbeats go unanswered, the members drop the
    // connection and look the coordinator up again until it answers.
    a.logs.length = 0;
    await cluster.pauseNode(1);
    await new Promise((r) => setTimeout(r, 2500));
    await cluster.resumeNode(1);
    expect(a.logs.some((l) => /coordinator .* dropped: Heartbeat .* no answer within 1000 ms/.test(l)), a.logs.join('\n')).toBe(true);
    const resumed = await settled([a.m, b.m]);
    expectDisjointCover(resumed);
    await commitAccepted(a.m);
    await commitAccepted(b.m);

    // Closing with the broker down still returns: LeaveGroup and every wait are bounded.
    await cluster.killNode(1);
    await Promise.all([a.m.close(), b.m.close()]);
    expect(a.m.generation).toBeNull();
    await cluster.startNode(1);
  });
});
