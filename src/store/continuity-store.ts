/**
 * The SQL of continuity (domain/continuity.ts): each patient's physician visits in a window,
 * tallied per unit the patient is listed at. Aggregates only, like the rest of follow-up
 * (store/followup-store.ts, which offers these methods beside its own).
 */
import { tallyPatients, type ContinuitySettings, type TallyGroup } from '../domain/continuity.ts';
import { addDays, type Period } from '../domain/followup.ts';
import { swedishDayBounds } from '../domain/swedish-time.ts';
import {
  binaryDate,
  ByteKeys,
  chunkView,
  eachBinaryRow,
  instantMicros,
  viewTimestampMicros,
  type BinaryRowReader,
} from './binary-copy.ts';
import { ANALYTIC_SETTINGS, type Db, type Queryable } from './db.ts';

/** The first instant after a Swedish day. */
const dayEnd = (day: string): string => swedishDayBounds(day).end;

export interface ContinuityRow extends TallyGroup {
  /** The unit the patients were listed at on the window's last day; null when not listed. */
  unitId: string | null;
}

export function createContinuityStore(db: Db) {
  return {
    /** Continuity tallies for one window (see `continuityWindows`). */
    async continuity(window: Period, settings: ContinuitySettings): Promise<ContinuityRow[]> {
      return (await continuityTallies(db, [window], settings))[0]!;
    },

    /**
     * Continuity tallies for each window, from one scan of the visits (the period and its
     * baseline together); see `continuityTallies`.
     */
    continuityWindows: (
      windows: readonly Period[],
      settings: ContinuitySettings,
    ): Promise<ContinuityRow[][]> => continuityTallies(db, windows, settings),
  };
}

export type ContinuityStore = ReturnType<typeof createContinuityStore>;

/**
 * Continuity tallies for each window, from one scan of the visits: per patient with at
 * least the minimum visits in the window, the number of visits, Σ n_j², max n_j, distinct
 * staff and consecutive visits to the same staff member — grouped by (unit listed at on the
 * window's last day, tally), with the patient count.
 *
 * The database only sends: each patient's visits packed into a bytea (`visit_series`, migration
 * 008), the codes of staff and contexts they use, and the listing periods, in the binary COPY
 * format. Node keeps the visits in the windows whose context counts and tallies them
 * (`tallyPatients`, src/domain/continuity.ts). Sorting and aggregating millions of visits in SQL
 * cost 3–4 times more than the scan itself, sending them a row each cost the server 0.9 µs a row;
 * one pass here serves the period and its baseline together.
 */
