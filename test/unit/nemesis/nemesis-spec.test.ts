import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/logger.js';
import { zookeeperInjectableBugs } from '../../../servers/zookeeper/fault-injection.js';
import { kafkaInjectableBugs } from '../../../servers/kafka/fault-injection.js';
import { injectableBugs } from '../../../workloads/nemesis/injectable-bugs.js';
import { describeFaultSpec, needsNetworkSandbox, parseFaultSpecs } from '../../../workloads/nemesis/nemesis-spec.js';
import { RunFaults, type RunFaultsRequest } from '../../../workloads/nemesis/run-faults.js';
import { sandboxEnvVar } from '../../../workloads/nemesis/network-sandbox.js';

describe('--nemesis specs', () => {
  it('parses kinds with options and fills Jepsen-like defaults', () => {
    const specs = parseFaultSpecs(['kill', 'pause:leader', 'partition:isolate-leader+random-halves', 'packet:latency+all', 'clock:5000', 'disk']);
    expect(specs.map(describeFaultSpec)).toEqual([
      'kill:one+leader+majority',
      'pause:leader',
      'partition:isolate-leader+random-halves',
      'packet:latency+all',
      'clock:5000',
      'disk',
    ]);
    expect(needsNetworkSandbox(specs)).toBe(true);
    expect(needsNetworkSandbox(parseFaultSpecs(['kill', 'pause']))).toBe(false);
  });

  it('rejects unknown faults, options and duplicates with the choices', () => {
    expect(() => parseFaultSpecs(['explode'])).toThrow(/choose from kill, pause, partition/);
    expect(() => parseFaultSpecs(['kill:everyone'])).toThrow(/one, minority, majority, all, leader/);
    expect(() => parseFaultSpecs(['partition:halves'])).toThrow(/random-halves/);
    expect(() => parseFaultSpecs(['packet:warp'])).toThrow(/latency, loss/);
    expect(() => parseFaultSpecs(['clock:-4'])).toThrow(/whole number of ms/);
    expect(() => parseFaultSpecs(['kill', 'kill:leader'])).toThrow(/twice/);
  });
});

describe('fault planning for a run', () => {
  const base: RunFaultsRequest = {
    nemesis: [],
    injectBug: null,
    system: 'zookeeper',
    impl: 'apache',
    nodes: 3,
    settings: { intervalSeconds: 5, recoveryTimeoutSeconds: 60, seed: 1 },
    log: silentLogger,
  };

  it('bugs only for reference targets, and only bugs that server has', () => {
    expect(() => RunFaults.plan({ ...base, injectBug: 'stale-read' })).toThrow(/--target reference/);
    expect(() => RunFaults.plan({ ...base, impl: 'reference', injectBug: 'dup-append' })).toThrow(/stale-read, lost-ack, skip-fsync/);
    const planned = RunFaults.plan({ ...base, impl: 'reference', injectBug: 'lost-ack', nodes: 1 });
    const hooks = planned.clusterHooks();
    const cmd = hooks.wrapNodeCommand!(1, { command: 'node', args: ['serve'], cwd: '/', logFile: '/x', marker: 'm' });
    expect(cmd.env).toEqual({ KZBENCH_INJECT_BUG: 'lost-ack' });
    expect(cmd.command).toBe('node');
  });

  it('the disk fault needs a reference server (ZooKeeper or Kafka) and switches its durability journal on', () => {
    expect(() => RunFaults.plan({ ...base, nemesis: ['disk'] })).toThrow(/reference ZooKeeper/);
    expect(() => RunFaults.plan({ ...base, system: 'kafka', nemesis: ['disk'] })).toThrow(/reference Kafka broker/);
    for (const system of ['zookeeper', 'kafka'] as const) {
      const hooks = RunFaults.plan({ ...base, system, impl: 'reference', nodes: 1, nemesis: ['disk'] }).clusterHooks();
      expect(hooks.wrapNodeCommand!(1, { command: 'node', args: [], cwd: '/', logFile: '/x', marker: 'm' }).env).toEqual({ KZBENCH_DURABILITY_JOURNAL: '1' });
    }
    const withBug = RunFaults.plan({ ...base, system: 'kafka', impl: 'reference', nodes: 1, nemesis: ['disk'], injectBug: 'skip-fsync' }).clusterHooks();
    expect(withBug.wrapNodeCommand!(1, { command: 'node', args: [], cwd: '/', logFile: '/x', marker: 'm' }).env).toEqual({ KZBENCH_DURABILITY_JOURNAL: '1', KZBENCH_INJECT_BUG: 'skip-fsync' });
  });

  it('faults need a cluster the run starts; partitions need two nodes and a sandbox', () => {
    expect(() => RunFaults.plan({ ...base, impl: null, nemesis: ['kill'] })).toThrow(/cluster this run starts/);
    expect(() => RunFaults.plan({ ...base, nodes: 1, nemesis: ['partition'] })).toThrow(/at least 2 nodes/);
    expect(() => RunFaults.plan({ ...base, nemesis: ['partition'] }, {})).toThrow(/network sandbox/);
  });

  it('inside a sandbox, nodes get its addresses and run in their namespaces', () => {
    const layout = {
      name: 'kzb1-abcd',
      hub: 'kzb1-abcd-hub',
      hubAddress: '10.211.0.254',
      proxySourceAddress: '10.211.0.253',
      prefixLength: 24,
      nodes: [1, 2, 3].map((id) => ({ id, netns: `kzb1-abcd-n${id}`, address: `10.211.0.${id}` })),
    };
    const planned = RunFaults.plan({ ...base, nemesis: ['partition', 'kill'] }, { [sandboxEnvVar]: JSON.stringify(layout) });
    const hooks = planned.clusterHooks();
    expect(hooks.nodeHosts).toEqual(['10.211.0.1', '10.211.0.2', '10.211.0.3']);
    const cmd = hooks.wrapNodeCommand!(2, { command: 'java', args: ['-cp', 'x', 'Main'], cwd: '/', logFile: '/x', marker: 'm' });
    expect([cmd.command, ...cmd.args]).toEqual(['ip', 'netns', 'exec', 'kzb1-abcd-n2', 'java', '-cp', 'x', 'Main']);
    expect(planned.described).toEqual(['partition:random-halves+isolate-one+isolate-leader', 'kill:one+leader+majority']);
  });

  it('clock skew: refused for Apache Kafka only; the reference servers get an offset file, Apache ZooKeeper libfaketime', async () => {
    expect(() => RunFaults.plan({ ...base, system: 'kafka', impl: 'apache', nemesis: ['clock'] })).toThrow(/needs the reference broker/);
    expect(RunFaults.plan({ ...base, system: 'kafka', impl: 'reference', nodes: 1, nemesis: ['clock'] }).described).toEqual(['clock:30000']);
    const { mkdtemp, readFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'kz-clock-plan-'));
    try {
      const hooks = RunFaults.plan({ ...base, impl: 'reference', nodes: 1, nemesis: ['clock:5000'] }).clusterHooks();
      const cmd = hooks.wrapNodeCommand!(1, { command: 'node', args: [], cwd: dir, logFile: '/x', marker: 'm' });
      expect(cmd.env).toEqual({ KZBENCH_CLOCK_OFFSET_FILE: join(dir, 'kzbench-clock-offset') });
      expect(await readFile(join(dir, 'kzbench-clock-offset'), 'utf8')).toBe('+0s\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the bug lists agree with the reference servers', () => {
    expect([...injectableBugs.zookeeper]).toEqual([...zookeeperInjectableBugs]);
    expect([...injectableBugs.kafka]).toEqual([...kafkaInjectableBugs]);
  });
});
