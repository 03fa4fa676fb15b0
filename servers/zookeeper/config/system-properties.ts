/**
 * Java system properties as `zkServer.sh` hands them to the JVM: `-Dkey=value` arguments and
 * the same flags inside `SERVER_JVMFLAGS` (and `JVMFLAGS`). Other JVM flags (-Xmx, -cp, ...)
 * are accepted and ignored, so a launcher written for Apache works unchanged.
 */
export function parseSystemPropertyFlags(args: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const arg of args) {
    if (!arg.startsWith('-D')) continue;
    const body = arg.slice(2);
    const eq = body.indexOf('=');
    if (eq === -1) out.set(body, '');
    else out.set(body.slice(0, eq), body.slice(eq + 1));
  }
  return out;
}

/** Splits a shell-style flag string (as in `SERVER_JVMFLAGS="-Da=1 -Db='x y'"`) into words. */
export function splitShellWords(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== null) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) current += text[++i];
      else current += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      current += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

/** System properties from the environment (`JVMFLAGS`, then `SERVER_JVMFLAGS`) and then argv, later wins. */
export function collectSystemProperties(env: NodeJS.ProcessEnv, argv: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const source of [env.JVMFLAGS, env.SERVER_JVMFLAGS]) {
    if (source) for (const [k, v] of parseSystemPropertyFlags(splitShellWords(source))) out.set(k, v);
  }
  for (const [k, v] of parseSystemPropertyFlags(argv)) out.set(k, v);
  return out;
}
