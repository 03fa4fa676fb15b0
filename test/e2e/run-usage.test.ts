import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

/**
 * `kzbench run --list` and the usage errors of `kzbench run`: each exits 2 with a message
 * that names the problem, before any server is started (TMPDIR stays empty).
 */
describe('kzbench run --list and usage errors', () => {
  let root: string;
  let tmp: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'kz-e2e-run-usage-'));
    tmp = join(root, 'tmp');
    await import('node:fs/promises').then((fs) => fs.mkdir(tmp));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const cli = (args: string[]) => runCli(args, { env: { TMPDIR: tmp } });

  it('--list names every registered workload with its system and parameters', async () => {
    const text = await cli(['run', '--list']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^zk-hotpath\s+zookeeper\s+HDR latency, throughput/m);
    expect(text.stdout).toMatch(/^kafka-hotpath\s+kafka\s+HDR latency, throughput/m);
    expect(text.stdout).toContain('value-size');
    expect(text.stdout).toContain('record-size');

    const json = await cli(['run', '--list', '--json']);
    expect(json.code).toBe(0);
    const list = JSON.parse(json.stdout) as Array<{ name: string; system: string; available: boolean; params?: Array<{ name: string }>; nemesis?: string[] }>;
    const zk = list.find((w) => w.name === 'zk-hotpath');
    expect(zk).toMatchObject({ system: 'zookeeper', available: true, nemesis: [] });
    expect(zk!.params!.map((p) => p.name)).toEqual(expect.arrayContaining(['ops', 'value-size', 'keys', 'client']));
    expect(list.find((w) => w.name === 'kafka-hotpath')).toMatchObject({ system: 'kafka', available: true });
    // The DESIGN.md workload names are all listed, available or not.
    for (const name of ['zk-cas-register', 'zk-lock', 'zk-election', 'zk-registry', 'kafka-queue', 'kafka-txn-copy']) expect(list.map((w) => w.name)).toContain(name);
  });

  it('an unknown workload exits 2 and lists the available ones', async () => {
    const res = await cli(['run', 'zk-nope', '--target', 'reference']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("unknown workload 'zk-nope'");
    expect(res.stderr).toContain('zk-hotpath');
    expect(res.stderr).toContain('KZ_WORKLOAD_UNKNOWN');
  });

  it('--nemesis on a workload without faults exits 2 instead of running fault-free', async () => {
    const res = await cli(['run', 'zk-hotpath', '--target', 'reference', '--nemesis', 'kill']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('KZ_NEMESIS_UNSUPPORTED');
    expect(res.stderr).toContain("workload 'zk-hotpath' does not support --nemesis kill");
  });

  it('--inject-bug on a workload without bugs exits 2', async () => {
    const res = await cli(['run', 'kafka-hotpath', '--target', 'reference', '--inject-bug', 'lost-ack']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('KZ_INJECT_BUG_UNSUPPORTED');
  });

  it('an unknown or invalid --set parameter exits 2 naming it', async () => {
    const unknown = await cli(['run', 'zk-hotpath', '--target', 'reference', '--set', 'value-sise=10']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no parameter 'value-sise'");
    const invalid = await cli(['run', 'kafka-hotpath', '--target', 'reference', '--set', 'acks=2']);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('--set acks=2 is not valid');
  });

  it('a missing --target, a bad number and a target.json of the wrong system exit 2', async () => {
    expect((await cli(['run', 'zk-hotpath'])).code).toBe(2);
    const rate = await cli(['run', 'zk-hotpath', '--target', 'reference', '--rate', 'fast']);
    expect(rate.code).toBe(2);
    expect(rate.stderr).toContain('--rate needs a positive number');
    const targetFile = join(root, 'target.json');
    await writeFile(targetFile, JSON.stringify({ system: 'kafka', impl: 'apache', version: '4.3.1', launcher: 'external', nodes: [{ id: 1, host: '127.0.0.1', port: 9 }] }));
    const mismatch = await cli(['run', 'zk-hotpath', '--target', targetFile]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toContain('KZ_TARGET_SYSTEM_MISMATCH');
  });

  it('started nothing', async () => {
    expect(await readdir(tmp)).toEqual([]);
  });
});
