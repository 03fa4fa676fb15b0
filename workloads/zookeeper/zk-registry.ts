import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CheckResult } from '../../checkers/checker.js';
import type { Op } from '../../checkers/history/op.js';
import { CreateMode, ErrorCode } from '../../protocols/zookeeper/index.js';
import { isZooKeeperError, ZooKeeperClient } from '../clients/zookeeper/index.js';
import { jepsenNemesisParams, nemesisSettingsFrom } from '../nemesis/nemesis-params.js';
import { withTimeout } from '../nemesis/op-timeout.js';
import { recordOp } from '../nemesis/recorded-op.js';
import type { ConfiguredWorkload, RunningWorkload, WorkloadDefinition, WorkloadOptions, WorkloadStartContext } from '../registry.js';
import type { OpCompletion, OpContext, OpRequest } from '../runner/index.js';
import { seededRandom } from '../runner/seeded-random.js';
import { WorkloadParams } from '../workload-params.js';
import { checkRegistryConvergence, type RegistryFinalState } from './registry-convergence.js';
import { RegistryWatcher } from './registry-watcher.js';
import { errorLabel, writeFailureType } from './zk-op-outcome.js';
import { ensurePath, removeTree } from './zk-tree.js';
import { ZkWorkerClients } from './zk-worker-clients.js';

const params = [
  { name: 'watchers', description: 'registry clients keeping the member list and config from watches alone', default: '3' },
  { name: 'op-timeout', description: 'ms before a request without reply counts as lost', default: '3000' },
  { name: 'session-timeout', description: 'members\' session timeout, ms: a member cut off for longer is expired and its registration goes', default: '6000' },
  { name: 'final-timeout', description: 'seconds the watchers get, after the last heal and a session timeout, to converge', default: '30' },
  ...jepsenNemesisParams,
] as const;

interface RegistrySettings {
  watchers: number;
  opTimeoutMs: number;
  sessionTimeoutMs: number;
  finalTimeoutMs: number;
  processes: number;
  seed: number;
}

/**
 * `zk-registry`: service discovery on ZooKeeper. Each worker is a member that registers
 * (an ephemeral znode under the service), deregisters, and bumps a shared config value
 * (compare-and-set, so values grow in commit order). Members talk to one node each, so a
 * member cut off for longer than its session timeout is expired and its registration goes
 * with it. Watchers keep the member list and the config from child and data watches alone.
 * After the last heal, every watcher must converge on what ZooKeeper really holds: no
 * missed final state.
 */
export const zkRegistry: WorkloadDefinition = {
  name: 'zk-registry',
  system: 'zookeeper',
  description: 'service registry: ephemeral members, child and data watches; watchers must converge after kills and expiries',
  judgedBy: 'membership and config converge from watches alone (no missed final state, config never goes back)',
  params,
  nemesis: ['kill', 'pause', 'partition', 'packet', 'clock'],
  injectBugs: [],
  defaults: { rate: 20, durationSeconds: 20, warmupSeconds: 0, clients: 6, inFlight: 6 },
  configure: configureRegistry,
};

function configureRegistry(opts: WorkloadOptions): ConfiguredWorkload {
  const p = new WorkloadParams('zk-registry', params, opts.params);
  const nemesis = nemesisSettingsFrom(p);
  const s: RegistrySettings = {
    watchers: p.int('watchers', 1, 100),
    opTimeoutMs: p.int('op-timeout', 100, 600_000),
    sessionTimeoutMs: p.int('session-timeout', 1000, 600_000),
    finalTimeoutMs: p.int('final-timeout', 1, 3600) * 1000,
    processes: opts.inFlight,
    seed: nemesis.seed,
  };
  return {
    client: 'kzbench',
    settings: { watchers: s.watchers, sessionTimeoutMs: s.sessionTimeoutMs, members: s.processes },
    extra: { params: p.resolved() },
    checked: true,
    nemesis,
    start: (ctx) => startRegistry(ctx, s),
  };
}

interface MemberState {
  last: 'join' | 'leave' | null;
  uncertain: boolean;
}

