import type { ApacheSystem } from './apache-versions.js';
import { versionLine } from './apache-versions.js';

/**
 * The throwaway pom that `mvn dependency:copy-dependencies` resolves for one Apache system and
 * version. The runtime classpath it yields matches what the release tarballs put in `lib/`:
 * the server, its CLI tools and a logging backend (which the published poms leave out).
 */

interface Dependency {
  groupId: string;
  artifactId: string;
  version?: string;
  type?: string;
  scope?: string;
}

/** Pinned so resolution does not depend on Maven's built-in default plugin version. */
export const dependencyPluginVersion = '3.6.1';

/** Kafka 3.x tarballs ship reload4j and its slf4j 1.7 binding (build.gradle copyDependantLibs). */
const reload4j: Dependency[] = [
  { groupId: 'ch.qos.reload4j', artifactId: 'reload4j', version: '1.2.25' },
  { groupId: 'org.slf4j', artifactId: 'slf4j-reload4j', version: '1.7.36' },
];

/** Kafka 4.x logs through Log4j 2 (KIP-653); its slf4j is 1.7, hence log4j-slf4j-impl. */
const log4j2Version = '2.24.3';
const log4j2: Dependency[] = [
  { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-api', version: log4j2Version },
  { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-core', version: log4j2Version },
  { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-slf4j-impl', version: log4j2Version },
];

function zookeeperDependencies(version: string): { managed: Dependency[]; deps: Dependency[] } {
  const [major, minor] = versionLine(version);
  // ZooKeeper's parent pom pins every optional dependency; importing it keeps versions in step.
  const managed: Dependency[] = [{ groupId: 'org.apache.zookeeper', artifactId: 'parent', version, type: 'pom', scope: 'import' }];
  const jline = major > 3 || (major === 3 && minor >= 9) ? { groupId: 'org.jline', artifactId: 'jline' } : { groupId: 'jline', artifactId: 'jline' };
  const deps: Dependency[] = [
    { groupId: 'org.apache.zookeeper', artifactId: 'zookeeper', version },
    { groupId: 'ch.qos.logback', artifactId: 'logback-classic' },
    // "provided" in ZooKeeper's pom but shipped in the tarball: the CLI (commons-cli, jline),
    // latency metrics (metrics-core), snapshot compression (snappy) and the AdminServer (Jetty).
    { groupId: 'commons-cli', artifactId: 'commons-cli' },
    jline,
    { groupId: 'io.dropwizard.metrics', artifactId: 'metrics-core' },
    { groupId: 'org.xerial.snappy', artifactId: 'snappy-java' },
    { groupId: 'org.eclipse.jetty', artifactId: 'jetty-server' },
    { groupId: 'org.eclipse.jetty', artifactId: 'jetty-servlet' },
    { groupId: 'com.fasterxml.jackson.core', artifactId: 'jackson-databind' },
  ];
  return { managed, deps };
}

function kafkaDependencies(version: string): { managed: Dependency[]; deps: Dependency[] } {
  const [major] = versionLine(version);
  const deps: Dependency[] = [
    { groupId: 'org.apache.kafka', artifactId: 'kafka_2.13', version },
    // TopicCommand, console producer/consumer, perf tests, consumer-groups.
    { groupId: 'org.apache.kafka', artifactId: 'kafka-tools', version },
    ...(major >= 4 ? log4j2 : reload4j),
  ];
  return { managed: [], deps };
}

function dependencyXml(d: Dependency, indent: string): string {
  const fields = [
    `<groupId>${d.groupId}</groupId>`,
    `<artifactId>${d.artifactId}</artifactId>`,
    d.version ? `<version>${d.version}</version>` : '',
    d.type ? `<type>${d.type}</type>` : '',
    d.scope ? `<scope>${d.scope}</scope>` : '',
  ].filter(Boolean);
  return `${indent}<dependency>${fields.join('')}</dependency>`;
}

export function mavenPom(system: ApacheSystem, version: string): string {
  const { managed, deps } = system === 'zookeeper' ? zookeeperDependencies(version) : kafkaDependencies(version);
  const managedXml = managed.length
    ? `  <dependencyManagement>\n    <dependencies>\n${managed.map((d) => dependencyXml(d, '      ')).join('\n')}\n    </dependencies>\n  </dependencyManagement>\n`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by kzbench apache fetch: the runtime classpath of Apache ${system} ${version}. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>kzbench.apache</groupId>
  <artifactId>${system}</artifactId>
  <version>${version}</version>
  <packaging>pom</packaging>
${managedXml}  <dependencies>
${deps.map((d) => dependencyXml(d, '    ')).join('\n')}
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>${dependencyPluginVersion}</version>
      </plugin>
    </plugins>
  </build>
</project>
`;
}
