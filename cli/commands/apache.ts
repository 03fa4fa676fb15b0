import { dirname } from 'node:path';
import type { CommandContext } from '../command-context.js';
import { provisionApache, type ProvisionResult } from '../../workloads/launchers/apache-distribution.js';
import { allPinnedVersions, type ApacheSystem } from '../../workloads/launchers/apache-versions.js';

interface FetchOptions {
  zookeeper?: string;
  kafka?: string;
  json?: boolean;
}

/** `3.9,4` → both; an empty value (`--zookeeper ''`) means the default version. */
function splitList(value: string | undefined): string[] {
  if (value === undefined) return [];
  const items = value.split(',').map((v) => v.trim()).filter(Boolean);
  return items.length > 0 ? items : [''];
}

/** What to fetch: the named versions, or with no flag every pinned line of both systems. */
function requestedVersions(opts: FetchOptions): Array<[ApacheSystem, string]> {
  if (opts.zookeeper === undefined && opts.kafka === undefined) {
    return [
      ...allPinnedVersions('zookeeper').map((v): [ApacheSystem, string] => ['zookeeper', v]),
      ...allPinnedVersions('kafka').map((v): [ApacheSystem, string] => ['kafka', v]),
    ];
  }
  return [
    ...splitList(opts.zookeeper).map((v): [ApacheSystem, string] => ['zookeeper', v]),
    ...splitList(opts.kafka).map((v): [ApacheSystem, string] => ['kafka', v]),
  ];
}

export function registerApache({ program, log }: CommandContext): void {
  const apache = program.command('apache').description('provision real Apache ZooKeeper / Kafka');
  apache
    .command('fetch')
    .description('fetch Apache jars from Maven Central (Debian zookeeper as fallback) into the cache')
    .option('--zookeeper <versions>', "ZooKeeper version(s), comma-separated: exact (3.9.5), a line (3.9) or 'debian'")
    .option('--kafka <versions>', 'Kafka version(s), comma-separated: exact (4.3.1) or a line (3.9, 4)')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nWith no flag, fetches every pinned line. The cache is KZBENCH_CACHE, default .cache/ in the checkout.')
    .action(async (opts: FetchOptions) => {
      const results: ProvisionResult[] = [];
      for (const [system, version] of requestedVersions(opts)) {
        results.push(await provisionApache(system, version, { log: log.child('apache') }));
      }
      if (opts.json) {
        const rows = results.map(({ distribution: d, fetched, fallbackReason }) => ({
          system: d.system,
          version: d.version,
          source: d.source,
          fetched,
          classpath: d.classpath,
          ...(fallbackReason ? { fallbackReason } : {}),
        }));
        process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        return;
      }
      for (const { distribution: d, fetched } of results) {
        const where = d.source === 'maven' ? dirname(dirname(d.jars[0] ?? '')) : d.classpath;
        process.stdout.write(`${d.system} ${d.version} ${d.source} ${fetched ? 'fetched' : 'present'} ${where}\n`);
      }
    });
}
