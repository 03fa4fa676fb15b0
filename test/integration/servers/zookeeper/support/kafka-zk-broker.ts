import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const cacheRoot = fileURLToPath(new URL('../../../../../.cache/apache/', import.meta.url));

/** A Kafka 3.9.x fetched by `kzbench apache fetch --kafka 3.9.x`, or null. */
export function cachedKafka39(): { dir: string; version: string } | null {
  if (!existsSync(cacheRoot)) return null;
  const dir = readdirSync(cacheRoot)
    .filter((d) => /^kafka-3\.9\.\d+$/.test(d) && existsSync(path.join(cacheRoot, d, 'kzbench-fetch.json')))
    .sort()
    .at(-1);
  return dir === undefined ? null : { dir: path.join(cacheRoot, dir), version: dir.slice('kafka-'.length) };
}

/**
 * One Apache Kafka broker in ZooKeeper mode (`kafka.Kafka server.properties` with
 * zookeeper.connect), as a child process the test can SIGKILL.
 */
export class KafkaZkBroker {
  private child: ChildProcess | null = null;
  output = '';

  constructor(
    readonly id: number,
    readonly port: number,
    private readonly dir: string,
    private readonly kafkaDir: string,
    private readonly zookeeperConnect: string,
  ) {}

  start(): void {
    this.output = '';
    mkdirSync(this.dir, { recursive: true });
    const props = path.join(this.dir, 'server.properties');
    writeFileSync(
      props,
      [
        `broker.id=${this.id}`,
        `listeners=PLAINTEXT://127.0.0.1:${this.port}`,
        `log.dirs=${path.join(this.dir, 'logs')}`,
        `zookeeper.connect=${this.zookeeperConnect}`,
        'zookeeper.session.timeout.ms=6000',
        'offsets.topic.replication.factor=3',
        'transaction.state.log.replication.factor=3',
        'transaction.state.log.min.isr=2',
        'default.replication.factor=3',
        'num.partitions=3',
        'group.initial.rebalance.delay.ms=0',
        'unclean.leader.election.enable=false',
        '',
      ].join('\n'),
    );
    const log4j = path.join(this.dir, 'log4j.properties');
    writeFileSync(log4j, 'log4j.rootLogger=INFO, out\nlog4j.appender.out=org.apache.log4j.ConsoleAppender\nlog4j.appender.out.layout=org.apache.log4j.PatternLayout\nlog4j.appender.out.layout.ConversionPattern=[%d] %p %m (%c)%n\n');
    this.child = spawn(
      'java',
      ['-Xmx320m', '-Xms64m', '-XX:+UseSerialGC', `-Dlog4j.configuration=file:${log4j}`, '-cp', path.join(this.kafkaDir, 'lib', '*'), 'kafka.Kafka', props],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const keep = (d: Buffer) => {
      // Keep the tail only: brokers are chatty.
      this.output = (this.output + d.toString()).slice(-200_000);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
  }

  get started(): boolean {
    return /\[KafkaServer id=\d+\] started/.test(this.output);
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  async kill9(): Promise<void> {
    const child = this.child;
    if (child === null || !this.running) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}
