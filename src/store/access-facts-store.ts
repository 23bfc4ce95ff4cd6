/** Reads everything the access decision needs about one patient, in one round trip. */
import type { AccessFacts } from '../domain/access.ts';
import type { Actor } from '../domain/actor.ts';
import { CARE_RELATIONSHIP_SOURCES, type CareRelationshipSource } from '../domain/care-relationship.ts';
import type { Queryable } from './db.ts';
import { namedSql } from './named-sql.ts';
import { isUuid } from './patient-store.ts';

/**
 * Today's Swedish date by the database's clock, which every other fact here reads (`now()`).
 * Not `current_date`: that is the day in the session's time zone, UTC on most servers, which is
 * still yesterday for the first hour or two of a Swedish day.
 */
const SWEDISH_TODAY = `(now() at time zone 'Europe/Stockholm')::date`;

/**
 * The facts' common table expressions, about the patient `:patientId`. Shared with
 * `prefetch-store.ts`, which reads them in the same statement as the session.
 */
export const factsCtes = `
p as (select id, listed_unit_id from patient where id = :patientId),
c as (select content, owner_unit_id from contract where patient_id = :patientId and status <> 'ended'),
holder as (
  select coalesce((select owner_unit_id from c), (select listed_unit_id from p)) as unit_id)`;

/**
 * The rule of domain/care-relationship.ts, one select per source: the units each names for the
 * patient `:patientId` (after `factsCtes`: `p` the patient, `c` the current plan). A new source
 * in the domain is a new entry here (the Record asks for it).
 */
const relationshipSourceSql: Record<CareRelationshipSource, string> = {
  listing: `select listed_unit_id from p`,
  'care-contact': `select unit_id from care_contact where patient_id = :patientId and status = 'active'`,
  'plan-activity': `select jsonb_path_query(content, '$.activities[*].unitId') #>> '{}' from c`,
  'plan-next-contact': `select content #>> '{nextContact,unitId}' from c`,
  'plan-holder': `select owner_unit_id from c`,
  registered: `select unit_id from care_relationship where patient_id = :patientId and ended_at is null
      and start_date <= ${SWEDISH_TODAY} and (end_date is null or end_date >= ${SWEDISH_TODAY})`,
  'team-enrolment': `select m.unit_id from enrolment e join team_member m on m.team_id = e.team_id
      where e.patient_id = :patientId and e.status <> 'ended'
      and m.starts <= ${SWEDISH_TODAY} and (m.ends is null or m.ends >= ${SWEDISH_TODAY})`,
};

/** The units with a care relationship to the patient, each once (domain `relationshipUnitIdsOf`). */
const relationshipUnitIdsSql = `array(
    select unit_id from (
      ${CARE_RELATIONSHIP_SOURCES.map((source) => relationshipSourceSql[source]).join('\n      union ')}
    ) as source (unit_id) where unit_id is not null
  )`;

/**
 * The facts as columns (after `factsCtes`): `staff` and `unit` are the SQL of the acting staff
 * member's id and unit (null for a patient), for their role there.
 */
export const factsColumns = (staff: string, unit: string): string => `
  exists (select 1 from p) as "patientExists",
  (select unit_id from holder) as "holderUnitId",
  (select u.provider_id from care_unit u where u.id = (select unit_id from holder)) as "holderProviderId",
  ${relationshipUnitIdsSql} as "relationshipUnitIds",
  coalesce((select json_agg(json_build_object('scope', scope_kind, 'unitId', unit_id, 'staffId', staff_id,
      'validFrom', valid_from, 'validTo', valid_to, 'revokedAt', revoked_at))
    from consent where patient_id = :patientId and revoked_at is null), '[]') as consents,
  coalesce((select json_agg(json_build_object('scope', scope_kind, 'unitId', unit_id, 'providerId', provider_id))
    from block where patient_id = :patientId and lifted_at is null), '[]') as blocks,
  coalesce((select json_agg(json_build_object('staffId', staff_id, 'unitId', unit_id, 'expiresAt', expires_at))
    from emergency_access where patient_id = :patientId and expires_at > now()), '[]') as emergencies,
  array(select grantee_patient_id::text from proxy_grant where patient_id = :patientId and revoked_at is null
    and (valid_to is null or valid_to > now())) as proxies,
  (select role from staff_unit where staff_id = ${staff} and unit_id = ${unit} and ended_at is null) as "actorRole",
  now() as now`;

