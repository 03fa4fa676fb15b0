import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../../../common/logger.js';
import { ErrorCode } from '../../../../../protocols/kafka/error-codes.js';
import { topicPartitionKey } from '../../../../../servers/kafka/group/classic-group.js';
import type { GroupCoordinator, JoinGroupParams } from '../../../../../servers/kafka/group/group-coordinator.js';
import type { JoinGroupOutcome } from '../../../../../servers/kafka/group/group-member.js';
import { GroupMetadataStore } from '../../../../../servers/kafka/group/group-metadata-store.js';
import { CoordinatorHost, groupCoordinator } from '../coordinator/coordinator-host-fixture.js';

const range = { name: 'range', metadata: Buffer.from('range-meta') };
const roundrobin = { name: 'roundrobin', metadata: Buffer.from('rr-meta') };

function params(memberId: string, overrides: Partial<JoinGroupParams> = {}): JoinGroupParams {
  return {
    groupId: 'g',
    memberId,
    groupInstanceId: null,
    requireKnownMemberId: true,
    supportSkippingAssignment: false,
    clientId: 'client',
    clientHost: '/127.0.0.1',
    rebalanceTimeoutMs: 10_000,
    sessionTimeoutMs: 6_000,
    protocolType: 'consumer',
    protocols: [range],
    ...overrides,
  };
}

/** A promise's settled value, or 'pending' (after letting microtasks run; no timer fires). */
async function peek<T>(p: Promise<T>): Promise<T | 'pending'> {
  let v: T | 'pending' = 'pending';
  void p.then((x) => (v = x));
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return v;
}

/**
 * Lets timers due now run. (A tick of 0 ms loops forever in the fake clock when a 0 ms timer
 * schedules another, as the zero initial rebalance delay does; 1 ms does not.)
 */
const runDueTimers = () => vi.advanceTimersByTimeAsync(1);

