import type { ApacheDistribution } from './apache-distribution.js';
import { loggingFlags, type LoggingPurpose } from './logging-config.js';
import { requireJava } from './prerequisites.js';

export interface JavaCommandSpec {
  distribution: ApacheDistribution;
  mainClass: string;
  args?: string[];
  purpose: LoggingPurpose;
  /** e.g. `['-Xms256m', '-Xmx512m']`; JVM defaults (a quarter of RAM) are far too big here. */
  heap?: string[];
  /** Further JVM flags (GC, `-D` system properties). */
  jvmFlags?: string[];
  env?: NodeJS.ProcessEnv;
}

export interface CommandLine {
  command: string;
  args: string[];
}

/** The `java ... -cp <classpath> <main> <args>` command line for a class of a distribution. */
export async function javaCommand(spec: JavaCommandSpec): Promise<CommandLine> {
  const java = requireJava(spec.env);
  const logging = await loggingFlags(spec.distribution.logging, spec.purpose, spec.distribution.confDir);
  return {
    command: java,
    args: [
      ...(spec.heap ?? []),
      '-Djava.awt.headless=true',
      ...logging,
      ...(spec.jvmFlags ?? []),
      '-cp',
      spec.distribution.classpath,
      spec.mainClass,
      ...(spec.args ?? []),
    ],
  };
}
