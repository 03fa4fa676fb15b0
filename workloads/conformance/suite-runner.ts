import type { ConformanceReport, ScenarioOutcome, ScenarioRun, ScenarioStatus, TargetInfo } from './conformance-result.js';
import { diffTranscripts } from './transcript-diff.js';

/** What every scenario has, whatever the system. */
export interface NamedScenario {
  name: string;
  file: string;
  line: number;
}

/** A system's scenario suite, as the runner sees it: run one scenario on one target. */
export interface ConformanceSuite<S extends NamedScenario, T> {
  system: string;
  describeTarget(target: T): TargetInfo;
  runScenario(scenario: S, target: T): Promise<ScenarioRun>;
}

export interface SuiteRunOptions<S extends NamedScenario, T> {
  suite: ConformanceSuite<S, T>;
  scenarios: readonly S[];
  /** One target, or two for diff mode (the scenario runs on both at once). */
  targets: readonly [T] | readonly [T, T];
  /** Called as each scenario finishes, for progress output. */
  onOutcome?: (outcome: ScenarioOutcome, index: number, total: number) => void;
}

/**
 * Runs every scenario on the target (or on both targets, comparing their normalised
 * transcripts) and assembles the report. Scenarios run one after another: expiry waits and
 * watch orderings are easier on a quiet server.
 */
export async function runSuite<S extends NamedScenario, T>(opts: SuiteRunOptions<S, T>): Promise<ConformanceReport> {
  const { suite, scenarios, targets } = opts;
  const outcomes: ScenarioOutcome[] = [];
  for (const [i, scenario] of scenarios.entries()) {
    const runs = await Promise.all(targets.map((t) => suite.runScenario(scenario, t).catch((e: Error) => crashed(e))));
    const outcome: ScenarioOutcome = { name: scenario.name, file: scenario.file, line: scenario.line, runs, status: 'pass' };
    if (runs.length === 2 && runs.every((r) => r.status !== 'skip')) outcome.mismatches = diffTranscripts(runs[0]!.transcript, runs[1]!.transcript);
    outcome.status = outcomeStatus(runs, outcome.mismatches?.length ?? 0);
    outcomes.push(outcome);
    opts.onOutcome?.(outcome, i, scenarios.length);
  }
  return {
    system: suite.system,
    mode: targets.length === 2 ? 'diff' : 'single',
    targets: targets.map((t) => suite.describeTarget(t)),
    scenarios: outcomes,
    summary: {
      passed: outcomes.filter((o) => o.status === 'pass').length,
      failed: outcomes.filter((o) => o.status === 'fail').length,
      skipped: outcomes.filter((o) => o.status === 'skip').length,
      differing: outcomes.filter((o) => (o.mismatches?.length ?? 0) > 0).length,
    },
  };
}

function outcomeStatus(runs: ScenarioRun[], mismatches: number): ScenarioStatus {
  if (runs.some((r) => r.status === 'fail') || mismatches > 0) return 'fail';
  if (runs.every((r) => r.status === 'skip')) return 'skip';
  return 'pass';
}

function crashed(e: Error): ScenarioRun {
  return { status: 'fail', failures: [{ step: null, label: 'scenario', message: `the runner failed: ${e.message}` }], transcript: [], warnings: [], durationMs: 0 };
}

/** A report's exit code: 0 when everything passed (or was skipped), 3 otherwise. */
export function reportExitCode(report: ConformanceReport): 0 | 3 {
  return report.summary.failed > 0 ? 3 : 0;
}
