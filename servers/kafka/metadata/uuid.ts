import { randomBytes } from 'node:crypto';

/**
 * A Kafka UUID (topic ids, cluster ids, directory ids) as the 22-character base64url
 * string the codec uses. Like Apache's Uuid.randomUuid, never the zero UUID and never one
 * whose text starts with '-' (command-line tools would read it as a flag).
 */
export function randomKafkaUuid(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-') && id !== 'AAAAAAAAAAAAAAAAAAAAAA') return id;
  }
}
