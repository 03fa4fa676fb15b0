import { spawn } from 'node:child_process';
import { basename } from 'node:path';
import { UsageError } from '../../common/errors.js';
import type { ApacheDistribution } from './apache-distribution.js';
import type { ApacheSystem } from './apache-versions.js';
import { classEntryName, jarEntries } from './jar-entries.js';
import { javaCommand, type CommandLine } from './java-command.js';
import { collectOutput, type ProcessOutput } from './process-output.js';

/**
 * Apache command-line tools by the name of the script that runs them in a release tarball.
 * Classes moved between releases (Scala `kafka.*` to Java `org.apache.kafka.tools.*`), so each
 * lists its candidates and the first one the distribution's jars contain wins.
 */
export const apacheTools = {
  'zookeeper-shell': { system: 'zookeeper', classes: ['org.apache.zookeeper.ZooKeeperMain'] },
  'kafka-topics': { system: 'kafka', classes: ['org.apache.kafka.tools.TopicCommand', 'kafka.admin.TopicCommand'] },
  'kafka-console-producer': { system: 'kafka', classes: ['org.apache.kafka.tools.ConsoleProducer', 'kafka.tools.ConsoleProducer'] },
  'kafka-console-consumer': {
    system: 'kafka',
    classes: ['org.apache.kafka.tools.consumer.ConsoleConsumer', 'kafka.tools.ConsoleConsumer'],
  },
  'kafka-producer-perf-test': { system: 'kafka', classes: ['org.apache.kafka.tools.ProducerPerformance'] },
  'kafka-consumer-perf-test': { system: 'kafka', classes: ['org.apache.kafka.tools.ConsumerPerformance', 'kafka.tools.ConsumerPerformance'] },
  'kafka-consumer-groups': {
    system: 'kafka',
    classes: ['org.apache.kafka.tools.consumer.group.ConsumerGroupCommand', 'kafka.admin.ConsumerGroupCommand'],
  },
  'kafka-storage': { system: 'kafka', classes: ['kafka.tools.StorageTool'] },
} as const satisfies Record<string, { system: ApacheSystem; classes: readonly string[] }>;

export type ApacheToolName = keyof typeof apacheTools;

/** Jar path → its entries; jars in the cache never change under a path. */
const entryCache = new Map<string, Promise<Set<string>>>();

function entriesOf(jar: string): Promise<Set<string>> {
  let entries = entryCache.get(jar);
  if (!entries) {
    entries = jarEntries(jar).then((names) => new Set(names));
    entryCache.set(jar, entries);
  }
  return entries;
}

/** True when one of the distribution's own jars (not a dependency's) holds `className`. */
export async function distributionHasClass(dist: ApacheDistribution, className: string): Promise<boolean> {
  const entry = classEntryName(className);
  const own = dist.jars.filter((j) => basename(j).startsWith(dist.system));
  for (const jar of own) {
    if ((await entriesOf(jar)).has(entry)) return true;
  }
  return false;
}

export async function toolMainClass(dist: ApacheDistribution, tool: ApacheToolName): Promise<string> {
  const spec = apacheTools[tool];
  if (spec.system !== dist.system) {
    throw new UsageError('KZ_APACHE_TOOL_INVALID', `${tool} is a ${spec.system} tool, not one of Apache ${dist.system}`);
  }
  for (const cls of spec.classes) {
    if (await distributionHasClass(dist, cls)) return cls;
  }
  throw new UsageError('KZ_APACHE_TOOL_MISSING', `Apache ${dist.system} ${dist.version} has none of ${spec.classes.join(', ')} (${tool})`);
}

export interface ToolRunOptions {
  /** Written to the tool's stdin, which is then closed (console producer input). */
  input?: string;
  /** The tool is killed (SIGKILL) after this long; the result then has code null. */
  timeoutMs?: number;
  jvmFlags?: string[];
  env?: NodeJS.ProcessEnv;
}

export type ToolResult = ProcessOutput;

/** The command line running an Apache tool (or any class of the distribution) with `args`. */
export async function apacheToolCommand(
  dist: ApacheDistribution,
  tool: ApacheToolName | { mainClass: string },
  args: string[],
  opts: Pick<ToolRunOptions, 'jvmFlags' | 'env'> = {},
): Promise<CommandLine> {
  const mainClass = typeof tool === 'string' ? await toolMainClass(dist, tool) : tool.mainClass;
  return javaCommand({
    distribution: dist,
    mainClass,
    args,
    purpose: 'tool',
    heap: ['-Xmx512m'],
    jvmFlags: opts.jvmFlags,
    env: opts.env,
  });
}

/** Runs an Apache tool to completion and collects its output (logs go to stderr at WARN). */
export async function runApacheTool(
  dist: ApacheDistribution,
  tool: ApacheToolName | { mainClass: string },
  args: string[],
  opts: ToolRunOptions = {},
): Promise<ToolResult> {
  const cmd = await apacheToolCommand(dist, tool, args, opts);
  const child = spawn(cmd.command, cmd.args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
  const output = collectOutput(child, opts.timeoutMs ?? 120_000);
  child.stdin.on('error', () => {}); // a tool that exits before reading all input
  child.stdin.end(opts.input ?? '');
  return output;
}
