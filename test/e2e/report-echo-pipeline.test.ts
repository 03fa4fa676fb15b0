import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHistoryFile } from '../../checkers/history/index.js';
import { readResultsFile } from '../../reports/results-file.js';
import { writeRunOutputs } from '../../reports/report-outputs.js';
import { collectEnvironment } from '../../workloads/runner/environment.js';
import { HistoryRecorder } from '../../workloads/runner/history-recorder.js';
import { runLoad } from '../../workloads/runner/load-runner.js';
import type { Executor } from '../../workloads/runner/operation.js';
import { assembleResults } from '../../workloads/runner/results-assembly.js';
import { RunSession } from '../../workloads/runner/run-session.js';
import { repoRoot, runCli } from '../support/cli.js';
import { chromiumMissingReason, inspectReport } from '../unit/reports/report-browser.js';

/** A line echo server on loopback that a "pause" fault can freeze (sockets stop reading). */
class EchoServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private paused = false;
  port = 0;

  constructor() {
    this.server = createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      if (this.paused) socket.pause();
      socket.pipe(socket);
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  pause(): void {
    this.paused = true;
    for (const s of this.sockets) s.pause();
  }

  resume(): void {
    this.paused = false;
    for (const s of this.sockets) s.resume();
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A pipelined line client: requests are `id value\n`, replies matched by id. */
class EchoConnection {
  private readonly socket: Socket;
  private readonly pending = new Map<number, (line: string) => void>();
  private buffer = '';
  private nextId = 0;

  constructor(port: number) {
    this.socket = createConnection({ host: '127.0.0.1', port });
    this.socket.setNoDelay(true);
    this.socket.setEncoding('utf8');
    this.socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        const space = line.indexOf(' ');
        const id = Number(line.slice(0, space));
        this.pending.get(id)?.(line.slice(space + 1));
        this.pending.delete(id);
      }
    });
  }

  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
  }

  request(value: string, timeoutMs: number, signal: AbortSignal): Promise<string> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // The run's signal outlives every request: each one removes its listener when it settles.
      const onAbort = () => clearTimeout(timer);
      const timer = setTimeout(() => {
        this.pending.delete(id);
        signal.removeEventListener('abort', onAbort);
        reject(new Error('timed out'));
      }, timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, (line) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(line);
      });
      this.socket.write(`${id} ${value}\n`);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

