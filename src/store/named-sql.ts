/**
 * Statements with named parameters: written with `:patientId`, sent as PostgreSQL's numbered
 * `$1`, one number per name (in the order the names first appear), so that a reviewer reads
 * names and the database still gets a plain parameterised statement, prepared once by its text.
 *
 * Compiled once, when the module that writes the statement is loaded: a request only puts its
 * values in order. Skipped when looking for names: string literals, quoted identifiers,
 * comments and casts (`::uuid`). A hand-numbered `$1` in the text is refused, and so is a name
 * the caller did not declare or a declared name the text lacks, at load time.
 */

export interface NamedStatement<N extends string> {
  /** The statement as written, with `:names`: what the SQL snapshots show. */
  readonly source: string;
  /** The statement as sent: every `:name` replaced by its `$n`. */
  readonly text: string;
  /** The names, in the order of their numbers (`names[0]` is `$1`). */
  readonly names: readonly N[];
  /** The values in the order of the numbers; throws when one is missing. */
  params(values: Readonly<Record<N, unknown>>): unknown[];
}

const identStart = /[A-Za-z_]/;
const identPart = /[A-Za-z0-9_]/;

/**
 * Compiles `source` (see above). `names` are the parameters the statement takes; they must be
 * exactly the names the text uses.
 */
export function namedSql<const N extends string>(source: string, names: readonly N[]): NamedStatement<N> {
  const numbers = new Map<string, number>();
  let text = '';
  let i = 0;
  const copyUntil = (end: number): void => {
    text += source.slice(i, end);
    i = end;
  };
  while (i < source.length) {
    const ch = source[i]!;
    const next = source[i + 1];
    if (ch === "'" || ch === '"') {
      // A literal or a quoted identifier; a doubled quote inside it is part of it.
      let end = i + 1;
      for (;;) {
        end = source.indexOf(ch, end);
        if (end < 0) throw new Error(`namedSql: unterminated ${ch} in ${excerpt(source, i)}`);
        if (source[end + 1] === ch) end += 2;
        else break;
      }
      copyUntil(end + 1);
    } else if (ch === '-' && next === '-') {
      const end = source.indexOf('\n', i);
      copyUntil(end < 0 ? source.length : end);
    } else if (ch === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      if (end < 0) throw new Error(`namedSql: unterminated comment in ${excerpt(source, i)}`);
      copyUntil(end + 2);
    } else if (ch === ':' && next === ':') {
      copyUntil(i + 2);
    } else if (ch === ':' && next !== undefined && identStart.test(next)) {
      let end = i + 2;
      while (end < source.length && identPart.test(source[end]!)) end++;
      const name = source.slice(i + 1, end);
      let n = numbers.get(name);
      if (n === undefined) {
        n = numbers.size + 1;
        numbers.set(name, n);
      }
      text += `$${n}`;
      i = end;
    } else if (ch === '$' && next !== undefined && /[0-9]/.test(next)) {
      throw new Error(`namedSql: a numbered parameter in ${excerpt(source, i)}; name it instead`);
    } else {
      copyUntil(i + 1);
    }
  }
  const used = [...numbers.keys()];
  const undeclared = used.filter((name) => !(names as readonly string[]).includes(name));
  const unused = names.filter((name) => !numbers.has(name));
  if (undeclared.length > 0 || unused.length > 0) {
    throw new Error(
      `namedSql: parameters used but not declared: [${undeclared.join(', ')}]; declared but not used: [${unused.join(', ')}]`,
    );
  }
  const ordered = used as N[];
  return {
    source,
    text,
    names: ordered,
    params(values) {
      return ordered.map((name) => {
        const value = values[name];
        if (value === undefined) throw new Error(`namedSql: no value for :${name}`);
        return value;
      });
    },
  };
}

function excerpt(source: string, at: number): string {
  return JSON.stringify(source.slice(Math.max(0, at - 30), at + 30));
}
