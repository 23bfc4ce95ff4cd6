/**
 * SMART launches under way (`ehr_launch`) and the log of launches that ended (`ehr_launch_event`).
 * A launch is keyed by the SHA-256 of the cookie that binds it to the browser and is used up by the
 * step that reads it, whatever that step's outcome: a `state` can be completed once.
 */
import type { Queryable } from './db.ts';

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
  };
}

export type EhrLaunchStore = ReturnType<typeof createEhrLaunchStore>;