/**
 * A necessary condition of the access rule (src/domain/access.ts#decideAccess) about the patient
 * row `p`, for a search to filter by before its LIMIT, so that a page is counted among patients
 * the reader may see and not among strangers. Staff: their unit is one of the patient's
 * relationship units (the same sources as `relationshipUnitIds`, without the date bounds of a
 * care relationship: wider is safe), or they hold an open emergency access. A patient: themselves,
 * or one who gave them access. It is no decision: the rule still decides each result and the
 * search logs it. `staff`, `unit` and `self` are the SQL of the staff member's id and unit and of
 * the patient actor's id (nulls for the other kind).
 */
export const mayBeVisibleSql = (staff: string, unit: string, self: string): string => `(
  p.id = ${self}::uuid
  or exists (select 1 from proxy_grant g where g.patient_id = p.id and g.grantee_patient_id = ${self}::uuid
    and g.revoked_at is null and (g.valid_to is null or g.valid_to > now()))
  or p.listed_unit_id = ${unit}::text
  or exists (select 1 from care_contact cc where cc.patient_id = p.id and cc.status = 'active'
    and cc.unit_id = ${unit}::text)
  or exists (select 1 from contract k where k.patient_id = p.id and k.status <> 'ended'
    and (k.owner_unit_id = ${unit}::text or k.content #>> '{nextContact,unitId}' = ${unit}::text
      or jsonb_path_exists(k.content, '$.activities[*] ? (@.unitId == $u)', jsonb_build_object('u', ${unit}::text))))
  or exists (select 1 from care_relationship r where r.patient_id = p.id and r.unit_id = ${unit}::text
    and r.ended_at is null)
  or exists (select 1 from enrolment en join team_member tm on tm.team_id = en.team_id
    where en.patient_id = p.id and en.status <> 'ended' and tm.unit_id = ${unit}::text and tm.ends is null)
  or exists (select 1 from emergency_access e where e.patient_id = p.id and e.staff_id = ${staff}::text
    and e.unit_id = ${unit}::text and e.expires_at > now())
)`;

/**
 * The same necessary condition for a system client of the care provider `provider` (SQL of its
 * HSA-id): the patient has a relationship to one of the provider's units (`decideForSystem`
 * needs one). No emergency access, no patient of its own.
 */
export const mayBeVisibleToProviderSql = (provider: string): string => `exists (
  select 1 from care_unit pu where pu.provider_id = ${provider}::text
    and ${mayBeVisibleSql('null', 'pu.id', 'null')}
)`;

/** The access facts about one patient as one staff member (or, with nulls, a patient) reads them. */
export const accessFactsStatement = namedSql(
  `with ${factsCtes}
select ${factsColumns(':staffId', ':unitId')}`,
  ['patientId', 'staffId', 'unitId'],
);

export function createAccessFactsStore(db: Queryable) {
  return {
    /** The facts about `patientId` as seen by `actor`, read fresh (a revoked consent counts at once). */
    async gather(actor: Actor, patientId: string): Promise<AccessFacts> {
      if (!isUuid(patientId)) {
        return {
          patientId,
          patientExists: false,
          holderUnitId: null,
          holderProviderId: null,
          relationshipUnitIds: [],
          consents: [],
          blocks: [],
          emergencies: [],
          proxies: [],
          actorRole: null,
          now: new Date().toISOString(),
        };
      }
      const staffId = actor.kind === 'staff' ? actor.staffId : null;
      const unitId = actor.kind === 'staff' ? actor.unitId : null;
      const rows = await db.query<Omit<AccessFacts, 'patientId'>>(
        accessFactsStatement.text,
        accessFactsStatement.params({ patientId, staffId, unitId }),
      );
      const facts: AccessFacts = { ...rows[0]!, patientId };
      if (actor.kind !== 'system') return facts;
      // A system client acts for a care provider: which provider each named unit belongs to.
      const unitIds = [
        ...new Set([...facts.relationshipUnitIds, ...facts.consents.flatMap((c) => c.unitId ?? [])]),
      ];
      const units =
        unitIds.length === 0
          ? []
          : await db.query<{ id: string; providerId: string }>(
              'select id, provider_id as "providerId" from care_unit where id = any($1::text[])',
              [unitIds],
            );
      return { ...facts, unitProviders: Object.fromEntries(units.map((u) => [u.id, u.providerId])) };
    },
  };
}

export type AccessFactsStore = ReturnType<typeof createAccessFactsStore>;
