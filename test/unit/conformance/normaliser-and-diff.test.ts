import { describe, expect, it } from 'vitest';
import { EventType, KeeperState, OpCode, type Stat } from '../../../protocols/zookeeper/index.js';
import type { TranscriptEntry } from '../../../workloads/conformance/conformance-result.js';
import { diffTranscripts } from '../../../workloads/conformance/transcript-diff.js';
import type { StepResult } from '../../../workloads/conformance/zookeeper/step-result.js';
import { maskFourLetterWordReply, normaliseTranscript } from '../../../workloads/conformance/zookeeper/zookeeper-normaliser.js';

const stat = (over: Partial<Stat>): Stat => ({
  czxid: 0n, mzxid: 0n, ctime: 1000n, mtime: 1000n, version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n, dataLength: 0, numChildren: 0, pzxid: 0n, ...over,
});

/** The same three steps as two servers with different histories, session ids and clocks would answer them. */
function transcriptOf(base: bigint, sessionA: bigint, clock: bigint, notificationZxid?: bigint): { results: StepResult[]; names: (id: bigint) => string | undefined } {
  const z = (n: number) => base + BigInt(n);
  const results: StepResult[] = [
    { step: 0, op: 'create2', label: 'create2 /e (a)', session: 'a', err: 0, zxid: z(1), closed: false, path: '/e',
      stat: stat({ czxid: z(1), mzxid: z(1), pzxid: z(1), ctime: clock, mtime: clock, ephemeralOwner: sessionA }), events: {} },
    { step: 1, op: 'setData', label: 'setData /e (b)', session: 'b', err: 0, zxid: z(3), closed: false,
      stat: stat({ czxid: z(1), mzxid: z(3), pzxid: z(1), ctime: clock, mtime: clock + 7n, version: 1, ephemeralOwner: sessionA }),
      events: { a: [{ type: EventType.NodeDataChanged, state: KeeperState.SyncConnected, path: '/e', zxid: notificationZxid ?? z(3) }] } },
    { step: 2, op: 'getChildren', label: 'getChildren / (a)', session: 'a', err: 0, zxid: z(3), closed: false, children: ['b', 'a', 'c'], events: {} },
    { step: 3, op: 'multi', label: 'multi (a)', session: 'a', err: 0, zxid: z(4), closed: false, results: [{ err: 0 }, { err: -101 }, { op: OpCode.create, path: '/x' }], events: {} },
  ];
  return { results, names: (id) => (id === sessionA ? 'a' : undefined) };
}

describe('ZooKeeper transcript normalisation', () => {
  it('maps zxids to ranks, sessions to names, masks times and sorts children', () => {
    const t = transcriptOf(0x500000000n, 0x100000abcn, 1_700_000_000_000n);
    const [first, second, third, fourth] = normaliseTranscript(t.results, t.names);
    expect(first!.value).toMatchObject({ err: 'OK', zxid: 'z1', path: '/e', stat: { czxid: 'z1', mzxid: 'z1', ctime: 'masked', mtime: '=ctime', ephemeralOwner: 'session:a' } });
    // z(3) is the second distinct zxid seen: ranks keep order and equality, not the gap.
    expect(second!.value).toMatchObject({ zxid: 'z2', stat: { mzxid: 'z2', czxid: 'z1', mtime: '>=ctime', version: 1 }, events: { a: [{ type: 'NodeDataChanged', path: '/e', state: 'SyncConnected', zxid: 'z2' }] } });
    expect(third!.value).toMatchObject({ children: ['a', 'b', 'c'] });
    expect(fourth!.value).toMatchObject({ zxid: 'z3', results: [{ err: 'OK' }, { err: 'NONODE' }, { op: 'create', path: '/x' }] });
  });

  it('makes two servers that behave alike indistinguishable', () => {
    const a = transcriptOf(0x100000002n, 0x72057594037927936n, 1_700_000_000_000n);
    const b = transcriptOf(0x300000f00n, 0x1234n, 1_800_000_123_456n);
    expect(diffTranscripts(normaliseTranscript(a.results, a.names), normaliseTranscript(b.results, b.names))).toEqual([]);
  });

  it('catches a difference and names the step, the field and both values', () => {
    const a = transcriptOf(100n, 7n, 1000n, -1n);
    const b = transcriptOf(900n, 8n, 5000n);
    const mismatches = diffTranscripts(normaliseTranscript(a.results, a.names), normaliseTranscript(b.results, b.names));
    expect(mismatches).toEqual([{ step: 1, label: 'setData /e (b)', path: 'events.a[0].zxid', left: -1, right: 'z2' }]);
  });

  it('keeps zxid order: a server that consumes no zxid on a failed write is caught', () => {
    const a = transcriptOf(100n, 7n, 1000n);
    const b = transcriptOf(100n, 7n, 1000n);
    b.results[3]!.zxid = 103n; // the multi reuses the previous zxid
    const mismatches = diffTranscripts(normaliseTranscript(a.results, a.names), normaliseTranscript(b.results, b.names));
    expect(mismatches.map((m) => [m.step, m.path, m.left, m.right])).toEqual([[3, 'zxid', 'z3', 'z2']]);
  });

  it('drops fields a step ignores, before ranking', () => {
    const a = transcriptOf(100n, 7n, 1000n);
    const b = transcriptOf(100n, 7n, 1000n);
    b.results[0]!.stat!.pzxid = 50n; // server history outside the scenario
    const ignore = (step: number) => (step === 0 ? ['stat.pzxid'] : []);
    expect(diffTranscripts(normaliseTranscript(a.results, a.names, ignore), normaliseTranscript(b.results, b.names, ignore))).toEqual([]);
    expect(diffTranscripts(normaliseTranscript(a.results, a.names), normaliseTranscript(b.results, b.names)).length).toBeGreaterThan(0);
  });

  it('masks numbers in four-letter-word replies, keeping keys and words', () => {
    expect(maskFourLetterWordReply('Zookeeper version: 3.9.5-293c, built on 2026-02-11\nMode: standalone\nNode count: 7\n')).toBe(
      'Zookeeper version: #\nMode: standalone\nNode count: #\n',
    );
    expect(maskFourLetterWordReply('imok')).toBe('imok');
  });
});

describe('transcript diff', () => {
  it('lists steps only one side has, and nested differences by path', () => {
    const left: TranscriptEntry[] = [
      { step: 0, label: 's0', value: { a: [1, 2], b: { c: 'x' } } },
      { step: 1, label: 's1', value: 1 },
    ];
    const right: TranscriptEntry[] = [{ step: 0, label: 's0', value: { a: [1, 3, 4], b: { c: 'x', d: null } } }];
    expect(diffTranscripts(left, right)).toEqual([
      { step: 0, label: 's0', path: 'a[1]', left: 2, right: 3 },
      { step: 0, label: 's0', path: 'a[2]', left: undefined, right: 4 },
      { step: 0, label: 's0', path: 'b.d', left: undefined, right: null },
      { step: 1, label: 's1', path: '', left: 1, right: undefined },
    ]);
  });
});
