import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/reference-server.js';

const script = fileURLToPath(new URL('./support/kazoo_interop.py', import.meta.url));

/** Debian's python3-kazoo lives in /usr/bin/python3's dist-packages (a pyenv python may not see it). */
function pythonWithKazoo(): string | null {
  for (const py of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(py, ['-c', 'import kazoo'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return null;
}

const python = pythonWithKazoo();
if (python === null) console.warn('skipping kazoo interop: apt-get install python3-kazoo');

describe.skipIf(python === null)('kazoo (python3-kazoo 2.8) against the reference server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ tickTime: 2000, systemProperties: { 'zookeeper.4lw.commands.whitelist': '*' } });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('runs CRUD, watches, transactions, digest ACLs and the recipes', async () => {
    // Asynchronous spawn: the server runs in this process and must keep answering meanwhile.
    const { spawn } = await import('node:child_process');
    const child = spawn(python!, [script, server.connectString], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout) as Record<string, unknown>;
    expect(out.server_version).toEqual([3, 9, 5]);
    expect(out.get).toEqual(['v1', 0]);
    expect(out.bad_version).toBe('BadVersionError');
    expect(out.node_exists).toBe('NodeExistsError');
    expect(out.not_empty).toBe('NotEmptyError');
    expect(out.sequence).toEqual(['/k/seq-0000000001', '/k/seq-0000000002', '/k/seq-0000000003']);
    expect(out.ephemeral_owner_is_session).toBe(true);
    expect(out.create2_stat).toBe(3);
    expect(out.data_watch).toEqual([['CHANGED', '/k/crud']]);
    expect(out.children_watch_last).toEqual(['a', 'b']);
    expect(out.txn_ok).toEqual(['/k/tx', '/k/tx/a', true]);
    expect(out.txn_fail).toEqual(['RolledBackError', 'NoNodeError']);
    expect(out.txn_fail_applied_nothing).toBe(true);
    expect(out.noauth).toBe('NoAuthError');
    expect(out.authed_get).toBe('s');
    expect(out.lock).toEqual({ entries: 6, overlap: false });
    expect(out.semaphore).toBe(true);
    expect(out.election_contenders).toEqual(['a', 'b']);
    expect(out.election).toEqual(['a', 'b']);
    expect(out.barrier).toEqual([true]);
    expect(out.double_barrier).toEqual(['x', 'y']);
    expect(out.queue).toEqual(['1', '2', '3']);
    expect(out.locking_queue_first).toBe('b');
    expect(out.counter).toBe(3);
    expect(out.party).toBe(1);
    expect(out.tree_cache_x).toBe('2');
    expect(out.tree_cache_added).toBe(true);
  });
});
