import { existsSync } from 'node:fs';
import { UsageError } from '../../common/errors.js';
import { readTarget, type Target } from '../launchers/target.js';

/** What `--target` / `--diff` name: a target.json, or a server for the runner to start and stop. */
export type TargetSpec = { kind: 'file'; path: string } | { kind: 'reference'; release?: string } | { kind: 'apache'; version?: string };

/**
 * `reference`, `reference:4.1` (the reference Kafka broker behaving as that release: `serve kafka
 * --as-version`), `apache`, `apache:3.8.0`, or the path of a target.json.
 */
export function parseTargetSpec(value: string, flag = '--target'): TargetSpec {
  if (value === 'reference') return { kind: 'reference' };
  if (value.startsWith('reference:')) {
    const release = value.slice('reference:'.length);
    if (release === '') throw new UsageError('KZ_TARGET_INVALID', `${flag} reference: needs a Kafka release after the colon (e.g. reference:4.1), or plain 'reference'`);
    return { kind: 'reference', release };
  }
  if (value === 'apache') return { kind: 'apache' };
  if (value.startsWith('apache:')) {
    const version = value.slice('apache:'.length);
    if (version === '') throw new UsageError('KZ_TARGET_INVALID', `${flag} apache: needs a version after the colon (e.g. apache:3.8.0), or plain 'apache'`);
    return { kind: 'apache', version };
  }
  if (!existsSync(value)) {
    throw new UsageError('KZ_TARGET_INVALID', `${flag} ${value}: no such target.json; give a file, 'reference' or 'apache[:VERSION]'`);
  }
  return { kind: 'file', path: value };
}

export function targetSpecLabel(spec: TargetSpec): string {
  if (spec.kind === 'file') return spec.path;
  if (spec.kind === 'reference') return spec.release ? `reference:${spec.release}` : 'reference';
  return spec.version ? `apache:${spec.version}` : 'apache';
}

/** A target ready for scenarios; `stop` undoes whatever starting it did (nothing for a file). */
export interface StartedTarget {
  target: Target;
  /** True when the runner started it with its own settings (so they are known, not probed). */
  configured: boolean;
  stop(): Promise<void>;
}

/** Starts what a spec names; the CLI supplies the reference server, the launcher Apache. */
export interface TargetStarters {
  /** `release`: the Apache Kafka release the reference broker behaves as (`--as-version`). */
  reference(release: string | undefined): Promise<StartedTarget>;
  apache(version: string | undefined): Promise<StartedTarget>;
}

export async function startTarget(spec: TargetSpec, system: Target['system'], starters: TargetStarters): Promise<StartedTarget> {
  if (spec.kind === 'reference') return starters.reference(spec.release);
  if (spec.kind === 'apache') return starters.apache(spec.version);
  const target = await readTarget(spec.path);
  if (target.system !== system) {
    throw new UsageError('KZ_TARGET_SYSTEM_MISMATCH', `${spec.path} describes a ${target.system} target, but this is the ${system} suite`);
  }
  return { target, configured: false, stop: async () => {} };
}
