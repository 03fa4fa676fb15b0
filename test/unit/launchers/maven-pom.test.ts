import { describe, expect, it } from 'vitest';
import { mavenPom } from '../../../workloads/launchers/maven-pom.js';

const has = (pom: string, group: string, artifact: string) => pom.includes(`<groupId>${group}</groupId><artifactId>${artifact}</artifactId>`);

describe('the pom apache fetch writes', () => {
  it('ZooKeeper 3.9: imports the parent for versions and adds logback, the CLI and AdminServer jars', () => {
    const pom = mavenPom('zookeeper', '3.9.5');
    expect(pom).toMatch(/<artifactId>parent<\/artifactId><version>3\.9\.5<\/version><type>pom<\/type><scope>import<\/scope>/);
    for (const [g, a] of [
      ['org.apache.zookeeper', 'zookeeper'],
      ['ch.qos.logback', 'logback-classic'],
      ['commons-cli', 'commons-cli'],
      ['org.jline', 'jline'],
      ['io.dropwizard.metrics', 'metrics-core'],
      ['org.eclipse.jetty', 'jetty-server'],
    ] as const) {
      expect(has(pom, g, a), `${g}:${a}`).toBe(true);
    }
  });

  it('ZooKeeper 3.8 uses jline 2 (jline:jline)', () => {
    const pom = mavenPom('zookeeper', '3.8.4');
    expect(has(pom, 'jline', 'jline')).toBe(true);
    expect(has(pom, 'org.jline', 'jline')).toBe(false);
  });

  it('Kafka 3.x: server, tools and reload4j as the tarball ships', () => {
    const pom = mavenPom('kafka', '3.9.2');
    expect(pom).toContain('<artifactId>kafka_2.13</artifactId><version>3.9.2</version>');
    expect(pom).toContain('<artifactId>kafka-tools</artifactId><version>3.9.2</version>');
    expect(has(pom, 'ch.qos.reload4j', 'reload4j')).toBe(true);
    expect(has(pom, 'org.slf4j', 'slf4j-reload4j')).toBe(true);
    expect(pom).not.toContain('log4j-core');
  });

  it('Kafka 4.x: Log4j 2 with its slf4j binding instead', () => {
    const pom = mavenPom('kafka', '4.3.1');
    expect(has(pom, 'org.apache.logging.log4j', 'log4j-core')).toBe(true);
    expect(has(pom, 'org.apache.logging.log4j', 'log4j-slf4j-impl')).toBe(true);
    expect(pom).not.toContain('reload4j');
  });
});
