import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../common/errors.js';
import { exitCodeOf } from './process-output.js';

export interface MavenFetchOptions {
  mvn: string;
  /** Extra arguments for mvn (from KZBENCH_MAVEN_ARGS), e.g. `-o` or `-s settings.xml`. */
  extraArgs?: string[];
  timeoutMs?: number;
}

/**
 * Writes `pomXml` into `workDir` and has Maven copy its runtime dependency closure into
 * `workDir/lib`. Maven's own local repository (~/.m2) caches the downloads.
 */
export async function mavenCopyDependencies(pomXml: string, workDir: string, opts: MavenFetchOptions): Promise<void> {
  await mkdir(workDir, { recursive: true });
  const pom = join(workDir, 'pom.xml');
  await writeFile(pom, pomXml);
  const args = [
    '-B',
    '-q',
    '-f',
    pom,
    ...(opts.extraArgs ?? []),
    'dependency:copy-dependencies',
    `-DoutputDirectory=${join(workDir, 'lib')}`,
    '-DincludeScope=runtime',
  ];
  const { code, output } = await runCollecting(opts.mvn, args, opts.timeoutMs ?? 20 * 60_000);
  if (code !== 0) {
    const lines = output.split('\n').map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').trimEnd()).filter(Boolean);
    const errors = lines.filter((l) => l.startsWith('[ERROR]') && !/Re-run Maven|full stack trace|Help 1|^\[ERROR\]\s*$|-> \[Help/.test(l));
    const excerpt = (errors.length ? errors : lines).slice(0, 12).join('\n  ');
    throw new UsageError(
      'KZ_MAVEN_FAILED',
      `mvn could not resolve the artifacts (exit ${code ?? 'timeout'}); check that Maven Central is reachable and the version exists:\n  ${excerpt}`,
    );
  }
}

/** Runs `cmd` with stdout and stderr collected together (the tail of a very long output). */
async function runCollecting(cmd: string, args: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (d: Buffer) => {
    output += d.toString('utf8');
    if (output.length > 1_000_000) output = output.slice(-500_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const code = await exitCodeOf(child, timeoutMs);
  return { code, output };
}
