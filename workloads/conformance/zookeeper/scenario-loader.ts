import { parseRelation } from '../relation-expression.js';
import { parseScenarioText } from '../scenario-file.js';
import { loadParsedScenarios, readScenarioDirectory, readScenarioFile, type ScenarioOrigin, type ScenarioProblems } from '../scenario-loading.js';
import { ZooKeeperScenarioFile, type SessionDecl, type Step, type ZooKeeperScenario } from './scenario-schema.js';

/** A validated scenario with its full name (`<file stem>/<name>`) and where it was written. */
export interface LoadedScenario extends ScenarioOrigin {
  scenario: ZooKeeperScenario;
  sessions: SessionDecl[];
}

/** Every scenario of every `.yaml`/`.yml`/`.json` file in `dir`, in file then declaration order. */
export function loadScenarioDirectory(dir: string): Promise<LoadedScenario[]> {
  return readScenarioDirectory(dir, parseScenarioFile);
}

export function loadScenarioFile(file: string): Promise<LoadedScenario[]> {
  return readScenarioFile(file, parseScenarioFile);
}

/** Parses one file's text: schema first, then the cross-references a schema cannot express. */
export function parseScenarioFile(file: string, text: string): LoadedScenario[] {
  return loadParsedScenarios(parseScenarioText(file, text, ZooKeeperScenarioFile), (scenario, at, problems) => {
    const sessions = sessionDecls(scenario);
    checkScenario(scenario, sessions, at, problems);
    return { sessions };
  });
}

export function sessionDecls(scenario: ZooKeeperScenario): SessionDecl[] {
  return (scenario.sessions ?? ['a']).map((s) => (typeof s === 'string' ? { name: s } : s));
}

/** Ops that name no node. */
const PATHLESS = new Set<Step['op']>(['whoAmI', 'auth', 'close', 'expire', 'connect', 'raw', 'fourLetterWord', 'multi', 'multiRead']);
/** Expectation keys whose strings are relations. */
const RELATION_KEYS = new Set(['czxid', 'mzxid', 'ctime', 'mtime', 'version', 'cversion', 'aversion', 'dataLength', 'numChildren', 'pzxid', 'zxid', 'timeOut']);

function checkScenario(scenario: ZooKeeperScenario, sessions: SessionDecl[], at: PropertyKey[], problems: ScenarioProblems): void {
  const report = (path: PropertyKey[], message: string) => problems.report(path, message);
  const names = new Set<string>();
  sessions.forEach((s, i) => {
    if (names.has(s.name)) report([...at, 'sessions', i], `session ${s.name} is declared twice`);
    names.add(s.name);
  });
  const knownSession = (name: string, path: PropertyKey[]) => {
    if (!names.has(name)) report(path, `no session named ${name} (declared: ${[...names].join(', ')})`);
  };
  const range = (text: string | undefined, path: PropertyKey[]) => problems.versionRange(text, path);
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
