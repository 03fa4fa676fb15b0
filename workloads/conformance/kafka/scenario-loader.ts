import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { KAFKA_ERRORS } from '../../../protocols/kafka/error-codes.js';
import type { FieldSpec } from '../../../protocols/kafka/schema/message-schema.js';
import { parseRelation } from '../relation-expression.js';
import { parseScenarioText } from '../scenario-file.js';
import { loadParsedScenarios, readScenarioDirectory, readScenarioFile, type ScenarioOrigin, type ScenarioProblems } from '../scenario-loading.js';
import { isErrorCodeKey, isRelationText, isSpecialForm } from './expectation-match.js';
import { RecordsSpec } from './record-batch-spec.js';
import { isSizeSpec } from './request-builder.js';
import { BUILTIN_REFERENCES, interpolatedReferences, parseReference } from './scenario-scope.js';
import { KafkaScenarioFile, isAwaitStep, isRawStep, isRequestStep, type KafkaScenario, type Step } from './scenario-schema.js';

/** A validated Kafka scenario with its full name (`<file stem>/<name>`) and where it was written. */
export interface LoadedKafkaScenario extends ScenarioOrigin {
  scenario: KafkaScenario;
  connections: string[];
  /** Declared names: the topics to create, then the other names. */
  names: string[];
}

/** Every scenario of every `.yaml`/`.yml`/`.json` file in `dir`, in file then declaration order. */
export function loadKafkaScenarioDirectory(dir: string): Promise<LoadedKafkaScenario[]> {
  return readScenarioDirectory(dir, parseKafkaScenarioFile);
}

export function loadKafkaScenarioFile(file: string): Promise<LoadedKafkaScenario[]> {
  return readScenarioFile(file, parseKafkaScenarioFile);
}

/** Parses one file: the zod schema first, then what a schema cannot say (references, fields of the Kafka messages). */
export function parseKafkaScenarioFile(file: string, text: string): LoadedKafkaScenario[] {
  return loadParsedScenarios(parseScenarioText(file, text, KafkaScenarioFile), (scenario, at, problems) => {
    const connections = scenario.connections ?? ['a'];
    const names = [...Object.keys(scenario.topics ?? {}), ...(scenario.names ?? [])];
    new ScenarioChecker(scenario, connections, names, at, problems).check();
    return { connections, names };
  });
}

const errorNames = new Set(KAFKA_ERRORS.map((e) => e.name));
const builtins = new Set<string>(BUILTIN_REFERENCES);

/** Field names a decoded `records` field offers to expectations (records-view.ts); only names matter here. */
const leaf = (name: string): FieldSpec => ({ name, type: 'int64', versions: '0+' });
const list = (name: string, fields: FieldSpec[]): FieldSpec => ({ name, type: '[]struct', versions: '0+', fields });
const RECORD_SET_FIELDS: readonly FieldSpec[] = [
  list('batches', [
    ...['baseOffset', 'lastOffset', 'partitionLeaderEpoch', 'producerId', 'producerEpoch', 'baseSequence', 'transactional', 'control', 'compression', 'timestampType', 'maxTimestamp'].map(leaf),
    list('records', [...['offset', 'timestamp', 'key', 'value'].map(leaf), list('headers', ['key', 'value'].map(leaf))]),
    { name: 'marker', type: 'struct', versions: '0+', fields: ['type', 'coordinatorEpoch'].map(leaf) },
  ]),
  leaf('partialBatchBytes'),
  leaf('undecodable'),
];

/** Why a body value cannot be a scalar field's value (references are strings and resolve at run time). */
function scalarMismatch(type: FieldSpec['type'], v: unknown): string | undefined {
  if (v === null || (typeof v === 'string' && v.startsWith('$'))) return undefined;
  switch (type) {
    case 'bool':
      return typeof v === 'boolean' ? undefined : 'true or false';
    case 'string':
      return typeof v === 'string' || isSizeSpec(v) ? undefined : 'a string (or {size: N})';
    case 'uuid':
      return typeof v === 'string' ? undefined : 'a string';
    case 'int8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
    case 'int64':
    case 'varint':
    case 'varlong':
      return typeof v === 'number' && Number.isInteger(v) ? undefined : 'an integer';
    case 'float64':
      return typeof v === 'number' ? undefined : 'a number';
    default:
      return undefined;
  }
}

class ScenarioChecker {
  private readonly known = new Set<string>();
  private readonly asyncSaves = new Set<string>();

  constructor(
    private readonly scenario: KafkaScenario,
    private readonly connections: string[],
    private readonly names: string[],
    private readonly at: PropertyKey[],
    private readonly problems: ScenarioProblems,
  ) {}

