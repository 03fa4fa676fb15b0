import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** A TCP echo server inside a namespace; resolves once it listens. */
export async function echoServerIn(netns: string, host: string, port: number): Promise<ChildProcess> {
  const script = `require('net').createServer((s) => { s.on('error', () => {}); s.pipe(s); }).listen(${port}, '${host}', () => console.log('listening'))`;
  const child = spawn('ip', ['netns', 'exec', netns, process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  if (!line.toString().includes('listening')) throw new Error(`echo server in ${netns} did not start: ${line.toString()}`);
  return child;
}

/**
 * From inside `netns` (or the host when null), connects to host:port, sends a line and waits
 * for its echo. 'ok', or 'unreachable' when nothing comes back within `timeoutMs` (a DROP
 * rule answers nothing at all, so only a timeout can tell).
 */
export async function probe(netns: string | null, host: string, port: number, timeoutMs = 3000): Promise<'ok' | 'unreachable'> {
  const script = `const s = require('net').connect(${port}, '${host}', () => s.write('ping'));
    const t = setTimeout(() => { console.log('unreachable'); process.exit(0); }, ${timeoutMs});
    s.on('data', () => { clearTimeout(t); console.log('ok'); process.exit(0); });
    s.on('error', () => { clearTimeout(t); console.log('unreachable'); process.exit(0); });`;
  const argv = netns === null ? [process.execPath, '-e', script] : ['ip', 'netns', 'exec', netns, process.execPath, '-e', script];
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await once(child, 'exit');
  return out.trim() === 'ok' ? 'ok' : 'unreachable';
}