describe('classic group coordinator: the rebalance state machine', () => {
  let host: CoordinatorHost;
  let gc: GroupCoordinator;
  beforeEach(() => {
    vi.useFakeTimers();
    host = new CoordinatorHost();
    gc = groupCoordinator(host);
  });
  afterEach(() => {
    gc.close();
    host.close();
    vi.useRealTimers();
  });

  /** Two members through MEMBER_ID_REQUIRED, JoinGroup and SyncGroup: a stable generation 1. */
  async function stableGroupOfTwo() {
    const m1 = (await gc.joinGroup(params(''))).memberId;
    const m2 = (await gc.joinGroup(params(''))).memberId;
    const j1 = gc.joinGroup(params(m1));
    const j2 = gc.joinGroup(params(m2));
    await runDueTimers();
    const [r1, r2] = await Promise.all([j1, j2]);
    const s2 = gc.syncGroup({ groupId: 'g', generationId: 1, memberId: m2, groupInstanceId: null, protocolType: null, protocolName: null, assignments: new Map() });
    const s1 = await gc.syncGroup({ groupId: 'g', generationId: 1, memberId: m1, groupInstanceId: null, protocolType: null, protocolName: null, assignments: new Map([[m1, Buffer.from('A')], [m2, Buffer.from('B')]]) });
    return { m1, m2, r1, r2, s1, s2: await s2 };
  }

  it('joins two members: the leader gets the member list, SyncGroup hands out its assignment', async () => {
    const first = await gc.joinGroup(params(''));
    expect(first).toMatchObject({ errorCode: ErrorCode.MEMBER_ID_REQUIRED, generationId: -1 });
    expect(first.memberId).toMatch(/^client-[0-9a-f-]{36}$/);
    const { m1, m2, r1, r2, s1, s2 } = await stableGroupOfTwo();
    expect(r1).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, leader: m1, protocolName: 'range', protocolType: 'consumer' });
    expect(r1.members.map((m) => m.memberId).sort()).toEqual([m1, m2].sort());
    expect(r2).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, leader: m1, members: [] });
    expect(s1).toMatchObject({ errorCode: ErrorCode.NONE, assignment: Buffer.from('A') });
    expect(s2).toMatchObject({ errorCode: ErrorCode.NONE, assignment: Buffer.from('B') });
    expect(gc.describeGroup('g')).toMatchObject({ state: 'Stable', protocolData: 'range' });
    expect(gc.heartbeat('g', m2, null, 1)).toBe(ErrorCode.NONE);
  });

  it('removes a member whose session expires and rebalances the rest', async () => {
    const { m1, m2 } = await stableGroupOfTwo();
    for (let t = 0; t < 4; t++) {
      await vi.advanceTimersByTimeAsync(2000);
      expect(gc.heartbeat('g', m1, null, 1)).toBe(t < 2 ? ErrorCode.NONE : ErrorCode.REBALANCE_IN_PROGRESS);
    }
    expect(gc.heartbeat('g', m2, null, 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const rejoin = await gc.joinGroup(params(m1)); // the only member left has rejoined: done at once
    expect(rejoin).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2, leader: m1 });
    expect(rejoin.members.map((m) => m.memberId)).toEqual([m1]);
  });

  it('evicts a member that does not rejoin within the rebalance timeout', async () => {
    const { m1, m2 } = await stableGroupOfTwo();
    const rejoin = gc.joinGroup(params(m1)); // the leader rejoining forces a rebalance
    expect(await peek(rejoin)).toBe('pending');
    // m2 stays alive (its heartbeats answer REBALANCE_IN_PROGRESS) but never rejoins.
    for (let t = 0; t < 4; t++) {
      expect(gc.heartbeat('g', m2, null, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
      await vi.advanceTimersByTimeAsync(2_000);
    }
    expect(gc.heartbeat('g', m2, null, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(await peek(rejoin)).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(await rejoin).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2, members: [expect.objectContaining({ memberId: m1 })] });
    expect(gc.describeGroup('g').members.map((m) => m.memberId)).toEqual([m1]);
  });

  it('extends the initial rebalance delay while new members arrive, up to the rebalance timeout', async () => {
    gc.close();
    gc = groupCoordinator(host, { initialRebalanceDelayMs: 3000 });
    const j1 = gc.joinGroup(params('', { requireKnownMemberId: false }));
    await vi.advanceTimersByTimeAsync(2000);
    const j2 = gc.joinGroup(params('', { requireKnownMemberId: false }));
    await vi.advanceTimersByTimeAsync(3999); // t = 5999: the delay was extended once, to t = 6000
    expect(await peek(j1)).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    const [r1, r2] = (await Promise.all([j1, j2])) as [JoinGroupOutcome, JoinGroupOutcome];
    expect(r1.generationId).toBe(1);
    expect(r2.generationId).toBe(1);
  });

  it('forgets a member asked for its id (MEMBER_ID_REQUIRED) that never comes back', async () => {
    const { m1 } = await stableGroupOfTwo();
    const ghost = (await gc.joinGroup(params(''))).memberId;
    expect(ghost).not.toBe(m1);
    const rejoin = gc.joinGroup(params(m1));
    // The pending member blocks the rebalance until its session timeout clears it (6 s < the 10 s rebalance timeout).
    await vi.advanceTimersByTimeAsync(6000);
    expect(await rejoin).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2 });
    expect(await gc.joinGroup(params(ghost))).toMatchObject({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID });
  });

  it('removes members that never send SyncGroup and starts over', async () => {
    const m1 = (await gc.joinGroup(params(''))).memberId;
    const m2 = (await gc.joinGroup(params(''))).memberId;
    const joins = [gc.joinGroup(params(m1)), gc.joinGroup(params(m2))];
    await runDueTimers();
    await Promise.all(joins);
    const s1 = gc.syncGroup({ groupId: 'g', generationId: 1, memberId: m1, groupInstanceId: null, protocolType: null, protocolName: null, assignments: new Map() });
    expect(await s1).toMatchObject({ errorCode: ErrorCode.NONE }); // the leader synced; m2 never does
    expect(gc.describeGroup('g').state).toBe('Stable');
    // Both stay alive; only m2's SyncGroup is missing when the rebalance timeout ends.
    for (let t = 0; t < 5; t++) {
      expect(gc.heartbeat('g', m1, null, 1)).toBe(ErrorCode.NONE);
      expect(gc.heartbeat('g', m2, null, 1)).toBe(ErrorCode.NONE);
      await vi.advanceTimersByTimeAsync(2_000);
    }
    expect(gc.describeGroup('g')).toMatchObject({ state: 'PreparingRebalance' });
    expect(gc.describeGroup('g').members.map((m) => m.memberId)).toEqual([m1]);
  });

  it('lets a static member come back with a new member id without a rebalance, fencing the old id', async () => {
    const join = (memberId: string) => gc.joinGroup(params(memberId, { groupInstanceId: 'instance-1', requireKnownMemberId: false }));
    const first = join('');
    await runDueTimers();
    const r1 = await first;
    await gc.syncGroup({ groupId: 'g', generationId: 1, memberId: r1.memberId, groupInstanceId: 'instance-1', protocolType: null, protocolName: null, assignments: new Map([[r1.memberId, Buffer.from('A')]]) });
    const back = await join(''); // restarted process: same instance id, no member id
    expect(back).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, leader: r1.memberId });
    expect(back.memberId).not.toBe(r1.memberId);
    expect(gc.describeGroup('g').state).toBe('Stable');
    expect(gc.heartbeat('g', r1.memberId, 'instance-1', 1)).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect(gc.heartbeat('g', back.memberId, 'instance-1', 1)).toBe(ErrorCode.NONE);
    const s = await gc.syncGroup({ groupId: 'g', generationId: 1, memberId: back.memberId, groupInstanceId: 'instance-1', protocolType: null, protocolName: null, assignments: new Map() });
    expect(s.assignment).toEqual(Buffer.from('A'));
  });

  it('selects the protocol every member supports and most prefer; refuses a member sharing none', async () => {
    const j1 = gc.joinGroup(params('', { requireKnownMemberId: false, protocols: [range, roundrobin] }));
    const j2 = gc.joinGroup(params('', { requireKnownMemberId: false, protocols: [roundrobin, range] }));
    const j3 = gc.joinGroup(params('', { requireKnownMemberId: false, protocols: [roundrobin] }));
    await runDueTimers();
    expect((await j1).protocolName).toBe('roundrobin');
    expect((await j2).protocolName).toBe('roundrobin');
    expect((await j3).protocolName).toBe('roundrobin');
    expect(await gc.joinGroup(params('', { protocols: [{ name: 'sticky', metadata: Buffer.alloc(0) }] }))).toMatchObject({ errorCode: ErrorCode.INCONSISTENT_GROUP_PROTOCOL });
  });

  it('reloads groups and offsets from __consumer_offsets; a member that stays silent is then removed', async () => {
    const { m1, m2 } = await stableGroupOfTwo();
    const commit = (memberId: string, offset: number) =>
      gc.commitOffsets({ groupId: 'g', memberId, groupInstanceId: null, generationId: 1, offsets: [{ topic: 't', partition: 0, offset, leaderEpoch: -1, metadata: 'm', commitTimestamp: Date.now(), expireTimestamp: undefined }] });
    expect(commit(m1, 41).get(topicPartitionKey('t', 0))).toBe(ErrorCode.NONE);
    expect(commit(m2, 42).get(topicPartitionKey('t', 0))).toBe(ErrorCode.NONE);
    gc.close();
    host.reopen();
    const store = new GroupMetadataStore(host, { offsetsTopicPartitions: 3, offsetsTopicSegmentBytes: 1 << 20, offsetsTopicCompressionType: 'producer' }, silentLogger);
    await store.load(Date.now());
    const { GroupCoordinator } = await import('../../../../../servers/kafka/group/group-coordinator.js');
    gc = new GroupCoordinator(store, { minSessionTimeoutMs: 6000, maxSessionTimeoutMs: 1_800_000, maxSize: 100, initialRebalanceDelayMs: 0, offsetMetadataMaxBytes: 4096 }, silentLogger);
    gc.onGroupsLoaded();
    expect(gc.describeGroup('g')).toMatchObject({ state: 'Stable', protocolType: 'consumer', protocolData: 'range' });
    expect(gc.describeGroup('g').members.map((m) => [m.memberId, m.assignment.toString()]).sort()).toEqual([[m1, 'A'], [m2, 'B']].sort());
    expect(gc.fetchOffsets('g', false, [{ topic: 't', partition: 0 }]).results[0]).toMatchObject({ offset: 42, metadata: 'm' });
    await vi.advanceTimersByTimeAsync(5000);
    expect(gc.heartbeat('g', m1, null, 1)).toBe(ErrorCode.NONE);
    await vi.advanceTimersByTimeAsync(1001); // m2's session (6 s from the load) is over
    expect(gc.describeGroup('g').members.map((m) => m.memberId)).toEqual([m1]);
  });
});
