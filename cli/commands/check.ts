import { writeFile } from 'node:fs/promises';
import { ExitCode, UsageError } from '../../common/errors.js';
import { checkerViewFor } from '../../reports/views/checker-views.js';
import { renderLinearizabilityPage } from '../../reports/views/linearizability.js';
import { formatCheckResultText } from '../../checkers/check-result-text.js';
import type { CheckOptions, CheckResult } from '../../checkers/checker.js';
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
  anomalies?: string;
  cycleSearchTimeout?: string;
  maxAnomalies?: string;
  wfrKeys?: boolean;
  sequentialKeys?: boolean;
  linearizableKeys?: boolean;
  wwDeps?: boolean;
  rwDeps?: boolean;
  subVia?: string;
  inputKeys?: string;
  outputKeys?: string;
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
    .option('--consistency-models <list>', 'Elle, kafka-queue: comma-separated consistency models (default strict-serializable; kafka-queue strong-read-committed)')
    .option('--anomalies <list>', 'Elle, kafka-queue: anomalies to forbid besides the models\' (e.g. G1,G2-item)')
    .option('--cycle-search-timeout <seconds>', 'Elle, kafka-queue: cycle search budget per strongly connected component (default 1)')
    .option('--max-anomalies <n>', 'Elle, Kafka: cases kept and explained per anomaly type (default 32; all are counted)')
    .option('--wfr-keys', 'rw-register: writes follow reads within a transaction (a version-order source)')
    .option('--sequential-keys', 'rw-register: each key is sequentially consistent (process order gives versions)')
    .option('--linearizable-keys', 'rw-register: each key is linearizable (realtime order gives versions)')
    .option('--ww-deps', 'kafka-queue: infer write-write edges from offsets (G0/G1c then allowed)')
    .option('--rw-deps', 'kafka-queue: infer anti-dependencies from each op\'s highest poll')
    .option('--sub-via <assign|subscribe>', 'kafka-queue: how consumers got partitions (default: subscribe when the history has a subscribe op)')
    .option('--input-keys <list>', 'kafka-exactly-once: input partitions (default: names starting "in")')
    .option('--output-keys <list>', 'kafka-exactly-once: output partitions (default: names starting "out")')
    .option('--html <file>', 'also write a page with the checker\'s view (linearizability: the failure timeline; Elle, kafka-queue: the cycles)')
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
      if (flags.consistencyModels !== undefined) opts.consistencyModels = list(flags.consistencyModels);
      if (flags.anomalies !== undefined) opts.anomalies = list(flags.anomalies);
      if (flags.cycleSearchTimeout !== undefined) opts.cycleSearchTimeoutMs = positiveNumber('--cycle-search-timeout', flags.cycleSearchTimeout) * 1000;
      if (flags.maxAnomalies !== undefined) opts.maxAnomaliesPerType = Math.floor(positiveNumber('--max-anomalies', flags.maxAnomalies));
      for (const name of ['wfrKeys', 'sequentialKeys', 'linearizableKeys', 'wwDeps', 'rwDeps'] as const) if (flags[name]) opts[name] = true;
      if (flags.subVia !== undefined) {
        if (flags.subVia !== 'assign' && flags.subVia !== 'subscribe') throw new UsageError('KZ_USAGE', `--sub-via must be assign or subscribe, got '${flags.subVia}'`);
        opts.subVia = [flags.subVia];
      }
      if (flags.inputKeys !== undefined) opts.inputKeys = list(flags.inputKeys);
      if (flags.outputKeys !== undefined) opts.outputKeys = list(flags.outputKeys);

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
        await writeFile(flags.html, checkPage(result));
        log.info(`wrote ${flags.html}`);
      }
      process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatCheckResultText(result)}\n`);
      process.exitCode = result.valid === true ? ExitCode.ok : result.valid === false ? ExitCode.violation : ExitCode.unknown;
    });
}

/** A standalone page: the linearizability timeline page, or the checker's view under the verdict. */
function checkPage(result: CheckResult): string {
  if (result.checker === 'linearizability') return renderLinearizabilityPage(result);
  const verdict = result.valid === true ? 'VALID' : result.valid === false ? 'INVALID' : 'UNKNOWN';
  const title = escapeHtml(`${verdict} · ${result.checker} against ${result.model}`);
  const view = checkerViewFor(result.checker)?.(result) ?? '<p>Nothing to draw.</p>';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body style="margin:24px;font:14px system-ui,sans-serif"><h3>${title}</h3><p>${escapeHtml(result.summary)}</p>${view}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
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

function list(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function positiveNumber(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError('KZ_USAGE', `${flag} needs a positive number, got '${text}'`);
  return n;
}
