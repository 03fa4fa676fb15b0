import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../../common/errors.js';
import { parseJavaProperties } from './java-properties.js';

/** A bad zoo.cfg, flag or property: exit 2 with a message naming the key. */
export class ConfigError extends UsageError {
  constructor(message: string) {
    super('KZ_ZK_CONFIG', message);
  }
}

export interface QuorumServerEntry {
  id: number;
  host: string;
  quorumPort: number;
  electionPort: number;
  role: 'participant' | 'observer';
  clientAddress?: string;
  clientPort?: number;
  /** The right-hand side as written, for `conf`. */
  spec: string;
}

/** Everything the reference server reads from zoo.cfg and Java system properties. */
export interface ServerConfig {
  /** zoo.cfg path, when one was read. */
  configFile?: string;
  tickTime: number;
  dataDir: string;
  dataLogDir: string;
  clientPort: number;
  clientPortAddress: string;
  minSessionTimeout: number;
  maxSessionTimeout: number;
  maxClientCnxns: number;
  initLimit: number;
  syncLimit: number;
  /** null means `*` (all words). */
  fourLetterWordWhitelist: Set<string> | null;
  admin: { enabled: boolean; address: string; port: number; commandUrl: string };
  servers: QuorumServerEntry[];
  peerType: 'participant' | 'observer';
  /** From dataDir/myid when present; 0 for a standalone server. */
  serverId: number;
  autopurge: { snapRetainCount: number; purgeIntervalHours: number };
  snapCount: number;
  /** Log file preallocation, bytes (`zookeeper.preAllocSize` is in KiB). */
  preAllocSize: number;
  /** `zookeeper.forceSync`: fsync the log before acknowledging. */
  forceSync: boolean;
  juteMaxBuffer: number;
  extendedTypesEnabled: boolean;
  emulate353TtlNodes: boolean;
  superDigest: string | null;
  digestAuthEnabled: boolean;
  skipAcl: boolean;
  enforceQuota: boolean;
  jaasConfigFile: string | null;
  /** Extra auth providers (`zookeeper.authProvider.*`), by Java class name. */
  authProviders: string[];
  readonlyModeEnabled: boolean;
  reconfigEnabled: boolean;
  standaloneEnabled: boolean;
  containerCheckIntervalMs: number;
  containerMaxPerMinute: number;
  containerMaxNeverUsedIntervalMs: number;
  globalOutstandingLimit: number;
  /** `zookeeper.nio.sessionlessCnxnTimeout`: a connection without a session is closed after this long. */
  sessionlessCnxnTimeoutMs: number;
  /** Every system property in effect (flags, SERVER_JVMFLAGS, unknown zoo.cfg keys as `zookeeper.<key>`). */
  systemProperties: Map<string, string>;
}

export interface ConfigSources {
  /** zoo.cfg contents and where they came from. */
  configFile?: string;
  /** Java system properties (-D flags, SERVER_JVMFLAGS). */
  systemProperties?: Map<string, string>;
  /** Command-line shortcuts that override zoo.cfg. */
  port?: number;
  dataDir?: string;
  host?: string;
}

const DEFAULT_TICK_TIME = 3000;
const MIN_SNAP_RETAIN_COUNT = 3;

/** The zoo.cfg keys the server understands itself; any other key becomes system property `zookeeper.<key>`, as Apache does. */
const KNOWN_KEYS = new Set([
  'dataDir',
  'dataLogDir',
  'clientPort',
  'clientPortAddress',
  'tickTime',
  'maxClientCnxns',
  'minSessionTimeout',
  'maxSessionTimeout',
  'initLimit',
  'syncLimit',
  'peerType',
  'syncEnabled',
  'autopurge.snapRetainCount',
  'autopurge.purgeInterval',
  'standaloneEnabled',
  'reconfigEnabled',
  'electionAlg',
  'quorumListenOnAllIPs',
  'localSessionsEnabled',
  'localSessionsUpgradingEnabled',
  'secureClientPort',
  'secureClientPortAddress',
  'dynamicConfigFile',
  'metricsProvider.className',
]);

