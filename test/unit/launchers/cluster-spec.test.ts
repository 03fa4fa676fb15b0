import { describe, expect, it } from 'vitest';
import { parseImpl, parseLauncher, parseNodeCount, parseSystem } from '../../../workloads/launchers/cluster-spec.js';
import { detectLoggingBackend } from '../../../workloads/launchers/logging-config.js';

describe('cluster up arguments', () => {
  it('parses --impl', () => {
    expect(parseImpl('apache')).toEqual({ impl: 'apache' });
    expect(parseImpl('apache:3.9.2')).toEqual({ impl: 'apache', version: '3.9.2' });
    expect(parseImpl('apache:debian')).toEqual({ impl: 'apache', version: 'debian' });
    expect(parseImpl('reference')).toEqual({ impl: 'reference' });
    for (const bad of ['reference:1', 'apache:1:2', 'redpanda', '']) {
      expect(() => parseImpl(bad), bad).toThrow(expect.objectContaining({ code: 'KZ_IMPL_INVALID', exitCode: 2 }));
    }
  });

  it('parses the system, node count and launcher', () => {
    expect(parseSystem('kafka')).toBe('kafka');
    expect(() => parseSystem('etcd')).toThrow(/zookeeper' or 'kafka/);
    expect(parseNodeCount('3')).toBe(3);
    for (const bad of ['0', '-1', '2.5', 'x', '10']) expect(() => parseNodeCount(bad), bad).toThrow(/--nodes/);
    expect(parseLauncher('compose')).toBe('compose');
    expect(() => parseLauncher('k8s')).toThrow(/--launcher/);
  });
});

describe('logging backend detection', () => {
  it('recognises each backend from jar names', () => {
    expect(detectLoggingBackend(['zookeeper-3.9.5.jar', 'logback-classic-1.3.15.jar'])).toBe('logback');
    expect(detectLoggingBackend(['kafka_2.13-4.3.1.jar', 'log4j-core-2.24.3.jar'])).toBe('log4j2');
    expect(detectLoggingBackend(['kafka_2.13-3.9.2.jar', 'slf4j-reload4j-1.7.36.jar'])).toBe('log4j1');
    expect(detectLoggingBackend(['zookeeper.jar', 'slf4j-simple.jar'])).toBe('slf4j-simple');
  });
});
