import { randomBytes } from 'node:crypto';
import { ErrorCode, OPEN_ACL_UNSAFE, OpCode, Perms } from '../../../protocols/zookeeper/index.js';
import type { HostAddress } from '../../clients/zookeeper/connect-string.js';
import { fourLetterWord } from '../../launchers/zookeeper-health.js';
import type { Target } from '../../launchers/target.js';
import type { TargetInfo } from '../conformance-result.js';
import { digestId } from './request-builder.js';
import { isClosed, ScenarioSession } from './scenario-session.js';
import { deleteTree } from './tree-cleanup.js';
import { SUPER_PASSWORD, SUPER_USER, TICK_TIME_MS, type Capability } from './target-profile.js';

/** A ZooKeeper server ready for scenarios: where it is, what version it says it is, what it can do. */
export interface ZooKeeperTarget {
  label: string;
  target: Target;
  address: HostAddress;
  /** From `srvr` (what the server says it matches), else target.json's version. */
  version: string;
  capabilities: ReadonlySet<Capability>;
  tickMs: number;
}

export function describeZooKeeperTarget(t: ZooKeeperTarget): TargetInfo {
  return { label: t.label, impl: t.target.impl, version: t.version, capabilities: [...t.capabilities].sort() };
}

/** The `Zookeeper version: X.Y.Z-...` of a `srvr` reply. */
export function parseSrvrVersion(reply: string): string | undefined {
  return /^Zookeeper version: (\d+\.\d+\.\d+)/m.exec(reply)?.[1];
}

/**
 * Prepares a target. `configured` lists the capabilities the runner itself configured (targets
 * it started); otherwise TTL support and the superuser are probed under a scratch node, and
 * the four-letter-word whitelist is unknown.
 */
export async function prepareZooKeeperTarget(label: string, target: Target, configured?: ReadonlySet<Capability>): Promise<ZooKeeperTarget> {
  const node = target.nodes[0]!;
  const address = { host: node.host, port: node.port };
  const srvr = await fourLetterWord(address.host, address.port, 'srvr', 10_000).catch(() => '');
  const version = parseSrvrVersion(srvr) ?? target.version;
  const capabilities = configured ?? (await probeCapabilities(address));
  return { label, target, address, version, capabilities, tickMs: TICK_TIME_MS };
}

async function probeCapabilities(address: HostAddress): Promise<Set<Capability>> {
  const found = new Set<Capability>();
  const opened = await ScenarioSession.connect(address, { timeout: 30_000 });
  if ('closed' in opened) return found;
  const s = opened.session;
  const root = `/kzbench-conformance-probe-${randomBytes(4).toString('hex')}`;
  try {
    const made = await s.request(OpCode.create, { path: root, data: null, acl: OPEN_ACL_UNSAFE, flags: 0 });
    if (isClosed(made) || made.err !== 0) return found;
    const ttl = await s.request(OpCode.createTTL, { path: `${root}/ttl`, data: null, acl: OPEN_ACL_UNSAFE, flags: 5, ttl: 60_000n });
    if (!isClosed(ttl) && ttl.err === 0) found.add('extendedTypes');
    // A node only a stranger may read: readable after auth as super:test only if that is a superuser.
    const locked = `${root}/locked`;
    await s.request(OpCode.create, { path: locked, data: null, acl: [{ perms: Perms.ALL, id: { scheme: 'digest', id: digestId('kzbench-nobody:x') } }], flags: 0 });
    const auth = await s.auth('digest', Buffer.from(`${SUPER_USER}:${SUPER_PASSWORD}`));
    if (!isClosed(auth) && auth.err === 0) {
      const read = await s.request(OpCode.getData, { path: locked, watch: false });
      if (!isClosed(read) && read.err === 0) found.add('superDigest');
      else if (!isClosed(read) && read.err !== ErrorCode.NOAUTH) found.delete('superDigest');
    }
    return found;
  } finally {
    await deleteTree(s, root);
    await s.request(OpCode.closeSession, undefined);
    await s.dropConnection();
  }
}
