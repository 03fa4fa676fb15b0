import { randomBytes } from 'node:crypto';
import { connectString } from '../launchers/target.js';
import type { ConfiguredWorkload, RunningWorkload, WorkloadDefinition, WorkloadOptions, WorkloadStartContext } from '../registry.js';
import type { OpRequest } from '../runner/index.js';
import { WorkloadParams } from '../workload-params.js';
import { openZkSessions, zkFailureType, zkHotpathClients, type ZkHotpathClient } from './zk-hotpath-sessions.js';

export const zkHotpathOps = ['create', 'setData', 'getData'] as const;
export type ZkHotpathOp = (typeof zkHotpathOps)[number];

const params = [
  { name: 'ops', description: 'operations, taken in turn: create, setData, getData', default: 'create,setData,getData' },
  { name: 'value-size', description: 'bytes per create/setData value', default: '100' },
  { name: 'keys', description: 'existing znodes setData/getData cycle over', default: '1000' },
  { name: 'client', description: `client library: ${zkHotpathClients.join(' | ')}`, default: 'kzbench' },
  { name: 'cleanup', description: 'delete what the run created: auto (only on targets the run did not start), true, false', default: 'auto' },
] as const;

/** Deletes issued at once while cleaning up: pipelined, but bounded so a big run does not flood the server. */
const cleanupWindow = 1000;

/**
 * `zk-hotpath`: znode create / setData / getData with fixed-size values, open loop at
 * `--rate` or closed loop flat out. Creates go to fresh paths under a root owned by the run;
 * setData and getData cycle over `keys` znodes created before the load starts. Judged by
 * HDR latency and throughput only: no checker.
 */
export const zkHotpath: WorkloadDefinition = {
  name: 'zk-hotpath',
  system: 'zookeeper',
  description: 'znode create / setData / getData at a rate (open loop) or flat out (closed loop)',
  judgedBy: 'HDR latency, throughput',
  params,
  nemesis: [],
  injectBugs: [],
  defaults: { rate: null, durationSeconds: 10, warmupSeconds: 2, clients: 4, inFlight: 64 },
  configure: configureZkHotpath,
};

function configureZkHotpath(opts: WorkloadOptions): ConfiguredWorkload {
  const p = new WorkloadParams('zk-hotpath', params, opts.params);
  const ops = p.listOf('ops', zkHotpathOps);
  const valueSize = p.int('value-size', 0, 1024 * 1024 - 1024);
  const keys = p.int('keys', 1, 1_000_000);
  const client = p.oneOf('client', zkHotpathClients);
  const cleanup = p.oneOf('cleanup', ['auto', 'true', 'false'] as const);
  return {
    client,
    settings: {
      valueBytes: valueSize,
      sessions: opts.clients,
      batching: client === 'kzbench' ? 'pipelined, one socket write per tick' : 'library default',
      fsync: 'target default (Apache: forceSync=yes)',
    },
    extra: { ops: ops.join(','), keys, params: p.resolved() },
    checked: false,
    start: (ctx) => startZkHotpath(ctx, { ops, valueSize, keys, client, cleanup, sessions: opts.clients }),
  };
}

interface ZkHotpathSettings {
  ops: ZkHotpathOp[];
  valueSize: number;
  keys: number;
  client: ZkHotpathClient;
  cleanup: 'auto' | 'true' | 'false';
  sessions: number;
}

async function startZkHotpath(ctx: WorkloadStartContext, s: ZkHotpathSettings): Promise<RunningWorkload> {
  const { sessions, close } = await openZkSessions(s.client, connectString(ctx.target), s.sessions);
  const root = `/kzbench-hotpath-${process.pid}-${randomBytes(4).toString('hex')}`;
  const keyPath = (i: number) => `${root}/k-${i}`;
  const value = Buffer.alloc(s.valueSize, 0x61);
  const cleanup = s.cleanup === 'true' || (s.cleanup === 'auto' && !ctx.disposableTarget);
  // Paths are kept only when they will be deleted: a long run on a throwaway server creates millions.
  const created: string[] = [];
  let createdCount = 0;
  try {
    await sessions[0]!.create(root, Buffer.alloc(0));
    if (s.ops.some((op) => op !== 'create')) await inWindows(s.keys, (i) => sessions[i % sessions.length]!.create(keyPath(i), value));
  } catch (err) {
    await close();
    throw err;
  }
  ctx.log.debug(`zk-hotpath: root ${root}, ${s.keys} keys, ${sessions.length} ${s.client} session(s)`);

  const generator = ({ seq }: { seq: number }): OpRequest => {
    const f = s.ops[seq % s.ops.length]!;
    return { f, key: f === 'create' ? `${root}/c-${seq}` : keyPath(seq % s.keys) };
  };

  return {
    generator,
    connections: sessions.length,
    executor: async (op, ctx) => {
      const session = sessions[ctx.worker % sessions.length]!;
      const path = op.key as string;
      try {
        if (op.f === 'create') {
          await session.create(path, value);
          createdCount++;
          if (cleanup) created.push(path);
        } else if (op.f === 'setData') await session.setData(path, value);
        else await session.getData(path);
        return { type: 'ok' };
      } catch (error) {
        return { type: zkFailureType(error), error };
      }
    },
    facts: () => ({ znodesCreated: createdCount }),
    close: async () => {
      try {
        if (cleanup) {
          const del = (path: string, i: number) => sessions[i % sessions.length]!.delete(path).catch(() => undefined);
          await inWindows(created.length, (i) => del(created[i]!, i));
          if (s.ops.some((op) => op !== 'create')) await inWindows(s.keys, (i) => del(keyPath(i), i));
          await del(root, 0);
        }
      } finally {
        await close();
      }
    },
  };
}

/** Runs `task(0..count-1)` with at most `cleanupWindow` in flight. */
async function inWindows(count: number, task: (i: number) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < count; start += cleanupWindow) {
    const end = Math.min(count, start + cleanupWindow);
    await Promise.all(Array.from({ length: end - start }, (_, j) => task(start + j)));
  }
}
