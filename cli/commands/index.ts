import type { CommandModule } from '../command-context.js';

export interface CommandEntry {
  name: string;
  /** Loaded only when needed: a broken or heavy module never slows or breaks other commands. */
  load: () => Promise<CommandModule>;
}

/** Every command of the DESIGN.md contract, in the order --help lists them. */
export const commandEntries: CommandEntry[] = [
  { name: 'serve', load: async () => (await import('./serve.js')).registerServe },
  { name: 'apache', load: async () => (await import('./apache.js')).registerApache },
  { name: 'cluster', load: async () => (await import('./cluster.js')).registerCluster },
  { name: 'run', load: async () => (await import('./run.js')).registerRun },
  { name: 'check', load: async () => (await import('./check.js')).registerCheck },
  { name: 'bench', load: async () => (await import('./bench.js')).registerBench },
  { name: 'conformance', load: async () => (await import('./conformance.js')).registerConformance },
  { name: 'report', load: async () => (await import('./report.js')).registerReport },
  { name: 'zk', load: async () => (await import('./zk.js')).registerZk },
];

/**
 * The entries a command line needs: just the named command when argv names one, all of them
 * otherwise (help, version, unknown commands, which commander answers from the full list).
 */
export function entriesFor(argv: readonly string[]): CommandEntry[] {
  const first = argv.slice(2).find((a) => !a.startsWith('-'));
  const named = commandEntries.find((e) => e.name === first);
  return named ? [named] : commandEntries;
}
