/**
 * Relations in expectations: `> czxid`, `== $zxid`, `>= $made.stat.mzxid && < mzxid`, `!= 0`,
 * `== $p.baseOffset + 1`. Each clause is a comparison against an operand, optionally plus or
 * minus an integer: an integer, a sibling field of the record being checked (`czxid`), the
 * step's own reply zxid (`$zxid`) or a value saved by an earlier step (`$name.path.to.field`).
 * Values are compared as bigints (zxids, offsets and times are 64-bit).
 */
export type Comparison = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type Operand =
  | { kind: 'literal'; value: bigint }
  | { kind: 'field'; name: string }
  | { kind: 'reference'; name: string; path: string[] };

export interface Clause {
  comparison: Comparison;
  operand: Operand;
  /** Added to the operand's value (`+ 1` → 1n, `- 2` → -2n); 0n when absent. */
  offset: bigint;
}

export interface Relation {
  text: string;
  clauses: Clause[];
}

const clausePattern = /^(==|!=|<=|>=|<|>)\s*(\S+?)(?:\s*([+-])\s*(\d+))?$/;
const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses a relation; throws an Error saying what is wrong (the loader adds the line). */
export function parseRelation(text: string): Relation {
  const clauses = text.split('&&').map((raw) => {
    const part = raw.trim();
    const m = clausePattern.exec(part);
    if (!m) throw new Error(`'${part}' is not a comparison; write e.g. '> czxid', '== $zxid' or '>= $saved.stat.mzxid + 1'`);
    const offset = m[4] === undefined ? 0n : (m[3] === '-' ? -1n : 1n) * BigInt(m[4]);
    return { comparison: m[1] as Comparison, operand: parseOperand(m[2]!), offset };
  });
  return { text, clauses };
}

function parseOperand(text: string): Operand {
  if (/^-?\d+$/.test(text)) return { kind: 'literal', value: BigInt(text) };
  if (text.startsWith('$')) {
    const [name = '', ...path] = text.slice(1).split('.');
    if (!identifier.test(name) || path.some((p) => !/^[A-Za-z0-9_]+$/.test(p))) throw new Error(`'${text}' is not a reference; write $zxid or $name.field.field`);
    return { kind: 'reference', name, path };
  }
  if (identifier.test(text)) return { kind: 'field', name: text };
  throw new Error(`'${text}' is neither a number, a field name nor a $reference`);
}

/** Resolves an operand to a value, or explains why it cannot. */
export type OperandResolver = (operand: Operand) => bigint | { unresolved: string };

/** Null when the relation holds, otherwise why not (with both values). */
export function checkRelation(relation: Relation, actual: bigint, resolve: OperandResolver): string | null {
  for (const clause of relation.clauses) {
    const resolved = resolve(clause.operand);
    if (typeof resolved !== 'bigint') return `cannot evaluate '${relation.text}': ${resolved.unresolved}`;
    const other = resolved + clause.offset;
    if (!compare(actual, clause.comparison, other)) return `${actual} is not ${clause.comparison} ${describeClauseOperand(clause)} (${other})`;
  }
  return null;
}

export function compare(a: bigint, comparison: Comparison, b: bigint): boolean {
  switch (comparison) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
  }
}

function describeClauseOperand(clause: Clause): string {
  const base = describeOperand(clause.operand);
  if (clause.offset === 0n) return base;
  return clause.offset > 0n ? `${base} + ${clause.offset}` : `${base} - ${-clause.offset}`;
}

export function describeOperand(operand: Operand): string {
  switch (operand.kind) {
    case 'literal': return String(operand.value);
    case 'field': return operand.name;
    case 'reference': return `$${[operand.name, ...operand.path].join('.')}`;
  }
}
