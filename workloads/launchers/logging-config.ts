import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The slf4j backend a distribution's classpath carries; each is configured its own way. */
export type LoggingBackend = 'logback' | 'log4j1' | 'log4j2' | 'slf4j-simple';

/**
 * `server`: INFO to stdout, which the launcher sends to the node's log file.
 * `tool`: WARN to stderr, so a tool's stdout carries only its data (as the tarballs'
 * tools-log4j.properties does).
 */
export type LoggingPurpose = 'server' | 'tool';

const pattern = '[%d] %p %m (%c)%n';

function configText(backend: Exclude<LoggingBackend, 'slf4j-simple'>, purpose: LoggingPurpose): string {
  const level = purpose === 'server' ? 'INFO' : 'WARN';
  const stream = purpose === 'server' ? 'out' : 'err';
  switch (backend) {
    case 'logback':
      return `<configuration>
  <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
    <target>System.${stream}</target>
    <encoder><pattern>%d{ISO8601} [myid:%X{myid}] - %-5level [%thread:%logger{1}@%L] - %msg%n</pattern></encoder>
  </appender>
  <root level="${level}"><appender-ref ref="CONSOLE"/></root>
</configuration>
`;
    case 'log4j1':
      return `log4j.rootLogger=${level}, console
log4j.appender.console=org.apache.log4j.ConsoleAppender
log4j.appender.console.Target=System.${stream}
log4j.appender.console.layout=org.apache.log4j.PatternLayout
log4j.appender.console.layout.ConversionPattern=${pattern}
`;
    case 'log4j2':
      return `status = warn
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_${stream.toUpperCase()}
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = ${pattern}
rootLogger.level = ${level}
rootLogger.appenderRef.console.ref = console
`;
  }
}

const fileNames: Record<Exclude<LoggingBackend, 'slf4j-simple'>, (p: LoggingPurpose) => string> = {
  logback: (p) => `logback-${p}.xml`,
  log4j1: (p) => `log4j-${p}.properties`,
  log4j2: (p) => `log4j2-${p}.properties`,
};

async function writeIfChanged(file: string, text: string): Promise<void> {
  const current = await readFile(file, 'utf8').catch(() => null);
  if (current !== text) await writeFile(file, text);
}

/** The `-D` flags that point a JVM's logging backend at a config for `purpose`, written under `confDir`. */
export async function loggingFlags(backend: LoggingBackend, purpose: LoggingPurpose, confDir: string): Promise<string[]> {
  if (backend === 'slf4j-simple') {
    return [
      `-Dorg.slf4j.simpleLogger.logFile=System.${purpose === 'server' ? 'out' : 'err'}`,
      `-Dorg.slf4j.simpleLogger.defaultLogLevel=${purpose === 'server' ? 'info' : 'warn'}`,
      '-Dorg.slf4j.simpleLogger.showDateTime=true',
    ];
  }
  await mkdir(confDir, { recursive: true });
  const file = join(confDir, fileNames[backend](purpose));
  await writeIfChanged(file, configText(backend, purpose));
  switch (backend) {
    case 'logback':
      return [`-Dlogback.configurationFile=${file}`];
    case 'log4j1':
      return [`-Dlog4j.configuration=file:${file}`];
    case 'log4j2':
      return [`-Dlog4j2.configurationFile=${file}`];
  }
}

/** Which backend a set of jar file names carries. */
export function detectLoggingBackend(jarNames: string[]): LoggingBackend {
  const has = (prefix: string) => jarNames.some((n) => n.startsWith(prefix));
  if (has('logback-classic')) return 'logback';
  if (has('log4j-core')) return 'log4j2';
  if (has('slf4j-reload4j') || has('slf4j-log4j12')) return 'log4j1';
  return 'slf4j-simple';
}
