import { randomBytes } from 'node:crypto';
import type { CheckResult } from '../../checkers/checker.js';
import type { Op } from '../../checkers/history/op.js';
import { linearizabilityChecker } from '../../checkers/linearizability/linearizability-checker.js';
import { jepsenNemesisParams, nemesisSettingsFrom } from '../nemesis/nemesis-params.js';
import type { ConfiguredWorkload, RunningWorkload, WorkloadDefinition, WorkloadOptions, WorkloadStartContext } from '../registry.js';
import type { OpRequest } from '../runner/index.js';
import { WorkloadParams } from '../workload-params.js';
import { checkElectionTerms } from './election-terms.js';
import { lockCycleExecutor } from './zk-lock-cycle.js';
import { errorLabel } from './zk-op-outcome.js';
import { ensurePath, removeTree } from './zk-tree.js';
import { ZkWorkerClients } from './zk-worker-clients.js';

const params = [
  { name: 'locks', description: 'independent locks (each checked on its own); processes pick one at random per cycle', default: '1' },
  { name: 'hold', description: 'ms a holder keeps the lock before releasing it', default: '50' },
  { name: 'acquire-timeout', description: 'ms a contender waits in the queue before giving up', default: '5000' },
  { name: 'op-timeout', description: 'ms before a request without reply counts as lost', default: '3000' },
  { name: 'session-timeout', description: 'requested session timeout, ms (the lock lasts as long as the session)', default: '20000' },
  ...jepsenNemesisParams,
] as const;

interface LockSettings {
  locks: number;
  holdMs: number;
  acquireTimeoutMs: number;
  opTimeoutMs: number;
  sessionTimeoutMs: number;
  processes: number;
}

/** Why a ZooKeeper lock can be held twice, for verdicts that found it. */
const leaseNote =
  'ZooKeeper locks are leases on a session: a holder whose session expires (cut off, paused, or a server that lost its quorum for longer than the session timeout) loses the lock without knowing until it talks to ZooKeeper again, and another contender gets it meanwhile. Only a fencing token (the lock node\'s sequence number, checked by the protected resource) makes such a lock safe.';

function lockWorkload(kind: 'lock' | 'election'): WorkloadDefinition {
  const name = kind === 'lock' ? 'zk-lock' : 'zk-election';
  return {
    name,
    system: 'zookeeper',
    description:
      kind === 'lock'
        ? 'the ephemeral-sequential lock recipe (watch the predecessor); acquire / release cycles'
        : 'leader election on the lock recipe: the lowest sequence leads, its sequence is the term',
    judgedBy: kind === 'lock' ? 'mutual exclusion (linearizability, mutex model per lock)' : 'one leader at a time (mutex model) and terms that only grow',
    params,
    nemesis: ['kill', 'pause', 'partition', 'packet', 'clock'],
    injectBugs: [],
    defaults: { rate: 20, durationSeconds: 20, warmupSeconds: 0, clients: 5, inFlight: 5 },
    configure: (opts) => configureLock(name, kind, opts),
  };
}

export const zkLock = lockWorkload('lock');
export const zkElection = lockWorkload('election');

function configureLock(name: string, kind: 'lock' | 'election', opts: WorkloadOptions): ConfiguredWorkload {
  const p = new WorkloadParams(name, params, opts.params);
  const s: LockSettings = {
    locks: p.int('locks', 1, 1000),
    holdMs: p.int('hold', 0, 60_000),
    acquireTimeoutMs: p.int('acquire-timeout', 10, 600_000),
    opTimeoutMs: p.int('op-timeout', 100, 600_000),
    sessionTimeoutMs: p.int('session-timeout', 1000, 600_000),
    processes: opts.inFlight,
  };
  return {
    client: 'kzbench',
    settings: { holdMs: s.holdMs, acquireTimeoutMs: s.acquireTimeoutMs, sessionTimeoutMs: s.sessionTimeoutMs, processes: s.processes },
    extra: { locks: s.locks, params: p.resolved() },
    checked: true,
    nemesis: nemesisSettingsFrom(p),
    start: (ctx) => startLock(ctx, kind, s),
  };
}

async function startLock(ctx: WorkloadStartContext, kind: 'lock' | 'election', s: LockSettings): Promise<RunningWorkload> {
  const root = `/kzbench/${kind}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const keys = Array.from({ length: s.locks }, (_, i) => `${kind === 'lock' ? 'lock' : 'election'}${i}`);
  const clients = new ZkWorkerClients({ target: ctx.target, connect: 'all', sessionTimeoutMs: s.sessionTimeoutMs, connectTimeoutMs: Math.max(1000, s.opTimeoutMs), log: ctx.log });
  const setup = await clients.get(0);
  try {
    for (const key of keys) await ensurePath(setup.client, `${root}/${key}`);
  } finally {
    clients.crash(0);
  }
  await clients.open(s.processes);
  let seq = 0;
  const generator = (): OpRequest => ({ f: 'cycle', key: keys[seq++ % keys.length]!, value: null });
  const executor = lockCycleExecutor({
    session: ctx.session,
    clients,
    dirOf: (key) => `${root}/${String(key)}`,
    names: kind === 'lock' ? { acquire: 'acquire', release: 'release' } : { acquire: 'elect', release: 'resign' },
    recordSequence: kind === 'election',
    holdMs: s.holdMs,
    acquireTimeoutMs: s.acquireTimeoutMs,
    opTimeoutMs: s.opTimeoutMs,
  });
  return {
    generator,
    executor,
    get connections() {
      return clients.sessionsOpened;
    },
    check: (history) => (kind === 'lock' ? checkLockHistory(history) : checkElectionHistory(history)),
    facts: () => ({ sessionsOpened: clients.sessionsOpened }),
    close: async () => {
      await clients.closeAll();
      if (!ctx.disposableTarget) {
        const cleaner = new ZkWorkerClients({ target: ctx.target, connect: 'all', sessionTimeoutMs: s.sessionTimeoutMs, connectTimeoutMs: 3000, log: ctx.log });
        const wc = await cleaner.get(0).catch(() => null);
        if (wc) await removeTree(wc.client, root).catch((err: unknown) => ctx.log.warn(`could not remove ${root}: ${errorLabel(err)}`));
        await cleaner.closeAll();
      }
    },
  };
}

/** The lock steps of a history, renamed to the mutex model's acquire / release. */
function mutexOps(history: readonly Op[], acquire: string, release: string): Op[] {
  return history.filter((op) => op.f === acquire || op.f === release).map((op) => (acquire === 'acquire' ? op : { ...op, f: op.f === acquire ? 'acquire' : 'release' }));
}

async function mutexCheck(history: readonly Op[], acquire: string, release: string): Promise<CheckResult> {
  const result = await linearizabilityChecker.check(mutexOps(history, acquire, release), 'mutex', { checkAllPartitions: true, timeLimitMs: 120_000 });
  if (result.valid === false) result.summary = `${result.summary} ${leaseNote}`;
  return result;
}

async function checkLockHistory(history: readonly Op[]): Promise<CheckResult[]> {
  return [await mutexCheck(history, 'acquire', 'release')];
}

async function checkElectionHistory(history: readonly Op[]): Promise<CheckResult[]> {
  return [await mutexCheck(history, 'elect', 'resign'), checkElectionTerms(history)];
}