async function startRegistry(ctx: WorkloadStartContext, s: RegistrySettings): Promise<RunningWorkload> {
  const root = `/kzbench/registry-${process.pid}-${randomBytes(3).toString('hex')}`;
  const serviceDir = `${root}/members`;
  const configPath = `${root}/config`;
  const hostsFrom = (i: number) => {
    const nodes = ctx.target.nodes;
    return [...nodes.slice(i % nodes.length), ...nodes.slice(0, i % nodes.length)].map((n) => `${n.host}:${n.port}`).join(',');
  };
  const admin = await ZooKeeperClient.connect({ hosts: hostsFrom(0), sessionTimeout: 10_000 });
  try {
    await ensurePath(admin, serviceDir);
    await admin.create(configPath, Buffer.from('0'));
  } finally {
    await admin.close().catch(() => {});
  }
  const members = new ZkWorkerClients({ target: ctx.target, connect: 'own', sessionTimeoutMs: s.sessionTimeoutMs, connectTimeoutMs: Math.max(1000, s.opTimeoutMs), log: ctx.log });
  await members.open(s.processes);
  const watchers = Array.from(
    { length: s.watchers },
    (_, i) => new RegistryWatcher({ name: `watcher-${i}`, hosts: hostsFrom(i), serviceDir, configPath, sessionTimeoutMs: 10_000, session: ctx.session, log: ctx.log }),
  );
  await Promise.all(watchers.map((w) => w.start()));
  const states = new Map<string, MemberState>();
  const random = seededRandom(s.seed * 101 + 5);

  const generator = (): OpRequest => {
    const roll = random();
    return { f: roll < 0.45 ? 'join' : roll < 0.7 ? 'leave' : 'set-config', value: null };
  };

  const executor = async (op: OpRequest, octx: OpContext): Promise<OpCompletion> => {
    const member = `member-${octx.worker}`;
    let wc;
    try {
      wc = await members.get(octx.worker);
    } catch (err) {
      return { type: 'fail', error: `connect: ${errorLabel(err)}` };
    }
    octx.markSent();
    const z = wc.client;
    const path = `${serviceDir}/${member}`;
    const state = states.get(member) ?? { last: null, uncertain: false };
    states.set(member, state);
    try {
      if (op.f === 'join') {
        try {
          await withTimeout(z.create(path, Buffer.from(member), { mode: CreateMode.EPHEMERAL }), s.opTimeoutMs);
        } catch (err) {
          // Registered already by this very session: joining again is a no-op.
          if (!isZooKeeperError(err, ErrorCode.NODEEXISTS)) throw err;
          const stat = await withTimeout(z.exists(path), s.opTimeoutMs);
          if (stat?.ephemeralOwner !== z.sessionId) return { type: 'fail', value: member, error: 'registered by an older session that has not expired yet', node: wc.node };
        }
        Object.assign(state, { last: 'join', uncertain: false });
        return { type: 'ok', value: member, node: wc.node };
      }
      if (op.f === 'leave') {
        try {
          await withTimeout(z.delete(path), s.opTimeoutMs);
        } catch (err) {
          if (!isZooKeeperError(err, ErrorCode.NONODE)) throw err;
        }
        Object.assign(state, { last: 'leave', uncertain: false });
        return { type: 'ok', value: member, node: wc.node };
      }
      // Compare-and-set, so config values grow in the order ZooKeeper commits them.
      const { data, stat } = await withTimeout(z.getData(configPath), s.opTimeoutMs);
      const next = String(Number(data?.toString() ?? '0') + 1);
      await withTimeout(z.setData(configPath, Buffer.from(next), stat.version), s.opTimeoutMs);
      return { type: 'ok', value: Number(next), node: wc.node };
    } catch (err) {
      const type = writeFailureType(err);
      if (type === 'info') {
        if (op.f !== 'set-config') state.uncertain = true;
        members.crash(octx.worker);
      }
      return { type, value: op.f === 'set-config' ? null : member, error: errorLabel(err), node: wc.node };
    }
  };

  const finish = async (): Promise<void> => {
    // Abandoned and cut-off sessions expire within a session timeout; then their registrations go.
    await sleep(s.sessionTimeoutMs + 2000);
    const deadline = Date.now() + s.finalTimeoutMs;
    let truth: { members: string[]; config: string | null } | null = null;
    for (let attempt = 0; ; attempt++) {
      const read = await recordOp(ctx.session, `final-reader-${attempt}`, { f: 'final-read', value: null }, async () => {
        const fresh = await ZooKeeperClient.connect({ hosts: hostsFrom(attempt), sessionTimeout: 10_000, initialConnectTimeout: 5000 });
        try {
          const children = (await withTimeout(fresh.getChildren(serviceDir), s.opTimeoutMs)).sort();
          const { data } = await withTimeout(fresh.getData(configPath), s.opTimeoutMs);
          return { type: 'ok', value: { members: children, config: data?.toString() ?? null } };
        } finally {
          await fresh.close().catch(() => {});
        }
      });
      if (read.type === 'ok') truth = read.value as { members: string[]; config: string | null };
      await Promise.all(watchers.map((w) => w.settled()));
      const converged = truth !== null && watchers.every((w) => sameView(w.view, truth!));
      if (converged || Date.now() > deadline) break;
      await sleep(500);
    }
    const record = (f: string, process: string, value: unknown) => ctx.session.history?.record({ time: ctx.session.elapsedNs(), process, type: 'info', f, value });
    if (truth) {
      record('final-members', 'final', truth.members);
      record('final-config', 'final', truth.config);
    }
    const memberStates: RegistryFinalState['memberStates'] = {};
    for (const [member, st] of states) {
      const worker = Number(member.slice('member-'.length));
      const client = members.peek(worker)?.client;
      memberStates[member] = { ...st, sessionAlive: client !== undefined && (client.state === 'connected' || client.state === 'disconnected') };
    }
    record('final-member-states', 'final', memberStates);
    for (const [i, w] of watchers.entries()) record('final-view', `watcher-${i}`, w.view);
  };

  return {
    generator,
    executor,
    finish,
    get connections() {
      return members.sessionsOpened + watchers.length;
    },
    check: (history) => checkRegistry(history),
    facts: () => ({ watcherUpdates: watchers.map((w) => w.updates), sessionsOpened: members.sessionsOpened }),
    close: async () => {
      await Promise.all(watchers.map((w) => w.stop()));
      await members.closeAll();
      if (!ctx.disposableTarget) {
        const cleaner = await ZooKeeperClient.connect({ hosts: hostsFrom(0), sessionTimeout: 10_000, initialConnectTimeout: 5000 }).catch(() => null);
        if (cleaner) {
          await removeTree(cleaner, root).catch((err: unknown) => ctx.log.warn(`could not remove ${root}: ${errorLabel(err)}`));
          await cleaner.close().catch(() => {});
        }
      }
    },
  };
}

function sameView(view: { members: string[]; config: string | null }, truth: { members: string[]; config: string | null }): boolean {
  return view.config === truth.config && [...view.members].sort().join(',') === [...truth.members].sort().join(',');
}

async function checkRegistry(history: readonly Op[]): Promise<CheckResult[]> {
  return [checkRegistryConvergence(history)];
}
