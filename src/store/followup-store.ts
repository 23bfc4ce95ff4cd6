/**
 * The SQL of follow-up. Aggregates only: every query returns counts per care unit (and per day
 * or month), never a patient. Integers only, so PostgreSQL and PGlite give identical answers;
 * shares, means and the continuity formulas are computed from the counts in
 * src/services/followup-service.ts and src/domain/.
 *
 * Days are Swedish calendar days: a stock is counted at the end of its day (`dayEnd`, the next
 * midnight in Europe/Stockholm), periods include both ends.
 */
import { createMobileTeamFollowupStore } from './mobile-team-followup-store.ts';
import { addDays, diagnosisGroups, type Period } from '../domain/followup.ts';
import { swedishDayBounds } from '../domain/swedish-time.ts';
import { createContinuityStore } from './continuity-store.ts';
import { ANALYTIC_SETTINGS, type Db } from './db.ts';

/** The first instant after a Swedish day. */
export const dayEnd = (day: string): string => swedishDayBounds(day).end;

export type { ContinuityRow } from './continuity-store.ts';

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

export { ANALYTIC_SETTINGS };

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
    /** The mobile-team section's rows (its own store). */
    mobileTeams: createMobileTeamFollowupStore(db),
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
            -- A diagnosis counts on the days it was current: from its start to its end.
            where case ${groupCases} end is not null
              and (d.since is null or d.since <= c.day) and (d.ended_on is null or d.ended_on >= c.day)
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
     * patient's own self-assessments (`content.selfAssessment`). Each answering
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

    // Continuity has a stem of its own (domain/continuity.ts, store/continuity-store.ts).
    ...createContinuityStore(db),
  };
}

export type FollowupStore = ReturnType<typeof createFollowupStore>;
