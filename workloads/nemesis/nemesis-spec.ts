import { UsageError } from '../../common/errors.js';
import { nodeTargets, parseNodeTarget, type NodeTarget } from './fault.js';
import { packetBehaviours, parsePacketBehaviour, type PacketBehaviour } from './packet-fault.js';
import { parsePartitionShape, type PartitionShape } from './partition-grudge.js';

/** The faults `--nemesis` names (Jepsen's fault names where they exist). */
export const faultKinds = ['kill', 'pause', 'partition', 'packet', 'clock', 'disk'] as const;
export type FaultKind = (typeof faultKinds)[number];

/** One `--nemesis` item, with its options resolved: `partition:isolate-leader+random-halves`. */
export type FaultSpec =
  | { kind: 'kill'; targets: NodeTarget[] }
  | { kind: 'pause'; targets: NodeTarget[] }
  | { kind: 'partition'; shapes: PartitionShape[] }
  | { kind: 'packet'; behaviours: PacketBehaviour[]; targets: NodeTarget[] }
  | { kind: 'clock'; maxSkewMs: number }
  | { kind: 'disk' };

/** Defaults: varied enough to matter, gentle enough that a 3-node cluster keeps serving most of the time. */
const defaultProcessTargets: NodeTarget[] = ['one', 'leader', 'majority'];
const defaultShapes: PartitionShape[] = ['random-halves', 'isolate-one', 'isolate-leader'];
const defaultBehaviours = Object.keys(packetBehaviours) as PacketBehaviour[];
const defaultMaxSkewMs = 30_000;

export function faultKindOf(item: string): string {
  return item.split(':')[0]!.trim();
}

/**
 * Parses `--nemesis` items. Each is `kind` or `kind:option+option`:
 * `kill:leader`, `pause:one+majority`, `partition:isolate-leader`, `packet:latency+loss`,
 * `clock:60000` (largest skew in ms), `disk`.
 */
export function parseFaultSpecs(items: readonly string[]): FaultSpec[] {
  const specs: FaultSpec[] = [];
  const seen = new Set<string>();
  for (const raw of items) {
    const item = raw.trim();
    if (!item) continue;
    const [kind, options = ''] = splitOnce(item);
    if (!(faultKinds as readonly string[]).includes(kind)) {
      throw new UsageError('KZ_NEMESIS_UNKNOWN', `unknown fault '${kind}' in --nemesis; choose from ${faultKinds.join(', ')}`);
    }
    if (seen.has(kind)) throw new UsageError('KZ_NEMESIS_DUPLICATE', `--nemesis names '${kind}' twice; give its options once, joined with '+' (e.g. ${kind}:a+b)`);
    seen.add(kind);
    const opts = options.split('+').map((o) => o.trim()).filter(Boolean);
    specs.push(specFor(kind as FaultKind, opts));
  }
  return specs;
}

function specFor(kind: FaultKind, opts: string[]): FaultSpec {
  switch (kind) {
    case 'kill':
    case 'pause':
      return { kind, targets: opts.length > 0 ? opts.map(parseNodeTarget) : [...defaultProcessTargets] };
    case 'partition':
      return { kind, shapes: opts.length > 0 ? opts.map(parsePartitionShape) : [...defaultShapes] };
    case 'packet': {
      const behaviours = opts.filter((o) => !(nodeTargets as readonly string[]).includes(o));
      const targets = opts.filter((o) => (nodeTargets as readonly string[]).includes(o)) as NodeTarget[];
      return {
        kind,
        behaviours: behaviours.length > 0 ? behaviours.map(parsePacketBehaviour) : [...defaultBehaviours],
        targets: targets.length > 0 ? targets : ['one', 'all'],
      };
    }
    case 'clock': {
      if (opts.length > 1) throw new UsageError('KZ_NEMESIS_CLOCK', 'clock takes one option: the largest skew in ms (clock:30000)');
      const ms = opts.length === 0 ? defaultMaxSkewMs : Number(opts[0]);
      if (!Number.isInteger(ms) || ms <= 0 || ms > 86_400_000) throw new UsageError('KZ_NEMESIS_CLOCK', `clock skew must be a whole number of ms from 1 to 86400000, not '${opts[0]}'`);
      return { kind, maxSkewMs: ms };
    }
    case 'disk':
      if (opts.length > 0) throw new UsageError('KZ_NEMESIS_DISK', 'disk takes no options');
      return { kind };
  }
}

function splitOnce(item: string): [string, string | undefined] {
  const i = item.indexOf(':');
  return i < 0 ? [item, undefined] : [item.slice(0, i).trim(), item.slice(i + 1)];
}

/** Network faults need the cluster in a network sandbox (root, `ip netns`). */
export function needsNetworkSandbox(specs: readonly FaultSpec[]): boolean {
  return specs.some((s) => s.kind === 'partition' || s.kind === 'packet');
}

/** A canonical text form, echoed into results.json and the report. */
export function describeFaultSpec(spec: FaultSpec): string {
  switch (spec.kind) {
    case 'kill':
    case 'pause':
      return `${spec.kind}:${spec.targets.join('+')}`;
    case 'partition':
      return `partition:${spec.shapes.join('+')}`;
    case 'packet':
      return `packet:${[...spec.behaviours, ...spec.targets].join('+')}`;
    case 'clock':
      return `clock:${spec.maxSkewMs}`;
    case 'disk':
      return 'disk';
  }
}
