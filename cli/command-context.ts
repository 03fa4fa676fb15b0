import type { Command } from 'commander';
import type { Logger } from '../common/logger.js';

/** What every command module gets: its parent command to attach to, and the CLI's logger. */
export interface CommandContext {
  program: Command;
  log: Logger;
}

export type CommandModule = (ctx: CommandContext) => void;