describe('runner → results.json → report, end to end against a real TCP echo server', () => {
  let root: string;
  let server: EchoServer;
  let connections: EchoConnection[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'kz-echo-'));
    server = new EchoServer();
    await server.listen();
  });
  afterAll(async () => {
    for (const c of connections) c.close();
    await server.close();
    await rm(root, { recursive: true, force: true });
  });

  it('measures an open-loop run with a pause fault and renders it', async () => {
    connections = [new EchoConnection(server.port), new EchoConnection(server.port)];
    await Promise.all(connections.map((c) => c.ready()));
    const history = new HistoryRecorder({ file: join(root, 'history.jsonl') });
    const session = new RunSession({ history });
    const rate = 200;
    const warmupSeconds = 0.5;
    const durationSeconds = 2;
    const executor: Executor = async (op, ctx) => {
      const conn = connections[ctx.worker % connections.length]!;
      ctx.markSent();
      try {
        const echoed = await conn.request(String(op.value), 3000, ctx.signal);
        return echoed === String(op.value) ? { type: 'ok', value: op.value, node: 'echo' } : { type: 'fail', error: `echoed ${echoed}` };
      } catch (err) {
        return { type: 'info', error: err };
      }
    };
    // Freeze the server for 300 ms in the middle of the measurement window.
    const fault = (async () => {
      await new Promise((r) => setTimeout(r, 1200));
      const active = session.nemesis.begin('pause', ['echo']);
      server.pause();
      await new Promise((r) => setTimeout(r, 300));
      server.resume();
      active.end();
    })();
    const load = await runLoad(session, {
      mode: 'open',
      rate,
      inFlight: 64,
      warmupSeconds,
      durationSeconds,
      drainTimeoutSeconds: 5,
      generator: ({ seq }) => ({ f: seq % 4 === 0 ? 'echo-large' : 'echo', value: seq % 4 === 0 ? `${seq}:${'x'.repeat(512)}` : seq }),
      executor,
    });
    await fault;
    await history.close();

    const results = assembleResults({
      config: {
        workload: 'tcp-echo',
        mode: 'open',
        rate,
        arrival: 'uniform',
        durationSeconds,
        warmupSeconds,
        clients: 1,
        connections: connections.length,
        inFlight: 64,
        settings: { batching: false, acks: null, fsync: null, pipelined: true },
      },
      environment: collectEnvironment({ implementations: [{ name: 'echo', version: process.version }] }),
      measurements: [{ implementation: 'echo', client: 'line-client', load }],
      nemesis: session.nemesis.snapshot(),
      history: { file: 'history.jsonl', ops: history.count, bytes: history.size },
    });
    const { resultsPath } = await writeRunOutputs(root, results);

    // Every arrival of the measurement window is accounted for, whatever the machine's speed.
    const read = (await readResultsFile(resultsPath)).results;
    const arrivals = read.runs.reduce((n, r) => n + r.counts.ok + r.counts.fail + r.counts.info + r.counts.dropped, 0);
    expect(arrivals).toBe(rate * durationSeconds);
    expect(read.runs.map((r) => r.op).sort()).toEqual(['echo', 'echo-large']);
    const echo = read.runs.find((r) => r.op === 'echo')!;
    expect(echo.counts.ok).toBeGreaterThan(0);
    expect(echo.latency.intended!.count).toBe(echo.counts.ok + echo.counts.fail + echo.counts.info);
    expect(echo.latency.intended!.max).toBeGreaterThanOrEqual(echo.latency.service.p50);
    expect(read.nemesis).toHaveLength(1);
    expect(read.nemesis[0]).toMatchObject({ fault: 'pause', nodes: ['echo'] });
    expect(read.nemesis[0]!.end).not.toBeNull();
    expect(read.environment.cpu.count).toBeGreaterThan(0);

    // The history is well-formed for the checkers: pairs validate, echoes return what was sent.
    const ops = await readHistoryFile(join(root, 'history.jsonl'));
    expect(ops.length).toBe(history.count);
    const invokes = ops.filter((o) => o.type === 'invoke');
    expect(invokes.length).toBe(load.started);
    expect(ops.filter((o) => o.process === 'nemesis').map((o) => o.f)).toEqual(['start-pause', 'stop-pause']);
    const invokedValue = new Map<unknown, unknown>();
    for (const o of ops) {
      if (o.type === 'invoke') invokedValue.set(o.process, o.value);
      if (o.type === 'ok') expect(o.value).toEqual(invokedValue.get(o.process));
    }

    // The CLI renders the same directory; the page draws in a browser when one is installed.
    const cli = await runCli(['report', root, '--out', join(root, 'report-cli.html')]);
    expect(cli.code).toBe(0);
    const html = await readFile(join(root, 'report-cli.html'), 'utf8');
    expect(html).toContain('tcp-echo');
    expect(html).toContain('"label":"pause echo"');
    const missing = chromiumMissingReason();
    if (missing) {
      console.warn(`skipping the browser check of the echo report: ${missing}`);
      return;
    }
    const seen = await inspectReport(join(root, 'report-cli.html'), join(process.env.KZBENCH_SCREENSHOT_DIR ?? join(repoRoot, 'reports', 'out', 'screenshots'), 'report-echo.png'));
    expect(seen.errors).toEqual([]);
    expect(seen.charts.length).toBe(8);
    for (const chart of seen.charts) expect(chart.hasCanvas, chart.id).toBe(true);
  });
});
