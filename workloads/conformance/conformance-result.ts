/**
 * The one result model of `kzbench conformance`, whatever the system: scenarios run against
 * one target (pass/fail/skip with the failed expectations) or against two (plus the
 * mismatches between their normalised transcripts). Text and JSON output both render it.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type ScenarioStatus = 'pass' | 'fail' | 'skip';

/** An expectation that did not hold. `step` is null for setup and cleanup problems. */
export interface ExpectationFailure {
  step: number | null;
  /** What the step did, e.g. `setData /n (session a)`. */
  label: string;
  message: string;
}

/** One step's observations after normalisation: what diff mode compares. */
export interface TranscriptEntry {
  step: number;
  label: string;
  value: JsonValue;
}

/** A scenario's run against one target. */
export interface ScenarioRun {
  status: ScenarioStatus;
  /** Why it was skipped. */
  reason?: string;
  failures: ExpectationFailure[];
  transcript: TranscriptEntry[];
  /** Cleanup trouble and the like: reported, not failing. */
  warnings: string[];
  durationMs: number;
}

/** Two targets answered one step differently, after normalisation. */
export interface Mismatch {
  step: number;
  label: string;
  /** Where in the step's normalised observation, e.g. `events.a[0].zxid`. */
  path: string;
  left: JsonValue | undefined;
  right: JsonValue | undefined;
}

export interface TargetInfo {
  /** As given on the command line, e.g. `apache:3.8.0`, `reference`, `cluster/target.json`. */
  label: string;
  impl: string;
  /** The version the target reports (what version gates use). */
  version: string;
  capabilities: string[];
}

export interface ScenarioOutcome {
  name: string;
  file: string;
  line: number;
  /** One run per target, in the order of `ConformanceReport.targets`. */
  runs: ScenarioRun[];
  /** Diff mode, when both targets ran the scenario. */
  mismatches?: Mismatch[];
  status: ScenarioStatus;
}

export interface ConformanceSummary {
  passed: number;
  failed: number;
  skipped: number;
  /** Diff mode: scenarios whose transcripts differ. */
  differing: number;
}

export interface ConformanceReport {
  system: string;
  mode: 'single' | 'diff';
  targets: TargetInfo[];
  scenarios: ScenarioOutcome[];
  summary: ConformanceSummary;
}
