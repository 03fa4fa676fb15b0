/**
 * The four-letter words Apache recognises (FourLetterCommands.java, 3.8/3.9). Sent as the
 * first 4 bytes of a fresh connection instead of a length prefix; each word's int value is far
 * above jute.maxbuffer, so it cannot be mistaken for a real frame length.
 */
export const FOUR_LETTER_WORDS = [
  'conf',
  'cons',
  'crst',
  'dirs',
  'dump',
  'envi',
  'gtmk',
  'ruok',
  'stmk',
  'srvr',
  'srst',
  'stat',
  'wchc',
  'wchp',
  'wchs',
  'mntr',
  'isro',
  'hash',
] as const;
export type FourLetterWord = (typeof FOUR_LETTER_WORDS)[number];

const byInt = new Map<number, FourLetterWord>(FOUR_LETTER_WORDS.map((w) => [Buffer.from(w, 'latin1').readInt32BE(0), w]));

/** The word whose big-endian int value is `lengthPrefix`, if any. */
export function fourLetterWordOf(lengthPrefix: number): FourLetterWord | undefined {
  return byInt.get(lengthPrefix);
}
