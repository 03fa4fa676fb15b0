import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Results } from '../../reports/results-schema.js';
import { listSandboxNamespaces } from '../../workloads/nemesis/network-sandbox.js';
import { runCli, type CliResult } from '../support/cli.js';

export interface JepsenRun {
  cli: CliResult;
  results: Results;
  report: string;
  history: string;
}

/** `kzbench run <args> --out <tmp>` and what it wrote (read into memory; the directory is removed). */
export async function jepsenRun(args: string[], timeoutMs = 240_000): Promise<JepsenRun> {
  const out = await mkdtemp(join(tmpdir(), 'kz-jepsen-e2e-'));
  try {
    const cli = await runCli(['run', ...args, '--out', out], { timeoutMs });
    let results: Results;
    try {
      results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as Results;
    } catch {
      throw new Error(`kzbench run ${args.join(' ')} wrote no results (exit ${cli.code}):\n${cli.stderr.slice(-3000)}`);
    }
    return { cli, results, report: await readFile(join(out, 'report.html'), 'utf8'), history: await readFile(join(out, 'history.jsonl'), 'utf8') };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

export function check(run: JepsenRun, checker: string) {
  const found = run.results.checks.find((c) => c.checker === checker);
  if (!found) throw new Error(`no ${checker} check in the results (checks: ${run.results.checks.map((c) => c.checker).join(', ')})`);
  return found;
}

/** Sandbox namespaces whose creating process is gone: a run that did not clean up. */
export async function orphanedNamespaces(): Promise<string[]> {
  return (await listSandboxNamespaces()).filter((name) => {
    const pid = Number(/^kzb(\d+)-/.exec(name)?.[1]);
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  });
}

/** Pids of processes whose command line mentions `marker` (e.g. a cluster directory). */
export async function processesMentioning(marker: string): Promise<number[]> {
  const { readdir } = await import('node:fs/promises');
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(marker)) pids.push(Number(entry));
  }
  return pids;
}
