import { UsageError } from '../../../common/errors.js';

export interface HostAddress {
  host: string;
  port: number;
}

/**
 * Parses a ZooKeeper connect string (`host:port,host:port`; default port 2181). Chroot
 * suffixes (`/app`) are not supported by this client and are rejected rather than ignored.
 */
export function parseConnectString(hosts: string | readonly HostAddress[]): HostAddress[] {
  if (typeof hosts !== 'string') {
    if (hosts.length === 0) throw new UsageError('KZ_ZK_CONNECT_STRING', 'no ZooKeeper hosts given');
    return hosts.map((h) => ({ ...h }));
  }
  if (hosts.includes('/')) {
    throw new UsageError('KZ_ZK_CONNECT_STRING', `connect string ${JSON.stringify(hosts)} has a chroot, which this client does not support: drop the /suffix`);
  }
  const out = hosts
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((entry) => {
      const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry);
      if (m === null) throw new UsageError('KZ_ZK_CONNECT_STRING', `bad host ${JSON.stringify(entry)} in connect string: use host:port`);
      const port = m[2] === undefined ? 2181 : Number(m[2]);
      if (port < 1 || port > 65535) throw new UsageError('KZ_ZK_CONNECT_STRING', `bad port in ${JSON.stringify(entry)}`);
      return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
    });
  if (out.length === 0) throw new UsageError('KZ_ZK_CONNECT_STRING', 'no ZooKeeper hosts given');
  return out;
}
