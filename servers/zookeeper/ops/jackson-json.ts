/**
 * JSON laid out the way Apache's AdminServer prints it (Jackson's default pretty printer:
 * two-space indent, `"key" : value`, `[ ]` and `{ }` for empty containers), so scripts that
 * scrape it see the same text.
 */
export type JsonValue = string | number | boolean | null | bigint | JsonValue[] | { [key: string]: JsonValue };

export function jacksonPretty(value: JsonValue, indent = ''): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[ ]';
    return `[ ${value.map((v) => jacksonPretty(v, indent)).join(', ')} ]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{ }';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)} : ${jacksonPretty(v, inner)}`).join(',\n')}\n${indent}}`;
}
