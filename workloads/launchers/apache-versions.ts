import { UsageError } from '../../common/errors.js';

export type ApacheSystem = 'zookeeper' | 'kafka';
export type ApacheSource = 'maven' | 'debian';

/**
 * The newest patch of each supported line whose artifacts all resolve on Maven Central
 * (checked 2025: ZooKeeper 3.9.6 lacks its `parent` pom there, Kafka 4.4.0 lacks
 * `kafka-tools`, so neither is pinned). A line alias (`3.9`, `4`) picks its pin; any exact
 * version can still be asked for.
 */
export const pinnedVersions: Record<ApacheSystem, Record<string, string>> = {
  zookeeper: { '3.9': '3.9.5' },
  kafka: { '3.9': '3.9.2', '4': '4.3.1' },
};

/** What `cluster up --impl apache` runs when no version is given. */
export const defaultVersions: Record<ApacheSystem, string> = { zookeeper: '3.9.5', kafka: '4.3.1' };

/** The version Debian bookworm packages (`apt-get install zookeeper`). */
export const debianZookeeperVersion = '3.8.0';

export interface VersionChoice {
  system: ApacheSystem;
  version: string;
  source: ApacheSource;
  /** False when the user named no version: then a Maven failure may fall back to Debian. */
  explicit: boolean;
}

const exactVersion = /^\d+\.\d+\.\d+(?:[-.][0-9A-Za-z]+)*$/;

/** Turns a `--zookeeper`/`--kafka`/`apache:VERSION` value into a concrete version and source. */
export function chooseVersion(system: ApacheSystem, requested?: string): VersionChoice {
  if (requested === undefined || requested === '') {
    return { system, version: defaultVersions[system], source: 'maven', explicit: false };
  }
  const v = requested.trim();
  if (system === 'zookeeper' && (v === 'debian' || v === debianZookeeperVersion)) {
    return { system, version: debianZookeeperVersion, source: 'debian', explicit: true };
  }
  const pinned = pinnedVersions[system][v];
  if (pinned) return { system, version: pinned, source: 'maven', explicit: true };
  if (exactVersion.test(v)) return { system, version: v, source: 'maven', explicit: true };
  const aliases = Object.keys(pinnedVersions[system]).join(', ');
  const debian = system === 'zookeeper' ? `, 'debian' (${debianZookeeperVersion} from /usr/share/java)` : '';
  throw new UsageError(
    'KZ_APACHE_VERSION_INVALID',
    `'${v}' is not a ${system} version: give an exact version such as ${defaultVersions[system]}, a line (${aliases})${debian}`,
  );
}

/** `[major, minor]` of a version string, for choosing line-specific dependencies. */
export function versionLine(version: string): [number, number] {
  const [major = '0', minor = '0'] = version.split('.');
  return [Number.parseInt(major, 10) || 0, Number.parseInt(minor, 10) || 0];
}

/** Versions `kzbench apache fetch` provisions when given no flag: every pinned line. */
export function allPinnedVersions(system: ApacheSystem): string[] {
  return [...new Set(Object.values(pinnedVersions[system]))].sort(compareVersions);
}

/** Orders `3.9.2` before `4.3.1` before `4.10.0` (numeric by component). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/);
  const pb = b.split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const nx = Number(x);
    const ny = Number(y);
    const diff = Number.isNaN(nx) || Number.isNaN(ny) ? x.localeCompare(y) : nx - ny;
    if (diff !== 0) return diff;
  }
  return 0;
}