  check(): void {
    const { scenario, at } = this;
    this.problems.versionRange(scenario.versions, [...at, 'versions']);
    const seenConnections = new Set<string>();
    this.connections.forEach((c, i) => {
      if (seenConnections.has(c)) this.problems.report([...at, 'connections', i], `connection ${c} is declared twice`);
      seenConnections.add(c);
    });
    for (const name of this.names) {
      if (builtins.has(name)) this.problems.report([...at, scenario.topics && name in scenario.topics ? 'topics' : 'names'], `${name} is a built-in reference ($${name}); choose another name`);
      else if (this.known.has(name)) this.problems.report([...at, 'names'], `name ${name} is declared twice`);
      this.known.add(name);
    }
    scenario.steps.forEach((step, j) => this.checkStep(step, [...at, 'steps', j], j));
    const awaited = new Set(scenario.steps.filter(isAwaitStep).map((s) => s.await));
    scenario.steps.forEach((step, j) => {
      if (isRequestStep(step) && step.async && step.save !== undefined && !awaited.has(step.save)) this.problems.report([...at, 'steps', j], `async step ${step.save} is never awaited`);
    });
  }

  private checkStep(step: Step, sp: PropertyKey[], index: number): void {
    this.problems.versionRange(step.versions, [...sp, 'versions']);
    if ('connection' in step && step.connection !== undefined && !this.connections.includes(step.connection)) {
      this.problems.report([...sp, 'connection'], `no connection named ${step.connection} (declared: ${this.connections.join(', ')})`);
    }
    let responseFields: readonly FieldSpec[] | undefined;
    if (isRequestStep(step)) {
      const api = KafkaApis[step.api];
      if (typeof step.version === 'number' && (step.version < api.minVersion || step.version > api.maxVersion)) {
        this.problems.report([...sp, 'version'], `the codec speaks ${step.api} v${api.minVersion}-v${api.maxVersion}; send other versions with a raw step`);
      }
      if (step.body !== undefined) this.checkBody(step.body, api.request.fields, [...sp, 'body']);
      if (step.async) {
        if (step.save === undefined) this.problems.report(sp, 'an async step needs save: (the name a later await step uses)');
        if (step.expect !== undefined || step.eventually !== undefined) this.problems.report(sp, 'an async step is checked by its await step: move expect there (eventually is not possible)');
        if (step.save !== undefined) this.asyncSaves.add(step.save);
      }
      if (step.api === 'Produce' && step.body?.acks === 0 && step.expect !== undefined) this.problems.report([...sp, 'expect'], 'a Produce with acks 0 gets no response: nothing to expect (use closed: true/false)');
      responseFields = api.response.fields;
    } else if (isRawStep(step)) {
      if (step.decodeAs) {
        const api = KafkaApis[step.decodeAs.api];
        if (step.decodeAs.version < api.minVersion || step.decodeAs.version > api.maxVersion) this.problems.report([...sp, 'decodeAs', 'version'], `the codec speaks ${step.decodeAs.api} v${api.minVersion}-v${api.maxVersion}`);
        responseFields = api.response.fields;
      } else if (step.expect !== undefined) {
        responseFields = [{ name: 'hex', type: 'string', versions: '0+' }];
      }
    } else if (isAwaitStep(step)) {
      if (!this.asyncSaves.has(step.await)) this.problems.report([...sp, 'await'], `no earlier async step saved as ${step.await}`);
      const origin = this.scenario.steps.slice(0, index).find((s) => isRequestStep(s) && s.save === step.await);
      if (origin && isRequestStep(origin)) responseFields = KafkaApis[origin.api].response.fields;
    }
    if (step.expect !== undefined) this.checkExpect(step.expect, responseFields, [...sp, 'expect'], '');
    if (typeof step.closed === 'object') for (const r of Object.keys(step.closed.byVersion)) this.problems.versionRange(r, [...sp, 'closed', 'byVersion', r]);
    // The response becomes referable once the step has run (an async one once awaited).
    const saved = isAwaitStep(step) ? step.await : !isAwaitStep(step) && !(isRequestStep(step) && step.async) ? step.save : undefined;
    if (!isAwaitStep(step) && step.save !== undefined && this.known.has(step.save) && !this.asyncSaves.has(step.save)) {
      this.problems.report([...sp, 'save'], `${step.save} is already a name or a saved step`);
    }
    if (saved !== undefined) this.known.add(saved);
  }

  private checkReference(text: string, path: PropertyKey[]): void {
    const refs = [parseReference(text), ...interpolatedReferences(text)].filter((r) => r !== undefined);
    for (const r of refs) {
      if (!this.known.has(r.name) && !builtins.has(r.name)) this.problems.report(path, `$${r.name} is neither a declared name nor an earlier saved step`);
    }
    if (text.startsWith('$') && refs.length === 0) this.problems.report(path, `${text} is not a reference; write $name, $name.field or $name.field + 1`);
  }

  /** A body: field names of the request schema (any version), references, record batch specs. */
  private checkBody(body: unknown, fields: readonly FieldSpec[], path: PropertyKey[]): void {
    if (typeof body === 'string') {
      this.checkReference(body, path);
      return;
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      this.problems.report(path, 'expected an object of request fields');
      return;
    }
    const byName = new Map(fields.map((f) => [f.name, f]));
    for (const [k, v] of Object.entries(body)) {
      const field = byName.get(k);
      if (!field) {
        this.problems.report([...path, k], `no field ${k} here (fields: ${fields.map((f) => f.name).join(', ')})`);
        continue;
      }
      this.checkBodyValue(v, field, [...path, k]);
    }
  }

