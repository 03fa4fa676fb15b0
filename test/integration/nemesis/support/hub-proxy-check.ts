/**
 * Runs inside a sandbox's hub (started by runInNetworkSandbox from the integration test):
 * puts transparent fault proxies in front of an echo server in node 1's namespace and
 * reports what a client in the hub saw, as JSON in the file named by argv[2].
 */
import { connect, type Socket } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { NetworkSandbox } from '../../../../workloads/nemesis/network-sandbox.js';
import { ProxyNetwork } from '../../../../workloads/nemesis/proxy-network.js';
import { echoServerIn } from './netns-probes.js';

const outFile = process.argv[2]!;
const sandbox = NetworkSandbox.fromEnvironment()!;
const node = sandbox.layout.nodes[0]!;
const port = 7002;
const server = await echoServerIn(node.netns, node.address, port);

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(5);
}

function client(): { socket: Socket; received: () => string } {
  const socket = connect(port, node.address);
  let text = '';
  socket.on('data', (d) => (text += d.toString()));
  socket.on('error', () => {});
  return { socket, received: () => text };
}

const proxies = await ProxyNetwork.transparent(sandbox, [{ id: node.id, host: node.address, port }]);
const result: Record<string, unknown> = {};
try {
  const a = client();
  a.socket.write('hello');
  await until(() => a.received() === 'hello');
  result.plainEcho = a.received();
  const heal = proxies.addToxic([node.id], { type: 'stall' }, 'upstream');
  const b = client();
  b.socket.write('held');
  // The proxy has the bytes but forwards none while the stall is in force.
  const traffic = proxies.trafficOf(node.id);
  await until(() => traffic.upstream.received === 9);
  result.heldWhileStalled = traffic.upstream.forwarded === 5 && b.received() === '';
  heal();
  await until(() => b.received() === 'held');
  result.releasedAfterHeal = b.received();
  result.upstreamBytesThroughProxy = traffic.upstream.forwarded;
  a.socket.destroy();
  b.socket.destroy();
} finally {
  await proxies.close();
}
const nat = await sandbox.iptablesInHub(['-t', 'nat', '-S', 'OUTPUT']);
result.natRulesAfterClose = nat.stdout.split('\n').filter((l) => l.includes('KZ-PROXY')).length;
server.kill('SIGKILL');
await writeFile(outFile, JSON.stringify(result));
