/**
 * The staging tables of an import: the checked rows of a file are streamed into a temporary
 * table (PostgreSQL: binary COPY; PGlite: batched json_to_recordset inserts) and resolved
 * against the register in SQL from there.
 */
import { dayNumber } from '../domain/swedish-calendar.ts';
import { CopyWriter, PG_EPOCH_DAY, PG_EPOCH_MS } from './binary-copy.ts';
import type { Queryable } from './db.ts';

export type StageValue = string | number | boolean | null;

/**
 * Rows in PostgreSQL's binary COPY format: the server takes integers, instants and dates as
 * they are instead of parsing their text (a third of the cost of COPY). The values come checked
 * from src/domain/import-formats.ts: instants as milliseconds (or ISO strings), dates as YYYY-MM-DD.
 */
function binaryRows(types: readonly string[], rows: readonly StageValue[][], withHeader: boolean): Buffer {
  const out = new CopyWriter();
  if (withHeader) out.header();
  for (const values of rows) {
    out.int16(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v === null) {
        out.int32(-1);
        continue;
      }
      switch (types[i] ?? 'text') {
        case 'integer':
          out.int32(4);
          out.int32(v as number);
          break;
        case 'boolean':
          out.int32(1);
          out.byte(v ? 1 : 0);
          break;
        case 'timestamptz': {
          // Microseconds since 2000, exact in a double for any real date.
          const ms = typeof v === 'number' ? v : Date.parse(v as string);
          if (Number.isNaN(ms)) throw new Error(`not an instant: ${String(v)}`);
          out.int32(8);
          out.int64((ms - PG_EPOCH_MS) * 1000);
          break;
        }
        case 'date': {
          const text = v as string;
          if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw new Error(`not a date: ${text}`);
          out.int32(4);
          out.int32(dayNumber(text) - PG_EPOCH_DAY);
          break;
        }
        default:
          out.text(String(v));
      }
    }
  }
  return out.take();
}

/** Streams chunks into a staging table: binary COPY on PostgreSQL, json_to_recordset elsewhere. */
export async function stage<T>(
  tx: Queryable,
  table: string,
  columns: readonly (readonly [string, string])[],
  chunks: AsyncIterable<T[]>,
  toValues: (row: T) => StageValue[],
): Promise<number> {
  let staged = 0;
  const names = columns.map(([n]) => n).join(', ');
  if (tx.copyFrom) {
    const types = columns.map(([, t]) => t);
    async function* data(): AsyncGenerator<Buffer> {
      let first = true;
      for await (const chunk of chunks) {
        staged += chunk.length;
        yield binaryRows(types, chunk.map(toValues), first);
        first = false;
      }
      if (first) yield binaryRows(types, [], true);
      yield Buffer.from([0xff, 0xff]);
    }
    await tx.copyFrom(`copy ${table} (${names}) from stdin (format binary)`, data());
    await tx.exec(`analyze ${table}`);
    return staged;
  }
  const typed = columns.map(([n, t]) => `${n} ${t}`).join(', ');
  for await (const chunk of chunks) {
    staged += chunk.length;
    const rows = chunk.map((row) => {
      const values = toValues(row);
      // Instants come as milliseconds; json_to_recordset reads them as ISO text.
      return Object.fromEntries(
        columns.map(([n, t], i) => [
          n,
          t === 'timestamptz' && typeof values[i] === 'number'
            ? new Date(values[i]).toISOString()
            : values[i],
        ]),
      );
    });
    await tx.query(
      `insert into ${table} (${names}) select ${names} from json_to_recordset($1::json) as x(${typed})`,
      [JSON.stringify(rows)],
    );
  }
  await tx.exec(`analyze ${table}`);
  return staged;
}
