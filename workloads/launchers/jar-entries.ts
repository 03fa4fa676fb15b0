import { open } from 'node:fs/promises';

const endOfCentralDirectorySignature = 0x06054b50;
const centralFileHeaderSignature = 0x02014b50;
/** The end record is 22 bytes plus a comment of at most 64 KiB. */
const maxEndRecordSearch = 22 + 0xffff;

/**
 * The entry names of a jar (zip) file, read from its central directory: enough to learn which
 * classes a jar provides without unpacking it or starting a JVM.
 */
export async function jarEntries(path: string): Promise<string[]> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const tailLength = Math.min(size, maxEndRecordSearch);
    const tail = Buffer.alloc(tailLength);
    await file.read(tail, 0, tailLength, size - tailLength);
    let end = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === endOfCentralDirectorySignature) {
        end = i;
        break;
      }
    }
    if (end < 0) throw new Error(`${path} is not a zip file (no end of central directory)`);
    const entryCount = tail.readUInt16LE(end + 10);
    const directorySize = tail.readUInt32LE(end + 12);
    const directoryOffset = tail.readUInt32LE(end + 16);
    if (directoryOffset === 0xffffffff || entryCount === 0xffff) throw new Error(`${path} is a zip64 file, which is not supported here`);
    const directory = Buffer.alloc(directorySize);
    await file.read(directory, 0, directorySize, directoryOffset);
    const names: string[] = [];
    let at = 0;
    while (at + 46 <= directory.length && directory.readUInt32LE(at) === centralFileHeaderSignature) {
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      names.push(directory.toString('utf8', at + 46, at + 46 + nameLength));
      at += 46 + nameLength + extraLength + commentLength;
    }
    return names;
  } finally {
    await file.close();
  }
}

/** `org.apache.kafka.tools.TopicCommand` → `org/apache/kafka/tools/TopicCommand.class`. */
export function classEntryName(className: string): string {
  return className.replaceAll('.', '/') + '.class';
}
