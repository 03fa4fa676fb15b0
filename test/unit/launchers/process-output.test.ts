import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectOutput } from '../../../workloads/launchers/process-output.js';

const sh = (script: string) => spawn('/bin/sh', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });

describe('collecting a child process output', () => {
  it('returns the exit code with stdout and stderr apart', async () => {
    expect(await collectOutput(sh('printf "out\\n"; printf "err\\n" >&2; exit 3'), 30_000)).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' });
  });

  it('kills a child that outlives its timeout: no exit code', async () => {
    const out = await collectOutput(sh('exec sleep 60'), 300);
    expect(out).toEqual({ code: null, stdout: '', stderr: '' });
  });

  it('rejects when the command cannot start', async () => {
    const child = spawn(join(tmpdir(), 'kz-no-such-command'), [], { stdio: ['ignore', 'pipe', 'pipe'] });
    await expect(collectOutput(child, 30_000)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
