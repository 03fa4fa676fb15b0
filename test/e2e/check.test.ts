import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHistoryJsonl } from '../../checkers/history/index.js';
import { kafkaQueueHistory } from '../../checkers/kafka/kafka-history-generator.js';
import { casRegisterHistory } from '../../checkers/linearizability/synthetic-histories.js';
import { availableModels } from '../../checkers/registry.js';
import { repoRoot, runCli } from '../support/cli.js';

const casFailure = join(repoRoot, '../shared/corpora/knossos/cas-register/bad/cas-failure.edn');

describe('kzbench check', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kz-check-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const file = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };

  it('exits 0 and says VALID for a linearizable history.jsonl', async () => {
    const path = await file('ok.jsonl', formatHistoryJsonl(casRegisterHistory({ seed: 1, ops: 60, clients: 4, infoOps: 5 })));
    const res = await runCli(['check', path, '--model', 'cas-register', '--init', '0']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^VALID \(linearizability, model cas-register\)/);
    expect(res.stdout).toMatch(/Linearizable: all \d+ operations/);
  });

  it('exits 3 with the failing op and the model objection in plain words', async () => {
    const path = await file('bad.jsonl', formatHistoryJsonl(casRegisterHistory({ seed: 1, ops: 60, clients: 4, infoOps: 5, corrupt: true })));
    const res = await runCli(['check', path, '--model', 'cas-register', '--init', '0']);
    expect(res.code).toBe(3);
    expect(res.stdout).toMatch(/^INVALID/);
    expect(res.stdout).toMatch(/cannot be linearized: can't read 5 from register \d/);
    expect(res.stdout).toMatch(/Final paths/);
  });

  it.skipIf(!existsSync(casFailure))('reproduces Knossos on cas-failure.edn, and --json prints the CheckResult', async () => {
    const res = await runCli(['check', casFailure, '--model', 'cas-register', '--init', '0', '--json']);
    expect(res.code).toBe(3);
    const result = JSON.parse(res.stdout) as { valid: unknown; anomalyTypes: string[]; anomalies: { ops: number[]; data: { finalPathCount: number } }[] };
    expect(result.valid).toBe(false);
    expect(result.anomalyTypes).toEqual(['nonlinearizable']);
    expect(result.anomalies[0]!.ops).toContain(491);
    expect(result.anomalies[0]!.ops).toContain(478);
    expect(result.anomalies[0]!.data.finalPathCount).toBe(2);
  });

  it('reads 2014 Jepsen log lines and EDN with --init nil', async () => {
    const log = await file(
      'etcd.log',
      ['INFO  jepsen.util - 0\t:invoke\t:write\t3', 'INFO  jepsen.util - 0\t:ok\t:write\t3', 'INFO  jepsen.util - 1\t:invoke\t:read\tnil', 'INFO  jepsen.util - 1\t:ok\t:read\t4', ''].join('\n'),
    );
    const res = await runCli(['check', log, '--model', 'cas-register', '--init', 'nil']);
    expect(res.code).toBe(3);
    expect(res.stdout).toMatch(/can't read 4 from register 3/);
  });

  it('exits 5 (unknown) when the search budget runs out', async () => {
    const path = await file('hard.jsonl', formatHistoryJsonl(casRegisterHistory({ seed: 5, ops: 120, clients: 40, infoOps: 10 })));
    const res = await runCli(['check', path, '--model', 'cas-register', '--init', '0', '--memory-limit', '0.001']);
    expect(res.code).toBe(5);
    expect(res.stdout).toMatch(/^UNKNOWN/);
    expect(res.stdout).toMatch(/search-out-of-memory/);
  });

  it('exits 2 for an unknown model, naming the ones there are', async () => {
    const path = await file('any.jsonl', '');
    const res = await runCli(['check', path, '--model', 'btree']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/unknown model 'btree'; available models: .*cas-register/);
  });

  it('says plainly when a model\'s checker is not registered yet, and uses it once it is', async () => {
    const path = await file('any2.jsonl', '');
    for (const model of ['list-append', 'rw-register', 'kafka-queue']) {
      const res = await runCli(['check', path, '--model', model]);
      if (availableModels().includes(model)) {
        expect(res.stderr).not.toMatch(/not registered/);
      } else {
        expect(res.code).toBe(2);
        expect(res.stderr).toMatch(new RegExp(`model '${model}' is provided by .*not registered`));
      }
    }
  });

  it('exits 2 for an unreadable file or a malformed history, with the line', async () => {
    const missing = await runCli(['check', join(dir, 'nope.jsonl'), '--model', 'register']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.jsonl: cannot read history: no such file/);
    const edn = await file('h.edn', '[{:process 0 :type :invoke :f :read :value nil}]');
    const forced = await runCli(['check', edn, '--model', 'register', '--format', 'jsonl']);
    expect(forced.code).toBe(2);
    expect(forced.stderr).toMatch(/h\.edn: line 1: not valid JSON/);
    const twice = await file('twice.jsonl', '{"process":0,"type":"invoke","f":"read"}\n{"process":0,"type":"invoke","f":"read"}\n');
    const bad = await runCli(['check', twice, '--model', 'register']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/line 2: process 0 invokes read \(op 1\) while its read \(op 0\) is still open/);
  });

  it('streams a kafka-queue history.jsonl: lost writes exit 3, a malformed line exits 2 with its number', async () => {
    const lossy = kafkaQueueHistory({ seed: 3, ops: 400, concurrency: 4, loseWrites: 0.05 });
    const path = await file('kafka.jsonl', formatHistoryJsonl(lossy));
    const res = await runCli(['check', path, '--model', 'kafka-queue']);
    expect(res.code, res.stderr).toBe(3);
    expect(res.stderr).toMatch(/ops streamed from/);
    expect(res.stdout).toMatch(/^INVALID \(kafka-queue, model kafka-queue\)/);
    expect(res.stdout).toMatch(/found .*lost-write \(\d+\)/);
    const lines = formatHistoryJsonl(lossy).split('\n');
    lines[6] = lines[6]!.replace('"process":', '"process":[');
    const broken = await runCli(['check', await file('kafka-bad.jsonl', lines.join('\n')), '--model', 'kafka-queue']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/kafka-bad\.jsonl: line 7: not valid JSON/);
  });
});
