import { existsSync } from 'node:fs';
import { ConfigError, type ServerConfig } from '../config/server-config.js';
import { digestUsersOf } from './jaas-config.js';

/**
 * Who may authenticate over SASL DIGEST-MD5: the `user_<name>` options of the JAAS section
 * `zookeeper.sasl.serverconfig` (default "Server") in `java.security.auth.login.config`;
 * `zookeeper.SASLAuthenticationProvider.superPassword` overrides the password of "super", and
 * ids named by `zookeeper.superUser*` properties become super users. A configured but missing
 * file stops the server from starting, as Apache's does.
 */
export function loadSaslUsers(config: ServerConfig): { users: ReadonlyMap<string, string> | null; superUsers: ReadonlySet<string> } {
  const sys = config.systemProperties;
  const superUsers = new Set<string>();
  for (const [k, v] of sys) if (k === 'zookeeper.superUser' || k.startsWith('zookeeper.superUser.')) superUsers.add(v);
  if (config.jaasConfigFile === null) return { users: null, superUsers };
  if (!existsSync(config.jaasConfigFile)) {
    throw new ConfigError(`java.security.auth.login.config names ${config.jaasConfigFile}, which does not exist`);
  }
  const section = sys.get('zookeeper.sasl.serverconfig') ?? 'Server';
  let users: Map<string, string> | null;
  try {
    users = digestUsersOf(config.jaasConfigFile, section);
  } catch (err) {
    throw new ConfigError(`cannot parse ${config.jaasConfigFile}: ${(err as Error).message}`);
  }
  if (users === null) return { users: null, superUsers };
  const superPassword = sys.get('zookeeper.SASLAuthenticationProvider.superPassword');
  if (superPassword !== undefined) users.set('super', superPassword);
  return { users, superUsers };
}