  private checkBodyValue(v: unknown, field: FieldSpec, path: PropertyKey[]): void {
    if (typeof v === 'string') this.checkReference(v, path);
    const scalarProblem = scalarMismatch(field.type, v);
    if (scalarProblem) this.problems.report(path, `${field.name} is ${scalarProblem}, not ${JSON.stringify(v)}`);
    if (field.type === 'records') {
      const parsed = RecordsSpec.safeParse(v);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) this.problems.report([...path, ...issue.path], `records: ${issue.message} (one batch {records: [...], compression, producerId, ...}, a list of them, {hex} or null)`);
      }
      this.walkStrings(v, path);
      return;
    }
    if (field.type === 'bytes') {
      this.walkStrings(v, path);
      return;
    }
    if (field.type === 'struct') {
      if (v !== null && typeof v !== 'string') this.checkBody(v, field.fields ?? [], path);
      return;
    }
    if (field.type === '[]struct' || field.type.startsWith('[]')) {
      if (v === null || typeof v === 'string') return;
      if (!Array.isArray(v)) {
        this.problems.report(path, `${field.name} is a list`);
        return;
      }
      v.forEach((e, i) => {
        if (field.type === '[]struct') this.checkBody(e, field.fields ?? [], [...path, i]);
        else if (typeof e === 'string') this.checkReference(e, [...path, i]);
      });
    }
  }

  private walkStrings(v: unknown, path: PropertyKey[]): void {
    if (typeof v === 'string') {
      if (v.startsWith('$')) this.checkReference(v, path);
      return;
    }
    if (Array.isArray(v)) v.forEach((e, i) => this.walkStrings(e, [...path, i]));
    else if (typeof v === 'object' && v !== null) for (const [k, e] of Object.entries(v)) this.walkStrings(e, [...path, k]);
  }

  /** An expectation: response field names, error names, relations, references, special forms, byVersion tables. */
  private checkExpect(v: unknown, fields: readonly FieldSpec[] | undefined, path: PropertyKey[], key: string): void {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const entries = Object.entries(v);
      if (entries.length === 1 && entries[0]![0] === 'byVersion') {
        const table = entries[0]![1];
        if (typeof table !== 'object' || table === null) {
          this.problems.report([...path, 'byVersion'], 'byVersion maps version ranges to values');
          return;
        }
        for (const [r, e] of Object.entries(table)) {
          this.problems.versionRange(r, [...path, 'byVersion', r]);
          this.checkExpect(e, fields, [...path, 'byVersion', r], key);
        }
        return;
      }
      if (isSpecialForm(v)) {
        for (const [form, e] of entries) {
          if (form === 'includes' || form === 'excludes' || form === 'anyOrder' || form === 'oneOf') {
            if (!Array.isArray(e)) this.problems.report([...path, form], `${form} takes a list`);
            else e.forEach((x, i) => this.checkExpect(x, fields, [...path, form, i], form === 'oneOf' ? key : ''));
          } else if (form === 'length') this.checkExpect(e, undefined, [...path, form], 'length');
        }
        return;
      }
      if (fields !== undefined) {
        const byName = new Map(fields.map((f) => [f.name, f]));
        for (const [k, e] of entries) {
          const field = byName.get(k);
          if (!field) {
            this.problems.report([...path, k], `the response has no field ${k} (fields: ${fields.map((f) => f.name).join(', ')})`);
            continue;
          }
          const inner = field.type === 'records' ? RECORD_SET_FIELDS : field.fields;
          this.checkExpect(e, inner, [...path, k], k);
        }
      } else {
        for (const [k, e] of entries) this.checkExpect(e, undefined, [...path, k], k);
      }
      return;
    }
    if (Array.isArray(v)) {
      if (isErrorCodeKey(key)) v.forEach((e, i) => this.checkErrorName(e, [...path, i]));
      else v.forEach((e, i) => this.checkExpect(e, fields, [...path, i], ''));
      return;
    }
    if (typeof v !== 'string') return;
    if (isRelationText(v)) {
      try {
        for (const clause of parseRelation(v).clauses) {
          const o = clause.operand;
          if (o.kind === 'reference' && !this.known.has(o.name) && !builtins.has(o.name)) this.problems.report(path, `$${o.name} is neither a declared name nor an earlier saved step`);
        }
      } catch (e) {
        this.problems.report(path, (e as Error).message);
      }
      return;
    }
    if (isErrorCodeKey(key)) {
      this.checkErrorName(v, path);
      return;
    }
    this.checkReference(v, path);
  }

  private checkErrorName(v: unknown, path: PropertyKey[]): void {
    if (typeof v === 'number') return;
    if (typeof v !== 'string' || !errorNames.has(v)) {
      const close = typeof v === 'string' ? [...errorNames].filter((n) => n.includes(v.toUpperCase().split('_')[0] ?? '')).slice(0, 5) : [];
      this.problems.report(path, `${JSON.stringify(v)} is not a Kafka error name${close.length ? ` (did you mean ${close.join(', ')}?)` : ''}`);
    }
  }
}
