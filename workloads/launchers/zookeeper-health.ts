import { connect } from 'node:net';

export type ZookeeperMode = 'standalone' | 'leader' | 'follower' | 'observer' | 'read-only';

/**
 * Sends a four-letter word and collects the reply until the server closes the connection.
 * Rejects when the connection fails or stays silent past `timeoutMs`.
 */
export function fourLetterWord(host: string, port: number, word: string, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let reply = '';
    const timer = setTimeout(() => socket.destroy(new Error(`no reply to ${word} from ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.end(word));
    socket.on('data', (d: string) => (reply += d));
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', (hadError) => {
      clearTimeout(timer);
      if (!hadError) resolve(reply);
    });
  });
}

/** The `Mode:` line of a `srvr` reply, or null while the server is not serving (no quorum yet). */
export function parseSrvrMode(reply: string): ZookeeperMode | null {
  const mode = /^Mode: (\S+)/m.exec(reply)?.[1];
  return mode === 'standalone' || mode === 'leader' || mode === 'follower' || mode === 'observer' || mode === 'read-only' ? mode : null;
}

/** The server's mode per `srvr`, or null when it does not answer or is not serving. */
export async function zookeeperMode(host: string, port: number): Promise<ZookeeperMode | null> {
  try {
    return parseSrvrMode(await fourLetterWord(host, port, 'srvr'));
  } catch {
    return null;
  }
}

/**
 * An ensemble is healthy when every server serves: one node standalone, several nodes with
 * exactly one leader and the rest followers.
 */
export function ensembleHealthy(modes: Array<ZookeeperMode | null>): boolean {
  if (modes.length === 1) return modes[0] === 'standalone';
  const leaders = modes.filter((m) => m === 'leader').length;
  return leaders === 1 && modes.every((m) => m === 'leader' || m === 'follower');
}
