/**
 * The bulk path of a visits import on PostgreSQL (docs/imports.md, "Large files"). The register
 * is read into Node once; each checked row is resolved here (an unknown person or unit is an
 * error on its line, before anything is written) and copied, finished, into a table of its own,
 * without indexes. Then:
 *
 * - If no visit lies in the file's months (the usual monthly file), that table is indexed once
 *   and attached to `visit` as those months' partition (migration 009), and the patients' packed
 *   visits (migration 008) are packed here and copied into `visit_series`. Putting a million
 *   rows into two indexes one by one cost three times what building the indexes afterwards does.
 * - Otherwise (visits already there, or a visit twice in the file, which the unique index
 *   refuses), the table is the staging table of an ordinary insert that skips what is there.
 */
import { dayNumber, type ReadTally, type RowError, type VisitRecord } from '../domain/import-formats.ts';
import { COPY_SIGNATURE, eachBinaryRow, PG_EPOCH_MS } from './binary-copy.ts';
import type { Queryable } from './db.ts';
import { isCheckViolation, isUniqueViolation } from './pg-errors.ts';

export interface VisitsLoaded {
  /** Valid rows the reader handed over. */
  staged: number;
  /** Of those, rows whose person or unit the register does not know. */
  unresolved: number;
  /** Rows written as new. */
  inserted: number;
}

/** The columns of `visit`, in the order the rows are copied. */
const COLUMNS =
  'patient_id, at, staff_id, unit_id, profession, contact_type, is_assessment, sought_on, import_id';

/** The register as the rows need it: persons by identifier (an index into `uuids`), and units. */
interface Register {
  persons: Map<string, number>;
  /** The persons' ids, 16 bytes each. */
  uuids: Buffer;
  units: Set<string>;
}

async function readRegister(tx: Queryable): Promise<Register> {
  const persons = new Map<string, number>();
  let uuids = Buffer.alloc(16 << 12);
  await eachBinaryRow(tx.copyOutBinary!('select identifier, id from patient'), 2, (buf, starts, lengths) => {
    const n = persons.size;
    if ((n + 1) * 16 > uuids.length) {
      const bigger = Buffer.alloc(uuids.length * 2);
      uuids.copy(bigger);
      uuids = bigger;
    }
    buf.copy(uuids, n * 16, starts[1], starts[1]! + 16);
    persons.set(buf.toString('utf8', starts[0], starts[0]! + lengths[0]!), n);
  });
  const units = new Set((await tx.query<{ id: string }>('select id from care_unit')).map((r) => r.id));
  return { persons, uuids, units };
}