export function loadServerConfig(sources: ConfigSources): ServerConfig {
  const sys = new Map(sources.systemProperties ?? []);
  let props = new Map<string, string>();
  let configDir = process.cwd();
  if (sources.configFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(sources.configFile, 'utf8');
    } catch (err) {
      throw new ConfigError(`cannot read ${sources.configFile}: ${(err as Error).message}. Pass an existing zoo.cfg with --config.`);
    }
    props = parseJavaProperties(text);
    configDir = path.dirname(path.resolve(sources.configFile));
  }
  const trimmed = new Map<string, string>();
  for (const [k, v] of props) trimmed.set(k.trim(), v.trim());
  for (const [key, value] of trimmed) {
    const known = KNOWN_KEYS.has(key) || key.startsWith('server.') || key.startsWith('group') || key.startsWith('weight') || key.startsWith('metricsProvider.');
    if (!known) sys.set(`zookeeper.${key}`, value);
  }

  const int = (key: string, raw: string | undefined, fallback: number): number => {
    if (raw === undefined || raw === '') return fallback;
    if (!/^-?\d+$/.test(raw)) throw new ConfigError(`${key}=${raw} is not an integer.`);
    return Number.parseInt(raw, 10);
  };
  const bool = (raw: string | undefined, fallback: boolean): boolean => {
    if (raw === undefined || raw === '') return fallback;
    return raw.trim().toLowerCase() === 'true';
  };
  const cfgBool = (key: string, fallback: boolean): boolean => {
    const raw = trimmed.get(key);
    if (raw === undefined) return fallback;
    const v = raw.toLowerCase();
    if (v !== 'true' && v !== 'false') throw new ConfigError(`Invalid option ${raw} for ${key}. Choose 'true' or 'false.'`);
    return v === 'true';
  };

  const tickTime = int('tickTime', trimmed.get('tickTime'), DEFAULT_TICK_TIME);
  if (tickTime <= 0) throw new ConfigError('tickTime is not set (it must be a positive number of milliseconds).');

  const dataDirRaw = sources.dataDir ?? trimmed.get('dataDir');
  if (dataDirRaw === undefined || dataDirRaw === '') {
    throw new ConfigError('dataDir is not set: put dataDir=<dir> in zoo.cfg or pass --data-dir.');
  }
  const dataDir = path.resolve(sources.dataDir !== undefined ? process.cwd() : configDir, dataDirRaw);
  const dataLogRaw = trimmed.get('dataLogDir');
  const dataLogDir = dataLogRaw ? path.resolve(configDir, dataLogRaw) : dataDir;

  const clientPortRaw = trimmed.get('clientPort');
  const clientPort = sources.port ?? int('clientPort', clientPortRaw, -1);
  if (clientPort < 0 || clientPort > 65535) {
    throw new ConfigError('clientPort is not set: put clientPort=<port> in zoo.cfg or pass --port.');
  }
  const clientPortAddress = sources.host ?? trimmed.get('clientPortAddress') ?? '0.0.0.0';

  const minRaw = int('minSessionTimeout', trimmed.get('minSessionTimeout'), -1);
  const maxRaw = int('maxSessionTimeout', trimmed.get('maxSessionTimeout'), -1);
  const minSessionTimeout = minRaw === -1 ? tickTime * 2 : minRaw;
  const maxSessionTimeout = maxRaw === -1 ? tickTime * 20 : maxRaw;
  if (minSessionTimeout > maxSessionTimeout) throw new ConfigError('minSessionTimeout must not be larger than maxSessionTimeout');

  let snapRetainCount = int('autopurge.snapRetainCount', trimmed.get('autopurge.snapRetainCount'), 3);
  if (snapRetainCount < MIN_SNAP_RETAIN_COUNT) snapRetainCount = MIN_SNAP_RETAIN_COUNT;
  const purgeIntervalHours = int('autopurge.purgeInterval', trimmed.get('autopurge.purgeInterval'), 0);

  const peerTypeRaw = (trimmed.get('peerType') ?? 'participant').toLowerCase();
  if (peerTypeRaw !== 'participant' && peerTypeRaw !== 'observer') throw new ConfigError(`Unrecognised peertype: ${peerTypeRaw}`);

  const servers: QuorumServerEntry[] = [];
  for (const [key, value] of trimmed) {
    if (!key.startsWith('server.')) continue;
    servers.push(parseServerEntry(key, value));
  }
  servers.sort((a, b) => a.id - b.id);

  let serverId = 0;
  const myidFile = path.join(dataDir, 'myid');
  if (existsSync(myidFile)) {
    const raw = readFileSync(myidFile, 'utf8').trim();
    if (!/^\d+$/.test(raw)) throw new ConfigError(`serverid ${raw} in ${myidFile} is not a number`);
    serverId = Number.parseInt(raw, 10);
  }
  const standaloneEnabled = cfgBool('standaloneEnabled', true);
  const voters = servers.filter((s) => s.role === 'participant');
  if (voters.length > 1 || (!standaloneEnabled && servers.length > 0)) {
    throw new ConfigError(
      `zoo.cfg lists ${voters.length} voting servers: the reference ZooKeeper server runs standalone only (no ZAB replication). ` +
        'Keep at most one server.N line, or run Apache ZooKeeper for an ensemble.',
    );
  }

  const sysInt = (key: string, fallback: number) => int(key, sys.get(key), fallback);
  const whitelistRaw = sys.get('zookeeper.4lw.commands.whitelist');
  const readonlyModeEnabled = bool(sys.get('readonlymode.enabled'), false);
  let fourLetterWordWhitelist: Set<string> | null;
  if (whitelistRaw === undefined) {
    fourLetterWordWhitelist = new Set(['srvr']);
    if (readonlyModeEnabled) fourLetterWordWhitelist.add('isro');
  } else {
    const words = whitelistRaw.split(',').map((w) => w.trim()).filter((w) => w.length > 0);
    fourLetterWordWhitelist = words.includes('*') ? null : new Set(words);
  }

  const authProviders: string[] = [];
  for (const [k, v] of sys) if (k.startsWith('zookeeper.authProvider.')) authProviders.push(v);

  const jaas = sys.get('java.security.auth.login.config') ?? null;

  return {
    configFile: sources.configFile === undefined ? undefined : path.resolve(sources.configFile),
    tickTime,
    dataDir,
    dataLogDir,
    clientPort,
    clientPortAddress,
    minSessionTimeout,
    maxSessionTimeout,
    maxClientCnxns: int('maxClientCnxns', trimmed.get('maxClientCnxns'), 60),
    initLimit: int('initLimit', trimmed.get('initLimit'), 0),
    syncLimit: int('syncLimit', trimmed.get('syncLimit'), 0),
    fourLetterWordWhitelist,
    admin: {
      enabled: bool(sys.get('zookeeper.admin.enableServer'), true),
      address: sys.get('zookeeper.admin.serverAddress') ?? '0.0.0.0',
      port: sysInt('zookeeper.admin.serverPort', 8080),
      commandUrl: sys.get('zookeeper.admin.commandURL') ?? '/commands',
    },
    servers,
    peerType: peerTypeRaw,
    serverId,
    autopurge: { snapRetainCount, purgeIntervalHours },
    snapCount: Math.max(2, sysInt('zookeeper.snapCount', 100_000)),
    preAllocSize: sysInt('zookeeper.preAllocSize', 65536) * 1024,
    forceSync: (sys.get('zookeeper.forceSync') ?? 'yes') !== 'no',
    juteMaxBuffer: int('jute.maxbuffer', sys.get('jute.maxbuffer'), 0xfffff),
    extendedTypesEnabled: bool(sys.get('zookeeper.extendedTypesEnabled'), false),
    emulate353TtlNodes: bool(sys.get('zookeeper.emulate353TTLNodes'), false),
    superDigest: sys.get('zookeeper.DigestAuthenticationProvider.superDigest') ?? null,
    digestAuthEnabled: bool(sys.get('zookeeper.DigestAuthenticationProvider.enabled') ?? 'true', true),
    skipAcl: (sys.get('zookeeper.skipACL') ?? 'no') === 'yes',
    enforceQuota: bool(sys.get('zookeeper.enforceQuota'), false),
    jaasConfigFile: jaas === null ? null : path.resolve(jaas),
    authProviders,
    readonlyModeEnabled,
    reconfigEnabled: cfgBool('reconfigEnabled', false),
    standaloneEnabled,
    containerCheckIntervalMs: sysInt('znode.container.checkIntervalMs', 60_000),
    containerMaxPerMinute: sysInt('znode.container.maxPerMinute', 10_000),
    containerMaxNeverUsedIntervalMs: sysInt('znode.container.maxNeverUsedIntervalMs', 0),
    globalOutstandingLimit: sysInt('zookeeper.globalOutstandingLimit', 1000),
    sessionlessCnxnTimeoutMs: sysInt('zookeeper.nio.sessionlessCnxnTimeout', 10_000),
    systemProperties: sys,
  };
}

