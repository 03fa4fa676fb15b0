import { UsageError } from '../../common/errors.js';
import type { ApacheSystem } from './apache-versions.js';

export type ClusterImpl = 'apache' | 'reference';
export type LauncherKind = 'local' | 'compose';

export interface ImplChoice {
  impl: ClusterImpl;
  /** Apache only: the version asked for (exact, a line, `debian`); undefined = default. */
  version?: string;
}

/** `apache`, `apache:3.9.2`, `apache:debian`, `reference`. */
export function parseImpl(value: string): ImplChoice {
  const [impl, version, ...rest] = value.split(':');
  if (rest.length === 0 && impl === 'apache') return version ? { impl, version } : { impl };
  if (rest.length === 0 && impl === 'reference' && version === undefined) return { impl };
  throw new UsageError('KZ_IMPL_INVALID', `--impl must be 'reference' or 'apache[:VERSION]' (e.g. apache:3.9.2), not '${value}'`);
}

export function parseSystem(value: string): ApacheSystem {
  if (value === 'zookeeper' || value === 'kafka') return value;
  throw new UsageError('KZ_SYSTEM_INVALID', `the system must be 'zookeeper' or 'kafka', not '${value}'`);
}

export function parseNodeCount(value: string | number): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 9) {
    throw new UsageError('KZ_NODES_INVALID', `--nodes must be a whole number from 1 to 9 (usually 1 or 3), not '${value}'`);
  }
  return n;
}

export function parseLauncher(value: string): LauncherKind {
  if (value === 'local' || value === 'compose') return value;
  throw new UsageError('KZ_LAUNCHER_INVALID', `--launcher must be 'local' or 'compose', not '${value}'`);
}
