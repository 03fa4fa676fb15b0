import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { ExitCode, isKzbenchError } from '../common/errors.js';
import { createLogger } from '../common/logger.js';
import { entriesFor } from './commands/index.js';

export async function main(argv: string[]): Promise<number> {
  const log = createLogger();
  const program = new Command('kzbench')
    .description('Benchmark and conformance harness for ZooKeeper and Kafka')
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError()
    .exitOverride();
  try {
    for (const entry of entriesFor(argv)) (await entry.load())({ program, log });
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end the parse through an "error" with exit code 0.
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (isKzbenchError(err)) {
      log.error(`${err.message} [${err.code}]`);
      return err.exitCode;
    }
    log.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    return ExitCode.unexpected;
  }
}

function packageVersion(): string {
  // Works from the sources (cli/) and from the build (dist/cli/).
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'kzbench' && pkg.version) return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return 'unknown';
}
