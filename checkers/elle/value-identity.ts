/**
 * Keys and values in histories are usually numbers or strings, occasionally vectors (Elle's
 * tests use keys like [:anti 3]). Maps compare objects by reference, so composite values are
 * given a canonical text form; the NUL prefix keeps them apart from plain strings.
 */
export type ValueId = number | string | boolean | null;

export function valueId(v: unknown): ValueId {
  switch (typeof v) {
    case 'number':
    case 'string':
    case 'boolean':
      return v;
    case 'undefined':
      return null;
    default:
      return v === null ? null : '\u0000' + JSON.stringify(v);
  }
}

/** How explanations quote a key or value: numbers bare, nil as Elle writes it, everything else as JSON. */
export function showValue(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (v === undefined || v === null) return 'nil';
  return JSON.stringify(v) ?? String(v);
}

/** The value an id stands for: itself, or the composite value its canonical text encodes. */
export function originalValue(id: ValueId | undefined): unknown {
  return typeof id === 'string' && id.charCodeAt(0) === 0 ? JSON.parse(id.slice(1)) : id;
}