async function continuityTallies(
  db: Db,
  windows: readonly Period[],
  settings: ContinuitySettings,
): Promise<ContinuityRow[][]> {
  if (windows.length === 0) return [];
  const bounds = windows.map((w) => ({ from: dayEnd(addDays(w.from, -1)), to: dayEnd(w.to) }));
  const earliest = bounds.map((b) => b.from).sort()[0]!;
  const latest = bounds
    .map((b) => b.to)
    .sort()
    .at(-1)!;
  const lastDays = windows.map((w) => w.to).sort();
  // COPY takes no parameters: the values travel as transaction-local settings, each read once.
  const values: Record<string, string> = {
    'pk.professions': pgArray(settings.professions),
    'pk.contact_types': pgArray(settings.contactTypes),
    'pk.unit_kinds': pgArray(settings.unitKinds),
    'pk.first_day': lastDays[0]!,
    'pk.last_day': lastDays.at(-1)!,
  };
  const windowDays = windows.map((w) => binaryDate(w.to));
  const setting = (name: string, type: string): string => `(select current_setting('${name}')::${type})`;
  const list = (name: string): string => `array(select unnest(current_setting('${name}')::text[]))`;

  // Each patient's packed visits (migration 008), the codes they use and the listings, at once on
  // PostgreSQL and from one snapshot.
  const from = instantMicros(earliest);
  const to = instantMicros(latest);
  const patients = new ByteKeys();
  const read = growableVisits();
  const staffIds: string[] = [];
  const counts: boolean[] = [];
  const listed = new ByteKeys();
  const units = new ByteKeys();
  const listedUnits = windows.map((): number[] => []);
  const viewOf = chunkView();
  const seriesRow: BinaryRowReader = (buf, starts, lengths) => {
    const patient = patients.id(buf, starts[0]!, lengths[0]!);
    const view = viewOf(buf);
    for (let i = starts[1]!, end = i + lengths[1]!; i < end; i += PACKED_VISIT) {
      const at = viewTimestampMicros(view, i);
      if (at >= from && at < to) read.push(patient, at, view.getInt32(i + 8), view.getInt32(i + 12));
    }
  };
  await copyInOneSnapshot(db, values, [
    { select: 'select patient_id, visits from visit_series', columns: 2, row: seriesRow },
    {
      select: 'select code, staff_id from visit_staff',
      columns: 2,
      row: (buf, starts, lengths) =>
        (staffIds[buf.readInt32BE(starts[0])] = buf.toString('utf8', starts[1], starts[1]! + lengths[1]!)),
    },
    // Which contexts (unit, profession, contact type) count; a unit missing from the directory does not.
    {
      select: `select c.code, c.profession = any(${list('pk.professions')})
                 and c.contact_type = any(${list('pk.contact_types')}) and u.kind = any(${list('pk.unit_kinds')})
                 from visit_context c join care_unit u on u.id = c.unit_id`,
      columns: 2,
      row: (buf, starts) => (counts[buf.readInt32BE(starts[0])] = buf[starts[1]!] === 1),
    },
    // The unit each patient is listed at on each window's last day (the lowest id if several): the
    // listing periods that cover any of those days, sorted out here (grouping them per patient in
    // SQL took the server 1.2 s for 465,000 inhabitants, sending them 0.3 s).
    {
      select: `select r.patient_id, r.unit_id, r.valid_from, r.valid_to from register_period r
         where r.kind = 'listning' and r.valid_from <= ${setting('pk.last_day', 'date')}
           and (r.valid_to is null or r.valid_to >= ${setting('pk.first_day', 'date')})`,
      columns: 4,
      row: (buf, starts, lengths) => {
        const patient = listed.id(buf, starts[0]!, lengths[0]!);
        const unit = units.id(buf, starts[1]!, lengths[1]!);
        const validFrom = buf.readInt32BE(starts[2]);
        const validTo = lengths[3]! < 0 ? Infinity : buf.readInt32BE(starts[3]);
        listedUnits.forEach((ofWindow, k) => {
          if (ofWindow.length === patient) ofWindow.push(-1);
          const day = windowDays[k]!;
          if (validFrom > day || validTo < day) return;
          const current = ofWindow[patient]!;
          if (current < 0 || (current !== unit && units.key(unit) < units.key(current)))
            ofWindow[patient] = unit;
        });
      },
    },
  ]);
  const listing = Int32Array.from({ length: patients.size }, (_, p) => patients.idIn(listed, p));
  const listedAt = listedUnits.map((ofWindow) => listing.map((id) => (id < 0 ? -1 : ofWindow[id]!)));

  // Providers are the staff codes; ranked by HSA-id.
  const providerRank = new Int32Array(staffIds.length);
  staffIds
    .map((key, code) => ({ key, code }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .forEach(({ code }, rank) => (providerRank[code] = rank));
  const tallies = tallyPatients(
    {
      ...read.done((context) => counts[context] === true),
      patients: patients.size,
      providers: staffIds.length,
      providerRank,
    },
    bounds.map((b) => ({ from: instantMicros(b.from), to: instantMicros(b.to) })),
  );
  const minVisits = Math.max(2, settings.minVisits);
  // Units in id order; patients not listed anywhere last.
  const unitRank = new Int32Array(units.size);
  Array.from({ length: units.size }, (_, id) => ({ key: units.key(id), id }))
    .sort((a, b) => (a.key < b.key ? -1 : 1))
    .forEach(({ id }, rank) => (unitRank[id] = rank));
  return tallies.map((t, k) => {
    const unitOf = listedAt[k]!;
    const rankOf = (p: number): number => (unitOf[p]! < 0 ? units.size : unitRank[unitOf[p]!]!);
    const fields = [t.visits, t.sumSquares, t.maxPerProvider, t.providers, t.sequentialSame];
    const compare = (a: number, b: number): number => {
      let d = rankOf(a) - rankOf(b);
      for (let f = 0; d === 0 && f < fields.length; f += 1) d = fields[f]![a]! - fields[f]![b]!;
      return d;
    };
    // Patients sorted by (unit, tally), then counted run by run: the rows come out in order.
    const counted: number[] = [];
    for (let p = 0; p < patients.size; p += 1) if (t.visits[p]! >= minVisits) counted.push(p);
    const order = Int32Array.from(counted).sort(compare);
    const rows: ContinuityRow[] = [];
    for (let i = 0; i < order.length; i += 1) {
      const p = order[i]!;
      if (i > 0 && compare(order[i - 1]!, p) === 0) {
        rows[rows.length - 1]!.patients += 1;
        continue;
      }
      rows.push({
        unitId: unitOf[p]! < 0 ? null : units.key(unitOf[p]!),
        visits: t.visits[p]!,
        sumSquares: t.sumSquares[p]!,
        maxPerProvider: t.maxPerProvider[p]!,
        providers: t.providers[p]!,
        sequentialSame: t.sequentialSame[p]!,
        patients: 1,
      });
    }
    return rows;
  });
}

interface CopyJob {
  select: string;
  columns: number;
  row: BinaryRowReader;
}

/**
 * Streams the rows of each job's `select` (binary COPY) to its `row`, with `values` set, all from
 * one snapshot of the database. On PostgreSQL the jobs run at once, each on its own connection
 * (the server's part of the work, scan and COPY out, is most of it): the first exports its
 * snapshot (`pg_export_snapshot`) and the others take it, as pg_dump's parallel jobs do. PGlite is
 * one connection: there they run one after the other in one transaction.
 */
async function copyInOneSnapshot(
  db: Db,
  values: Record<string, string>,
  jobs: readonly CopyJob[],
): Promise<void> {
  const setUp = async (tx: Queryable): Promise<void> => {
    if (!tx.copyOutBinary) throw new Error('copyOutBinary is missing on this engine');
    await tx.exec(ANALYTIC_SETTINGS);
    const names = Object.keys(values);
    await tx.query(
      `select ${names.map((_, k) => `set_config($${2 * k + 1}, $${2 * k + 2}, true)`).join(', ')}`,
      names.flatMap((name) => [name, values[name]]),
    );
  };
  const run = (tx: Queryable, job: CopyJob): Promise<void> =>
    eachBinaryRow(tx.copyOutBinary!(job.select), job.columns, job.row);
  if (db.engine !== 'postgres' || jobs.length === 1) {
    await db.transaction(
      async (tx) => {
        await setUp(tx);
        for (const job of jobs) await run(tx, job);
      },
      { isBulk: true },
    );
    return;
  }
  const [first, ...rest] = jobs;
  let shareSnapshot!: (id: string) => void;
  let failLead!: (error: unknown) => void;
  const snapshot = new Promise<string>((resolve, reject) => {
    shareSnapshot = resolve;
    failLead = reject;
  });
  // Each follower reports when it holds the snapshot: the leader must not end its transaction before.
  const followers = rest.map((job) => {
    let taken!: () => void;
    const holds = new Promise<void>((resolve) => (taken = resolve));
    const done = snapshot
      .then((id) =>
        db.transaction(
          async (tx) => {
            try {
              await tx.exec('set transaction isolation level repeatable read');
              await tx.exec(`set transaction snapshot '${id}'`);
            } finally {
              taken();
            }
            await setUp(tx);
            await run(tx, job);
          },
          { isBulk: true },
        ),
      )
      .finally(() => taken());
    return { holds, done };
  });
  const lead = db
    .transaction(
      async (tx) => {
        await tx.exec('set transaction isolation level repeatable read');
        const [{ id }] = (await tx.query<{ id: string }>('select pg_export_snapshot() as id')) as [
          { id: string },
        ];
        if (!/^[0-9A-F-]+$/i.test(id)) throw new Error(`unexpected snapshot id ${id}`);
        shareSnapshot(id);
        await setUp(tx);
        await run(tx, first!);
        await Promise.all(followers.map((f) => f.holds));
      },
      { isBulk: true },
    )
    .catch((error: unknown) => {
      failLead(error);
      throw error;
    });
  await Promise.all([lead, ...followers.map((f) => f.done)]);
}

/** A text array literal ('{a,b}') of plain words, for `set_config`. */
function pgArray(words: readonly string[]): string {
  for (const w of words) if (!/^[\p{L}\p{N}_-]+$/u.test(w)) throw new Error(`not a plain word: ${w}`);
  return `{${words.join(',')}}`;
}

/** Bytes of one packed visit in `visit_series` (migration 008). */
const PACKED_VISIT = 16;

/**
 * Visit columns that grow as rows stream in, each visit with its context code; `done` keeps the
 * visits whose context counts (see `VisitColumns`).
 */
function growableVisits() {
  let size = 0;
  let patient = new Int32Array(1 << 16);
  let at = new Float64Array(1 << 16);
  let provider = new Int32Array(1 << 16);
  let context = new Int32Array(1 << 16);
  const grow = <A extends Int32Array | Float64Array>(a: A, make: (n: number) => A): A => {
    const b = make(a.length * 2);
    b.set(a);
    return b;
  };
  return {
    push(p: number, t: number, s: number, c: number): void {
      if (size === patient.length) {
        patient = grow(patient, (n) => new Int32Array(n));
        at = grow(at, (n) => new Float64Array(n));
        provider = grow(provider, (n) => new Int32Array(n));
        context = grow(context, (n) => new Int32Array(n));
      }
      patient[size] = p;
      at[size] = t;
      provider[size] = s;
      context[size] = c;
      size += 1;
    },
    done(counts: (context: number) => boolean) {
      let kept = 0;
      for (let i = 0; i < size; i += 1)
        if (counts(context[i]!)) {
          patient[kept] = patient[i]!;
          at[kept] = at[i]!;
          provider[kept] = provider[i]!;
          kept += 1;
        }
      return { count: kept, patient, at, provider };
    },
  };
}
