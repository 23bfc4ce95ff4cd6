/** Reads everything the access decision needs about one patient, in one round trip. */
import type { AccessFacts } from '../domain/access.ts';
import type { Actor } from '../domain/actor.ts';
import type { Queryable } from './db.ts';
import { isUuid } from './patient-store.ts';

/**
 * Today's Swedish date by the database's clock, which every other fact here reads (`now()`).
 * Not `current_date`: that is the day in the session's time zone, UTC on most servers, which is
 * still yesterday for the first hour or two of a Swedish day.
 */
const SWEDISH_TODAY = `(now() at time zone 'Europe/Stockholm')::date`;

/**
 * The facts' common table expressions, about the patient whose id is the parameter `patient`
 * (e.g. `$1`). Shared with `session-store.ts#resolveActorWithFacts`, which reads them in the same
 * statement as the session.
 */
export const factsCtes = (patient: string): string => `
p as (select id, listed_unit_id from patient where id = ${patient}),
c as (select content, owner_unit_id from contract where patient_id = ${patient} and status <> 'ended'),
holder as (
  select coalesce((select owner_unit_id from c), (select listed_unit_id from p)) as unit_id)`;

/**
 * The facts as columns (after `factsCtes`): `staff` and `unit` are the SQL of the acting staff
 * member's id and unit (null for a patient), for their role there.
 */
export const factsColumns = (patient: string, staff: string, unit: string): string => `
  exists (select 1 from p) as "patientExists",
  (select unit_id from holder) as "holderUnitId",
  (select u.provider_id from care_unit u where u.id = (select unit_id from holder)) as "holderProviderId",
  array(
    select listed_unit_id from p where listed_unit_id is not null
    union select unit_id from care_contact where patient_id = ${patient} and status = 'active'
    union select jsonb_path_query(content, '$.activities[*].unitId') #>> '{}' from c
    union select content #>> '{nextContact,unitId}' from c where content #>> '{nextContact,unitId}' is not null
    union select owner_unit_id from c where owner_unit_id is not null
    union select unit_id from care_relationship where patient_id = ${patient} and ended_at is null
      and start_date <= ${SWEDISH_TODAY} and (end_date is null or end_date >= ${SWEDISH_TODAY})
  ) as "relationshipUnitIds",
  coalesce((select json_agg(json_build_object('scope', scope_kind, 'unitId', unit_id, 'staffId', staff_id,
      'validFrom', valid_from, 'validTo', valid_to, 'revokedAt', revoked_at))
    from consent where patient_id = ${patient} and revoked_at is null), '[]') as consents,
  coalesce((select json_agg(json_build_object('scope', scope_kind, 'unitId', unit_id, 'providerId', provider_id))
    from block where patient_id = ${patient} and lifted_at is null), '[]') as blocks,
  coalesce((select json_agg(json_build_object('staffId', staff_id, 'unitId', unit_id, 'expiresAt', expires_at))
    from emergency_access where patient_id = ${patient} and expires_at > now()), '[]') as emergencies,
  array(select grantee_patient_id::text from proxy_grant where patient_id = ${patient} and revoked_at is null
    and (valid_to is null or valid_to > now())) as proxies,
  (select role from staff_unit where staff_id = ${staff} and unit_id = ${unit}) as "actorRole",
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
  or exists (select 1 from emergency_access e where e.patient_id = p.id and e.staff_id = ${staff}::text
    and e.unit_id = ${unit}::text and e.expires_at > now())
)`;

const sql = `with ${factsCtes('$1')}
select ${factsColumns('$1', '$2', '$3')}`;

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
      const rows = await db.query<Omit<AccessFacts, 'patientId'>>(sql, [patientId, staffId, unitId]);
      return { ...rows[0]!, patientId };
    },

    /** The staff member's role at a unit, null without one: the facts that need no patient. */
    async roleAt(staffId: string, unitId: string): Promise<string | null> {
      const rows = await db.query<{ role: string }>(
        'select role from staff_unit where staff_id = $1 and unit_id = $2',
        [staffId, unitId],
      );
      return rows[0]?.role ?? null;
    },
  };
}

export type AccessFactsStore = ReturnType<typeof createAccessFactsStore>;
