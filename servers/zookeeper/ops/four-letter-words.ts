import type { FourLetterWord } from '../../../protocols/zookeeper/index.js';
import type { ClientConnection } from '../network/client-connection.js';
import type { ZooKeeperServer } from '../zookeeper-server.js';
import { FULL_VERSION, type ServerReport } from './server-report.js';

/** ZooTrace's default text trace mask, what `gtmk` prints on a fresh Apache server. */
const DEFAULT_TRACE_MASK = 306n;

const hexId = (id: bigint) => `0x${BigInt.asUintN(64, id).toString(16)}`;

/**
 * The four-letter words (`FourLetterCommands`), each producing exactly the text Apache's
 * command classes print, gated by `4lw.commands.whitelist`.
 */
export class FourLetterWords {
  private traceMask = DEFAULT_TRACE_MASK;

  constructor(
    private readonly server: ZooKeeperServer,
    private readonly report: ServerReport,
  ) {}

  isEnabled(word: string): boolean {
    const list = this.server.config.fourLetterWordWhitelist;
    return list === null || list.has(word);
  }

  run(word: FourLetterWord, conn: ClientConnection | null): string {
    if (!this.isEnabled(word)) return `${word} is not executed because it is not in the whitelist.\n`;
    const s = this.server;
    const r = this.report;
    switch (word) {
      case 'ruok':
        return 'imok';
      case 'srvr':
        return `Zookeeper version: ${FULL_VERSION}\n${r.serverStats()}`;
      case 'stat': {
        let out = `Zookeeper version: ${FULL_VERSION}\nClients:\n`;
        for (const c of s.connections) out += `${r.connectionInfo(c, true)}\n`;
        return `${out}\n${r.serverStats()}`;
      }
      case 'cons': {
        let out = '';
        for (const c of s.connections) out += `${r.connectionInfo(c, false)}\n`;
        return `${out}\n`;
      }
      case 'conf':
        return r
          .conf()
          .map(([k, v]) => `${k}=${v}\n`)
          .join('');
      case 'envi':
        return `Environment:\n${r
          .environment()
          .map(([k, v]) => `${k}=${v}\n`)
          .join('')}`;
      case 'mntr':
        return r
          .monitor()
          .map(([k, v]) => `zk_${k}\t${v}\n`)
          .join('');
      case 'isro':
        return 'rw';
      case 'dirs':
        return `datadir_size: ${r.dataDirSize}\nlogdir_size: ${r.logDirSize}\n`;
      case 'dump':
        return r.dump();
      case 'crst':
        for (const c of s.connections) c.resetStats();
        return 'Connection stats reset.\n';
      case 'srst':
        s.stats.reset();
        return 'Server stats reset.\n';
      case 'gtmk':
        return String(this.traceMask);
      case 'stmk':
        // The new mask follows the word as 8 bytes; we accept the word and report the mask kept.
        void conn;
        return String(this.traceMask);
      case 'wchs':
        return `${r.watchSummary()}\n`;
      case 'wchc': {
        let out = '';
        for (const [id, paths] of r.watchesByConnection()) {
          out += `${hexId(id)}\n`;
          for (const p of paths) out += `\t${p}\n`;
        }
        return `${out}\n`;
      }
      case 'wchp': {
        let out = '';
        for (const [p, ids] of r.watchesByPath()) {
          out += `${p}\n`;
          for (const id of ids) out += `\t${hexId(id)}\n`;
        }
        return `${out}\n`;
      }
      case 'hash':
        // We keep no tree digests (zookeeper.digest.enabled has nothing to report).
        return 'Digest not enabled\n';
    }
  }
}
