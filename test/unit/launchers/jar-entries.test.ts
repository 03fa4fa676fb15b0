import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classEntryName, jarEntries } from '../../../workloads/launchers/jar-entries.js';
import { findOnPath } from '../../../workloads/launchers/prerequisites.js';

describe('jar entries from the zip central directory', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kz-jar-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('lists what python zipfile wrote, comment and all', async (ctx) => {
    if (!findOnPath('python3')) ctx.skip();
    const jar = join(dir, 'made.jar');
    execFileSync('python3', [
      '-c',
      `import zipfile,sys
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('META-INF/MANIFEST.MF', 'Manifest-Version: 1.0\\n')
    z.writestr('org/example/Main.class', b'\\xca\\xfe\\xba\\xbe')
    z.writestr('org/example/tools/Topic Command.class', b'')
    z.comment = b'x' * 300`,
      jar,
    ]);
    expect(await jarEntries(jar)).toEqual(['META-INF/MANIFEST.MF', 'org/example/Main.class', 'org/example/tools/Topic Command.class']);
  });

  it("finds a real class in Debian's zookeeper.jar", async (ctx) => {
    if (!existsSync('/usr/share/java/zookeeper.jar')) ctx.skip();
    const entries = await jarEntries('/usr/share/java/zookeeper.jar');
    expect(entries).toContain(classEntryName('org.apache.zookeeper.ZooKeeperMain'));
  });

  it('rejects a file that is not a zip', async () => {
    const bogus = join(dir, 'bogus.jar');
    await writeFile(bogus, 'definitely not a zip archive, just some text long enough to scan'.repeat(3));
    await expect(jarEntries(bogus)).rejects.toThrow(/not a zip file/);
  });

  it('maps class names to entry names', () => {
    expect(classEntryName('org.apache.kafka.tools.TopicCommand')).toBe('org/apache/kafka/tools/TopicCommand.class');
  });
});
