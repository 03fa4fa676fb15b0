import { readFile, readdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { UsageError } from '../../common/errors.js';
import { ScenarioFileError, type ParsedScenarioFile, type ScenarioFileProblem, type SourceMap } from './scenario-file.js';
import { parseVersionRange } from './version-range.js';

/** Where a loaded scenario was written: its full name (`<file stem>/<name>`), file and line. */
export interface ScenarioOrigin {
  name: string;
  file: string;
  line: number;
}

/** Parses one scenario file's text into its loaded scenarios (a suite's own parser). */
export type ScenarioFileParser<T> = (file: string, text: string) => T[];

const SCENARIO_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Every scenario of every `.yaml`/`.yml`/`.json` file in `dir`, in file then declaration order. */
export async function readScenarioDirectory<T extends ScenarioOrigin>(dir: string, parse: ScenarioFileParser<T>): Promise<T[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (err) {
    throw new UsageError('KZ_SCENARIO_DIR_UNREADABLE', `cannot read the scenario directory ${dir}: ${(err as Error).message}`, { cause: err });
  }
  const files = entries.filter((n) => SCENARIO_EXTENSIONS.has(extname(n))).sort();
  if (files.length === 0) throw new UsageError('KZ_SCENARIO_DIR_EMPTY', `${dir} holds no scenario files (*.yaml, *.yml, *.json)`);
  const all: T[] = [];
  for (const f of files) all.push(...(await readScenarioFile(join(dir, f), parse)));
  const seen = new Map<string, T>();
  for (const s of all) {
    const earlier = seen.get(s.name);
    if (earlier) throw new UsageError('KZ_SCENARIO_DUPLICATE', `scenario ${s.name} is defined twice: ${earlier.file}:${earlier.line} and ${s.file}:${s.line}`);
    seen.set(s.name, s);
  }
  return all;
}

export async function readScenarioFile<T>(file: string, parse: ScenarioFileParser<T>): Promise<T[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError('KZ_SCENARIO_UNREADABLE', `cannot read scenario file ${file}: ${(err as Error).message}`, { cause: err });
  }
  return parse(file, text);
}

/** What a suite's checks find in a file beyond its schema, each problem at the position of its value. */
export class ScenarioProblems {
  readonly found: ScenarioFileProblem[] = [];

  constructor(private readonly source: SourceMap) {}

  report(path: PropertyKey[], message: string): void {
    this.found.push({ position: this.source.positionOf(path), path: path.map(String).join('.'), message });
  }

  /** A version range, where one is given, must parse. */
  versionRange(text: string | undefined, path: PropertyKey[]): void {
    if (text === undefined) return;
    try {
      parseVersionRange(text);
    } catch (e) {
      this.report(path, (e as Error).message);
    }
  }
}

/**
 * The scenarios of a schema-valid file, each with its origin and what `check` adds; `check`
 * reports what a schema cannot say (cross-references). Every problem of the file is thrown
 * at once, as one ScenarioFileError.
 */
export function loadParsedScenarios<S extends { name: string }, Extra extends object>(
  parsed: ParsedScenarioFile<{ scenarios: S[] }>,
  check: (scenario: S, at: PropertyKey[], problems: ScenarioProblems) => Extra,
): Array<ScenarioOrigin & { scenario: S } & Extra> {
  const { file, source } = parsed;
  const problems = new ScenarioProblems(source);
  const stem = basename(file, extname(file));
  const loaded = parsed.value.scenarios.map((scenario, i) => {
    const extra = check(scenario, ['scenarios', i], problems);
    return { name: `${stem}/${scenario.name}`, file, line: source.positionOf(['scenarios', i]).line, scenario, ...extra };
  });
  if (problems.found.length > 0) throw new ScenarioFileError(file, problems.found);
  return loaded;
}
