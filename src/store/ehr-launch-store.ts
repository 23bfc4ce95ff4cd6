/**
 * SMART launches under way (`ehr_launch`) and the log of launches that ended (`ehr_launch_event`).
 * A launch is keyed by the SHA-256 of the cookie that binds it to the browser and is used up by the
 * step that reads it, whatever that step's outcome: a `state` can be completed once.
 */
import type { LoggedLaunch } from '../domain/ehr-launch.ts';
import type { Queryable } from './db.ts';

export type { LoggedLaunch };

export interface AuthorizeStage {
  /** The SHA-256 of the cookie value. */
  id: string;
  ehrSystemId: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  ttlSeconds: number;
}

export interface UnitChoiceStage {
  id: string;
  ehrSystemId: string;
  staffId: string;
  /** Our patient, or null when the journal system's patient matched none. */
  patientId: string | null;
  /** Why no patient matched, for the log. */
  patientNote: string | null;
  ttlSeconds: number;
}

export type TakenLaunch =
  | ({ stage: 'authorize'; isLive: boolean } & Omit<AuthorizeStage, 'id' | 'ttlSeconds'>)
  | ({ stage: 'choose-unit'; isLive: boolean } & Omit<UnitChoiceStage, 'id' | 'ttlSeconds'>);

export interface LaunchEvent {
  ehrSystemId: string | null;
  iss: string | null;
  outcome: string;
  staffId: string | null;
  unitId: string | null;
  patientId: string | null;
  requestId: string;
  detail: string | null;
}

/** What log review may filter the launch log by. */
export interface LaunchEventFilter {
  /** The reviewer's care provider: only its launches are listed. */
  providerId: string;
  ehrSystemId?: string | undefined;
  /** HSA-id of the launched user. */
  staffId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** `opened`, `choose-unit` (waited for the unit choice) or `refused` (every other outcome). */
  outcome?: 'opened' | 'choose-unit' | 'refused' | undefined;
  limit: number;
}

interface LaunchRow {
  stage: 'authorize' | 'choose-unit';
  isLive: boolean;
  ehrSystemId: string;
  state: string | null;
  nonce: string | null;
  codeVerifier: string | null;
  staffId: string | null;
  patientId: string | null;
  patientNote: string | null;
}

export function createEhrLaunchStore(db: Queryable) {
  return {
    /** Records the start of a launch; launches past their time are deleted first. */
    async startAuthorize(launch: AuthorizeStage): Promise<void> {
      await db.query('delete from ehr_launch where expires_at < now()');
      await db.query(
        `insert into ehr_launch (id, ehr_system_id, stage, state, nonce, code_verifier, expires_at)
         values ($1, $2, 'authorize', $3, $4, $5, now() + make_interval(secs => $6))`,
        [launch.id, launch.ehrSystemId, launch.state, launch.nonce, launch.codeVerifier, launch.ttlSeconds],
      );
    },

    /** Records a launch that waits for the user to choose the unit they act from. */
    async startUnitChoice(launch: UnitChoiceStage): Promise<void> {
      await db.query(
        `insert into ehr_launch (id, ehr_system_id, stage, staff_id, patient_id, patient_note, expires_at)
         values ($1, $2, 'choose-unit', $3, $4, $5, now() + make_interval(secs => $6))`,
        [
          launch.id,
          launch.ehrSystemId,
          launch.staffId,
          launch.patientId,
          launch.patientNote,
          launch.ttlSeconds,
        ],
      );
    },

    /** Deletes the launch and returns it: null when there is none. */
    async take(id: string): Promise<TakenLaunch | null> {
      const rows = await db.query<LaunchRow>(
        `delete from ehr_launch where id = $1
         returning stage, expires_at > now() as "isLive", ehr_system_id as "ehrSystemId", state, nonce,
           code_verifier as "codeVerifier", staff_id as "staffId", patient_id as "patientId",
           patient_note as "patientNote"`,
        [id],
      );
      const row = rows[0];
      if (!row) return null;
      if (row.stage === 'authorize') {
        return {
          stage: 'authorize',
          isLive: row.isLive,
          ehrSystemId: row.ehrSystemId,
          state: row.state ?? '',
          nonce: row.nonce ?? '',
          codeVerifier: row.codeVerifier ?? '',
        };
      }
      return {
        stage: 'choose-unit',
        isLive: row.isLive,
        ehrSystemId: row.ehrSystemId,
        staffId: row.staffId ?? '',
        patientId: row.patientId,
        patientNote: row.patientNote,
      };
    },

    /** Writes one launch that ended, allowed or refused. */
    async logEvent(event: LaunchEvent): Promise<void> {
      await db.query(
        `insert into ehr_launch_event (ehr_system_id, iss, outcome, staff_id, unit_id, patient_id, request_id, detail)
         values ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          event.ehrSystemId,
          event.iss === null ? null : event.iss.slice(0, 2000),
          event.outcome,
          event.staffId,
          event.unitId,
          event.patientId,
          event.requestId,
          event.detail === null ? null : event.detail.slice(0, 1000),
        ],
      );
    },

    /**
     * The launches of one care provider, newest first, live and archived (the archive inherits
     * the table): those from one of its units, and those that ended before a unit was chosen or
     * known by a user who has a place at one of its units. A launch refused before the user was
     * known (an unknown journal system, a lost launch) is no care provider's: it is not listed.
     */
    async listEvents(filter: LaunchEventFilter): Promise<LoggedLaunch[]> {
      return db.query<LoggedLaunch>(
        `select e.id::text as id, e.at, e.ehr_system_id as "ehrSystemId", s.name as "ehrSystemName", e.iss,
                e.outcome, e.staff_id as "staffId",
                (select st.given_name || ' ' || st.family_name from staff st where st.id = e.staff_id) as "staffName",
                e.unit_id as "unitId", u.name as "unitName", e.patient_id as "patientId",
                e.request_id as "requestId", e.detail
         from ehr_launch_event e
         left join ehr_system s on s.id = e.ehr_system_id
         left join care_unit u on u.id = e.unit_id
         where (u.provider_id = $1
             or (e.unit_id is null and exists (
               select 1 from staff_unit su join care_unit cu on cu.id = su.unit_id
               where su.staff_id = e.staff_id and cu.provider_id = $1)))
           and ($2::text is null or e.ehr_system_id = $2)
           and ($3::text is null or e.staff_id = $3)
           and ($4::timestamptz is null or e.at >= $4) and ($5::timestamptz is null or e.at < $5)
           and ($6::text is null or case $6::text
                 when 'opened' then e.outcome = 'opened'
                 when 'choose-unit' then e.outcome = 'choose-unit'
                 else e.outcome not in ('opened', 'choose-unit') end)
         order by e.at desc, e.id desc limit $7`,
        [
          filter.providerId,
          filter.ehrSystemId ?? null,
          filter.staffId ?? null,
          filter.from ?? null,
          filter.to ?? null,
          filter.outcome ?? null,
          Math.min(filter.limit, 500),
        ],
      );
    },
  };
}

export type EhrLaunchStore = ReturnType<typeof createEhrLaunchStore>;
