/**
 * The bulk path of a visits import on PostgreSQL (docs/imports.md, "Rules"). The register
 * is read into Node once; each checked row is resolved here (an unknown person or unit is an
 * error on its line, before anything is written) and copied, finished, into a table of its own,
 * without indexes. Then:
 *
 * - If no visit lies in the file's months (the usual monthly file), that table is indexed once
 *   and attached to `visit` as those months' partition (migration 009), and the patients' packed
 *   visits (migration 008) are packed here and copied into `visit_series`. Putting a million
 *   rows into two indexes one by one cost three times what building the indexes afterwards does.
 * - Otherwise (visits or a partition already there, or a visit twice in the file, which the
 *   unique index refuses), the table is the staging table of an insert that skips what is there.
 */
import { contactTypes } from '../domain/continuity.ts';
import type { ReadTally, RowError, VisitRecord } from '../domain/import-formats.ts';
import { dayNumber } from '../domain/swedish-calendar.ts';
import type { VisitLookup, VisitSink } from '../domain/visit-bytes.ts';
import { ByteKeys, CopyWriter, eachBinaryRow, PG_EPOCH_DAY, PG_EPOCH_MS } from './binary-copy.ts';
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

/**
 * An identifier as a number: 12 digits as they are, PK and 10 digits above 10¹² (the two forms
 * `checkVisit` writes); −1 for anything else.
 */
