import type { CommandContext } from '../command-context.js';
import { registerServeKafka } from './serve-kafka.js';
import { registerServeZookeeper } from './serve-zookeeper.js';

export function registerServe(ctx: CommandContext): void {
  const serve = ctx.program.command('serve').description('run a reference server in the foreground');
  registerServeZookeeper({ ...ctx, program: serve });
  registerServeKafka({ ...ctx, program: serve });
}
