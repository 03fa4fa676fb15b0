import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../../../common/logger.js';
import { ErrorCode } from '../../../../../protocols/kafka/error-codes.js';
import type { KeyValue } from '../../../../../servers/kafka/coordinator/coordinator-log.js';
import { defaultConsumerGroupConfig, type ConsumerGroupConfig } from '../../../../../servers/kafka/group/consumer-group-config.js';
import { ConsumerGroupCoordinator, type HeartbeatParams, type HeartbeatResult } from '../../../../../servers/kafka/group/consumer-group-coordinator.js';
import type { ConsumerGroup } from '../../../../../servers/kafka/group/consumer-group.js';
import { isConsumerGroupRecordType, readConsumerGroupRecord } from '../../../../../servers/kafka/group/consumer-group-records.js';
import { topicPartitionKey } from '../../../../../servers/kafka/group/classic-group.js';
import { CoordinatorHost, groupCoordinator } from '../coordinator/coordinator-host-fixture.js';

/** Topics by name with made-up ids; tests add partitions or topics as they go. */
class Topics {
  readonly byName = new Map<string, { id: string; partitions: number }>();
  add(name: string, partitions: number): string {
    // A real 16-byte id (records encode it), derived from the name so tests are deterministic.
    const id = Buffer.from(name.padEnd(16, '.').slice(0, 16)).toString('base64url');
    this.byName.set(name, { id, partitions });
    return id;
  }
  get = (name: string) => this.byName.get(name);
  byId = (id: string) => {
    for (const [name, t] of this.byName) if (t.id === id) return { name, partitions: t.partitions };
    return undefined;
  };
}

/** Captures what the coordinator writes, in order. */
class Storage {
  readonly records: KeyValue[] = [];
  liveClassic = new Set<string>();
  appendRecords = (_groupId: string, records: KeyValue[]) => void this.records.push(...records);
  hasLiveClassicGroup = (groupId: string) => this.liveClassic.has(groupId);
  ensureOffsetsHolder = () => {};
}

const join = (memberId: string, topics: string[], extra: Partial<HeartbeatParams> = {}): HeartbeatParams => ({
  apiVersion: 1,
  groupId: 'g',
  memberId,
  memberEpoch: 0,
  instanceId: null,
  rackId: null,
  rebalanceTimeoutMs: 30_000,
  subscribedTopicNames: topics,
  subscribedTopicRegex: null,
  serverAssignor: null,
  topicPartitions: [],
  clientId: 'c',
  clientHost: '/127.0.0.1',
  ...extra,
});

const beat = (memberId: string, memberEpoch: number, owned: Array<{ topicId: string; partitions: number[] }> | null = null, extra: Partial<HeartbeatParams> = {}): HeartbeatParams =>
  join(memberId, [], { memberEpoch, rebalanceTimeoutMs: -1, subscribedTopicNames: null, topicPartitions: owned, ...extra });

/**
 * A well-behaved client: it reports what it owns on every heartbeat and adopts each assignment
 * it is sent (revoking what is no longer in it, which the next heartbeat acknowledges).
 */
class Client {
  epoch = 0;
  owned: Array<{ topicId: string; partitions: number[] }> = [];
  constructor(
    private readonly cgc: ConsumerGroupCoordinator,
    readonly memberId: string,
    private readonly topics: string[],
  ) {}
  join(): HeartbeatResult {
    return this.apply(this.cgc.heartbeat(join(this.memberId, this.topics)));
  }
  heartbeat(): HeartbeatResult {
    return this.apply(this.cgc.heartbeat(beat(this.memberId, this.epoch, this.owned)));
  }
  leave(): HeartbeatResult {
    return this.cgc.heartbeat(beat(this.memberId, -1));
  }
  partitions(): number {
    return this.owned.reduce((n, t) => n + t.partitions.length, 0);
  }
  private apply(r: HeartbeatResult): HeartbeatResult {
    expect(r.errorCode).toBe(ErrorCode.NONE);
    this.epoch = r.memberEpoch;
    if (r.assignment) this.owned = r.assignment.topicPartitions;
    return r;
  }
}

/** The safety property: no partition is held (assigned or pending revocation) by two members. */
function expectNoPartitionHeldTwice(group: ConsumerGroup): void {
  const holder = new Map<string, string>();
  for (const m of group.members.values()) {
    for (const a of [m.assignment.assignedPartitions, m.assignment.partitionsPendingRevocation]) {
      for (const [t, ps] of a) {
        for (const p of ps) {
          const key = `${t}:${p}`;
          expect(holder.get(key), `${key} held by ${holder.get(key)} and ${m.memberId}`).toBeUndefined();
          holder.set(key, m.memberId);
        }
      }
    }
  }
}

