import { LineCounter, isNode, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { UsageError } from '../../common/errors.js';

/** Where in a scenario file something is: 1-based line and column. */
export interface SourcePosition {
  line: number;
  col: number;
}

/** One problem in a scenario file, with the position of the offending value. */
export interface ScenarioFileProblem {
  position: SourcePosition;
  /** Dotted path of the value inside the document, e.g. `scenarios.2.steps.4.op`. */
  path: string;
  message: string;
}

/**
 * A scenario file that does not parse or does not fit the schema. Every problem carries its
 * `file:line:col`, so the author can jump straight to it. Exit code 2 (a usage error).
 */
export class ScenarioFileError extends UsageError {
  readonly file: string;
  readonly problems: ScenarioFileProblem[];
  constructor(file: string, problems: ScenarioFileProblem[]) {
    const lines = problems.map((p) => `  ${file}:${p.position.line}:${p.position.col}: ${p.path ? `${p.path}: ` : ''}${p.message}`);
    super('KZ_SCENARIO_INVALID', `${file} is not a valid scenario file:\n${lines.join('\n')}`);
    this.file = file;
    this.problems = problems;
  }
}

/** Positions of values inside a parsed YAML document, for error messages. */
export interface SourceMap {
  /** The position of the value at `path`, or of its nearest existing ancestor. */
  positionOf(path: readonly PropertyKey[]): SourcePosition;
}

/** A parsed and validated scenario file: the typed value and where each part of it came from. */
export interface ParsedScenarioFile<T> {
  file: string;
  value: T;
  source: SourceMap;
}

/**
 * Parses YAML (JSON is YAML too) and validates it against a zod schema. Syntax errors and
 * schema violations become one ScenarioFileError listing every problem with its line.
 */
export function parseScenarioText<S extends z.ZodType>(file: string, text: string, schema: S): ParsedScenarioFile<z.infer<S>> {
  const lineCounter = new LineCounter();
  // Merge keys (`<<: *join`) let a scenario reuse a request body with one field changed.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  const source = sourceMapOf(doc, lineCounter);
  if (doc.errors.length > 0) {
    throw new ScenarioFileError(
      file,
      doc.errors.map((e) => ({ position: lineCounter.linePos(e.pos[0]), path: '', message: e.message.split('\n')[0]! })),
    );
  }
  const parsed = schema.safeParse(doc.toJS({ maxAliasCount: 100 }));
  if (!parsed.success) {
    throw new ScenarioFileError(
      file,
      parsed.error.issues.flatMap((issue) => precise(issue, [])).map((issue) => ({
        position: source.positionOf(issue.path),
        path: issue.path.map(String).join('.'),
        message: issue.message,
      })),
    );
  }
  return { file, value: parsed.data, source };
}

interface FlatIssue {
  path: PropertyKey[];
  message: string;
}

/**
 * A union that matched no member ("Invalid input") is reported through the member that got
 * furthest (the deepest issue path), so a bad error name inside an `expect` that may also be
 * a `byVersion` table is blamed on the name, at its line, with the names it could be.
 */
function precise(issue: z.core.$ZodIssue, prefix: PropertyKey[]): FlatIssue[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const depth = (issues: z.core.$ZodIssue[]) => Math.max(...issues.map((i) => i.path.length + (i.code === 'invalid_union' ? 1 : 0)));
    const best = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0]!;
    // No member got further than the value itself: the first member is the plain form
    // (`versioned()` puts the value before its byVersion table), so its complaint is the useful one.
    return (depth(best) > 0 ? best : issue.errors[0]!).flatMap((i) => precise(i, path));
  }
  return [{ path, message: issue.message }];
}

function sourceMapOf(doc: Document, lineCounter: LineCounter): SourceMap {
  return {
    positionOf(path) {
      // Walk up until a node exists: a missing key is reported at the object that lacks it.
      for (let depth = path.length; depth >= 0; depth--) {
        const node = doc.getIn(path.slice(0, depth) as unknown[], true);
        if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]);
      }
      return { line: 1, col: 1 };
    },
  };
}
