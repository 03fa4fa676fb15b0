/**
 * The text Apache keeps in quota znodes (`StatsTrack`): "count=N,bytes=M" followed, when hard
 * limits exist, by "=;byteHardLimit=..;countHardLimit=.." (keys sorted). Missing values read -1.
 */
export class StatsTrack {
  private readonly stats = new Map<string, number>();

  constructor(text = '') {
    if (text.length === 0) return;
    for (const pair of text.split(/[,;]+/)) {
      if (pair.length === 0) continue;
      const kv = pair.split('=');
      const key = kv[0] ?? '';
      const raw = kv[1] ?? '';
      const value = raw === '' ? -1 : Number.parseInt(raw, 10);
      this.stats.set(key, Number.isNaN(value) ? -1 : value);
    }
  }

  static fromBytes(data: Uint8Array | string | null): StatsTrack {
    if (data === null) return new StatsTrack();
    if (typeof data === 'string') return new StatsTrack(Buffer.from(data, 'latin1').toString('utf8'));
    return new StatsTrack(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  }

  get count(): number {
    return this.stats.get('count') ?? -1;
  }
  set count(v: number) {
    this.stats.set('count', v);
  }
  get bytes(): number {
    return this.stats.get('bytes') ?? -1;
  }
  set bytes(v: number) {
    this.stats.set('bytes', v);
  }
  get countHardLimit(): number {
    return this.stats.get('countHardLimit') ?? -1;
  }
  get byteHardLimit(): number {
    return this.stats.get('byteHardLimit') ?? -1;
  }

  toString(): string {
    let out = `count=${this.count},bytes=${this.bytes}`;
    const extra = [...this.stats.keys()].filter((k) => k !== 'count' && k !== 'bytes').sort();
    if (extra.length > 0) {
      // The extra "=" lets pre-3.7 parsers ignore the hard limits, exactly as Apache writes it.
      out += '=';
      for (const key of extra) out += `;${key}=${this.stats.get(key)}`;
    }
    return out;
  }

  toBytes(): Uint8Array {
    return Buffer.from(this.toString(), 'utf8');
  }
}
