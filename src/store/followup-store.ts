/**
 * The SQL of follow-up. Aggregates only: every query returns counts per care unit (and per day
 * or month), never a patient. Integers only, so PostgreSQL and PGlite give identical answers;
 * shares, means and the continuity formulas are computed from the counts in
 * src/services/followup-service.ts and src/domain/.
 *
 * Days are Swedish calendar days: a stock is counted at the end of its day (`dayEnd`, the next
 * midnight in Europe/Stockholm), periods include both ends.
 */
import { tallyPatients, type ContinuitySettings, type TallyGroup } from '../domain/continuity.ts';
import { addDays, diagnosisGroups, type Period } from '../domain/followup.ts';
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
import type { Db, Queryable } from './db.ts';

/** The first instant after a Swedish day. */
export const dayEnd = (day: string): string => swedishDayBounds(day).end;

export interface UnitInfo {
  id: string;
  name: string;
  kind: string;
  providerId: string;
  providerName: string;
  providerKind: string;
  /** Active physicians working at the unit (staff directory). */
  physicians: number;
}

export interface ListingRow {
  day: string;
  unitId: string;
  listed: number;
  withGp: number;
  /** Distinct physicians named as fast läkarkontakt of those listed. */
  namedGps: number;
}

export interface ResidentRow {
  day: string;
  kind: 'sabo' | 'hemsjukvard';
  unitId: string;
  residents: number;
  withGp: number;
}

export interface ContractRow {
  day: string;
  unitId: string | null;
  /** 'alla', a diagnosis group id, 'sabo' or 'hemsjukvard'. */
  groupId: string;
  contracts: number;
  withFastVardkontakt: number;
  withAgreedNextContact: number;
  overdue: number;
}

export interface GuaranteeRow {
  month: string;
  unitId: string;
  assessments: number;
  withinDays: number;
}

export interface AnswerRow {
  unitId: string | null;
  questionSetId: string;
  audience: string;
  questionId: string;
  yes: number;
  answered: number;
}

export interface ContinuityRow extends TallyGroup {
  /** The unit the patients were listed at on the window's last day; null when not listed. */
  unitId: string | null;
}

// Patients' periods valid on day d (a date parameter), as SQL fragments.
const validOn = (alias: string, d: string): string =>
  `${alias}.valid_from <= ${d} and (${alias}.valid_to is null or ${alias}.valid_to >= ${d})`;
const gpValidOn = (alias: string, d: string): string =>
  `${alias}.role = 'fast-lakarkontakt' and ${alias}.status <> 'declined'
   and coalesce(${alias}.start_date, (${alias}.created_at at time zone 'Europe/Stockholm')::date) <= ${d}
   and (${alias}.end_date is null or ${alias}.end_date >= ${d})`;

const groupCases = diagnosisGroups
  .map((g) => `when ${g.icd10Prefixes.map((p) => `d.icd10 like '${p}%'`).join(' or ')} then '${g.id}'`)
  .join(' ');

/**
 * Settings for one analytic query: no JIT (compiling the plan costs seconds and gains nothing
 * here) and room to sort and hash in memory. `set local` ends with the transaction.
 */
export const ANALYTIC_SETTINGS = "set local jit = off; set local work_mem = '256MB'";

