import type { OpCompletion, OpRequest, RunSession } from '../runner/index.js';

/**
 * Records one op the runner does not schedule: the final phase's reads (Jepsen's final
 * generator: after every fault is healed, read what survived), or the steps of a recipe
 * cycle (a lock's acquire and release). It is written straight into the session's history,
 * invoke then completion, under a process id of its own (a string, so it never meets the
 * runner's numbered processes). Throwing counts as `info`.
 */
export async function recordOp(session: RunSession, process: string, op: OpRequest, run: () => Promise<OpCompletion>): Promise<OpCompletion> {
  const history = session.history;
  history?.record({ time: session.elapsedNs(), process, type: 'invoke', f: op.f, value: op.value ?? null, key: op.key });
  let outcome: OpCompletion;
  try {
    outcome = await run();
  } catch (error) {
    outcome = { type: 'info', error };
  }
  history?.record({
    time: session.elapsedNs(),
    process,
    type: outcome.type,
    f: op.f,
    value: outcome.value === undefined ? (op.value ?? null) : outcome.value,
    key: op.key,
    ...(outcome.node !== undefined ? { node: outcome.node } : {}),
    ...(outcome.error !== undefined ? { error: outcome.error } : {}),
  });
  return outcome;
}

/** Retries `attempt` until it gives an `ok`, or `deadlineMs` passes (then the last outcome). */
export async function untilOk(deadlineMs: number, attempt: () => Promise<OpCompletion>, pauseMs = 250): Promise<OpCompletion> {
  for (;;) {
    let outcome: OpCompletion;
    try {
      outcome = await attempt();
    } catch (error) {
      outcome = { type: 'fail', error };
    }
    if (outcome.type === 'ok' || Date.now() + pauseMs > deadlineMs) return outcome;
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}
