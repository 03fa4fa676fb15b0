import { writeFile } from 'node:fs/promises';
import { ExitCode, UsageError } from '../../common/errors.js';
import { renderLinearizabilityPage } from '../../reports/views/linearizability.js';
import { formatCheckResultText } from '../../checkers/check-result-text.js';
import type { CheckOptions } from '../../checkers/checker.js';
import { readAllEdn } from '../../checkers/history/edn-reader.js';
import { isHistoryFormat, historyFormats } from '../../checkers/history/history-format.js';
import { detectHistoryFileFormat, readHistoryFile } from '../../checkers/history/read-history.js';
import { availableModels, checkerFor } from '../../checkers/registry.js';
import type { CommandContext } from '../command-context.js';

interface CheckFlags {
  model: string;
  format?: string;
  init?: string;
  json?: boolean;
  independent?: boolean;
  timeLimit?: string;
  memoryLimit?: string;
  workers?: string;
  allKeys?: boolean;
  consistencyModels?: string;
  html?: string;
}

export function registerCheck({ program, log }: CommandContext): void {
  program
    .command('check')
    .description('check a history file (exit 0 valid, 3 invalid, 5 unknown)')
    .argument('<history>', 'history file (JSONL, Jepsen EDN, 2014 Jepsen log lines)')
    .requiredOption('--model <model>', `model or workload checker (${availableModels().join(', ')})`)
    .option('--format <format>', `${historyFormats.join(' | ')} (default: detected)`)
    .option('--init <value>', 'initial model state, JSON or EDN (e.g. 0, nil, {"x":0,"y":0})')
    .option('--json', 'print the CheckResult as JSON')
    .option('--independent', 'values are Jepsen independent [key value] tuples: check each key apart')
    .option('--time-limit <seconds>', 'search budget; past it the verdict is unknown (default 60)')
    .option('--memory-limit <mb>', 'search memory budget; past it the verdict is unknown (default 1024)')
    .option('--workers <n>', 'worker threads for keys checked in parallel (default: CPU count)')
    .option('--all-keys', 'keep checking other keys after one is not linearizable')
    .option('--consistency-models <list>', 'Elle: comma-separated consistency models (default strict-serializable)')
    .option('--html <file>', 'linearizability: also write a page with the failure timeline')
    .action(async (historyPath: string, flags: CheckFlags) => {
      const checker = checkerFor(flags.model);
      if (flags.format !== undefined && !isHistoryFormat(flags.format)) {
        throw new UsageError('KZ_CHECK_BAD_FORMAT', `unknown --format '${flags.format}'; use one of ${historyFormats.join(', ')}`);
      }
      const opts: CheckOptions = {};
      if (flags.init !== undefined) opts.init = parseInit(flags.init);
      if (flags.timeLimit !== undefined) opts.timeLimitMs = positiveNumber('--time-limit', flags.timeLimit) * 1000;
      if (flags.memoryLimit !== undefined) opts.memoryLimitMb = positiveNumber('--memory-limit', flags.memoryLimit);
      if (flags.workers !== undefined) opts.workers = Math.floor(positiveNumber('--workers', flags.workers));
      if (flags.independent) opts.independent = true;
      if (flags.allKeys) opts.checkAllPartitions = true;
      if (flags.consistencyModels !== undefined) opts.consistencyModels = flags.consistencyModels.split(',').map((s) => s.trim()).filter(Boolean);

      const format = flags.format ?? (await detectHistoryFileFormat(historyPath));
      const defaults = checker.historyDefaults?.(flags.model);
      // Checkers that stream a file into their own compact form read it themselves.
      let result = await checker.checkFile?.(historyPath, flags.model, { format, defaults }, opts);
      if (result) log.info(`checked ${result.stats?.ops ?? 'the'} ops streamed from ${historyPath} against ${flags.model} (${checker.name})`);
      else {
        const history = await readHistoryFile(historyPath, { format, defaults });
        log.info(`checking ${history.length} ops from ${historyPath} against ${flags.model} (${checker.name})`);
        result = await checker.check(history, flags.model, opts);
      }
      if (flags.html) {
        await writeFile(flags.html, renderLinearizabilityPage(result));
        log.info(`wrote ${flags.html}`);
      }
      process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatCheckResultText(result)}\n`);
      process.exitCode = result.valid === true ? ExitCode.ok : result.valid === false ? ExitCode.violation : ExitCode.unknown;
    });
}

/** `--init` as JSON, else as EDN (nil, {:x 0 :y 0}); a bare word is a string. */
function parseInit(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    try {
      const forms = readAllEdn(text, '--init');
      if (forms.length === 1) return forms[0];
    } catch {
      // fall through to the error below
    }
  }
  throw new UsageError('KZ_CHECK_BAD_INIT', `--init ${JSON.stringify(text)} is neither JSON nor a single EDN value`);
}

function positiveNumber(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError('KZ_USAGE', `${flag} needs a positive number, got '${text}'`);
  return n;
}
