/** One ZooKeeper server of a loopback ensemble: where it listens and keeps its data. */
export interface ZookeeperNodeLayout {
  id: number;
  host: string;
  clientPort: number;
  quorumPort: number;
  electionPort: number;
  /** The AdminServer's port; absent = AdminServer off. */
  adminPort?: number;
  dataDir: string;
}

/**
 * The `zoo.cfg` of one server (zkServer.sh's format, read by Apache and by `kzbench serve
 * zookeeper`). One node gets no `server.N` lines and so runs standalone; an ensemble lists
 * every member, and each server finds itself through `dataDir/myid`.
 */
export function zooCfgText(node: ZookeeperNodeLayout, ensemble: ZookeeperNodeLayout[], extra: Record<string, string> = {}): string {
  const lines = [
    '# Written by kzbench cluster up.',
    'tickTime=2000',
    'initLimit=10',
    'syncLimit=5',
    `dataDir=${node.dataDir}`,
    `clientPort=${node.clientPort}`,
    `clientPortAddress=${node.host}`,
    '4lw.commands.whitelist=*',
    // A harness must not fight over the AdminServer's default port 8080.
    `admin.enableServer=${node.adminPort !== undefined}`,
    ...(node.adminPort !== undefined ? [`admin.serverAddress=${node.host}`, `admin.serverPort=${node.adminPort}`] : []),
  ];
  if (ensemble.length > 1) {
    for (const peer of ensemble) lines.push(`server.${peer.id}=${peer.host}:${peer.quorumPort}:${peer.electionPort}`);
  }
  // Later keys win (java.util.Properties), so extra keys override the defaults above.
  for (const [key, value] of Object.entries(extra)) lines.push(`${key}=${value}`);
  return lines.join('\n') + '\n';
}

/** The `myid` file content: a server's id in the ensemble. */
export function myidText(node: ZookeeperNodeLayout): string {
  return `${node.id}\n`;
}
