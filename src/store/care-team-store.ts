/**
 * The versions of a patient's CareTeam, the fixed contacts and treating roles as FHIR CareTeam
 * shows them (migration 027, `care_team_version`), written by the database's triggers in the
 * transaction of every change to a contact: reads only. The latest version is the current team.
 * The names of staff and units are the directory's today, as a read of the contacts shows them.
 */
import type { CareContact } from '../domain/care-contact.ts';
import type { Queryable } from './db.ts';
import { isUuid } from './patient-store.ts';

/** A contact as the CareTeam shows it (a participant; declined offers are none). */
export type CareTeamMember = Pick<
  CareContact,
  | 'id'
  | 'role'
  | 'roleTitle'
  | 'staffId'
  | 'unitId'
  | 'viaTeam'
  | 'reason'
  | 'status'
  | 'startDate'
  | 'endDate'
> & { staffName: string | null; unitName: string };

/** The CareTeam at one version. */
export interface CareTeamVersion {
  version: number;
  /** When the version was written (for a team kept by migration 027: its latest change). */
  changedAt: string;
  members: CareTeamMember[];
}

const columns = `v.version, v.changed_at as "changedAt",
  coalesce((select json_agg(m.value || jsonb_build_object(
      'staffName', (select s.given_name || ' ' || s.family_name from staff s where s.id = m.value->>'staffId'),
      'unitName', (select u.name from care_unit u where u.id = m.value->>'unitId')) order by m.ordinality)
    from jsonb_array_elements(v.participants) with ordinality m), '[]') as members`;

/** Reads of `care_team_version`, part of the care contact store. */
export function careTeamReads(db: Queryable) {
  /** The CareTeam's versions newest first, at most `limit`, below the version `before` when given. */
  async function listTeamVersions(
    patientId: string,
    page: { limit: number; before?: number | undefined },
  ): Promise<CareTeamVersion[]> {
    if (!isUuid(patientId)) return [];
    return db.query<CareTeamVersion>(
      `select ${columns} from care_team_version v
        where v.patient_id = $1 and ($2::int is null or v.version < $2)
        order by v.version desc limit $3`,
      [patientId, page.before ?? null, page.limit],
    );
  }

  return {
    listTeamVersions,

    /** The patient's CareTeam now: its latest version, or null when the patient never had a contact. */
    async currentTeam(patientId: string): Promise<CareTeamVersion | null> {
      return (await listTeamVersions(patientId, { limit: 1 }))[0] ?? null;
    },

    /** The CareTeam at one version, or null when it never had that version. */
    async findTeamVersion(patientId: string, version: number): Promise<CareTeamVersion | null> {
      if (!isUuid(patientId)) return null;
      const rows = await db.query<CareTeamVersion>(
        `select ${columns} from care_team_version v where v.patient_id = $1 and v.version = $2`,
        [patientId, version],
      );
      return rows[0] ?? null;
    },
  };
}
