import { spawnSync } from 'node:child_process';
import { cpus, hostname, loadavg, platform, release, arch, totalmem, type } from 'node:os';
import type { Environment, ImplementationVersion } from '../../reports/results-schema.js';

export interface EnvironmentOptions {
  /** What was measured, with versions (`reference 0.1.0`, `apache 3.9.3`). */
  implementations: ImplementationVersion[];
  /** Ask `java -version` (set when a JVM took part). */
  java?: boolean;
  /** kzbench's own version. */
  kzbench?: string;
  /** Load averages sampled before the run put its own load on the machine (default: now). */
  loadAverage?: number[];
}

/** The machine and software the numbers were measured on, for results.json. */
export function collectEnvironment(opts: EnvironmentOptions): Environment {
  const cpuList = cpus();
  const speed = cpuList[0]?.speed;
  return {
    hostname: hostname(),
    cpu: {
      model: cpuList[0]?.model.trim() || 'unknown',
      count: cpuList.length,
      ...(speed ? { speedMHz: speed } : {}),
    },
    memoryBytes: totalmem(),
    os: { platform: platform(), release: release(), arch: arch(), type: type() },
    node: process.version,
    java: opts.java ? javaVersion() : null,
    ...(opts.kzbench ? { kzbench: opts.kzbench } : {}),
    implementations: opts.implementations,
    loadAverage: opts.loadAverage ?? loadavg(),
  };
}

/** First line of `java -version` (printed on stderr), or a note that no JVM was found. */
export function javaVersion(javaBin = process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : 'java'): string {
  const res = spawnSync(javaBin, ['-version'], { encoding: 'utf8', timeout: 15_000 });
  if (res.error || res.status !== 0) return 'not found';
  const line = `${res.stderr}${res.stdout}`.split('\n').find((l) => l.trim().length > 0);
  return line?.trim() ?? 'unknown';
}