/** The same property from the clients' side: what they believe they own never overlaps. */
function expectClientsDisjoint(clients: Client[]): void {
  const seen = new Set<string>();
  for (const c of clients) {
    for (const t of c.owned) {
      for (const p of t.partitions) {
        expect(seen.has(`${t.topicId}:${p}`)).toBe(false);
        seen.add(`${t.topicId}:${p}`);
      }
    }
  }
}

describe('KIP-848 consumer group coordinator', () => {
  let topics: Topics;
  let storage: Storage;
  let cgc: ConsumerGroupCoordinator;
  const make = (config: Partial<ConsumerGroupConfig> = {}) => new ConsumerGroupCoordinator(storage, topics, { ...defaultConsumerGroupConfig, ...config }, silentLogger);
  beforeEach(() => {
    vi.useFakeTimers();
    topics = new Topics();
    storage = new Storage();
    cgc = make();
  });
  afterEach(() => {
    cgc.close();
    vi.useRealTimers();
  });

  it('a first member gets every partition at epoch 1; heartbeats keep it; leaving bumps the epoch', () => {
    const t = topics.add('t', 3);
    const r = cgc.heartbeat(join('m1', ['t']));
    expect(r).toMatchObject({ errorCode: ErrorCode.NONE, memberId: 'm1', memberEpoch: 1, heartbeatIntervalMs: 5000, assignment: { topicPartitions: [{ topicId: t, partitions: [0, 1, 2] }] } });
    expect(cgc.heartbeat(beat('m1', 1))).toMatchObject({ errorCode: ErrorCode.NONE, memberEpoch: 1, assignment: null });
    const group = cgc.get('g')!;
    expect(group.state).toBe('Stable');
    expect(cgc.heartbeat(beat('m1', -1))).toMatchObject({ errorCode: ErrorCode.NONE, memberId: 'm1', memberEpoch: -1 });
    expect(group.state).toBe('Empty');
    expect(group.groupEpoch).toBe(2);
  });

  it('never gives a partition to a second member before the first revoked it', () => {
    const t = topics.add('t', 4);
    const c1 = new Client(cgc, 'm1', ['t']);
    const c2 = new Client(cgc, 'm2', ['t']);
    c1.join();
    const group = cgc.get('g')!;
    c2.join();
    expect(c2.epoch).toBe(2);
    expect(c2.partitions()).toBe(0); // all four still belong to m1
    expect(group.state).toBe('Reconciling');
    expectNoPartitionHeldTwice(group);
    // m2 asking again changes nothing until m1 has revoked.
    c2.heartbeat();
    expect(c2.partitions()).toBe(0);
    c1.heartbeat(); // told to revoke two; keeps epoch 1
    expect(c1.epoch).toBe(1);
    expect(c1.partitions()).toBe(2);
    expectNoPartitionHeldTwice(group);
    c2.heartbeat();
    expect(c2.partitions()).toBe(0); // the revocation is not acknowledged yet
    c1.heartbeat(); // acknowledges: epoch 2
    expect(c1.epoch).toBe(2);
    c2.heartbeat();
    expect(c2.partitions()).toBe(2);
    expect(group.state).toBe('Stable');
    expectNoPartitionHeldTwice(group);
    expectClientsDisjoint([c1, c2]);
    expect(new Set([...c1.owned, ...c2.owned].flatMap((x) => x.partitions))).toEqual(new Set([0, 1, 2, 3]));
    expect(c1.owned[0]!.topicId).toBe(t);
  });

  it('keeps the property through a scripted churn of joins, leaves and a topic growing', () => {
    topics.add('t', 6);
    const clients = ['a', 'b', 'c', 'd'].map((id) => new Client(cgc, id, ['t']));
    const active = new Set<Client>();
    const round = () => {
      for (const c of active) {
        c.heartbeat();
        expectNoPartitionHeldTwice(cgc.get('g')!);
        expectClientsDisjoint([...active]);
      }
    };
    const script: Array<() => void> = [
      () => (clients[0]!.join(), active.add(clients[0]!)),
      () => (clients[1]!.join(), active.add(clients[1]!)),
      () => (clients[2]!.join(), active.add(clients[2]!)),
      () => (clients[1]!.leave(), active.delete(clients[1]!)),
      () => topics.add('t', 9),
      () => (clients[3]!.join(), active.add(clients[3]!)),
      () => (clients[0]!.leave(), active.delete(clients[0]!)),
    ];
    for (const step of script) {
      step();
      for (let i = 0; i < 4; i++) round();
    }
    const group = cgc.get('g')!;
    expect(group.state).toBe('Stable');
    const owned = [...active].flatMap((c) => c.owned.flatMap((x) => x.partitions));
    expect(owned.sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...active].map((c) => c.partitions()).sort()).toEqual([4, 5]);
  });

  it('fences a silent member after the session timeout and one that does not revoke within its rebalance timeout', () => {
    topics.add('t', 2);
    cgc.close();
    cgc = make({ sessionTimeoutMs: 10_000 });
    const c1 = new Client(cgc, 'm1', ['t']);
    const c2 = new Client(cgc, 'm2', ['t']);
    c1.join();
    c2.join();
    const group = cgc.get('g')!;
    vi.advanceTimersByTime(9_000);
    c1.heartbeat(); // asked to revoke; rebalance timeout 30 s, but the session ends first for m2
    vi.advanceTimersByTime(2_000);
    expect(group.members.has('m2')).toBe(false); // m2 was silent for 11 s
    expect(group.groupEpoch).toBe(3);
    // m1 kept heartbeating but never acknowledged the revocation: fenced at its rebalance timeout.
    cgc.close();
    cgc = make({ sessionTimeoutMs: 60_000 });
    const d1 = new Client(cgc, 'm1', ['t']);
    d1.join();
    cgc.heartbeat(join('m2', ['t']));
    cgc.heartbeat(beat('m1', 1)); // told to revoke, never reports it
    for (let i = 0; i < 6; i++) {
      vi.advanceTimersByTime(5_000);
      if (cgc.get('g')!.members.has('m1')) cgc.heartbeat(beat('m1', 1));
    }
    expect(cgc.get('g')!.members.has('m1')).toBe(false);
    expect(cgc.heartbeat(beat('m1', 1)).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('answers bad requests as Apache does', () => {
    topics.add('t', 1);
    cgc.heartbeat(join('m1', ['t']));
    const code = (p: HeartbeatParams) => cgc.heartbeat(p).errorCode;
    expect(code(beat('m1', 7))).toBe(ErrorCode.FENCED_MEMBER_EPOCH);
    expect(code(beat('zz', 1))).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(code(beat('m1', 1, null, { groupId: 'other' }))).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    expect(code(join('m2', ['t'], { rebalanceTimeoutMs: -1 }))).toBe(ErrorCode.INVALID_REQUEST);
    expect(code(join('m2', ['t'], { topicPartitions: null }))).toBe(ErrorCode.INVALID_REQUEST);
    expect(code(join('m2', ['t'], { subscribedTopicNames: null }))).toBe(ErrorCode.INVALID_REQUEST);
    expect(code(join('', ['t']))).toBe(ErrorCode.INVALID_REQUEST);
    expect(code(join('m2', ['t'], { memberEpoch: -3 }))).toBe(ErrorCode.INVALID_REQUEST);
    expect(code(join('m2', ['t'], { serverAssignor: 'sticky' }))).toBe(ErrorCode.UNSUPPORTED_ASSIGNOR);
    expect(code(join('m2', [], { subscribedTopicNames: null, subscribedTopicRegex: 't.*' }))).toBe(ErrorCode.INVALID_REQUEST); // regex: not implemented
    storage.liveClassic.add('classic');
    expect(code(join('m2', ['t'], { groupId: 'classic' }))).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    // v0: the coordinator names a member that comes without an id.
    const v0 = cgc.heartbeat(join('', ['t'], { apiVersion: 0 }));
    expect(v0.errorCode).toBe(ErrorCode.NONE);
    expect(v0.memberId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('enforces group.consumer.max.size', () => {
    cgc.close();
    cgc = make({ maxSize: 1 });
    cgc.heartbeat(join('m1', []));
    expect(cgc.heartbeat(join('m2', [])).errorCode).toBe(ErrorCode.GROUP_MAX_SIZE_REACHED);
  });

  it('a refused first join leaves no group behind', () => {
    cgc.close();
    cgc = make({ maxSize: 0 });
    expect(cgc.heartbeat(join('m1', [])).errorCode).toBe(ErrorCode.GROUP_MAX_SIZE_REACHED);
    expect(cgc.get('g')).toBeUndefined();
    expect(storage.records).toEqual([]);
  });

  it('uses the range assignor when members ask for it', () => {
    const t = topics.add('t', 4);
    const r1 = cgc.heartbeat(join('m1', ['t'], { serverAssignor: 'range' }));
    expect(r1.assignment).toEqual({ topicPartitions: [{ topicId: t, partitions: [0, 1, 2, 3] }] });
    expect(cgc.describe('g', false).assignorName).toBe('range');
  });

  it('static members: the instance id is held until -2, then a new member id takes the partitions without a rebalance', () => {
    const t = topics.add('t', 2);
    cgc.heartbeat(join('m1', ['t'], { instanceId: 'i1' }));
    expect(cgc.heartbeat(join('m2', ['t'], { instanceId: 'i1' })).errorCode).toBe(ErrorCode.UNRELEASED_INSTANCE_ID);
    expect(cgc.heartbeat(beat('m1', -2, null, { instanceId: 'i1' }))).toMatchObject({ errorCode: ErrorCode.NONE, memberEpoch: -2 });
    const group = cgc.get('g')!;
    expect(group.groupEpoch).toBe(1);
    const r = cgc.heartbeat(join('m2', ['t'], { instanceId: 'i1' }));
    expect(r).toMatchObject({ errorCode: ErrorCode.NONE, memberId: 'm2', memberEpoch: 1, assignment: { topicPartitions: [{ topicId: t, partitions: [0, 1] }] } });
    expect(group.groupEpoch).toBe(1);
    expect([...group.members.keys()]).toEqual(['m2']);
    expect(cgc.heartbeat(beat('m1', 1, null, { instanceId: 'i1' })).errorCode).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect(cgc.heartbeat(beat('m2', 1, null, { instanceId: 'other' })).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('checks member epochs on offset commits and fetches', () => {
    topics.add('t', 2);
    cgc.heartbeat(join('m1', ['t']));
    const group = cgc.get('g')!;
    const commit = (memberId: string, epoch: number, apiVersion = 9, transactional = false, partition = 0) => cgc.validateOffsetCommit(group, memberId, epoch, apiVersion, transactional)('t', partition);
    expect(commit('m1', 1)).toBe(ErrorCode.NONE);
    expect(commit('m1', 0)).toBe(ErrorCode.STALE_MEMBER_EPOCH);
    expect(commit('m1', 2)).toBe(ErrorCode.STALE_MEMBER_EPOCH);
    expect(commit('m1', 1, 8)).toBe(ErrorCode.UNSUPPORTED_VERSION);
    expect(commit('', -1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(commit('m1', 0, 3, true)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(commit('', -1, 0, true)).toBe(ErrorCode.UNKNOWN_MEMBER_ID); // old TxnOffsetCommit without a member
    // m2 joins (epoch 2); m1 keeps partition 0 and moves to epoch 2: a commit still carrying
    // epoch 1 for a partition held since epoch 1 is accepted, one for a partition it lost is not.
    cgc.heartbeat(join('m2', ['t']));
    cgc.heartbeat(beat('m1', 1));
    cgc.heartbeat(beat('m1', 1, [{ topicId: topics.get('t')!.id, partitions: [0] }]));
    expect(group.members.get('m1')!.memberEpoch).toBe(2);
    expect(commit('m1', 1)).toBe(ErrorCode.NONE);
    expect(commit('m1', 1, 9, false, 1)).toBe(ErrorCode.STALE_MEMBER_EPOCH);
    expect(commit('m2', 1)).toBe(ErrorCode.STALE_MEMBER_EPOCH);
    cgc.heartbeat(beat('m2', -1));
    expect(cgc.validateOffsetFetch(group, 'm1', 2)).toBeUndefined();
    expect(cgc.validateOffsetFetch(group, 'm1', 1)).toBe(ErrorCode.STALE_MEMBER_EPOCH);
    expect(cgc.validateOffsetFetch(group, null, -1)).toBeUndefined();
    cgc.heartbeat(beat('m1', -1));
    expect(commit('', -1)).toBe(ErrorCode.NONE);
  });

  it('rebuilds groups from the records it wrote', () => {
    topics.add('t', 4);
    const c1 = new Client(cgc, 'm1', ['t']);
    const c2 = new Client(cgc, 'm2', ['t']);
    c1.join();
    c2.join();
    c1.heartbeat(); // m1 is now revoking
    cgc.heartbeat(join('s', ['t'], { instanceId: 'i' }));
    c1.heartbeat(); // acknowledges the revocation: a newer epoch, partitions received at epoch 1
    const m1 = cgc.get('g')!.members.get('m1')!;
    expect(m1.memberEpoch).toBeGreaterThan(1);
    expect([...m1.partitionEpochs.values()]).toContain(1);
    const epochsOf = (c: ConsumerGroupCoordinator) => [...c.get('g')!.members.values()].map((m) => [m.memberId, [...m.partitionEpochs].sort()]);
    const before = cgc.describe('g', false);
    const epochsBefore = epochsOf(cgc);
    const replayed = make();
    replayed.replay(storage.records.filter((r) => isConsumerGroupRecordType(r.key.readInt16BE(0))).map((r) => readConsumerGroupRecord(r.key, r.value)));
    try {
      const after = replayed.describe('g', false);
      expect(after).toEqual(before);
      expect(epochsOf(replayed)).toEqual(epochsBefore); // AssignmentEpochs round-trips
      expectNoPartitionHeldTwice(replayed.get('g')!);
      expect(replayed.get('g')!.staticMemberId('i')).toBe('s');
      // A member removed before the restart stays removed.
      c2.leave();
      const again = make();
      again.replay(storage.records.map((r) => readConsumerGroupRecord(r.key, r.value)));
      expect([...again.get('g')!.members.keys()].sort()).toEqual(['m1', 's']);
      again.close();
    } finally {
      replayed.close();
    }
  });
});

describe('KIP-848 consumer groups inside the group coordinator', () => {
  /** The coordinator test host, with topics for the consumer groups. */
  class HostWithTopics extends CoordinatorHost {
    readonly topics = new Topics();
    readonly config = { properties: { 'group.consumer.heartbeat.interval.ms': '700' } };
  }
  let host: HostWithTopics;
  beforeEach(() => {
    host = new HostWithTopics();
  });
  afterEach(() => host.close());

  it('routes listing, offsets and deletion, and reloads the group from __consumer_offsets', async () => {
    host.createTopic('t', 2);
    host.topics.add('t', 2);
    const gc = groupCoordinator(host);
    const r = gc.consumer.heartbeat(join('m1', ['t']));
    expect(r.heartbeatIntervalMs).toBe(700);
    expect(gc.listGroups([], [])).toContainEqual({ groupId: 'g', protocolType: 'consumer', groupState: 'Stable', groupType: 'consumer' });
    expect(gc.listGroups([], ['classic']).map((g) => g.groupId)).not.toContain('g');
    const offsets = [{ topic: 't', partition: 0, offset: 5, leaderEpoch: -1, metadata: '', commitTimestamp: 0, expireTimestamp: undefined }];
    const commit = (generationId: number, apiVersion = 9) => gc.commitOffsets({ groupId: 'g', memberId: 'm1', groupInstanceId: null, generationId, offsets, apiVersion }).get(topicPartitionKey('t', 0));
    expect(commit(2)).toBe(ErrorCode.STALE_MEMBER_EPOCH);
    expect(commit(1, 8)).toBe(ErrorCode.UNSUPPORTED_VERSION);
    expect(commit(1)).toBe(ErrorCode.NONE);
    expect(gc.fetchOffsets('g', false, [{ topic: 't', partition: 0 }], { memberId: 'm1', memberEpoch: 3 }).errorCode).toBe(ErrorCode.STALE_MEMBER_EPOCH);
    expect(gc.fetchOffsets('g', false, [{ topic: 't', partition: 0 }], { memberId: 'm1', memberEpoch: 1 }).results[0]!.offset).toBe(5);
    expect(gc.deleteGroups(['g']).get('g')).toBe(ErrorCode.NON_EMPTY_GROUP);
    expect(gc.describeGroup('g').state).toBe('Dead'); // not a classic group
    // A classic member cannot join a consumer group with members.
    const joined = await gc.joinGroup({ groupId: 'g', memberId: '', groupInstanceId: null, requireKnownMemberId: true, supportSkippingAssignment: false, clientId: 'c', clientHost: 'h', rebalanceTimeoutMs: 10_000, sessionTimeoutMs: 10_000, protocolType: 'consumer', protocols: [] });
    expect(joined.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    gc.close();

    host.reopen();
    const reloaded = groupCoordinator(host);
    await reloaded.store.load(Date.now());
    reloaded.onGroupsLoaded();
    try {
      const group = reloaded.consumer.get('g')!;
      expect(group.state).toBe('Stable');
      expect(group.members.get('m1')!.memberEpoch).toBe(1);
      expect(reloaded.fetchOffsets('g', false, undefined).results).toMatchObject([{ topic: 't', partition: 0, offset: 5 }]);
      expect(reloaded.consumer.heartbeat(beat('m1', 1)).errorCode).toBe(ErrorCode.NONE);
      expect(reloaded.consumer.heartbeat(beat('m1', -1)).errorCode).toBe(ErrorCode.NONE);
      expect(reloaded.deleteGroups(['g']).get('g')).toBe(ErrorCode.NONE);
      expect(reloaded.consumer.get('g')).toBeUndefined();
      expect(reloaded.fetchOffsets('g', false, undefined).results).toEqual([]);
    } finally {
      reloaded.close();
    }
  });
});
