import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mavenCopyDependencies } from '../../../workloads/launchers/maven-fetch.js';

describe('mavenCopyDependencies runs mvn and reports its failure', () => {
  /** Runs `use` with a stand-in mvn (a shell script) in a temp dir, then removes it. */
  async function withFakeMaven(script: string, use: (mvn: string, dir: string) => Promise<void>): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'kz-fake-mvn-'));
    try {
      const mvn = join(dir, 'mvn');
      await writeFile(mvn, `#!/bin/sh\n${script}\n`);
      await chmod(mvn, 0o755);
      await use(mvn, dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it('passes the pom and the copy goal, and resolves when mvn succeeds', async () => {
    await withFakeMaven('echo "$@" > "$(dirname "$0")/args"', async (mvn, dir) => {
      await mavenCopyDependencies('<project/>', join(dir, 'work'), { mvn, extraArgs: ['-o'] });
      expect(await readFile(join(dir, 'work', 'pom.xml'), 'utf8')).toBe('<project/>');
      const args = (await readFile(join(dir, 'args'), 'utf8')).trim();
      expect(args).toBe(`-B -q -f ${join(dir, 'work', 'pom.xml')} -o dependency:copy-dependencies -DoutputDirectory=${join(dir, 'work', 'lib')} -DincludeScope=runtime`);
    });
  });

  it('fails with exit 2 quoting the [ERROR] lines of either stream, not the noise', async () => {
    const script = ['echo "[INFO] resolving"', 'echo "[ERROR] Failed to execute goal: artifact not found" >&2', 'echo "[ERROR] -> [Help 1]" >&2', 'exit 1'].join('\n');
    await withFakeMaven(script, async (mvn, dir) => {
      const err = await mavenCopyDependencies('<project/>', join(dir, 'work'), { mvn }).then(
        () => undefined,
        (e: unknown) => e as { code: string; exitCode: number; message: string },
      );
      expect(err).toMatchObject({ code: 'KZ_MAVEN_FAILED', exitCode: 2 });
      expect(err!.message).toContain('(exit 1)');
      expect(err!.message).toContain('[ERROR] Failed to execute goal: artifact not found');
      expect(err!.message).not.toContain('Help 1');
      expect(err!.message).not.toContain('[INFO]');
    });
  });
});
