import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { CommandContext } from '../command-context.js';
import { reportFileName, renderResultsDirs } from '../../reports/report-outputs.js';

interface ReportOptions {
  out?: string;
  json?: boolean;
}

/** One directory: its own report.html beside results.json. Several: comparison.html here. */
async function defaultOut(dirs: string[]): Promise<string> {
  if (dirs.length > 1) return resolve('comparison.html');
  const only = resolve(dirs[0]!);
  const isDir = await stat(only).then(
    (s) => s.isDirectory(),
    () => true,
  );
  return join(isDir ? only : dirname(only), reportFileName);
}

export function registerReport({ program, log }: CommandContext): void {
  program
    .command('report')
    .description('render (and compare) results into HTML')
    .argument('<dirs...>', 'results directories (or results.json files); several are compared side by side against the first')
    .option('--out <file>', 'output HTML file (default: DIR/report.html for one directory, ./comparison.html for several)')
    .option('--json', 'print {"report": path} on stdout')
    .action(async (dirs: string[], opts: ReportOptions) => {
      const out = opts.out ? resolve(opts.out) : await defaultOut(dirs);
      await renderResultsDirs(dirs, out);
      log.info(dirs.length > 1 ? `compared ${dirs.length} results into ${out}` : `rendered ${out}`);
      process.stdout.write(opts.json ? JSON.stringify({ report: out }) + '\n' : `${out}\n`);
    });
}
