/**
 * `--filter` globs over scenario names (`watches/*`, `*multi*`, `nodes/seq?ential`): `*` is any
 * run of characters except `/`, `**` any run including `/`, `?` one character. Several globs
 * separated by commas match when any does.
 */
export function nameFilter(globs: string | undefined): (name: string) => boolean {
  if (globs === undefined || globs.trim() === '') return () => true;
  const patterns = globs.split(',').map((g) => globToRegExp(g.trim())).filter((r) => r !== null);
  return (name) => patterns.some((p) => p.test(name));
}

function globToRegExp(glob: string): RegExp | null {
  if (glob === '') return null;
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '.';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
