import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../../common/ports.js';
import { KafkaConnection } from '../../../../workloads/clients/kafka/kafka-connection.js';
import { KafkaClient } from '../../../../workloads/clients/kafka/kafka-client.js';

/** Peers that do not speak Kafka properly: the client must fail with a clear error, never hang. */
describe('fast Kafka client connection errors', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  async function peer(onData: (socket: import('node:net').Socket, chunk: Buffer) => void): Promise<number> {
    server = createServer((s) => s.on('data', (c) => onData(s, c)));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return (server.address() as { port: number }).port;
  }

  it('reports an unreachable bootstrap address', async () => {
    const port = await freePort();
    await expect(KafkaClient.connect({ bootstrap: `127.0.0.1:${port}`, connectTimeoutMs: 2000 })).rejects.toMatchObject({
      code: 'KZ_KAFKA_CONNECTION',
      message: expect.stringMatching(/no bootstrap broker.*reachable/),
    });
  });

  it('rejects a malformed bootstrap string', async () => {
    await expect(KafkaClient.connect({ bootstrap: 'localhost' })).rejects.toThrow(/invalid bootstrap address "localhost"/);
  });

  it('fails the handshake when the peer answers with an absurd frame size', async () => {
    const port = await peer((s) => s.write(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')));
    await expect(KafkaConnection.connect({ host: '127.0.0.1', port })).rejects.toMatchObject({
      code: 'KZ_KAFKA_CONNECTION',
      message: expect.stringMatching(/bad frame.*exceeds the limit/),
    });
  });

  it('fails the handshake when the peer closes the connection', async () => {
    const port = await peer((s) => s.destroy());
    await expect(KafkaConnection.connect({ host: '127.0.0.1', port })).rejects.toThrow(/closed/);
  });

  it('times out a request the peer never answers', async () => {
    const port = await peer(() => {});
    await expect(KafkaConnection.connect({ host: '127.0.0.1', port, requestTimeoutMs: 300 })).rejects.toThrow(/ApiVersions request .* timed out after 300 ms/);
  });

  it('rejects a response whose correlation id matches no request', async () => {
    const port = await peer((s) => {
      const frame = Buffer.alloc(10);
      frame.writeInt32BE(6, 0);
      frame.writeInt32BE(12345, 4);
      s.write(frame);
    });
    await expect(KafkaConnection.connect({ host: '127.0.0.1', port })).rejects.toThrow(/unknown correlation id 12345/);
  });
});
