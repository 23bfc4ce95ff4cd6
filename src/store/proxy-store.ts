/**
 * Närstående and ombud: people a patient lets read their plan until an end date.
 * The access decision reads current grants in store/access-facts-store.ts.
 */
import type { Actor } from '../domain/actor.ts';
import { actorId, actorUnitId } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import type { PatientId } from '../domain/personnummer.ts';
import type { Db } from './db.ts';
import { isUuid } from './patient-store.ts';

export interface ProxyGrant {
  id: string;
  granteeName: string;
  granteeIdentifier: string;
  validTo: string;
  createdAt: string;
  createdByKind: 'staff' | 'patient' | null;
  revokedAt: string | null;
  /** Unrevoked and not yet past its end. */
  isActive: boolean;
}

export interface RepresentedPatient {
  grantId: string;
  patientId: string;
  name: string;
  validTo: string;
}

export interface NewProxyGrant {
  grantee: PatientId;
  givenName: string;
  familyName: string;
  /** The first instant the grant no longer holds. */
  validTo: string;
}

export function createProxyStore(db: Db) {
  return {
    /** Every grant the patient gave, current ones first. */
    async listForPatient(patientId: string, limit = 100): Promise<ProxyGrant[]> {
      return db.query<ProxyGrant>(
        `select g.id, coalesce(g.grantee_name, p.given_name || ' ' || p.family_name) as "granteeName",
           p.identifier as "granteeIdentifier", g.valid_to as "validTo", g.created_at as "createdAt",
           g.created_by_kind as "createdByKind", g.revoked_at as "revokedAt",
           (g.revoked_at is null and (g.valid_to is null or g.valid_to > now())) as "isActive"
         from proxy_grant g join patient p on p.id = g.grantee_patient_id
         where g.patient_id = $1
         order by (g.revoked_at is null and (g.valid_to is null or g.valid_to > now())) desc, g.created_at desc
         limit $2`,
        [patientId, limit],
      );
    },

    /**
     * Gives a person read access until `validTo`, replacing their earlier grant. A person who is
     * not registered gets a minimal patient row, so that they can log in as themselves.
     */
    async grant(patientId: string, input: NewProxyGrant, actor: Actor): Promise<string> {
      return db.transaction(async (tx) => {
        // One grant at a time per patient: giving access twice at once cannot make two.
        await tx.query('select id from patient where id = $1 for update', [patientId]);
        const existing = await tx.query<{ id: string }>('select id from patient where identifier = $1', [
          input.grantee.value,
        ]);
        let granteeId = existing[0]?.id;
        if (granteeId === patientId)
          throw new DomainError('invalid_input', 'Du kan inte ge dig själv behörighet till din egen plan.', [
            { path: '/personnummer', message: 'Det är patientens eget nummer.' },
          ]);
        if (!granteeId) {
          const created = await tx.query<{ id: string }>(
            `insert into patient (identifier, identifier_kind, given_name, family_name, birth_date, sex)
             values ($1, $2, $3, $4, $5, $6) returning id`,
            [
              input.grantee.value,
              input.grantee.kind,
              input.givenName,
              input.familyName,
              input.grantee.birthDate,
              input.grantee.sex,
            ],
          );
          granteeId = created[0]!.id;
        }
        await tx.query(
          `update proxy_grant set revoked_at = now(), revoked_by = $3
           where patient_id = $1 and grantee_patient_id = $2 and revoked_at is null`,
          [patientId, granteeId, actorId(actor)],
        );
        const rows = await tx.query<{ id: string }>(
          `insert into proxy_grant (patient_id, grantee_patient_id, valid_to, grantee_name, created_by_kind,
             created_by, created_by_unit_id)
           values ($1, $2, $3, $4, $5, $6, $7) returning id`,
          [
            patientId,
            granteeId,
            input.validTo,
            `${input.givenName} ${input.familyName}`,
            actor.kind,
            actorId(actor),
            actorUnitId(actor),
          ],
        );
        return rows[0]!.id;
      });
    },

    /** Revokes a grant at once; false when there is no such unrevoked grant. */
    async revoke(patientId: string, id: string, actor: Actor): Promise<boolean> {
      if (!isUuid(id)) return false;
      const rows = await db.query(
        `update proxy_grant set revoked_at = now(), revoked_by = $3
         where id = $1 and patient_id = $2 and revoked_at is null returning id`,
        [id, patientId, actorId(actor)],
      );
      return rows.length > 0;
    },

    /** The patients whose plans this person may read now. */
    async listRepresented(granteeId: string, limit = 100): Promise<RepresentedPatient[]> {
      if (!isUuid(granteeId)) return [];
      return db.query<RepresentedPatient>(
        `select g.id as "grantId", p.id as "patientId", p.given_name || ' ' || p.family_name as name,
           g.valid_to as "validTo"
         from proxy_grant g join patient p on p.id = g.patient_id
         where g.grantee_patient_id = $1 and g.revoked_at is null and (g.valid_to is null or g.valid_to > now())
         order by p.family_name, p.given_name, p.id limit $2`,
        [granteeId, limit],
      );
    },
  };
}

export type ProxyStore = ReturnType<typeof createProxyStore>;
