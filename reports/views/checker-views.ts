import type { CheckResult } from '../../checkers/checker.js';
import { renderElleView } from './elle.js';
import { renderLinearizabilityView } from './linearizability.js';

/**
 * A checker-specific view: a pure function from a check result (its `details`) to an HTML
 * fragment, or null when it has nothing to add. Checkers' views register here by checker
 * name; checks without one get the generic verdict card only.
 */
export type CheckerView = (check: CheckResult) => string | null;

const views = new Map<string, CheckerView>([
  ['linearizability', renderLinearizabilityView],
  ['elle', renderElleView],
  ['kafka-queue', renderElleView],
]);

export function checkerViewFor(checker: string): CheckerView | undefined {
  return views.get(checker);
}

export function registerCheckerView(checker: string, view: CheckerView): void {
  views.set(checker, view);
}
