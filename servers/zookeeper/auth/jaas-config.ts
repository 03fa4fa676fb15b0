import { readFileSync } from 'node:fs';

export interface JaasLoginModule {
  className: string;
  flag: string;
  options: Map<string, string>;
}

/**
 * A JAAS login configuration file (`java.security.auth.login.config`), as Java's ConfigFile
 * reads it: named sections of `module flag key="value" ...;` entries, with // and /* *\/
 * comments.
 */
export function parseJaasConfig(text: string): Map<string, JaasLoginModule[]> {
  const src = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ').replace(/#[^\n]*/g, ' ');
  const tokens = tokenize(src);
  const sections = new Map<string, JaasLoginModule[]>();
  let i = 0;
  const next = () => tokens[i++];
  const expect = (t: string) => {
    const got = next();
    if (got !== t) throw new Error(`JAAS config: expected "${t}" but found "${got ?? 'end of file'}"`);
  };
  while (i < tokens.length) {
    const name = next()!;
    expect('{');
    const modules: JaasLoginModule[] = [];
    while (tokens[i] !== '}') {
      const className = next();
      const flag = next();
      if (className === undefined || flag === undefined) throw new Error(`JAAS config: section ${name} is not closed`);
      const options = new Map<string, string>();
      while (tokens[i] !== ';') {
        const key = next();
        expect('=');
        const value = next();
        if (key === undefined || value === undefined) throw new Error(`JAAS config: entry in ${name} is not terminated by ;`);
        options.set(key, unquote(value));
      }
      expect(';');
      modules.push({ className, flag, options });
    }
    expect('}');
    if (tokens[i] === ';') i++;
    sections.set(name, modules);
  }
  return sections;
}

function tokenize(src: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if ('{};='.includes(c)) {
      out.push(c);
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      out.push(src.slice(i, j + 1));
      i = j + 1;
    } else {
      let j = i;
      while (j < src.length && !/\s/.test(src[j]!) && !'{};="'.includes(src[j]!)) j++;
      out.push(src.slice(i, j));
      i = j;
    }
  }
  return out;
}

function unquote(v: string): string {
  if (!v.startsWith('"')) return v;
  return v.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** The DIGEST-MD5 users of a JAAS section: `user_<name>="<password>"` options (Apache's SaslServerCallbackHandler). */
export function digestUsersOf(file: string, section: string): Map<string, string> | null {
  const sections = parseJaasConfig(readFileSync(file, 'utf8'));
  const modules = sections.get(section);
  if (modules === undefined) return null;
  const users = new Map<string, string>();
  for (const m of modules) {
    for (const [k, v] of m.options) if (k.startsWith('user_')) users.set(k.slice('user_'.length), v);
  }
  return users;
}