export function identifierKey(buf: Buffer, start: number, length: number): number {
  if (length !== 12) return -1;
  const reserve = buf[start] === 80 && buf[start + 1] === 75;
  let n = 0;
  for (let i = start + (reserve ? 2 : 0); i < start + 12; i++) {
    const c = buf[i]! - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return reserve ? n + 1e12 : n;
}

/**
 * Numbers (below 2⁵³) → indexes, by open addressing in typed arrays: a `Map` keyed by numbers this
 * large (not small integers) costs a third of the whole reading.
 */
export class NumberIndex {
  private keys = new Float64Array(1 << 10).fill(-1);
  private values = new Int32Array(1 << 10);
  size = 0;

  private slot(key: number): number {
    const mask = this.keys.length - 1;
    // key | 0 is key modulo 2³² (ToInt32), cheaper than % and Math.floor on doubles.
    let slot = Math.imul((key | 0) ^ ((key / 0x1_0000_0000) | 0), 0x9e3779b1) & mask;
    while (this.keys[slot] !== key && this.keys[slot] !== -1) slot = (slot + 1) & mask;
    return slot;
  }

  /** The index of `key`, or −1. */
  get(key: number): number {
    if (key < 0) return -1;
    const slot = this.slot(key);
    return this.keys[slot] === key ? this.values[slot]! : -1;
  }

  /** Sets `key` (≥ 0) to `value`. */
  set(key: number, value: number): void {
    if ((this.size + 1) * 2 > this.keys.length) {
      const { keys, values } = this;
      this.keys = new Float64Array(keys.length * 2).fill(-1);
      this.values = new Int32Array(keys.length * 2);
      for (let i = 0; i < keys.length; i++) {
        if (keys[i] === -1) continue;
        const slot = this.slot(keys[i]!);
        this.keys[slot] = keys[i]!;
        this.values[slot] = values[i]!;
      }
    }
    const slot = this.slot(key);
    if (this.keys[slot] !== key) this.size += 1;
    this.keys[slot] = key;
    this.values[slot] = value;
  }
}

/** The register as the rows need it: persons by identifier (an index into `uuids`), and units. */
interface Register {
  /** `identifierKey` → the person's index. */
  persons: NumberIndex;
  /** The persons' ids, 16 bytes each. */
  uuids: Buffer;
  units: ByteKeys;
}

async function readRegister(tx: Queryable): Promise<Register> {
  const persons = new NumberIndex();
  let uuids = Buffer.alloc(16 << 12);
  await eachBinaryRow(tx.copyOutBinary!('select identifier, id from patient'), 2, (buf, starts, lengths) => {
    const key = identifierKey(buf, starts[0]!, lengths[0]!);
    if (key < 0 || persons.get(key) >= 0) return;
    const n = persons.size;
    if ((n + 1) * 16 > uuids.length) {
      const bigger = Buffer.alloc(uuids.length * 2);
      uuids.copy(bigger);
      uuids = bigger;
    }
    for (let i = 0, from = starts[1]!; i < 16; i++) uuids[n * 16 + i] = buf[from + i]!;
    persons.set(key, n);
  });
  const units = new ByteKeys();
  await eachBinaryRow(tx.copyOutBinary!('select id from care_unit'), 1, (buf, starts, lengths) => {
    units.id(buf, starts[0]!, lengths[0]!);
  });
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

/** Byte strings numbered as they come, with each one's bytes at hand for the rows. */
class Numbered {
  readonly keys = new ByteKeys();
  readonly bytes: Buffer[] = [];
  id(buf: Buffer, start: number, length: number): number {
    const id = this.keys.id(buf, start, length);
    if (id === this.bytes.length) this.bytes.push(Buffer.from(buf.subarray(start, start + length)));
    return id;
  }
  /** The same for a string. */
  of(value: string): number {
    const bytes = Buffer.from(value);
    return this.id(bytes, 0, bytes.length);
  }
  key(id: number): string {
    return this.bytes[id]!.toString();
  }
}

/** The resolved rows, kept for packing `visit_series`: a row's patient, instant, staff and context. */
class Written {
  readonly patient = ints();
  /** Microseconds since 2000-01-01 (timestamptz's own scale), exact in a double. */
  readonly micros = doubles();
  readonly staff = ints();
  readonly context = ints();
  /** Contexts by unit, then by profession and contact type; numbered as they come. */
  readonly contextIds: Map<number, number>[] = [];
  readonly contexts: [unit: number, profession: number, type: number][] = [];

  contextOf(unit: number, profession: number, type: number): number {
    const ids = (this.contextIds[unit] ??= new Map());
    const key = profession * 4 + type;
    let id = ids.get(key);
    if (id === undefined) {
      id = this.contexts.length;
      ids.set(key, id);
      this.contexts.push([unit, profession, type]);
    }
    return id;
  }
}

const TYPE_BYTES = contactTypes.map((t) => Buffer.from(t));

/**
 * Resolves rows against the register (`VisitLookup`) and writes them (`VisitSink`): each as a
 * binary COPY row of `visit`, and into `written` for the packed series.
 */
class Rows implements VisitLookup, VisitSink {
  readonly out = new CopyWriter();
  readonly written = new Written();
  readonly staffIds = new Numbered();
  readonly professions = new Numbered();
  first = Infinity;
  last = -Infinity;
  /** Valid rows resolved, and valid rows whose person or unit the register lacks. */
  resolved = 0;
  unresolved = 0;
  private readonly unitBytes: Buffer[];

  constructor(
    readonly register: Register,
    private readonly tally: ReadTally,
    private readonly allOrNothing: boolean,
    private readonly importId: number,
  ) {
    this.unitBytes = Array.from({ length: register.units.size }, (_, id) =>
      Buffer.from(register.units.key(id)),
    );
  }

  person(buf: Buffer, start: number, length: number): number {
    return this.register.persons.get(identifierKey(buf, start, length));
  }
  unit(buf: Buffer, start: number, length: number): number {
    return this.register.units.lookup(buf, start, length);
  }
  staff(buf: Buffer, start: number, length: number): number {
    return this.staffIds.id(buf, start, length);
  }
  profession(buf: Buffer, start: number, length: number): number {
    return this.professions.id(buf, start, length);
  }

  /** A row checked by `checkVisit`: resolved here, or its errors to the tally. */
  record(r: VisitRecord): void {
    const id = Buffer.from(r.identifier);
    const person = this.register.persons.get(identifierKey(id, 0, id.length));
    const unitId = Buffer.from(r.unitId);
    const unit = this.register.units.lookup(unitId, 0, unitId.length);
    if (person < 0 || unit < 0) {
      this.unresolved += 1;
      const errors: RowError[] = [];
      // In the order of the general path's list (by field name).
      if (unit < 0) errors.push({ line: r.line, field: 'enhet', message: 'Vårdenheten finns inte.' });
      if (person < 0)
        errors.push({ line: r.line, field: 'personnummer', message: 'Personen finns inte i registret.' });
      this.tally.add(...errors);
      return;
    }
    this.add(
      person,
      r.at,
      this.staffIds.of(r.staffId),
      unit,
      this.professions.of(r.profession),
      (contactTypes as readonly string[]).indexOf(r.contactType),
      r.isAssessment,
      r.soughtOn === null ? NaN : dayNumber(r.soughtOn),
    );
  }

  add(
    person: number,
    at: number,
    staff: number,
    unit: number,
    profession: number,
    type: number,
    assessment: boolean,
    soughtDay: number,
  ): void {
    this.resolved += 1;
    // An all-or-nothing import with errors only reads on, to name them all.
    if (this.allOrNothing && this.tally.errorCount > 0) return;
    const micros = (at - PG_EPOCH_MS) * 1000;
    if (at < this.first) this.first = at;
    if (at > this.last) this.last = at;
    const w = this.written;
    w.patient.push(person);
    w.micros.push(micros);
    w.staff.push(staff);
    w.context.push(w.contextOf(unit, profession, type));
    const out = this.out;
    out.int16(9);
    out.int32(16);
    out.bytes(this.register.uuids, person * 16, person * 16 + 16);
    out.int32(8);
    out.int64(micros);
    out.field(this.staffIds.bytes[staff]!);
    out.field(this.unitBytes[unit]!);
    out.field(this.professions.bytes[profession]!);
    out.field(TYPE_BYTES[type]!);
    out.int32(1);
    out.byte(assessment ? 1 : 0);
    if (Number.isNaN(soughtDay)) out.int32(-1);
    else {
      out.int32(4);
      out.int32(soughtDay - PG_EPOCH_DAY);
    }
    out.int32(8);
    out.int64(this.importId);
  }
}

/**
 * Reads a visits file for the bulk path: plain lines straight into `sink` (resolved with
 * `lookup`), and per block of the file the other rows, checked by `checkVisit`, to resolve one by
 * one (src/services/import-reader.ts).
 */
export type VisitScan = (lookup: VisitLookup, sink: VisitSink) => AsyncIterable<VisitRecord[]>;

/** Checked records as a scan: every row goes the record way. */
export const recordScan =
  (chunks: AsyncIterable<VisitRecord[]>): VisitScan =>
  () =>
    chunks;

/**
 * Loads the rows of `chunks`; see the file's comment. With errors in an all-or-nothing import it
 * only reads on to name them all, and writes nothing (the caller rolls back).
 */
export async function loadVisits(
  tx: Queryable,
  scan: VisitScan,
  tally: ReadTally,
  allOrNothing: boolean,
  importId: number,
): Promise<VisitsLoaded> {
  await tx.query('select visit_write_lock()');
  const rows = new Rows(await readRegister(tx), tally, allOrNothing, importId);
  const table = `visit_load_${importId}`;
  await tx.exec(`create table ${table} (like visit including defaults including constraints)`);
  async function* data(): AsyncGenerator<Buffer> {
    rows.out.header();
    for await (const records of scan(rows, rows)) {
      for (const r of records) rows.record(r);
      if (rows.out.at > 0) yield rows.out.take();
    }
    rows.out.int16(-1);
    yield rows.out.take();
  }
  await tx.copyFrom!(`copy ${table} (${COLUMNS}) from stdin (format binary)`, data());

  const { written, first, last, unresolved } = rows;
  const staged = rows.resolved + unresolved;
  const nothing = { staged, unresolved, inserted: 0 };
  if (tally.isUnreadable || (allOrNothing && tally.errorCount > 0)) return nothing;
  if (written.patient.length === 0) {
    await tx.exec(`drop table ${table}`);
    return nothing;
  }
  let packed: Buffer[] = [];
  const inserted = await attachOrInsert(tx, table, first, last, written.patient.length, {
    prepare: async () => {
      const codes = await seriesCodes(tx, rows);
      return () => {
        packed = packSeries(rows, codes);
      };
    },
    write: () => tx.copyFrom!('copy visit_series (patient_id, visits) from stdin (format binary)', packed),
  });
  return { staged, unresolved, inserted };
}

/** How the packed visits of a new partition are written (`attachOrInsert`). */
export interface SeriesWriter {
  /**
   * Once the file's months are known to be new: what must be written before the partition is
   * indexed, and then the work to do in Node while the server builds the index.
   */
  prepare?(): Promise<() => void>;
  /** Writes them, given the partition's name. */
  write(partition: string): Promise<void>;
}

/**
 * Writes the visits of `table` (a table like `visit`, without indexes, written in this
 * transaction; dropped or attached here): as the partition of its months when no visit lies in
 * them, `series` then packing them for continuity (given the partition's name), else by an
 * insert that skips what is there. `first` and `last` are its first and last instants (ms);
 * returns the visits written.
 */
export async function attachOrInsert(
  tx: Queryable,
  table: string,
  first: number,
  last: number,
  rows: number,
  series: SeriesWriter,
): Promise<number> {
  const partition = await asPartition(tx, table, first, last, series);
  if (partition !== null) {
    await series.write(partition);
    return rows;
  }
  return insertFrom(tx, table);
}

/**
 * Attaches the loaded table as the partition of the file's months when no visit lies in them
 * (empty partitions there are replaced by it); returns its name as a partition, or null when it
 * cannot.
 */
async function asPartition(
  tx: Queryable,
  table: string,
  first: number,
  last: number,
  series: SeriesWriter,
): Promise<string | null> {
  // The caller holds visit_write_lock: no other import makes partitions meanwhile.
  const [span] = await tx.query<{ name: string; attach: string; fresh: boolean }>(
    `with s as (select visit_month(to_timestamp($1::float8 / 1000)) as starts,
                       visit_month_after(to_timestamp($2::float8 / 1000)) as ends),
     n as (select 'visit_' || to_char(s.starts at time zone 'Europe/Stockholm', 'YYYY_MM')
                    || case when s.ends > visit_month_after(s.starts)
                            then to_char((s.ends at time zone 'Europe/Stockholm') - interval '1 day', '_YYYY_MM')
                            else '' end as name
             from s)
     select n.name,
            format('alter table visit attach partition %I for values from (%L) to (%L)', n.name, s.starts, s.ends)
              as attach,
            not exists (select 1 from visit_partition p where p.starts < s.ends and p.ends > s.starts)
              and not exists (select 1 from visit v where v.at >= s.starts and v.at < s.ends) as fresh
       from s, n`,
    [first, last],
  );
  // A partition there already (even an empty one: replacing it would lock out every reader of
  // visit until the import commits) or visits: the careful way.
  if (!span!.fresh) return null;
  await tx.exec(`savepoint visit_load; set local maintenance_work_mem = '512MB'`);
  try {
    const meanwhile = await series.prepare?.();
    // Refused when the same visit is twice in the file.
    const unique = tx.exec(`create unique index on ${table} (at, patient_id, staff_id)`);
    // Sent: Node works while the server sorts.
    try {
      meanwhile?.();
    } catch (error) {
      unique.catch(() => {});
      throw error;
    }
    await unique;
    await tx.exec(`create index on ${table} (at) include (unit_id, sought_on) where is_assessment`);
    await tx.exec(`alter table ${table} rename to ${quoteIdent(span!.name)}`);
    // Attaching scans the default partition, and is refused when a writer has put visits of these
    // months there since the look above.
    await tx.exec(span!.attach);
    await tx.exec('release savepoint visit_load');
  } catch (error) {
    if (!isUniqueViolation(error) && !isCheckViolation(error)) throw error;
    await tx.exec('rollback to savepoint visit_load');
    return null;
  }
  return span!.name;
}

/** The careful way: an insert that skips the visits already there, through `visit`'s triggers. */
async function insertFrom(tx: Queryable, table: string): Promise<number> {
  await tx.query(`select visit_add_partitions(array(select distinct visit_month(at) from ${table}))`);
  const [done] = await tx.query<{ inserted: number }>(
    `with ins as (
       insert into visit (${COLUMNS}) select ${COLUMNS} from ${table} order by at, patient_id, staff_id
       on conflict do nothing returning 1)
     select count(*)::int as inserted from ins`,
  );
  await tx.exec(`drop table ${table}`);
  return done!.inserted;
}

/** The codes of the rows' staff members and contexts in the packed visits, new ones added. */
async function seriesCodes(tx: Queryable, rows: Rows): Promise<SeriesCodes> {
  const { written, register } = rows;
  const staffIds = rows.staffIds.bytes.map((b) => b.toString());
  await tx.query('insert into visit_staff (staff_id) select unnest($1::text[]) on conflict do nothing', [
    staffIds,
  ]);
  const staffCode = new Int32Array(staffIds.length);
  for (const r of await tx.query<{ code: number; staff_id: string }>(
    'select code, staff_id from visit_staff where staff_id = any($1::text[])',
    [staffIds],
  ))
    staffCode[rows.staffIds.of(r.staff_id)] = r.code;
  const contexts = written.contexts.map(([unit, profession, type]) => [
    register.units.key(unit),
    rows.professions.key(profession),
    contactTypes[type]!,
  ]);
  const contextIds = new Map(contexts.map((c, id) => [c.join('\t'), id]));
  const columns = [0, 1, 2].map((k) => contexts.map((c) => c[k]!));
  await tx.query(
    `insert into visit_context (unit_id, profession, contact_type)
     select * from unnest($1::text[], $2::text[], $3::text[]) on conflict do nothing`,
    columns,
  );
  const contextCode = new Int32Array(contexts.length);
  for (const r of await tx.query<{ code: number; unit_id: string; profession: string; contact_type: string }>(
    `select c.code, c.unit_id, c.profession, c.contact_type
       from visit_context c join unnest($1::text[], $2::text[], $3::text[]) u (unit_id, profession, contact_type)
            using (unit_id, profession, contact_type)`,
    columns,
  ))
    contextCode[contextIds.get(`${r.unit_id}\t${r.profession}\t${r.contact_type}`)!] = r.code;
  return { staffCode, contextCode };
}

interface SeriesCodes {
  /** By the rows' staff and context numbers. */
  staffCode: Int32Array;
  contextCode: Int32Array;
}

/** The written visits packed per patient (migration 008), as COPY data for `visit_series`. */
function packSeries(rows: Rows, { staffCode, contextCode }: SeriesCodes): Buffer[] {
  const { written, register } = rows;
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
  const packed: Buffer[] = [];
  const out = new CopyWriter();
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
    if (out.at >= 1 << 20) packed.push(out.take());
  }
  out.int16(-1);
  packed.push(out.take());
  return packed;
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
