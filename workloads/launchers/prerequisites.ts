import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { UsageError } from '../../common/errors.js';

/** The first executable called `name` on PATH, or null. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return null;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `$JAVA_HOME/bin/java` when set, else `java` from PATH; exit 2 with what to install when neither. */
export function requireJava(env: NodeJS.ProcessEnv = process.env): string {
  if (env.JAVA_HOME) {
    const fromHome = join(env.JAVA_HOME, 'bin', 'java');
    if (executable(fromHome)) return fromHome;
  }
  const onPath = findOnPath('java', env);
  if (onPath) return onPath;
  throw new UsageError(
    'KZ_JAVA_MISSING',
    'Java is needed to run Apache ZooKeeper/Kafka but no `java` is on PATH (nor in $JAVA_HOME/bin): ' +
      'install Java 17 or later (Debian: apt-get install openjdk-17-jre-headless) or set JAVA_HOME.',
  );
}

/** `mvn` from PATH; exit 2 with what to install when absent. */
export function requireMaven(env: NodeJS.ProcessEnv = process.env): string {
  const mvn = findOnPath('mvn', env);
  if (mvn) return mvn;
  throw new UsageError(
    'KZ_MAVEN_MISSING',
    'Maven is needed to fetch Apache jars from Maven Central but no `mvn` is on PATH: ' +
      'install it (Debian: apt-get install maven), or for ZooKeeper use Debian\'s package with --zookeeper debian.',
  );
}
