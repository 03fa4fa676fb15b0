import { describe, expect, it } from 'vitest';
import { parseImpls, parseSuites } from '../../../workloads/bench/bench-options.js';
import { kafkaHotpath } from '../../../workloads/kafka/kafka-hotpath.js';
import { checkFaultOptions, registeredWorkloads, workloadNamed } from '../../../workloads/registry.js';
import { parseParamAssignments, WorkloadParams } from '../../../workloads/workload-params.js';
import { zkHotpath } from '../../../workloads/zookeeper/zk-hotpath.js';

const base = { clients: 1, inFlight: 8, rate: null, nemesis: [], injectBug: null };

describe('workload parameters (--set name=value)', () => {
  const declared = [
    { name: 'size', description: '', default: '100' },
    { name: 'mode', description: '', default: 'a' },
    { name: 'ops', description: '', default: 'x,y' },
    { name: 'on', description: '', default: 'false' },
  ];

  it('parse name=value pairs, the last one winning, and refuse anything without a name', () => {
    expect(parseParamAssignments(['a=1', 'b = x=y', 'a=2'])).toEqual({ a: '2', b: 'x=y' });
    expect(() => parseParamAssignments(['=1'])).toThrow(/name=value/);
    expect(() => parseParamAssignments(['flag'])).toThrow(/name=value/);
  });

  it('give typed values with defaults, and name the parameter and what was expected when a value is bad', () => {
    const p = new WorkloadParams('w', declared, { size: '256', ops: 'y, x, y', on: 'yes' });
    expect(p.int('size', 0, 1000)).toBe(256);
    expect(p.oneOf('mode', ['a', 'b'])).toBe('a');
    expect(p.listOf('ops', ['x', 'y'])).toEqual(['y', 'x']);
    expect(p.bool('on')).toBe(true);
    expect(p.resolved()).toEqual({ size: '256', mode: 'a', ops: 'y, x, y', on: 'yes' });
    expect(() => new WorkloadParams('w', declared, { size: '1.5' }).int('size', 0)).toThrow("workload 'w': --set size=1.5 is not valid; expected a whole number from 0");
    expect(() => new WorkloadParams('w', declared, { size: '5000' }).int('size', 0, 1000)).toThrow(/from 0 to 1000/);
    expect(() => new WorkloadParams('w', declared, { mode: 'c' }).oneOf('mode', ['a', 'b'])).toThrow(/one of a, b/);
    expect(() => new WorkloadParams('w', declared, { ops: 'x,z' }).listOf('ops', ['x', 'y'])).toThrow(/comma-separated list of x, y/);
    expect(() => new WorkloadParams('w', declared, { on: 'maybe' }).bool('on')).toThrow(/true or false/);
  });

  it('refuse an undeclared name, listing the declared ones', () => {
    expect(() => new WorkloadParams('w', declared, { sise: '1' })).toThrow("workload 'w' has no parameter 'sise'; it takes: size, mode, ops, on");
  });
});

describe('the workload registry', () => {
  it('finds registered workloads by name and tells planned ones from typos', () => {
    expect(workloadNamed('zk-hotpath')).toBe(zkHotpath);
    expect(workloadNamed('kafka-hotpath')).toBe(kafkaHotpath);
    expect(() => workloadNamed('zk-hot')).toThrow(/unknown workload 'zk-hot'/);
    const names = registeredWorkloads.map((w) => w.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('refuses --nemesis and --inject-bug on workloads that cannot honour them', () => {
    expect(() => checkFaultOptions(zkHotpath, ['kill'], null)).toThrow(/does not support --nemesis kill/);
    expect(() => checkFaultOptions(kafkaHotpath, [], 'lost-ack')).toThrow(/does not support --inject-bug lost-ack/);
    expect(() => checkFaultOptions(zkHotpath, [], null)).not.toThrow();
  });
});

describe('hot-path workload configuration', () => {
  it('zk-hotpath records its settings and refuses a bad op', () => {
    const c = zkHotpath.configure({ ...base, params: { ops: 'getData', 'value-size': '1024', client: 'node-zookeeper-client' } });
    expect(c.client).toBe('node-zookeeper-client');
    expect(c.settings).toMatchObject({ valueBytes: 1024, sessions: 1 });
    expect(c.extra).toMatchObject({ ops: 'getData', keys: 1000 });
    expect(c.checked).toBe(false);
    expect(() => zkHotpath.configure({ ...base, params: { ops: 'delete' } })).toThrow(/--set ops=delete is not valid/);
  });

  it('kafka-hotpath turns batching off into one record per request, and refuses impossible combinations', () => {
    const off = kafkaHotpath.configure({ ...base, params: { batching: 'off', acks: '1' } });
    expect(off.settings).toMatchObject({ acks: '1', batching: 'off: one record per Produce request', recordBytes: 100 });
    const on = kafkaHotpath.configure({ ...base, params: { 'linger-ms': '20' } });
    expect(on.settings).toMatchObject({ acks: 'all', batching: 'linger.ms=20, batch.size=65536' });
    expect(() => kafkaHotpath.configure({ ...base, params: { fetch: 'true', acks: '0' } })).toThrow(/fetch=true needs acks=1 or all/);
    expect(() => kafkaHotpath.configure({ ...base, params: { client: 'kafkajs', compression: 'zstd' } })).toThrow(/kafkajs ships only gzip/);
  });
});

describe('bench options', () => {
  it('--suite defaults to zookeeper,kafka, takes lists and all, and refuses unknown names', () => {
    expect(parseSuites(undefined)).toEqual(['zookeeper', 'kafka']);
    expect(parseSuites('micro,zookeeper')).toEqual(['zookeeper', 'micro']);
    expect(parseSuites('all')).toEqual(['zookeeper', 'kafka', 'micro', 'admin', 'checkers']);
    expect(() => parseSuites('zookeeper,speed')).toThrow(/unknown --suite speed/);
  });

  it('--impl defaults to both; apache:V pins every Apache system unless one is pinned on its own', () => {
    expect(parseImpls(undefined, {})).toEqual({ reference: true, apache: true, apacheVersions: {} });
    expect(parseImpls('reference', {})).toMatchObject({ reference: true, apache: false });
    expect(parseImpls('apache:3.9', { kafka: '4' }).apacheVersions).toEqual({ zookeeper: '3.9', kafka: '4' });
    expect(() => parseImpls('mysql', {})).toThrow(/--impl must be/);
  });
});
