import { describe, expect, it } from 'vitest';
import { defaultScenarioDirectory } from '../../../workloads/conformance/scenario-directory.js';
import { loadKafkaScenarioDirectory, parseKafkaScenarioFile } from '../../../workloads/conformance/kafka/scenario-loader.js';
import { oneScenario, problemsReportedBy } from './scenario-file-fixtures.js';

const problemsOf = problemsReportedBy(parseKafkaScenarioFile);

/** One scenario around the given steps, with a topic t and a name g unless told otherwise. */
const scenario = (steps: string, head = '    topics: { t: {} }\n    names: [g]\n') => oneScenario(steps, head);

describe('Kafka scenario files', () => {
  it('parses a good file: names, connections, merge keys, async/await, versioned expectations', () => {
    const [s] = parseKafkaScenarioFile(
      '/x/groups.yaml',
      `description: d
scenarios:
  - name: two-members
    topics: { t: { partitions: 2, configs: { cleanup.policy: compact } } }
    names: [g]
    connections: [a, b]
    steps:
      - api: JoinGroup
        body: &join { groupId: $g, sessionTimeoutMs: 30000, memberId: "", protocolType: consumer, protocols: [{ name: range, metadata: { consumerSubscription: { topics: [$t] } } }] }
        save: first
        expect: { errorCode: MEMBER_ID_REQUIRED, memberId: { match: "." } }
      - api: JoinGroup
        connection: b
        body: { <<: *join, memberId: $first.memberId }
        async: true
        save: joined
      - api: Produce
        version: 9
        body: { acks: -1, timeoutMs: 1000, topicData: [{ name: $t, partitionData: [{ index: 0, records: { records: [a, { key: k, value: v }], compression: gzip } }] }] }
        expect:
          byVersion:
            "<4": { responses: [{ partitionResponses: [{ errorCode: [NONE, NOT_LEADER_OR_FOLLOWER], baseOffset: ">= 0" }] }] }
            ">=4": { responses: [{ partitionResponses: { includes: [{ errorCode: NONE }] } }] }
      - await: joined
        expect: { errorCode: NONE, leader: $this.memberId, generationId: "== $prev.responses.0.partitionResponses.0.baseOffset + 1" }
`,
    );
    expect(s).toMatchObject({ name: 'groups/two-members', line: 3, connections: ['a', 'b'], names: ['t', 'g'] });
    expect(s!.scenario.steps).toHaveLength(4);
    // The merge key copied the body and replaced one field.
    expect((s!.scenario.steps[1] as { body: Record<string, unknown> }).body).toMatchObject({ groupId: '$g', memberId: '$first.memberId', protocolType: 'consumer' });
  });

  it('reports an unknown API through the schema, at its line', () => {
    const problems = problemsOf(scenario('      - api: Produces\n'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 6, path: 'scenarios.0.steps.0.api' });
    expect(problems[0]!.message).toMatch(/Produce/);
  });

  it('reports every problem at its line: fields, error names, references, versions, records', () => {
    const problems = problemsOf(
      scenario(`      - api: Metadata
        body: { topix: [] }
      - api: Metadata
        expect: { topics: [{ errorCode: NOT_AN_ERROR }] }
      - api: Metadata
        body: { topics: [{ name: $nobody }] }
      - api: ApiVersions
        version: 99
      - api: Metadata
        expect: { brokerz: [] }
      - api: Metadata
        expect: { byVersion: { ">= banana": {} } }
      - api: Produce
        body: { acks: all, topicData: [{ name: $t, partitionData: [{ index: 0, records: { records: [a], compression: brotli } }] }] }
`),
    );
    const at = (path: string) => problems.filter((p) => p.path.startsWith(path));
    expect(at('scenarios.0.steps.0.body.topix')).toEqual([{ line: 7, path: 'scenarios.0.steps.0.body.topix', message: expect.stringMatching(/no field topix here \(fields: topics, allowAutoTopicCreation/) }]);
    expect(at('scenarios.0.steps.1.expect')).toEqual([{ line: 9, path: 'scenarios.0.steps.1.expect.topics.0.errorCode', message: expect.stringMatching(/"NOT_AN_ERROR" is not a Kafka error name/) }]);
    expect(at('scenarios.0.steps.2.body')[0]).toMatchObject({ line: 11, message: '$nobody is neither a declared name nor an earlier saved step' });
    expect(at('scenarios.0.steps.3.version')[0]).toMatchObject({ line: 13, message: 'the codec speaks ApiVersions v0-v4; send other versions with a raw step' });
    expect(at('scenarios.0.steps.4.expect.brokerz')[0]!.message).toMatch(/the response has no field brokerz/);
    expect(at('scenarios.0.steps.5.expect.byVersion')[0]!.message).toMatch(/version range '>= banana'/);
    const produce = at('scenarios.0.steps.6.body').map((p) => p.message);
    expect(produce).toContain('acks is an integer, not "all"');
    expect(produce.some((m) => /^records: .*(brotli|compression|Invalid)/.test(m))).toBe(true);
  });

  it('checks saves, async steps and awaits', () => {
    const problems = problemsOf(
      scenario(`      - api: Metadata
        expect: { clusterId: $m.clusterId }
        save: m
      - api: JoinGroup
        async: true
        body: { groupId: $g }
      - api: JoinGroup
        async: true
        save: j
        expect: { errorCode: NONE }
      - await: nothing
      - api: Metadata
        save: g
`),
    );
    const messages = problems.map((p) => `${p.line}: ${p.message}`);
    // A step cannot see its own save (use $this).
    expect(messages).toEqual([
      '7: $m is neither a declared name nor an earlier saved step',
      '9: an async step needs save: (the name a later await step uses)',
      '12: an async step is checked by its await step: move expect there (eventually is not possible)',
      '16: no earlier async step saved as nothing',
      '18: g is already a name or a saved step',
      '12: async step j is never awaited',
    ]);
  });

  it('refuses unknown connections, duplicate and built-in names', () => {
    const problems = problemsOf(`scenarios:
  - name: s
    names: [g, g, now]
    connections: [a]
    steps:
      - api: Metadata
        connection: b
`);
    expect(problems.map((p) => p.message)).toEqual(['name g is declared twice', 'now is a built-in reference ($now); choose another name', 'no connection named b (declared: a)']);
  });

  it('refuses a misspelt key (objects are strict), at its line', () => {
    const problems = problemsOf(scenario('      - api: Metadata\n        expectt: {}\n'));
    expect(problems).toEqual([{ line: 6, path: 'scenarios.0.steps.0', message: expect.stringMatching(/expectt/) }]);
  });

  it('refuses an expectation on an acks=0 produce (there is no response)', () => {
    const problems = problemsOf(scenario(`      - api: Produce
        body: { acks: 0, timeoutMs: 1000, topicData: [] }
        expect: { responses: [] }
`));
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/acks 0 gets no response/)]);
  });

  it('loads the shipped suite: every file valid, names unique, each scenario cleans up what it names', async () => {
    const all = await loadKafkaScenarioDirectory(defaultScenarioDirectory('kafka'));
    expect(all.length).toBeGreaterThanOrEqual(60);
    expect(new Set(all.map((s) => s.name)).size).toBe(all.length);
    const files = new Set(all.map((s) => s.name.split('/')[0]));
    for (const f of ['api-versions', 'topics', 'produce', 'fetch', 'list-offsets', 'configs', 'log-admin', 'groups', 'offsets', 'idempotence', 'transactions']) expect(files).toContain(f);
    for (const s of all) {
      // A literal kzc- name would escape the run-unique prefix and the clean-up.
      expect(JSON.stringify(s.scenario.steps), s.name).not.toMatch(/"kzc-[a-z]/);
    }
  });
});
