import { parseHistory } from '../../../../checkers/history/index.js';
import { linearizabilityChecker, type LinearizabilityDetails, type LinearizabilityOptions } from '../../../../checkers/linearizability/linearizability-checker.js';
import type { CheckResult } from '../../../../checkers/checker.js';

/** Checks a history written inline as EDN (or JSONL) against a model. */
export function check(history: string, model: string, opts: LinearizabilityOptions = {}): Promise<CheckResult> {
  return linearizabilityChecker.check(parseHistory(history), model, { workers: 1, ...opts });
}

export function details(result: CheckResult): LinearizabilityDetails {
  return result.details as LinearizabilityDetails;
}

/** The model's objection in the first failure. */
export function reason(result: CheckResult): string | undefined {
  return details(result).failures[0]?.reason;
}
