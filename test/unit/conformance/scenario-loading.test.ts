import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KzbenchError } from '../../../common/errors.js';
import { parseKafkaScenarioFile } from '../../../workloads/conformance/kafka/scenario-loader.js';
import { readScenarioDirectory, readScenarioFile } from '../../../workloads/conformance/scenario-loading.js';
import { parseScenarioFile } from '../../../workloads/conformance/zookeeper/scenario-loader.js';

const zkFile = (...names: string[]) => `scenarios:\n${names.map((n) => `  - name: ${n}\n    steps:\n      - op: exists\n        path: /\n`).join('')}`;
const kafkaFile = (name: string) => `scenarios:\n  - name: ${name}\n    steps:\n      - api: Metadata\n        body: { topics: [] }\n`;

/** Runs `use` on a fresh temp directory holding `files`, then removes it. */
async function inDirectory(files: Record<string, string>, use: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'kz-scenario-loading-'));
  try {
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function errorOf(work: Promise<unknown>): Promise<KzbenchError> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KzbenchError);
  return err as KzbenchError;
}

describe('reading a directory of scenario files (both suites)', () => {
  it('reads .yaml, .yml and .json files in name order, scenarios in declaration order, and nothing else', async () => {
    const files = {
      'b.yaml': zkFile('second', 'third'),
      'a.yml': zkFile('first'),
      'c.json': JSON.stringify({ scenarios: [{ name: 'fourth', steps: [{ op: 'exists', path: '/' }] }] }),
      'notes.txt': 'not a scenario',
    };
    await inDirectory(files, async (dir) => {
      const loaded = await readScenarioDirectory(dir, parseScenarioFile);
      expect(loaded.map((s) => [s.name, s.file, s.line])).toEqual([
        ['a/first', join(dir, 'a.yml'), 2],
        ['b/second', join(dir, 'b.yaml'), 2],
        ['b/third', join(dir, 'b.yaml'), 6],
        ['c/fourth', join(dir, 'c.json'), 1],
      ]);
      expect(loaded[0]!.sessions).toEqual([{ name: 'a' }]);
    });
  });

  it('refuses a scenario defined twice, naming both places', async () => {
    await inDirectory({ 'q.yaml': kafkaFile('s'), 'q.yml': kafkaFile('s') }, async (dir) => {
      const err = await errorOf(readScenarioDirectory(dir, parseKafkaScenarioFile));
      expect(err.code).toBe('KZ_SCENARIO_DUPLICATE');
      expect(err.exitCode).toBe(2);
      expect(err.message).toBe(`scenario q/s is defined twice: ${join(dir, 'q.yaml')}:2 and ${join(dir, 'q.yml')}:2`);
    });
  });

  it('says when the directory cannot be read or holds no scenario file, and when a file cannot be read', async () => {
    await inDirectory({ 'readme.md': '# none' }, async (dir) => {
      expect((await errorOf(readScenarioDirectory(join(dir, 'missing'), parseScenarioFile))).code).toBe('KZ_SCENARIO_DIR_UNREADABLE');
      const empty = await errorOf(readScenarioDirectory(dir, parseScenarioFile));
      expect(empty.code).toBe('KZ_SCENARIO_DIR_EMPTY');
      expect(empty.message).toBe(`${dir} holds no scenario files (*.yaml, *.yml, *.json)`);
      const unreadable = await errorOf(readScenarioFile(join(dir, 'gone.yaml'), parseKafkaScenarioFile));
      expect(unreadable.code).toBe('KZ_SCENARIO_UNREADABLE');
      expect(unreadable.exitCode).toBe(2);
    });
  });
});
