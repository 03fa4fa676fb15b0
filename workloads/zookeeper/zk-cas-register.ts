import { randomBytes } from 'node:crypto';
import type { CheckResult } from '../../checkers/checker.js';
import type { Op } from '../../checkers/history/op.js';
import { linearizabilityChecker } from '../../checkers/linearizability/linearizability-checker.js';
import { zookeeperSessionChecker } from '../../checkers/zookeeper/zookeeper-session-checker.js';
import { ErrorCode } from '../../protocols/zookeeper/index.js';
import { isZooKeeperError, multiOp, type ZooKeeperClient } from '../clients/zookeeper/index.js';
import { jepsenNemesisParams, nemesisSettingsFrom } from '../nemesis/nemesis-params.js';
import type { ConfiguredWorkload, RunningWorkload, WorkloadDefinition, WorkloadOptions, WorkloadStartContext } from '../registry.js';
import type { OpCompletion, OpContext, OpRequest } from '../runner/index.js';
import { seededRandom } from '../runner/seeded-random.js';
import { recordOp, untilOk } from '../nemesis/recorded-op.js';
import { WorkloadParams } from '../workload-params.js';
import { errorLabel, withTimeout, writeFailureType } from './zk-op-outcome.js';
import { ZkSessionTrace, type ZkRequestTrace } from './zk-session-trace.js';
import { ZkWorkerClients, type WorkerClient } from './zk-worker-clients.js';
import { ensurePath, removeTree } from './zk-tree.js';

/**
 * How reads are made. `plain`: getData, served by whichever server the client talks to, so
 * only sequentially consistent in ZooKeeper (reads then stay out of the linearizability check
 * and are judged by the session rules). `sync`: sync then getData, ZooKeeper's documented way
 * to read up-to-date data (Jepsen notes a deposed leader can still answer a sync). `quorum`:
 * getData then a multi that checks the version read, committed through the quorum: strictly
 * linearizable, at the cost of a write.
 */
export const zkReadModes = ['sync', 'plain', 'quorum'] as const;
export type ZkReadMode = (typeof zkReadModes)[number];

const params = [
  { name: 'keys', description: 'independent registers (znodes), each checked on its own', default: '8' },
  { name: 'values', description: 'values are drawn from 0..values-1 (small, so anomalies show)', default: '5' },
  { name: 'reads', description: `read mode: ${zkReadModes.join(' | ')}`, default: 'sync' },
  { name: 'connect', description: 'own: each client talks to one node (Jepsen); all: clients fail over', default: 'own' },
  { name: 'op-timeout', description: 'ms before an op without reply is recorded as info (crashed)', default: '3000' },
  { name: 'session-timeout', description: 'requested ZooKeeper session timeout, ms', default: '10000' },
  { name: 'final-timeout', description: 'seconds the final reads (after the last heal) keep retrying', default: '60' },
  ...jepsenNemesisParams,
] as const;

/**
 * `zk-cas-register`: the Jepsen ZooKeeper test. Each key is a znode holding a small integer;
 * clients read it (getData), write it (setData) and compare-and-set it (getData, then setData
 * with the version read, so it applies only if nothing changed in between). The history is
 * checked per key against a compare-and-set register starting at 0 (linearizability), and
 * the same requests, with their zxids, against ZooKeeper's session guarantees.
 */
export const zkCasRegister: WorkloadDefinition = {
  name: 'zk-cas-register',
  system: 'zookeeper',
  description: 'read / write / cas (setData with version) over independent keys, Jepsen style',
  judgedBy: 'linearizability (cas-register per key) + ZooKeeper session rules',
  params,
  nemesis: ['kill', 'pause', 'partition', 'packet', 'clock', 'disk'],
  injectBugs: ['stale-read', 'lost-ack', 'skip-fsync'],
  defaults: { rate: 100, durationSeconds: 20, warmupSeconds: 0, clients: 10, inFlight: 10 },
  configure: configureZkCasRegister,
};

interface CasSettings {
  keys: number;
  values: number;
  reads: ZkReadMode;
  connect: 'own' | 'all';
  opTimeoutMs: number;
  sessionTimeoutMs: number;
  seed: number;
  processes: number;
  finalReadTimeoutMs: number;
}

function configureZkCasRegister(opts: WorkloadOptions): ConfiguredWorkload {
  const p = new WorkloadParams('zk-cas-register', params, opts.params);
  const s: CasSettings = {
    keys: p.int('keys', 1, 10_000),
    values: p.int('values', 2, 1_000_000),
    reads: p.oneOf('reads', zkReadModes),
    connect: p.oneOf('connect', ['own', 'all'] as const),
    opTimeoutMs: p.int('op-timeout', 100, 600_000),
    sessionTimeoutMs: p.int('session-timeout', 1000, 600_000),
    seed: 1,
    processes: opts.inFlight,
    finalReadTimeoutMs: p.int('final-timeout', 1, 3600) * 1000,
  };
  const nemesis = nemesisSettingsFrom(p);
  s.seed = nemesis.seed;
  return {
    client: 'kzbench',
    settings: { reads: s.reads, connect: s.connect, opTimeoutMs: s.opTimeoutMs, sessionTimeoutMs: s.sessionTimeoutMs, processes: opts.inFlight },
    extra: { keys: s.keys, values: s.values, params: p.resolved() },
    checked: true,
    nemesis,
    start: (ctx) => startZkCasRegister(ctx, s),
  };
}

