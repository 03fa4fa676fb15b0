import { expect } from 'vitest';
import { ScenarioFileError } from '../../../workloads/conformance/scenario-file.js';

export interface ReportedProblem {
  line: number;
  path: string;
  message: string;
}

/**
 * A checker of bad scenario text for one suite's parser: the problems it reports, after
 * checking they come as one usage error (exit 2, KZ_SCENARIO_INVALID). Text that parses fails the test.
 */
export function problemsReportedBy(parse: (file: string, text: string) => unknown): (text: string) => ReportedProblem[] {
  return (text) => {
    try {
      parse('bad.yaml', text);
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioFileError);
      const err = e as ScenarioFileError;
      expect(err.exitCode).toBe(2);
      expect(err.code).toBe('KZ_SCENARIO_INVALID');
      return err.problems.map((p) => ({ line: p.position.line, path: p.path, message: p.message }));
    }
    throw new Error('the file parsed');
  };
}

/** A file of one scenario `s` around the given steps (indented as a steps list), `head` lines before them. */
export const oneScenario = (steps: string, head = '') => `scenarios:\n  - name: s\n${head}    steps:\n${steps}`;
