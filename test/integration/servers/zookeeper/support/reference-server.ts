import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startZooKeeperServer, type RunningZooKeeperServer, type StartZooKeeperOptions } from '../../../../../servers/zookeeper/index.js';

export interface TestServer extends RunningZooKeeperServer {
  dataDir: string;
  /** Stops the server and removes its data directory. */
  dispose(): Promise<void>;
}

/** A reference server on a free loopback port with a fresh data directory, for one test file. */
export async function startTestServer(opts: Omit<StartZooKeeperOptions, 'dataDir'> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kz-zk-it-'));
  const running = await startZooKeeperServer({ tickTime: 200, ...opts, dataDir });
  return {
    ...running,
    dataDir,
    dispose: async () => {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
