import { setTimeout as sleep } from 'node:timers/promises';
import { recordOp } from '../nemesis/recorded-op.js';
import { withTimeout } from '../nemesis/op-timeout.js';
import type { OpCompletion, OpContext, OpRequest, RunSession } from '../runner/index.js';
import { errorLabel } from './zk-op-outcome.js';
import { ZkLockRecipe } from './zk-lock-recipe.js';
import type { ZkWorkerClients } from './zk-worker-clients.js';

export interface LockCycleOptions {
  session: RunSession;
  clients: ZkWorkerClients;
  /** The lock's directory for a key. */
  dirOf: (key: unknown) => string;
  /** History names of the steps: `acquire`/`release` (zk-lock), `elect`/`resign` (zk-election). */
  names: { acquire: string; release: string };
  /** The acquire op's value: nothing, or the lock's sequence number (the election term). */
  recordSequence: boolean;
  holdMs: number;
  acquireTimeoutMs: number;
  opTimeoutMs: number;
}

/**
 * One runner op of the lock workloads: a whole cycle of one worker (queue for the lock, hold
 * it for a while, release it). The runner's generator cannot know which worker holds what,
 * so the steps are recorded as ops of their own (`acquire`, `release`) under the worker's
 * lock process (`L<worker>.<n>`), which the checkers read; the runner's `cycle` op around
 * them measures a full turn.
 *
 * Acquire means "the client believes it holds the lock", so an acquire that errs is `fail`
 * (the client does not go on as holder); its session is then dropped, so a node it may have
 * queued goes with it. A release that errs is `info`: the lock may stay held until the
 * session ends.
 */
export function lockCycleExecutor(o: LockCycleOptions): (op: OpRequest, ctx: OpContext) => Promise<OpCompletion> {
  const generation = new Map<number, number>();
  const processOf = (worker: number) => `L${worker}.${generation.get(worker) ?? 0}`;
  const crash = (worker: number) => {
    o.clients.crash(worker);
    generation.set(worker, (generation.get(worker) ?? 0) + 1);
  };
  return async (op, ctx) => {
    const key = op.key;
    const process = processOf(ctx.worker);
    let recipe: ZkLockRecipe;
    let node: string;
    try {
      const wc = await o.clients.get(ctx.worker);
      recipe = new ZkLockRecipe(wc.client, o.dirOf(key));
      node = wc.node;
    } catch (err) {
      return { type: 'fail', error: `connect: ${errorLabel(err)}` };
    }
    ctx.markSent();
    let held: { node: string; sequence: number } | undefined;
    const acquired = await recordOp(o.session, process, { f: o.names.acquire, key, value: null }, async () => {
      try {
        held = await withTimeout(recipe.acquire(o.acquireTimeoutMs), o.acquireTimeoutMs + o.opTimeoutMs);
        return { type: 'ok', value: o.recordSequence ? held.sequence : null, node };
      } catch (err) {
        return { type: 'fail', error: errorLabel(err), node };
      }
    });
    if (acquired.type !== 'ok' || !held) {
      crash(ctx.worker);
      return { type: 'fail', error: acquired.error, node };
    }
    await sleep(o.holdMs);
    const lock = held;
    const released = await recordOp(o.session, process, { f: o.names.release, key, value: null }, async () => {
      try {
        await withTimeout(recipe.release(lock.node), o.opTimeoutMs);
        return { type: 'ok', node };
      } catch (err) {
        return { type: 'info', error: errorLabel(err), node };
      }
    });
    if (released.type !== 'ok') {
      crash(ctx.worker);
      return { type: 'info', error: released.error, node };
    }
    return { type: 'ok', value: o.recordSequence ? lock.sequence : null, node };
  };
}
