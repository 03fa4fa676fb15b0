import { readFile, readdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { UsageError } from '../../../common/errors.js';
import { parseRelation } from '../relation-expression.js';
import { ScenarioFileError, parseScenarioText, type ScenarioFileProblem, type SourceMap } from '../scenario-file.js';
import { parseVersionRange } from '../version-range.js';
import { ZooKeeperScenarioFile, type SessionDecl, type Step, type ZooKeeperScenario } from './scenario-schema.js';

/** A validated scenario with its full name (`<file stem>/<name>`) and where it was written. */
export interface LoadedScenario {
  name: string;
  file: string;
  line: number;
  scenario: ZooKeeperScenario;
  sessions: SessionDecl[];
}

const SCENARIO_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Every scenario of every `.yaml`/`.yml`/`.json` file in `dir`, in file then declaration order. */
export async function loadScenarioDirectory(dir: string): Promise<LoadedScenario[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new UsageError('KZ_SCENARIO_DIR_UNREADABLE', `cannot read the scenario directory ${dir}: ${(err as Error).message}`, { cause: err });
  }
  const files = names.filter((n) => SCENARIO_EXTENSIONS.has(extname(n))).sort();
  if (files.length === 0) throw new UsageError('KZ_SCENARIO_DIR_EMPTY', `${dir} holds no scenario files (*.yaml, *.yml, *.json)`);
  const all: LoadedScenario[] = [];
  for (const f of files) all.push(...(await loadScenarioFile(join(dir, f))));
  const seen = new Map<string, LoadedScenario>();
  for (const s of all) {
    const earlier = seen.get(s.name);
    if (earlier) throw new UsageError('KZ_SCENARIO_DUPLICATE', `scenario ${s.name} is defined twice: ${earlier.file}:${earlier.line} and ${s.file}:${s.line}`);
    seen.set(s.name, s);
  }
  return all;
}

export async function loadScenarioFile(file: string): Promise<LoadedScenario[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError('KZ_SCENARIO_UNREADABLE', `cannot read scenario file ${file}: ${(err as Error).message}`, { cause: err });
  }
  return parseScenarioFile(file, text);
}

/** Parses one file's text: schema first, then the cross-references a schema cannot express. */
export function parseScenarioFile(file: string, text: string): LoadedScenario[] {
  const parsed = parseScenarioText(file, text, ZooKeeperScenarioFile);
  const problems: ScenarioFileProblem[] = [];
  const stem = basename(file, extname(file));
  const loaded = parsed.value.scenarios.map((scenario, i) => {
    const sessions = sessionDecls(scenario);
    checkScenario(scenario, sessions, ['scenarios', i], parsed.source, problems);
    return { name: `${stem}/${scenario.name}`, file, line: parsed.source.positionOf(['scenarios', i]).line, scenario, sessions };
  });
  if (problems.length > 0) throw new ScenarioFileError(file, problems);
  return loaded;
}

export function sessionDecls(scenario: ZooKeeperScenario): SessionDecl[] {
  return (scenario.sessions ?? ['a']).map((s) => (typeof s === 'string' ? { name: s } : s));
}

/** Ops that name no node. */
const PATHLESS = new Set<Step['op']>(['whoAmI', 'auth', 'close', 'expire', 'connect', 'raw', 'fourLetterWord', 'multi', 'multiRead']);
/** Expectation keys whose strings are relations. */
const RELATION_KEYS = new Set(['czxid', 'mzxid', 'ctime', 'mtime', 'version', 'cversion', 'aversion', 'dataLength', 'numChildren', 'pzxid', 'zxid', 'timeOut']);