async function startZkCasRegister(ctx: WorkloadStartContext, s: CasSettings): Promise<RunningWorkload> {
  const clients = new ZkWorkerClients({ target: ctx.target, connect: 'all', sessionTimeoutMs: s.sessionTimeoutMs, connectTimeoutMs: Math.max(1000, s.opTimeoutMs), log: ctx.log });
  const root = `/kzbench/cas-${process.pid}-${randomBytes(3).toString('hex')}`;
  const pathOf = (key: unknown) => `${root}/${String(key)}`;
  const keys = Array.from({ length: s.keys }, (_, i) => `k${i}`);
  // Setup through one session that may fail over: the registers start at 0.
  const setup = await clients.get(0);
  try {
    await ensurePath(setup.client, root);
    for (const key of keys) await setup.client.create(pathOf(key), Buffer.from('0'));
  } finally {
    clients.crash(0);
  }
  const opClients = new ZkWorkerClients({ target: ctx.target, connect: s.connect, sessionTimeoutMs: s.sessionTimeoutMs, connectTimeoutMs: Math.max(1000, s.opTimeoutMs), log: ctx.log });
  await opClients.open(s.processes);
  const trace = new ZkSessionTrace();
  const random = seededRandom(s.seed * 7919 + 1);
  const draw = () => Math.floor(random() * s.values);

  const generator = (): OpRequest => {
    const key = keys[Math.floor(random() * keys.length)]!;
    const roll = random();
    if (roll < 1 / 3) return { f: 'read', key, value: null };
    if (roll < 2 / 3) return { f: 'write', key, value: draw() };
    return { f: 'cas', key, value: [draw(), draw()] };
  };

  const executor = async (op: OpRequest, octx: OpContext): Promise<OpCompletion> => {
    let wc: WorkerClient;
    try {
      wc = await opClients.get(octx.worker);
    } catch (err) {
      // Nothing was sent: the op definitely did not happen.
      return { type: 'fail', error: `connect: ${errorLabel(err)}` };
    }
    octx.markSent();
    const run = new CasOp(wc, pathOf(op.key), s, (t) => trace.record(octx.process, t));
    const outcome = await run.execute(op);
    if (outcome.crashed) opClients.crash(octx.worker);
    return outcome.completion;
  };

  /**
   * Final reads (Jepsen's final generator): once every fault is healed, each register is read
   * through a fresh session, retried until the cluster answers, so a write lost by a crash
   * shows even if no client happened to read the key after it.
   */
  const finish = async (): Promise<void> => {
    const finalClients = new ZkWorkerClients({ target: ctx.target, connect: 'all', sessionTimeoutMs: s.sessionTimeoutMs, connectTimeoutMs: Math.max(1000, s.opTimeoutMs), log: ctx.log });
    const deadline = Date.now() + s.finalReadTimeoutMs;
    try {
      for (const key of keys) {
        // Each attempt is its own op: a failed read changes nothing, and one process runs one op at a time.
        let attempt = 0;
        await untilOk(deadline, () =>
          recordOp(ctx.session, `final-${key}-${attempt++}`, { f: 'read', key, value: null }, async () => {
            let wc: WorkerClient;
            try {
              wc = await finalClients.get(0);
            } catch (err) {
              return { type: 'fail', error: `connect: ${errorLabel(err)}` };
            }
            const outcome = await new CasOp(wc, pathOf(key), { ...s, reads: 'sync' }, () => {}).execute({ f: 'read', key, value: null });
            if (outcome.crashed) finalClients.crash(0);
            return outcome.completion;
          }),
        );
      }
    } finally {
      await finalClients.closeAll();
    }
  };

  return {
    generator,
    executor,
    finish,
    get connections() {
      return opClients.sessionsOpened;
    },
    check: (history) => checkCasHistory(history, trace, s),
    facts: () => ({ sessionsOpened: opClients.sessionsOpened, tracedRequests: trace.size }),
    close: async () => {
      await opClients.closeAll();
      if (!ctx.disposableTarget) {
        const cleaner = await clients.get(0).catch(() => null);
        if (cleaner) await removeTree(cleaner.client, root).catch((err: unknown) => ctx.log.warn(`could not remove ${root}: ${errorLabel(err)}`));
      }
      await clients.closeAll();
    },
  };
}

