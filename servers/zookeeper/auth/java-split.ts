/**
 * Java's `String.split(regex)` with a literal separator: trailing empty strings are dropped,
 * which decides whether Apache accepts ids like "user:" (it does not).
 */
export function javaSplit(s: string, separator: string, limit = 0): string[] {
  if (limit > 0) {
    const parts: string[] = [];
    let rest = s;
    while (parts.length < limit - 1) {
      const i = rest.indexOf(separator);
      if (i === -1) break;
      parts.push(rest.slice(0, i));
      rest = rest.slice(i + separator.length);
    }
    parts.push(rest);
    return parts;
  }
  const parts = s.split(separator);
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 1 && parts[0] === '' && s.length > 0) return [];
  return parts;
}