function checkScenario(scenario: ZooKeeperScenario, sessions: SessionDecl[], at: PropertyKey[], source: SourceMap, problems: ScenarioFileProblem[]): void {
  const report = (path: PropertyKey[], message: string) =>
    problems.push({ position: source.positionOf(path), path: path.map(String).join('.'), message });
  const names = new Set<string>();
  sessions.forEach((s, i) => {
    if (names.has(s.name)) report([...at, 'sessions', i], `session ${s.name} is declared twice`);
    names.add(s.name);
  });
  const knownSession = (name: string, path: PropertyKey[]) => {
    if (!names.has(name)) report(path, `no session named ${name} (declared: ${[...names].join(', ')})`);
  };
  const range = (text: string | undefined, path: PropertyKey[]) => {
    if (text === undefined) return;
    try {
      parseVersionRange(text);
    } catch (e) {
      report(path, (e as Error).message);
    }
  };
  range(scenario.versions, [...at, 'versions']);
  const saves = new Set<string>();
  scenario.steps.forEach((step, j) => {
    const sp = [...at, 'steps', j];
    if (step.session !== undefined) knownSession(step.session, [...sp, 'session']);
    range(step.versions, [...sp, 'versions']);
    checkPaths(step, sp, report);
    if (step.op === 'multi' || step.op === 'multiRead') step.ops.forEach((op, k) => checkPaths(op, [...sp, 'ops', k], report));
    if (step.op === 'connect' && step.reattach !== undefined) knownSession(step.reattach, [...sp, 'reattach']);
    walkExpectations(step.expect, [...sp, 'expect'], { report, range, knownSession, saves });
    if (step.expectEvents !== undefined && step.expectEvents !== 'any') {
      walkExpectations(step.expectEvents, [...sp, 'expectEvents'], { report, range, knownSession, saves, eventSessions: true });
    }
    if (step.save !== undefined) {
      if (saves.has(step.save) || step.save === 'zxid') report([...sp, 'save'], `save name ${step.save} is ${step.save === 'zxid' ? 'reserved' : 'already used'}`);
      saves.add(step.save);
    }
  });
}

function checkPaths(step: { op: string; path?: string; rawPath?: string }, sp: PropertyKey[], report: (p: PropertyKey[], m: string) => void): void {
  if (step.path !== undefined && step.rawPath !== undefined) report([...sp, 'rawPath'], 'give path or rawPath, not both');
  if (step.path !== undefined && !step.path.startsWith('/')) report([...sp, 'path'], `path ${JSON.stringify(step.path)} must start with / (it is under the scenario root; use rawPath to send anything else)`);
  const optional = PATHLESS.has(step.op as Step['op']) || step.op === 'getEphemerals';
  if (!optional && step.path === undefined && step.rawPath === undefined) report(sp, `${step.op} needs a path (or rawPath)`);
  if (PATHLESS.has(step.op as Step['op']) && (step.path !== undefined || step.rawPath !== undefined)) report(sp, `${step.op} takes no path`);
}

interface WalkContext {
  report(path: PropertyKey[], message: string): void;
  range(text: string, path: PropertyKey[]): void;
  knownSession(name: string, path: PropertyKey[]): void;
  saves: Set<string>;
  /** Inside expectEvents: the top-level keys are session names. */
  eventSessions?: boolean;
}

/** Checks version ranges, relations, references to saved steps and session names inside an expectation tree. */
function walkExpectations(value: unknown, path: PropertyKey[], ctx: WalkContext, key?: string): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walkExpectations(v, [...path, i], { ...ctx, eventSessions: false }, key));
    return;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0]![0] === 'byVersion') {
      for (const [r, v] of Object.entries(entries[0]![1] as Record<string, unknown>)) {
        ctx.range(r, [...path, 'byVersion', r]);
        walkExpectations(v, [...path, 'byVersion', r], ctx, key);
      }
      return;
    }
    for (const [k, v] of entries) {
      if (ctx.eventSessions) ctx.knownSession(k, [...path, k]);
      walkExpectations(v, [...path, k], { ...ctx, eventSessions: false }, k);
    }
    return;
  }
  if (typeof value !== 'string' || key === undefined) return;
  if (key === 'ephemeralOwner' || key === 'sessionId') {
    ctx.knownSession(value, path);
    return;
  }
  if (!RELATION_KEYS.has(key)) return;
  try {
    const relation = parseRelation(value);
    for (const clause of relation.clauses) {
      const o = clause.operand;
      if (o.kind === 'reference' && !(o.name === 'zxid' && o.path.length === 0) && !ctx.saves.has(o.name)) {
        ctx.report(path, `$${o.name} refers to no earlier step saved as ${o.name}`);
      }
    }
  } catch (e) {
    ctx.report(path, (e as Error).message);
  }
}