function parseServerEntry(key: string, value: string): QuorumServerEntry {
  const idText = key.slice('server.'.length);
  if (!/^\d+$/.test(idText)) throw new ConfigError(`${key}: the server id must be a number.`);
  const [serverPart = '', clientPart] = value.split(';');
  const parts = serverPart.split(':');
  if (parts.length < 3) throw new ConfigError(`${key}=${value} does not have the form host:port:port[:role][;[clientAddress:]clientPort].`);
  const role = (parts[3] ?? 'participant').toLowerCase();
  if (role !== 'participant' && role !== 'observer') throw new ConfigError(`${key}: unknown role ${parts[3]}`);
  const entry: QuorumServerEntry = {
    id: Number.parseInt(idText, 10),
    host: parts[0]!,
    quorumPort: Number.parseInt(parts[1]!, 10),
    electionPort: Number.parseInt(parts[2]!, 10),
    role,
    spec: value,
  };
  if (clientPart !== undefined && clientPart.trim() !== '') {
    const cp = clientPart.trim().split(':');
    if (cp.length === 1) entry.clientPort = Number.parseInt(cp[0]!, 10);
    else {
      entry.clientAddress = cp[0]!;
      entry.clientPort = Number.parseInt(cp[1]!, 10);
    }
  }
  return entry;
}
