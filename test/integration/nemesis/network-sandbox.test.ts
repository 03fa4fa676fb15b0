import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IptablesPartitioner } from '../../../workloads/nemesis/iptables-partitioner.js';
import { listSandboxNamespaces, NetworkSandbox, sandboxUnavailableReason, sweepStaleSandboxes } from '../../../workloads/nemesis/network-sandbox.js';
import { isolateNode } from '../../../workloads/nemesis/partition-grudge.js';
import { killProcessesInside, runInNetworkSandbox } from '../../../workloads/nemesis/sandboxed-run.js';
import { echoServerIn, probe } from './support/netns-probes.js';

const unavailable = sandboxUnavailableReason();
if (unavailable) console.warn(`skipping the network sandbox tests: ${unavailable}`);

describe.skipIf(unavailable !== null)('network sandbox (namespaces per node, iptables partitions)', { timeout: 120_000 }, () => {
  let sandbox: NetworkSandbox;
  const port = 7001;

  beforeAll(async () => {
    sandbox = await NetworkSandbox.create({ nodeIds: [1, 2, 3] });
    for (const node of sandbox.layout.nodes) await echoServerIn(node.netns, node.address, port);
  });
  afterAll(async () => {
    if (!sandbox) return;
    await killProcessesInside(sandbox);
    await sandbox.destroy();
  });

  it('every node reaches every other, the hub reaches all, the host reaches none', async () => {
    const [n1, n2, n3] = sandbox.layout.nodes;
    expect(await probe(n1!.netns, n2!.address, port)).toBe('ok');
    expect(await probe(n3!.netns, n1!.address, port)).toBe('ok');
    expect(await probe(sandbox.layout.hub, n3!.address, port)).toBe('ok');
    // The machine's own network never sees the sandbox.
    expect(await probe(null, n1!.address, port, 1000)).toBe('unreachable');
  });

  it('isolating a node cuts it from its peers only; healing restores every link', async () => {
    const [n1, n2, n3] = sandbox.layout.nodes;
    const partitioner = new IptablesPartitioner(sandbox);
    await partitioner.apply(isolateNode([1, 2, 3], 2));
    expect(await partitioner.rulesOf(2)).toEqual([`-A KZ-PARTITION -s ${n1!.address}/32 -j DROP`, `-A KZ-PARTITION -s ${n3!.address}/32 -j DROP`]);
    expect(await probe(n1!.netns, n2!.address, port)).toBe('unreachable');
    expect(await probe(n2!.netns, n3!.address, port)).toBe('unreachable');
    expect(await probe(n1!.netns, n3!.address, port)).toBe('ok');
    // Clients in the hub are never cut off, as Jepsen's control node is not.
    expect(await probe(sandbox.layout.hub, n2!.address, port)).toBe('ok');
    await partitioner.heal();
    expect(await partitioner.rulesOf(2)).toEqual([]);
    expect(await probe(n1!.netns, n2!.address, port)).toBe('ok');
  });

  it('namespaces of a dead owner are swept, a live owner keeps its own', async () => {
    execFileSync('ip', ['netns', 'add', 'kzb999999-beef-hub']);
    const removed = await sweepStaleSandboxes();
    expect(removed).toContain('kzb999999-beef-hub');
    const left = await listSandboxNamespaces();
    expect(left).not.toContain('kzb999999-beef-hub');
    for (const node of sandbox.layout.nodes) expect(left).toContain(node.netns);
  });

  it('destroy stops nothing by itself but leaves no namespace; killProcessesInside stops what ran inside', async () => {
    const extra = await NetworkSandbox.create({ nodeIds: [1] });
    const server = await echoServerIn(extra.layout.nodes[0]!.netns, extra.layout.nodes[0]!.address, port);
    const exited = once(server, 'exit');
    const killed = await killProcessesInside(extra);
    expect(killed).toContain(server.pid);
    await exited;
    await extra.destroy();
    const left = await listSandboxNamespaces();
    expect(left.some((n) => n.startsWith(extra.layout.name))).toBe(false);
  });
});

describe.skipIf(unavailable !== null)('a run inside the sandbox (transparent fault proxies)', { timeout: 120_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kz-sandbox-run-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('clients in the hub reach nodes through the proxies, toxics act on them, and everything is undone', async () => {
    const out = join(dir, 'result.json');
    const script = fileURLToPath(new URL('./support/hub-proxy-check.ts', import.meta.url));
    const code = await runInNetworkSandbox({ nodeIds: [1, 2], command: process.execPath, args: ['--import', 'tsx', script, out], env: { ...process.env } });
    expect(code).toBe(0);
    const result = JSON.parse(await readFile(out, 'utf8')) as Record<string, unknown>;
    expect(result).toEqual({
      plainEcho: 'hello',
      heldWhileStalled: true,
      releasedAfterHeal: 'held',
      upstreamBytesThroughProxy: 9,
      natRulesAfterClose: 0,
    });
    expect((await listSandboxNamespaces()).filter((n) => n.startsWith(`kzb${process.pid}-`))).toEqual([]);
  });
});
