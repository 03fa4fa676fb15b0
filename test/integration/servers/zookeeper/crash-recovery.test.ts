import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OpCode } from '../../../../protocols/zookeeper/index.js';
import { RawZkClient } from './support/raw-zk-client.js';
import { ServerProcess, cliMissing } from './support/server-process.js';

const OPEN = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
const WRITERS = 6;
const ROUNDS = 5;

/** A deterministic PRNG so a failing round can be replayed (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Ledger {
  /** Creates whose reply said OK: must exist after any crash. */
  acked: Map<string, string>;
  /** Creates sent without a reply (in flight at the kill): may exist, but only whole. */
  unknown: Map<string, string>;
  /** Per counter key: highest value acknowledged, highest value ever sent. */
  counters: Map<string, { acked: number; sent: number }>;
  /** Multis creating a pair of nodes: both or neither. */
  pairs: string[];
}

async function writer(cs: ServerProcess, id: number, ledger: Ledger, stop: { done: boolean }): Promise<void> {
  let client: RawZkClient;
  try {
    client = await RawZkClient.connect('127.0.0.1', cs.port, { timeout: 4000 });
  } catch {
    return;
  }
  const counter = `/crash/k${id}`;
  const state = ledger.counters.get(counter) ?? { acked: 0, sent: 0 };
  ledger.counters.set(counter, state);
  let n = ledger.acked.size + ledger.unknown.size;
  const inflight = new Set<Promise<unknown>>();
  while (!stop.done && !client.closed) {
    const seq = n++;
    const p1 = `/crash/w${id}-${seq}`;
    const data = `payload-${id}-${seq}-${'x'.repeat(seq % 50)}`;
    ledger.unknown.set(p1, data);
    const create = client.request(OpCode.create, { path: p1, data: Buffer.from(data), acl: OPEN, flags: 0 }).then(
      (r) => {
        if (r.header.err === 0) {
          ledger.unknown.delete(p1);
          ledger.acked.set(p1, data);
        }
      },
      () => {},
    );
    const value = ++state.sent;
    const set = client.request(OpCode.setData, { path: counter, data: Buffer.from(String(value)), version: -1 }).then(
      (r) => {
        if (r.header.err === 0 && value > state.acked) state.acked = value;
      },
      () => {},
    );
    const pairBase = `/crash/pair${id}-${seq}`;
    ledger.pairs.push(pairBase);
    const multi = client
      .request(OpCode.multi, {
        ops: [
          { type: OpCode.create, body: { path: `${pairBase}a`, data: null, acl: OPEN, flags: 0 } },
          { type: OpCode.create, body: { path: `${pairBase}b`, data: null, acl: OPEN, flags: 0 } },
        ],
      })
      .catch(() => {});
    for (const p of [create, set, multi]) {
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    }
    // Keep a bounded pipeline per client, like a real pipelined client.
    while (inflight.size > 30 && !client.closed) await Promise.race(inflight);
  }
  await Promise.allSettled(inflight);
  client.destroy();
}

describe.skipIf(cliMissing !== null)('durability: kill -9 at random moments loses no acknowledged write', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kz-zk-crash-'));
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.kill9();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`survives ${ROUNDS} SIGKILLs under ${WRITERS} pipelined writers, snapshots included`, async () => {
    // Frequent snapshots, so kills also land while one is being written.
    server = await ServerProcess.start(dir, ['-Dzookeeper.snapCount=700']);
    const setup = await RawZkClient.connect('127.0.0.1', server.port);
    await setup.request(OpCode.create, { path: '/crash', data: null, acl: OPEN, flags: 0 });
    for (let i = 0; i < WRITERS; i++) await setup.request(OpCode.create, { path: `/crash/k${i}`, data: Buffer.from('0'), acl: OPEN, flags: 0 });
    setup.destroy();
    const ledger: Ledger = { acked: new Map(), unknown: new Map(), counters: new Map(), pairs: [] };
    const random = rng(20241122);
    let snapshotsSeen = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const stop = { done: false };
      const writers = Array.from({ length: WRITERS }, (_, i) => writer(server!, i, ledger, stop));
      // Kill only after this round has had acknowledged writes (whatever the machine's speed),
      // then at a random moment, so kills land mid-batch, mid-fsync and mid-snapshot.
      const before = ledger.acked.size;
      const deadline = Date.now() + 60_000;
      while (ledger.acked.size < before + 150 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, Math.floor(random() * 400)));
      await server.kill9();
      stop.done = true;
      await Promise.all(writers);
      await server.restart();

      const check = await RawZkClient.connect('127.0.0.1', server.port);
      const missing: string[] = [];
      const acked = [...ledger.acked];
      const replies = await Promise.all(acked.map(([p]) => check.request(OpCode.getData, { path: p, watch: false })));
      replies.forEach((r, i) => {
        const [p, data] = acked[i]!;
        if (r.header.err !== 0 || (r.body as { data: Buffer }).data.toString() !== data) missing.push(p);
      });
      expect(missing, `round ${round}: acknowledged creates lost`).toEqual([]);
      const unknown = [...ledger.unknown];
      const unknownReplies = await Promise.all(unknown.map(([p]) => check.request(OpCode.getData, { path: p, watch: false })));
      for (const [i, [p, data]] of unknown.entries()) {
        const r = unknownReplies[i]!;
        if (r.header.err === 0) {
          expect((r.body as { data: Buffer }).data.toString()).toBe(data);
          ledger.unknown.delete(p);
          ledger.acked.set(p, data);
        } else {
          expect(r.header.err).toBe(-101);
        }
      }
      for (const [key, { acked, sent }] of ledger.counters) {
        const r = await check.request(OpCode.getData, { path: key, watch: false });
        const value = Number((r.body as { data: Buffer }).data.toString());
        expect(value, `${key} after round ${round}`).toBeGreaterThanOrEqual(acked);
        expect(value).toBeLessThanOrEqual(sent);
        ledger.counters.set(key, { acked: value, sent: value });
      }
      const pairs = await Promise.all(
        ledger.pairs.map(async (base) => {
          const [a, b] = await Promise.all([check.request(OpCode.exists, { path: `${base}a`, watch: false }), check.request(OpCode.exists, { path: `${base}b`, watch: false })]);
          return [base, a.header.err, b.header.err] as const;
        }),
      );
      expect(pairs.filter(([, a, b]) => a !== b).map(([base]) => base), `round ${round}: multis half applied`).toEqual([]);
      snapshotsSeen = Math.max(snapshotsSeen, (server.stderr.match(/snapshot .*znodes/g) ?? []).length);
      check.destroy();
    }
    // The rounds really wrote and snapshotted (this test must be able to fail).
    expect(ledger.acked.size).toBeGreaterThan(ROUNDS * 150);
    expect(snapshotsSeen).toBeGreaterThanOrEqual(2);
    expect(await server.stop()).toBe(0);
  });
});