/** One read, write or cas against ZooKeeper, with its history outcome and its wire trace. */
class CasOp {
  private readonly z: ZooKeeperClient;
  private tracedOnce = false;

  constructor(
    private readonly wc: WorkerClient,
    private readonly path: string,
    private readonly s: CasSettings,
    private readonly traced: (t: ZkRequestTrace) => void,
  ) {
    this.z = wc.client;
  }

  private session(): string {
    return `0x${this.z.sessionId.toString(16)}`;
  }

  private trace(f: ZkRequestTrace['f'], replied: ZkRequestTrace['replied'], result?: Record<string, unknown>): void {
    this.tracedOnce = true;
    this.traced({ f, path: this.path, client: this.wc.label, session: this.session(), zxid: replied === 'none' ? undefined : this.z.lastZxid, result, replied });
  }

  async execute(op: OpRequest): Promise<{ completion: OpCompletion; crashed: boolean }> {
    const node = this.wc.node;
    const t = this.s.opTimeoutMs;
    if (op.f === 'read') {
      try {
        if (this.s.reads === 'sync') await withTimeout(this.z.sync(this.path), t);
        const { data, stat } = await withTimeout(this.z.getData(this.path), t);
        this.trace('get', 'ok', { exists: true, mzxid: `0x${stat.mzxid.toString(16)}` });
        if (this.s.reads === 'quorum') await withTimeout(this.z.multi([multiOp.check(this.path, stat.version)]), t);
        return { completion: { type: 'ok', value: decode(data), node }, crashed: false };
      } catch (err) {
        if (isZooKeeperError(err, ErrorCode.NONODE) && !this.tracedOnce) {
          // The register vanished (it is created before the run and never deleted): a lost
          // write. Read as a value no write ever wrote, so the checker sees it.
          this.trace('get', 'ok', { exists: false });
          return { completion: { type: 'ok', value: missingValue, node }, crashed: false };
        }
        // A read changes nothing, so whatever happened it can be recorded as failed.
        if (!this.tracedOnce) this.trace('get', 'none');
        return { completion: { type: 'fail', error: errorLabel(err), node }, crashed: writeFailureType(err) === 'info' };
      }
    }
    if (op.f === 'write') {
      try {
        await withTimeout(this.z.setData(this.path, encode(op.value)), t);
        this.trace('set', 'ok');
        return { completion: { type: 'ok', node }, crashed: false };
      } catch (err) {
        return this.writeFailed('set', err);
      }
    }
    const [from, to] = op.value as [number, number];
    let version: number;
    try {
      const { data, stat } = await withTimeout(this.z.getData(this.path), t);
      if (decode(data) !== from) {
        this.trace('get', 'ok', { exists: true, mzxid: `0x${stat.mzxid.toString(16)}` });
        return { completion: { type: 'fail', error: `value is ${decode(data)}`, node }, crashed: false };
      }
      version = stat.version;
    } catch (err) {
      // The setData was never sent: the cas did not happen.
      this.trace('get', 'none');
      return { completion: { type: 'fail', error: errorLabel(err), node }, crashed: writeFailureType(err) === 'info' };
    }
    try {
      await withTimeout(this.z.setData(this.path, encode(to), version), t);
      this.trace('set', 'ok');
      return { completion: { type: 'ok', node }, crashed: false };
    } catch (err) {
      return this.writeFailed('set', err);
    }
  }

  private writeFailed(f: 'set', err: unknown): { completion: OpCompletion; crashed: boolean } {
    const type = writeFailureType(err);
    this.trace(f, type === 'info' ? 'none' : isZooKeeperError(err) ? 'fail' : 'none');
    return { completion: { type, error: errorLabel(err), node: this.wc.node }, crashed: type === 'info' };
  }
}

/** What a read of a register whose znode is gone returns: never written, so never legal. */
export const missingValue = 'missing';

function encode(value: unknown): Buffer {
  return Buffer.from(String(value));
}

function decode(data: Buffer | null): number | null {
  if (data === null || data.length === 0) return null;
  const n = Number(data.toString());
  return Number.isFinite(n) ? n : null;
}

/**
 * Linearizability per key (reads left out in `plain` mode, where ZooKeeper does not promise
 * it), then ZooKeeper's session rules over the same requests with their zxids.
 */
async function checkCasHistory(history: readonly Op[], trace: ZkSessionTrace, s: CasSettings): Promise<CheckResult[]> {
  const judged = s.reads === 'plain' ? history.filter((op) => op.f !== 'read') : history;
  const linear = await linearizabilityChecker.check(judged, 'cas-register', { init: 0, checkAllPartitions: true, timeLimitMs: 120_000 });
  if (s.reads === 'plain') linear.summary = `${linear.summary} (plain reads are only sequentially consistent in ZooKeeper: they are judged by the session rules, not here)`;
  const session = await zookeeperSessionChecker.check(trace.sessionHistory(history), 'zookeeper-session');
  return [linear, session];
}