/** A growing column of numbers. */
class Column<T extends Int32Array | Float64Array> {
  length = 0;
  constructor(
    public values: T,
    private readonly make: (size: number) => T,
  ) {}
  push(value: number): void {
    if (this.length === this.values.length) {
      const bigger = this.make(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = value;
  }
}
const ints = (): Column<Int32Array> => new Column(new Int32Array(1 << 16), (n) => new Int32Array(n));
const doubles = (): Column<Float64Array> => new Column(new Float64Array(1 << 16), (n) => new Float64Array(n));

/** Numbers strings 0, 1, 2, … in the order first seen. */
class Numbering {
  readonly ids = new Map<string, number>();
  readonly values: string[] = [];
  of(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
    return id;
  }
}

/** The resolved rows, kept for packing `visit_series`: a row's patient, instant, staff and context. */
class Written {
  readonly patient = ints();
  /** Microseconds since 2000-01-01 (timestamptz's own scale), exact in a double. */
  readonly micros = doubles();
  readonly staff = ints();
  readonly context = ints();
  readonly staffIds = new Numbering();
  /** unit, profession and contact type joined by tabs. */
  readonly contexts = new Numbering();
}

/** Writes rows in binary COPY format into one buffer per chunk. */
class RowBuffer {
  private out = Buffer.allocUnsafe(1 << 20);
  at = 0;
  room(n: number): void {
    if (this.at + n <= this.out.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.at + n));
    this.out.copy(bigger, 0, 0, this.at);
    this.out = bigger;
  }
  int16(v: number): void {
    this.room(2);
    this.at = this.out.writeInt16BE(v, this.at);
  }
  int32(v: number): void {
    this.room(4);
    this.at = this.out.writeInt32BE(v, this.at);
  }
  /** Microseconds in a double as int64: two 32-bit halves, no BigInt. */
  int64(v: number): void {
    const high = Math.floor(v / 0x1_0000_0000);
    this.room(8);
    this.at = this.out.writeInt32BE(high, this.at);
    this.at = this.out.writeUInt32BE(v - high * 0x1_0000_0000, this.at);
  }
  byte(v: number): void {
    this.room(1);
    this.at = this.out.writeUInt8(v, this.at);
  }
  bytes(from: Buffer, start: number, end: number): void {
    this.room(end - start);
    this.at += from.copy(this.out, this.at, start, end);
  }
  text(v: string): void {
    this.room(4 + v.length * 3);
    const length = this.out.write(v, this.at + 4);
    this.out.writeInt32BE(length, this.at);
    this.at += 4 + length;
  }
  /** The rows so far (a copy), and an empty buffer for the next. */
  take(): Buffer {
    const done = Buffer.from(this.out.subarray(0, this.at));
    this.at = 0;
    return done;
  }
  header(): void {
    this.room(19);
    this.at += COPY_SIGNATURE.copy(this.out, this.at);
    this.int32(0);
    this.int32(0);
  }
}

/** A day (YYYY-MM-DD) as binary `date`: days since 2000-01-01. */
const dayOf = (day: string): number => dayNumber(day) - PG_EPOCH_MS / 86_400_000;

/**
 * Loads the rows of `chunks`; see the file's comment. With errors in an all-or-nothing import it
 * only reads on to name them all, and writes nothing (the caller rolls back).
 */
export async function loadVisits(
  tx: Queryable,
  chunks: AsyncIterable<VisitRecord[]>,
  tally: ReadTally,
  allOrNothing: boolean,
  importId: number,
): Promise<VisitsLoaded> {
  const register = await readRegister(tx);
  const table = `visit_load_${importId}`;
  await tx.exec(`create table ${table} (like visit including defaults including constraints)`);
  const written = new Written();
  let staged = 0;
  let unresolved = 0;
  let first = Infinity;
  let last = -Infinity;
  const out = new RowBuffer();

  async function* rows(): AsyncGenerator<Buffer> {
    out.header();
    for await (const chunk of chunks) {
      staged += chunk.length;
      for (const r of chunk) {
        const person = register.persons.get(r.identifier);
        const knownUnit = register.units.has(r.unitId);
        if (person === undefined || !knownUnit) {
          unresolved += 1;
          const errors: RowError[] = [];
          if (person === undefined)
            errors.push({ line: r.line, field: 'personnummer', message: 'Personen finns inte i registret.' });
          if (!knownUnit) errors.push({ line: r.line, field: 'enhet', message: 'Vårdenheten finns inte.' });
          tally.add(...errors);
          continue;
        }
        if (allOrNothing && tally.errorCount > 0) continue;
        const micros = (r.at - PG_EPOCH_MS) * 1000;
        if (r.at < first) first = r.at;
        if (r.at > last) last = r.at;
        written.patient.push(person);
        written.micros.push(micros);
        written.staff.push(written.staffIds.of(r.staffId));
        written.context.push(written.contexts.of(`${r.unitId}\t${r.profession}\t${r.contactType}`));
        out.int16(9);
        out.int32(16);
        out.bytes(register.uuids, person * 16, person * 16 + 16);
        out.int32(8);
        out.int64(micros);
        out.text(r.staffId);
        out.text(r.unitId);
        out.text(r.profession);
        out.text(r.contactType);
        out.int32(1);
        out.byte(r.isAssessment ? 1 : 0);
        if (r.soughtOn === null) out.int32(-1);
        else {
          out.int32(4);
          out.int32(dayOf(r.soughtOn));
        }
        out.int32(8);
        out.int64(importId);
      }
      if (out.at > 0) yield out.take();
    }
    out.int16(-1);
    yield out.take();
  }
  await tx.copyFrom!(`copy ${table} (${COLUMNS}) from stdin (format binary)`, rows());

  const resolved = written.patient.length;
  const nothing = { staged, unresolved, inserted: 0 };
  if (tally.isUnreadable || (allOrNothing && tally.errorCount > 0)) return nothing;
  if (resolved === 0) {
    await tx.exec(`drop table ${table}`);
    return nothing;
  }
  const inserted =
    (await asPartition(tx, table, first, last, written, register)) ??
    (await insertFrom(tx, table, first, last));
  return { staged, unresolved, inserted };
}

/**
 * Attaches the loaded table as the partition of the file's months when no visit lies in them
 * (empty partitions there are replaced by it); returns the rows written, or null when it cannot.
 */
async function asPartition(
  tx: Queryable,
  table: string,
  first: number,
  last: number,
  written: Written,
  register: Register,
): Promise<number | null> {
  // One import at a time decides on partitions (visit_add_partitions takes the same lock).
  await tx.query(`select pg_advisory_xact_lock(hashtext('visit_partition'))`);
  const [span] = await tx.query<{
    starts: string;
    ends: string;
    empty: string[];
    name: string;
    fresh: boolean;
  }>(
    `with months as (select visit_month($1::timestamptz) as starts, visit_month_after($2::timestamptz) as ends),
     span as (select least(m.starts, min(p.starts)) as starts, greatest(m.ends, max(p.ends)) as ends,
                     coalesce(array_agg(p.name) filter (where p.name is not null), '{}') as empty
                from months m left join visit_partition p on p.starts < m.ends and p.ends > m.starts
               group by m.starts, m.ends)
     select s.starts::text, s.ends::text, s.empty,
            'visit_' || to_char(s.starts at time zone 'Europe/Stockholm', 'YYYY_MM')
              || case when s.ends > visit_month_after(s.starts)
                      then to_char((s.ends at time zone 'Europe/Stockholm') - interval '1 day', '_YYYY_MM')
                      else '' end as name,
            not exists (select 1 from visit v where v.at >= s.starts and v.at < s.ends) as fresh
       from span s`,
    [new Date(first).toISOString(), new Date(last).toISOString()],
  );
  if (!span!.fresh) return null;
  // Empty partitions in those months (left by a removed import) make way for the new one. Locked
  // first and looked at again: a writer may have filled one since.
  for (const name of span!.empty) {
    await tx.exec(`lock table ${quoteIdent(name)} in access exclusive mode`);
    const [used] = await tx.query<{ used: boolean }>(
      `select exists (select 1 from ${quoteIdent(name)}) as used`,
    );
    if (used!.used) return null;
  }
  const [attach] = await tx.query<{ sql: string }>(
    `select format('alter table visit attach partition %I for values from (%L) to (%L)', $1::text, $2::text, $3::text)
              as sql`,
    [span!.name, span!.starts, span!.ends],
  );
  await tx.exec(`savepoint visit_load; set local maintenance_work_mem = '512MB'`);
  try {
    // Refused when the same visit is twice in the file.
    await tx.exec(`create unique index on ${table} (at, patient_id, staff_id)`);
    await tx.exec(`create index on ${table} (at) include (unit_id, sought_on) where is_assessment`);
    for (const name of span!.empty) await tx.exec(`drop table ${quoteIdent(name)}`);
    await tx.exec(`alter table ${table} rename to ${quoteIdent(span!.name)}`);
    // Attaching scans the default partition, and is refused when a writer has put visits of these
    // months there since the look above.
    await tx.exec(attach!.sql);
    await tx.exec('release savepoint visit_load');
  } catch (error) {
    if (!isUniqueViolation(error) && !isCheckViolation(error)) throw error;
    await tx.exec('rollback to savepoint visit_load');
    return null;
  }
  await writeSeries(tx, written, register);
  return written.patient.length;
}

/** The careful way: an insert that skips the visits already there, through `visit`'s triggers. */
async function insertFrom(tx: Queryable, table: string, first: number, last: number): Promise<number> {
  await tx.query('select visit_add_partitions($1::timestamptz, $2::timestamptz)', [
    new Date(first).toISOString(),
    new Date(last).toISOString(),
  ]);
  const [done] = await tx.query<{ inserted: number }>(
    `with ins as (
       insert into visit (${COLUMNS}) select ${COLUMNS} from ${table} order by at, patient_id, staff_id
       on conflict do nothing returning 1)
     select count(*)::int as inserted from ins`,
  );
  await tx.exec(`drop table ${table}`);
  return done!.inserted;
}

/** The written visits packed per patient (migration 008), with codes for new staff and contexts. */
async function writeSeries(tx: Queryable, written: Written, register: Register): Promise<void> {
  const staffIds = written.staffIds.values;
  await tx.query('insert into visit_staff (staff_id) select unnest($1::text[]) on conflict do nothing', [
    staffIds,
  ]);
  const staffCode = new Int32Array(staffIds.length);
  for (const r of await tx.query<{ code: number; staff_id: string }>(
    'select code, staff_id from visit_staff where staff_id = any($1::text[])',
    [staffIds],
  ))
    staffCode[written.staffIds.ids.get(r.staff_id)!] = r.code;
  const parts = written.contexts.values.map((c) => c.split('\t'));
  const columns = [0, 1, 2].map((k) => parts.map((p) => p[k]!));
  await tx.query(
    `insert into visit_context (unit_id, profession, contact_type)
     select * from unnest($1::text[], $2::text[], $3::text[]) on conflict do nothing`,
    columns,
  );
  const contextCode = new Int32Array(parts.length);
  for (const r of await tx.query<{ code: number; unit_id: string; profession: string; contact_type: string }>(
    `select c.code, c.unit_id, c.profession, c.contact_type
       from visit_context c join unnest($1::text[], $2::text[], $3::text[]) u (unit_id, profession, contact_type)
            using (unit_id, profession, contact_type)`,
    columns,
  ))
    contextCode[written.contexts.ids.get(`${r.unit_id}\t${r.profession}\t${r.contact_type}`)!] = r.code;

  // The rows by patient (a counting sort), then a row of packed visits per patient.
  const n = written.patient.length;
  const patient = written.patient.values;
  const starts = new Int32Array(register.persons.size + 1);
  for (let i = 0; i < n; i++) starts[patient[i]! + 1]! += 1;
  for (let p = 0; p < register.persons.size; p++) starts[p + 1]! += starts[p]!;
  const order = new Int32Array(n);
  const next = starts.slice(0, register.persons.size);
  for (let i = 0; i < n; i++) order[next[patient[i]!]!++] = i;
  const { micros, staff, context } = written;
  async function* rows(): AsyncGenerator<Buffer> {
    const out = new RowBuffer();
    out.header();
    for (let p = 0; p < register.persons.size; p++) {
      const from = starts[p]!;
      const to = starts[p + 1]!;
      if (from === to) continue;
      out.int16(2);
      out.int32(16);
      out.bytes(register.uuids, p * 16, p * 16 + 16);
      out.int32((to - from) * 16);
      for (let k = from; k < to; k++) {
        const i = order[k]!;
        out.int64(micros.values[i]!);
        out.int32(staffCode[staff.values[i]!]!);
        out.int32(contextCode[context.values[i]!]!);
      }
      if (out.at >= 1 << 20) yield out.take();
    }
    out.int16(-1);
    yield out.take();
  }
  await tx.copyFrom!('copy visit_series (patient_id, visits) from stdin (format binary)', rows());
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
