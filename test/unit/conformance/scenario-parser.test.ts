import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultScenarioDirectory } from '../../../workloads/conformance/scenario-directory.js';
import { loadScenarioDirectory, parseScenarioFile } from '../../../workloads/conformance/zookeeper/scenario-loader.js';
import { oneScenario, problemsReportedBy } from './scenario-file-fixtures.js';

const problemsOf = problemsReportedBy(parseScenarioFile);

describe('ZooKeeper scenario files', () => {
  it('parses a good file: names, sessions, steps, versioned expectations', () => {
    const [s] = parseScenarioFile(
      '/x/watches.yaml',
      `scenarios:
  - name: fires-once
    sessions: [a, { name: b, timeout: 4000 }]
    steps:
      - op: create
        path: /w
        save: made
      - op: getData
        session: b
        path: /w
        watch: true
        expect:
          stat: { czxid: "== $made.zxid", mzxid: "== czxid" }
      - op: setData
        path: /w
        data: x
        expectEvents:
          b: [{ type: NodeDataChanged, path: /w, zxid: { byVersion: { "<3.9": -1, ">=3.9": "== $zxid" } } }]
`,
    );
    expect(s!.name).toBe('watches/fires-once');
    expect(s!.line).toBe(2);
    expect(s!.sessions).toEqual([{ name: 'a' }, { name: 'b', timeout: 4000 }]);
    expect(s!.scenario.steps.map((st) => st.op)).toEqual(['create', 'getData', 'setData']);
  });

  it('reports a misspelt key at its line', () => {
    const problems = problemsOf(oneScenario(`      - op: create
        path: /a
        expct: { err: OK }
`));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.line).toBe(4);
    expect(problems[0]!.message).toMatch(/expct/);
  });

  it('reports an unknown op and a bad error name at their lines', () => {
    const problems = problemsOf(oneScenario(`      - op: create
        path: /a
        expect:
          err: NOSUCHERROR
      - op: teleport
        path: /a
`));
    expect(problems.map((p) => p.line).sort()).toEqual([7, 8]);
    expect(problems.find((p) => p.line === 7)!.path).toBe('scenarios.0.steps.0.expect.err');
  });

  it('reports YAML syntax errors with their line', () => {
    const problems = problemsOf(`scenarios:
  - name: s
    description: a: b
    steps: []
`);
    expect(problems[0]!.line).toBe(3);
  });

  it('checks cross-references the schema cannot: sessions, saved names, relations, ranges, paths', () => {
    const problems = problemsOf(`scenarios:
  - name: s
    sessions: [a]
    versions: ">=3.x.9"
    steps:
      - op: create
        session: b
        path: relative
      - op: getData
        path: /a
        expect:
          stat: { mzxid: "> $nothing.zxid", czxid: "about 5" }
      - op: getData
        expect: { err: OK }
      - op: setData
        path: /a
        data: x
        expectEvents:
          c: []
`);
    const byPath = new Map(problems.map((p) => [p.path, p]));
    expect(byPath.get('scenarios.0.versions')!.line).toBe(4);
    expect(byPath.get('scenarios.0.steps.0.session')!.message).toMatch(/no session named b/);
    expect(byPath.get('scenarios.0.steps.0.path')!.message).toMatch(/must start with \//);
    expect(byPath.get('scenarios.0.steps.1.expect.stat.mzxid')!.message).toMatch(/\$nothing/);
    expect(byPath.get('scenarios.0.steps.1.expect.stat.czxid')!.message).toMatch(/not a comparison/);
    expect(byPath.get('scenarios.0.steps.2')!.message).toMatch(/needs a path/);
    expect(byPath.get('scenarios.0.steps.3.expectEvents.c')!.line).toBe(19);
  });

  it('refuses a reference to the step itself or a later one', () => {
    const problems = problemsOf(oneScenario(`      - op: create
        path: /a
        save: me
        expect: { zxid: "== $me.zxid" }
`));
    expect(problems[0]!.message).toMatch(/\$me refers to no earlier step/);
  });

  it('loads every shipped scenario file', async () => {
    const dir = defaultScenarioDirectory('zookeeper');
    const scenarios = await loadScenarioDirectory(dir);
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(new Set(scenarios.map((s) => s.file))).toEqual(new Set(files.map((f) => join(dir, f))));
    expect(scenarios.length).toBeGreaterThanOrEqual(40);
    expect(new Set(scenarios.map((s) => s.name)).size).toBe(scenarios.length);
  });
});
