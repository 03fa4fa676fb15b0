import { randomBytes } from 'node:crypto';
import { OPEN_ACL_UNSAFE, OpCode, errorCodeName } from '../../../protocols/zookeeper/index.js';
import type { ExpectationFailure, ScenarioRun } from '../conformance-result.js';
import { parseVersionRange } from '../version-range.js';
import { checkStep } from './expectation-check.js';
import { RequestBuilder } from './request-builder.js';
import type { LoadedScenario } from './scenario-loader.js';
import { ScenarioExecution } from './scenario-execution.js';
import type { Step } from './scenario-schema.js';
import { isClosed, ScenarioSession } from './scenario-session.js';
import type { StepResult } from './step-result.js';
import { SUPER_PASSWORD, SUPER_USER } from './target-profile.js';
import { deleteTree } from './tree-cleanup.js';
import type { ZooKeeperTarget } from './zookeeper-target.js';
import { normaliseTranscript } from './zookeeper-normaliser.js';

/**
 * Runs one scenario against one ZooKeeper target: under a fresh root of its own (so scenarios
 * never see each other and a dirty server is fine), checks every step's expectations, keeps
 * the normalised transcript for diff mode, then closes its sessions and deletes its root.
 */
export async function runZooKeeperScenario(loaded: LoadedScenario, target: ZooKeeperTarget): Promise<ScenarioRun> {
  const started = Date.now();
  const { scenario } = loaded;
  const skip = skipReason(loaded, target);
  if (skip !== undefined) return { status: 'skip', reason: skip, failures: [], transcript: [], warnings: [], durationMs: 0 };

  const root = `/kzbench-conformance-${loaded.name.replace(/[^A-Za-z0-9_.-]+/g, '-')}-${randomBytes(3).toString('hex')}`;
  const paths = new RequestBuilder(root);
  const failures: ExpectationFailure[] = [];
  const warnings: string[] = [];
  const results: StepResult[] = [];
  const execution = new ScenarioExecution(loaded.sessions, { address: target.address, paths, tickMs: target.tickMs });
  const admin = await openAdminSession(target);
  try {
    const made = await admin.request(OpCode.create, { path: root, data: null, acl: OPEN_ACL_UNSAFE, flags: 0 });
    if (isClosed(made) || made.err !== 0) throw new Error(`cannot create the scenario root ${root}: ${isClosed(made) ? 'connection closed' : errorCodeName(made.err)}`);
    await execution.open();
    const saved = new Map<string, StepResult>();
    for (const [index, step] of scenario.steps.entries()) {
      const acting = step.session ?? loaded.sessions[0]!.name;
      const label = stepLabel(step, acting);
      if (step.versions !== undefined && !parseVersionRange(step.versions).matches(target.version)) {
        results.push({ step: index, op: step.op, label, skipped: `version ${target.version} is not ${step.versions}`, events: {} });
        continue;
      }
      const result = await execution.run(step, index, label, acting);
      results.push(result);
      const problems = checkStep(step, result, {
        version: target.version,
        saved,
        sessionIdOf: (name) => execution.sessionIdOf(name),
        sessionNameOf: (id) => execution.sessionNameOf(id),
      });
      for (const message of problems) failures.push({ step: index, label, message });
      if (step.save !== undefined) saved.set(step.save, result);
    }
  } catch (err) {
    failures.push({ step: null, label: 'scenario', message: (err as Error).message });
  } finally {
    await execution.close().catch((e: Error) => warnings.push(`closing sessions: ${e.message}`));
    warnings.push(...(await cleanUp(admin, [root, ...(scenario.cleanup ?? [])], scenario.steps)));
  }
  return {
    status: failures.length > 0 ? 'fail' : 'pass',
    failures,
    transcript: normaliseTranscript(results, (id) => execution.sessionNameOf(id), (step) => scenario.steps[step]?.diffIgnore ?? []),
    warnings,
    durationMs: Date.now() - started,
  };
}

function skipReason(loaded: LoadedScenario, target: ZooKeeperTarget): string | undefined {
  const { scenario } = loaded;
  if (scenario.versions !== undefined && !parseVersionRange(scenario.versions).matches(target.version)) {
    return `needs version ${scenario.versions}; the target is ${target.version}`;
  }
  const missing = (scenario.requires ?? []).filter((c) => !target.capabilities.has(c));
  if (missing.length > 0) return `needs ${missing.join(', ')}, which the target does not offer`;
  return undefined;
}

/** The session that makes and removes the root: the superuser when the target has one. */
async function openAdminSession(target: ZooKeeperTarget): Promise<ScenarioSession> {
  const opened = await ScenarioSession.connect(target.address, { timeout: 30_000 });
  if ('closed' in opened) throw new Error(`cannot connect to ${target.label} at ${target.address.host}:${target.address.port}: ${opened.reason ?? 'connection closed'}`);
  if (target.capabilities.has('superDigest')) await opened.session.auth('digest', Buffer.from(`${SUPER_USER}:${SUPER_PASSWORD}`));
  return opened.session;
}

/** Deletes the root (and the scenario's `cleanup` paths) with every credential the scenario used, so locked-down nodes go too. */
async function cleanUp(admin: ScenarioSession, trees: string[], steps: Step[]): Promise<string[]> {
  const problems: string[] = [];
  try {
    for (const step of steps) {
      if (step.op === 'auth' && step.scheme === 'digest') {
        const r = await admin.auth('digest', Buffer.from(step.auth, 'utf8'));
        if (isClosed(r)) break;
      }
    }
    for (const tree of trees) problems.push(...(await deleteTree(admin, tree)));
  } catch (e) {
    problems.push(`cleanup: ${(e as Error).message}`);
  } finally {
    if (!admin.closed) await admin.request(OpCode.closeSession, undefined);
    await admin.dropConnection();
  }
  return problems;
}

export function stepLabel(step: Step, acting: string): string {
  const target =
    'rawPath' in step && step.rawPath !== undefined
      ? ` ${JSON.stringify(step.rawPath)}`
      : 'path' in step && step.path !== undefined
        ? ` ${step.path}`
        : step.op === 'fourLetterWord'
          ? ` ${step.word}`
          : step.op === 'raw'
            ? ` opcode ${step.opcode}`
            : '';
  return step.op === 'fourLetterWord' ? `fourLetterWord${target}` : `${step.op}${target} (${acting})`;
}
