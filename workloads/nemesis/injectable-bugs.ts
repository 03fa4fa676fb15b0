/**
 * The bugs `--inject-bug` can switch on in this repository's reference servers, by system.
 * The servers read the choice from `KZBENCH_INJECT_BUG` in their environment (set by the run
 * through the launcher); their own lists live in servers/zookeeper/fault-injection.ts and
 * servers/kafka/fault-injection.ts, and a unit test keeps the three in step.
 *
 * - `stale-read`: reads answer from an older state than the one already acknowledged
 *   (linearizability: nonlinearizable; ZooKeeper session rules: zk-stale-read).
 * - `lost-ack`: some writes are acknowledged but never applied (linearizability:
 *   nonlinearizable; Kafka queue: lost-write / unseen).
 * - `dup-append`: some produced batches are appended twice (Kafka queue: duplicate).
 * - `skip-fsync`: writes are acknowledged without being made durable, so a crash loses
 *   them (with the `disk` fault: an acknowledged write is gone after the restart; for Kafka
 *   the topic must ask for fsyncs first, e.g. `--set flush-messages=1` in kafka-queue).
 */
export const injectableBugs = {
  zookeeper: ['stale-read', 'lost-ack', 'skip-fsync'],
  kafka: ['lost-ack', 'dup-append', 'skip-fsync'],
} as const;

export type InjectableBug = (typeof injectableBugs)[keyof typeof injectableBugs][number];

export { injectBugEnvVar } from '../../common/fault-switches.js';