export function createFollowupStore(db: Db) {
  const query = <T>(sql: string, params: unknown[] = []): Promise<T[]> =>
    db.transaction(
      async (tx) => {
        await tx.exec(ANALYTIC_SETTINGS);
        return tx.query<T>(sql, params);
      },
      { isBulk: true },
    );
  return {
    /** Every care unit with its provider and its physicians. */
    async units(): Promise<UnitInfo[]> {
      return query<UnitInfo>(
        `select u.id, u.name, u.kind, u.provider_id as "providerId", p.name as "providerName",
                p.kind as "providerKind",
                (select count(*)::int from staff_unit su join staff s on s.id = su.staff_id
                  where su.unit_id = u.id and s.profession = 'lakare' and s.is_active) as physicians
           from care_unit u join care_provider p on p.id = u.provider_id
          order by u.id`,
      );
    },

    /**
     * Listed inhabitants per vårdcentral on each day, and how many have a named fast
     * läkarkontakt. One pass over the listings and one over the GP assignments, with a column per
     * day (each day is a parameter), instead of a row per person and day.
     */
    async listings(days: readonly string[]): Promise<ListingRow[]> {
      if (days.length === 0) return [];
      const last = [...days].sort().at(-1)!;
      const p = (k: number): string => `$${k + 2}::date`;
      const rows = await query<Record<string, number | string>>(
        `with gp as materialized (
           -- Each GP assignment's first day worked out once, not once per day asked about.
           select c.patient_id, coalesce(c.start_date, (c.created_at at time zone 'Europe/Stockholm')::date) as first_day,
                  c.end_date as last_day
             from care_contact c where c.role = 'fast-lakarkontakt' and c.status <> 'declined'),
         g as (
           select gp.patient_id,
                  ${days.map((_, k) => `bool_or(gp.first_day <= ${p(k)} and (gp.last_day is null or gp.last_day >= ${p(k)})) as g${k}`).join(', ')}
             from gp group by gp.patient_id),
         l as (
           select r.patient_id, r.unit_id, ${days.map((_, k) => `${validOn('r', p(k))} as l${k}`).join(', ')}
             from register_period r where r.kind = 'listning'),
         named as (
           -- Named physicians: on the last day only (a distinct count is costly on every day).
           select r.unit_id, count(distinct c.staff_id)::int as named_gps
             from register_period r join care_contact c on c.patient_id = r.patient_id and ${gpValidOn('c', '$1::date')}
            where r.kind = 'listning' and ${validOn('r', '$1::date')}
            group by r.unit_id),
         counts as (
           select l.unit_id,
                  ${days.map((_, k) => `count(*) filter (where l.l${k})::int as n${k}, count(*) filter (where l.l${k} and g.g${k})::int as w${k}`).join(', ')}
             from l left join g on g.patient_id = l.patient_id
            where ${days.map((_, k) => `l.l${k}`).join(' or ')}
            group by l.unit_id)
         select k.*, coalesce(n.named_gps, 0) as named_gps from counts k left join named n on n.unit_id = k.unit_id`,
        [last, ...days],
      );
      return days
        .flatMap((day, k) =>
          rows
            .filter((r) => Number(r[`n${k}`]) > 0)
            .map((r) => ({
              day,
              unitId: String(r.unit_id),
              listed: Number(r[`n${k}`]),
              withGp: Number(r[`w${k}`]),
              namedGps: day === last ? Number(r.named_gps) : 0,
            })),
        )
        .sort((a, b) => (a.day === b.day ? (a.unitId < b.unitId ? -1 : 1) : a.day < b.day ? -1 : 1));
    },

    /** SÄBO residents and home-care patients per unit on each day, and how many have a fast läkarkontakt. */
    async residents(days: readonly string[]): Promise<ResidentRow[]> {
      return query<ResidentRow>(
        `with d as (select unnest($1::date[]) as day),
         res as (
           select d.day, r.kind, r.unit_id, r.patient_id
             from d join register_period r on r.kind in ('sabo', 'hemsjukvard') and ${validOn('r', 'd.day')})
         select to_char(res.day, 'YYYY-MM-DD') as day, res.kind, res.unit_id as "unitId",
                count(distinct res.patient_id)::int as residents,
                count(distinct res.patient_id) filter (where exists (
                  select 1 from care_contact c where c.patient_id = res.patient_id and ${gpValidOn('c', 'res.day')}))::int
                  as "withGp"
           from res group by res.day, res.kind, res.unit_id order by 1, 2, 3`,
        [days],
      );
    },

    /**
     * Contracts in force (status active in the version valid at the end of each day) per holding
     * unit and patient group: with a fast vårdkontakt, with an agreed next contact still ahead,
     * and overdue (review date or next contact passed).
     */
    async contracts(days: readonly string[]): Promise<ContractRow[]> {
      const ends = days.map(dayEnd);
      return query<ContractRow>(
        `with d as (select * from unnest($1::date[], $2::timestamptz[], $3::timestamptz[]) as d(day, day_start, day_end)),
         -- Each version with the time it was replaced, and what the figures need from it (read
         -- from the JSON once per version, not once per version and day).
         ver as (
           select cv.contract_id, cv.status, cv.changed_at,
                  lead(cv.changed_at) over (partition by cv.contract_id order by cv.version) as replaced_at,
                  (cv.content #>> '{nextContact,agreement}') = 'overenskommen' as agreed,
                  (cv.content #>> '{nextContact,at}')::timestamptz as next_at,
                  (cv.content ->> 'reviewDate')::date as review_date
             from contract_version cv),
         v as (
           select d.day, d.day_start, ver.*
             from d join ver on ver.changed_at < d.day_end and (ver.replaced_at is null or ver.replaced_at >= d.day_end)),
         c as (
           select v.day, k.patient_id,
                  coalesce(k.owner_unit_id, (select r.unit_id from register_period r
                                              where r.patient_id = k.patient_id and r.kind = 'listning'
                                                and ${validOn('r', 'v.day')} limit 1)) as unit_id,
                  exists (select 1 from care_contact f where f.patient_id = k.patient_id and f.role = 'fast-vardkontakt'
                            and f.status <> 'declined'
                            and coalesce(f.start_date, (f.created_at at time zone 'Europe/Stockholm')::date) <= v.day
                            and (f.end_date is null or f.end_date >= v.day)) as has_fvk,
                  coalesce(v.agreed and v.next_at >= v.day_start, false) as has_next,
                  coalesce(v.review_date < v.day, false) or coalesce(v.next_at < v.day_start, false) as is_overdue
             from v join contract k on k.id = v.contract_id
            where v.status = 'active'),
         -- SÄBO and hemsjukvård periods: few, so joined by hash rather than looked up per row.
         res as materialized (
           select patient_id, kind, valid_from, valid_to from register_period where kind in ('sabo', 'hemsjukvard')),
         g as (
           select c.*, 'alla' as group_id from c
           union all
           select distinct c.*, case ${groupCases} end
             from c join patient_diagnosis d on d.patient_id = c.patient_id
            where case ${groupCases} end is not null
           union all
           select distinct c.*, r.kind from c join res r on r.patient_id = c.patient_id
            where ${validOn('r', 'c.day')})
         select to_char(day, 'YYYY-MM-DD') as day, unit_id as "unitId", group_id as "groupId",
                count(*)::int as contracts, count(*) filter (where has_fvk)::int as "withFastVardkontakt",
                count(*) filter (where has_next)::int as "withAgreedNextContact",
                count(*) filter (where is_overdue)::int as overdue
           from g group by day, unit_id, group_id order by 1, 2, 3`,
        [days, days.map((d) => dayEnd(addDays(d, -1))), ends],
      );
    },

    /** Contracts drawn up in the period, per holding unit. */
    async newContracts(
      period: Period,
    ): Promise<{ unitId: string | null; month: string; contracts: number }[]> {
      return query(
        `select coalesce(k.owner_unit_id, p.listed_unit_id) as "unitId",
                to_char(k.created_at at time zone 'Europe/Stockholm', 'YYYY-MM') as month, count(*)::int as contracts
           from contract k join patient p on p.id = k.patient_id
          where k.created_at >= $1 and k.created_at < $2
          group by 1, 2 order by 1, 2`,
        [dayEnd(addDays(period.from, -1)), dayEnd(period.to)],
      );
    },

    /** Medical assessments per unit and month, and how many came within `days` days of the contact. */
    async guarantee(period: Period, days: number): Promise<GuaranteeRow[]> {
      return query<GuaranteeRow>(
        `select to_char(v.at at time zone 'Europe/Stockholm', 'YYYY-MM') as month, v.unit_id as "unitId",
                count(*)::int as assessments,
                count(*) filter (where (v.at at time zone 'Europe/Stockholm')::date - v.sought_on <= $3)::int
                  as "withinDays"
           from visit v
          where v.is_assessment and v.at >= $1 and v.at < $2
          group by 1, 2 order by 1, 2`,
        [dayEnd(addDays(period.from, -1)), dayEnd(period.to), days],
      );
    },

    /**
     * Answers to the question sets recorded in the period: staff's (`content.answers`) and the
     * patient's own self-assessments (`content.selfAssessment`, issue 5). Each answering
     * (contract, set, time) counts once, however many versions carry it. Share yes = ja / all
     * answers.
     */
    async answers(period: Period): Promise<AnswerRow[]> {
      return query<AnswerRow>(
        `with recorded as (
           select cv.contract_id, cv.version, x.answers
             from contract_version cv
            cross join lateral (values (cv.content -> 'answers'), (cv.content -> 'selfAssessment')) as x(answers)
            where jsonb_typeof(x.answers) = 'object'
              and (x.answers ->> 'answeredAt')::timestamptz >= $1
              and (x.answers ->> 'answeredAt')::timestamptz < $2),
         a as (
           select distinct on (r.contract_id, r.answers ->> 'questionSetId', r.answers ->> 'answeredAt')
                  r.contract_id, r.answers
             from recorded r
            order by r.contract_id, r.answers ->> 'questionSetId', r.answers ->> 'answeredAt', r.version)
         select coalesce(k.owner_unit_id, p.listed_unit_id) as "unitId", a.answers ->> 'questionSetId' as "questionSetId",
                coalesce(max(qs.audience), 'okand') as audience, i ->> 'questionId' as "questionId",
                count(*) filter (where i ->> 'answer' = 'ja')::int as yes, count(*)::int as answered
           from a join contract k on k.id = a.contract_id join patient p on p.id = k.patient_id
           cross join lateral jsonb_array_elements(a.answers -> 'items') as i
           left join question_set qs on qs.id = a.answers ->> 'questionSetId'
                 and qs.version = (a.answers ->> 'questionSetVersion')::int
          where i ->> 'answer' is not null
          group by 1, 2, 4 order by 1, 2, 4`,
        [dayEnd(addDays(period.from, -1)), dayEnd(period.to)],
      );
    },

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

export type FollowupStore = ReturnType<typeof createFollowupStore>;

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
