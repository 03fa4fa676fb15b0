import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { processExists } from '../../workloads/launchers/process-liveness.js';
import { TargetSchema, type Target } from '../../workloads/launchers/target.js';
import { runCli } from '../support/cli.js';

/** `kzbench cluster up ... --json`, checked: exit 0 and a valid target.json equal to what was printed. */
export async function clusterUp(args: string[], dir: string): Promise<Target> {
  const res = await runCli(['cluster', 'up', ...args, '--dir', dir, '--json'], { timeoutMs: 240_000 });
  expect(res.code, res.stderr).toBe(0);
  const printed = TargetSchema.parse(JSON.parse(res.stdout));
  const written = TargetSchema.parse(JSON.parse(await readFile(join(dir, 'target.json'), 'utf8')));
  expect(written).toEqual(printed);
  return written;
}

/** `kzbench cluster down --dir`, checked: every pid gone, data directories and target.json removed. */
export async function clusterDown(dir: string, target: Target): Promise<void> {
  const res = await runCli(['cluster', 'down', '--dir', dir], { timeoutMs: 120_000 });
  expect(res.code, res.stderr).toBe(0);
  for (const node of target.nodes) {
    expect(node.pid !== undefined && processExists(node.pid), `pid ${node.pid} still alive`).toBe(false);
    expect(existsSync(node.dataDir!), `${node.dataDir} still there`).toBe(false);
  }
  expect(existsSync(join(dir, 'target.json'))).toBe(false);
  expect(existsSync(join(dir, 'cluster.json'))).toBe(false);
}

/** Last-resort cleanup for afterAll: stops whatever a failed test left in `dir`. */
export async function forceDown(dir: string): Promise<void> {
  if (existsSync(join(dir, 'cluster.json'))) await runCli(['cluster', 'down', '--dir', dir], { timeoutMs: 120_000 });
}
