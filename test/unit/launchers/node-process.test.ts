import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOurProcess, isPaused, kill, pause, resume, spawnDetached, terminate, waitForExit, type NodeCommand } from '../../../workloads/launchers/node-process.js';
import { processExists } from '../../../workloads/launchers/process-liveness.js';

/** A stand-in server: prints a line, then lives until signalled; marker in its argv. */
function sleeper(dir: string, marker: string, script = "console.log('up'); setInterval(() => {}, 1000);"): NodeCommand {
  return { command: process.execPath, args: ['-e', script, marker], cwd: dir, logFile: join(dir, `${marker}.log`), marker };
}

async function until(cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await sleep(20);
  }
}

describe('detached node processes', () => {
  let dir: string;
  const started: number[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kz-proc-'));
  });
  afterAll(async () => {
    for (const pid of started) if (processExists(pid)) process.kill(pid, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('runs in its own session with output in its log, and is recognised by its marker only', async () => {
    const cmd = sleeper(dir, 'marker-a');
    const pid = spawnDetached(cmd);
    started.push(pid);
    await until(async () => (await readFile(cmd.logFile, 'utf8').catch(() => '')).includes('up'));
    expect(isOurProcess(pid, 'marker-a')).toBe(true);
    expect(isOurProcess(pid, 'some-other-node')).toBe(false);
    // Its own process group (detached), so a terminal's Ctrl-C does not reach it.
    expect(Number((await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ')[2])).toBe(pid);
    await terminate(pid, 'marker-a');
    expect(processExists(pid)).toBe(false);
  });

  it('pause stops the process (state T) and resume continues it; terminate works on a paused one', async () => {
    const pid = spawnDetached(sleeper(dir, 'marker-b'));
    started.push(pid);
    await until(() => isOurProcess(pid, 'marker-b'));
    pause(pid, 'marker-b');
    await until(() => isPaused(pid));
    resume(pid, 'marker-b');
    await until(() => !isPaused(pid));
    pause(pid, 'marker-b');
    await until(() => isPaused(pid));
    await terminate(pid, 'marker-b', 5000);
    expect(processExists(pid)).toBe(false);
  });

  it('SIGKILL follows when SIGTERM is ignored', async () => {
    const pid = spawnDetached(sleeper(dir, 'marker-c', "process.on('SIGTERM', () => {}); console.log('up'); setInterval(() => {}, 1000);"));
    started.push(pid);
    await until(async () => (await readFile(join(dir, 'marker-c.log'), 'utf8').catch(() => '')).includes('up'));
    await terminate(pid, 'marker-c', 300);
    expect(processExists(pid)).toBe(false);
  });

  it('never signals a pid whose command line lacks the marker', async () => {
    const pid = spawnDetached(sleeper(dir, 'marker-d'));
    started.push(pid);
    await until(() => isOurProcess(pid, 'marker-d'));
    await kill(pid, 'not-its-marker');
    await terminate(pid, 'not-its-marker', 100);
    expect(await waitForExit(pid, 200)).toBe(false);
    await kill(pid, 'marker-d');
    expect(processExists(pid)).toBe(false);
  });
});
