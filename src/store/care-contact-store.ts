/** Fixed contacts and treating roles. The one-holder rules are enforced by partial unique indexes. */
import type { Actor } from '../domain/actor.ts';
import { actorId, actorUnitId } from '../domain/actor.ts';
import {
  careContactStateOf,
  changedCareContactFields,
  roleNames,
  secondHolderError,
  validateAssignment,
  validateReachable,
  type AppointmentReason,
  type CareContact,
  type CareContactAction,
  type CareContactHistoryEntry,
  type CareContactState,
  type CareContactRole,
  type ReachableHours,
} from '../domain/care-contact.ts';
import { DomainError } from '../domain/errors.ts';
import type { Db, Queryable } from './db.ts';
import { recordChangeEvent, type StoredEvent } from './event-store.ts';
import { isUniqueViolation } from './pg-errors.ts';
import { careTeamReads } from './care-team-store.ts';
import { isUuid } from './patient-store.ts';

export interface CareContactView extends CareContact {
  staffName: string | null;
  staffProfession: string | null;
  unitName: string;
  providerKind: 'region' | 'kommun' | 'privat';
  /**
   * The holder's place at the contact's unit has ended (the directory no longer holds their
   * assignment there): the contact stays, and the plan says it needs a new holder.
   */
  holderHasLeft: boolean;
}

export interface NewCareContact {
  role: CareContactRole;
  roleTitle?: string | null | undefined;
  staffId?: string | null | undefined;
  unitId: string;
  viaTeam?: boolean | undefined;
  phone?: string | null | undefined;
  reachable?: ReachableHours[] | undefined;
  reason?: AppointmentReason | null | undefined;
  /** 'declined' records an offer the patient said no to (the Gävleborg plan). */
  status?: 'active' | 'declined' | undefined;
  startDate?: string | null | undefined;
  reviewDate?: string | null | undefined;
  note?: string | null | undefined;
  /** Change of holder: end this contact in the same transaction. */
  replaces?: { id: string; version: number } | undefined;
}

export interface CareContactPatch {
  roleTitle?: string | null | undefined;
  phone?: string | null | undefined;
  reachable?: ReachableHours[] | undefined;
  reviewDate?: string | null | undefined;
  note?: string | null | undefined;
  viaTeam?: boolean | undefined;
  /** Ends the assignment (in consultation with the patient). */
  end?: { date: string; reason: string } | undefined;
}

const columns = `cc.id, cc.patient_id as "patientId", cc.role, cc.role_title as "roleTitle", cc.staff_id as "staffId",
  cc.unit_id as "unitId", cc.via_team as "viaTeam", cc.phone, cc.reachable, cc.reason, cc.status,
  cc.start_date as "startDate", cc.review_date as "reviewDate", cc.end_date as "endDate",
  cc.end_reason as "endReason", cc.note, cc.version,
  case when s.id is null then null else s.given_name || ' ' || s.family_name end as "staffName",
  s.profession as "staffProfession", u.name as "unitName", p.kind as "providerKind",
  exists (select 1 from staff_unit su where su.staff_id = cc.staff_id and su.unit_id = cc.unit_id
    and su.ended_at is not null) as "holderHasLeft"`;
const joins = `from care_contact cc join care_unit u on u.id = cc.unit_id join care_provider p on p.id = u.provider_id
  left join staff s on s.id = cc.staff_id`;

export function createCareContactStore(db: Db) {
  async function findIn(tx: Queryable, patientId: string, id: string): Promise<CareContactView | null> {
    if (!isUuid(id)) return null;
    const rows = await tx.query<CareContactView>(
      `select ${columns} ${joins} where cc.id = $1 and cc.patient_id = $2`,
      [id, patientId],
    );
    return rows[0] ?? null;
  }

  /**
   * One writer of a patient's care team at a time, locked before any contact: the CareTeam's
   * version (migration 027, care_team_keep) locks the patient row too, after the contacts, and a
   * register import holding it while changing a contact of the same patient could otherwise meet
   * this transaction in a deadlock.
   */
  async function lockTeam(tx: Queryable, patientId: string): Promise<void> {
    if (isUuid(patientId))
      await tx.query('select 1 from patient where id = $1 for no key update', [patientId]);
  }

  /** The history row of one change, in the transaction of the change. */
  async function recordVersion(
    tx: Queryable,
    action: CareContactAction,
    before: CareContactView | null,
    after: CareContactView,
    actor: Actor,
  ): Promise<void> {
    await tx.query(
      `insert into care_contact_version (contact_id, version, patient_id, action, before, after, actor_kind, actor_id,
         actor_name, actor_unit_id) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        after.id,
        after.version,
        after.patientId,
        action,
        before === null ? null : JSON.stringify(careContactStateOf(before)),
        JSON.stringify(careContactStateOf(after)),
        actor.kind,
        actorId(actor),
        actor.name,
        actorUnitId(actor),
      ],
    );
  }

  async function endContact(
    tx: Queryable,
    patientId: string,
    id: string,
    expectedVersion: number,
    end: { date: string; reason: string },
  ): Promise<void> {
    const rows = await tx.query<{ version: number; status: string }>(
      'select version, status from care_contact where id = $1 and patient_id = $2 for update',
      [id, patientId],
    );
    const row = rows[0];
    if (!row) throw new DomainError('not_found', 'Kontakten finns inte.');
    if (row.version !== expectedVersion) throw new DomainError('version_conflict');
    if (row.status !== 'active') throw new DomainError('contact_not_active');
    await tx.query(
      `update care_contact set status = 'ended', end_date = $2, end_reason = $3, version = version + 1,
         updated_at = now() where id = $1`,
      [id, end.date, end.reason],
    );
  }

  return {
    /** The CareTeam's versions (migration 027): store/care-team-store.ts. */
    ...careTeamReads(db),

    async listForPatient(
      patientId: string,
      options: { includeEnded?: boolean; limit?: number } = {},
    ): Promise<CareContactView[]> {
      if (!isUuid(patientId)) return [];
      return db.query<CareContactView>(
        `select ${columns} ${joins} where cc.patient_id = $1 and ($2 or cc.status = 'active')
         order by array_position(array['fast-vardkontakt','fast-lakarkontakt','fast-omsorgskontakt','behandlande-roll'], cc.role),
           cc.status, cc.start_date desc nulls last
         limit $3`,
        [patientId, options.includeEnded ?? false, options.limit ?? 100],
      );
    },

    async find(patientId: string, id: string): Promise<CareContactView | null> {
      return findIn(db, patientId, id);
    },

    /** Changes to the patient's contacts newest first, at most `limit`, written before `before` (a `seq`). */
    async listHistory(
      patientId: string,
      page: { limit: number; before?: number | undefined },
    ): Promise<CareContactHistoryEntry[]> {
      if (!isUuid(patientId)) return [];
      const rows = await db.query<Omit<CareContactHistoryEntry, 'changedFields'>>(
        `select seq, contact_id as "contactId", version, action, before, after, changed_at as "changedAt",
           json_build_object('kind', actor_kind, 'id', actor_id, 'name', actor_name, 'unitId', actor_unit_id) as actor
         from care_contact_version where patient_id = $1 and ($2::bigint is null or seq < $2)
         order by seq desc limit $3`,
        [patientId, page.before ?? null, page.limit],
      );
      return rows.map((r) => ({ ...r, changedFields: changedCareContactFields(r.before, r.after) }));
    },

    /**
     * Appoints a contact. A second active holder of a one-holder role is refused by the
     * database's unique index, which holds under concurrent appointments too.
     */
    async assign(
      patientId: string,
      input: NewCareContact,
      actor: Actor,
      today: string,
    ): Promise<{ contact: CareContactView; event: StoredEvent }> {
      validateReachable(input.reachable ?? []);
      return db.transaction(async (tx) => {
        await lockTeam(tx, patientId);
        const unit = await tx.query<{ kind: 'region' | 'kommun' | 'privat' }>(
          'select p.kind from care_unit u join care_provider p on p.id = u.provider_id where u.id = $1',
          [input.unitId],
        );
        if (!unit[0])
          throw new DomainError('unknown_unit', undefined, [{ path: '/unitId', message: input.unitId }]);
        let profession: string | null = null;
        if (input.staffId) {
          const staff = await tx.query<{ profession: string }>('select profession from staff where id = $1', [
            input.staffId,
          ]);
          if (!staff[0])
            throw new DomainError('unknown_staff', undefined, [{ path: '/staffId', message: input.staffId }]);
          profession = staff[0].profession;
        } else if (!input.viaTeam) {
          throw new DomainError(
            'invalid_input',
            'Ange en medarbetare, eller att kontakten sker via teamet.',
            [{ path: '/staffId', message: 'Saknas.' }],
          );
        }
        const status = input.status ?? 'active';
        const startDate = input.startDate ?? (status === 'active' ? today : null);
        validateAssignment({
          role: input.role,
          status,
          staffProfession: profession,
          unitProviderKind: unit[0].kind,
          reason: input.reason ?? null,
          startDate,
          reviewDate: input.reviewDate ?? null,
        });
        if (input.replaces) {
          const old = await findIn(tx, patientId, input.replaces.id);
          if (!old || old.role !== input.role)
            throw new DomainError('not_found', 'Kontakten som ska bytas finns inte.');
          await endContact(tx, patientId, input.replaces.id, input.replaces.version, {
            date: today,
            reason: 'Byte av kontakt',
          });
          await recordVersion(tx, 'replaced', old, (await findIn(tx, patientId, old.id))!, actor);
        }
        let id: string;
        try {
          const rows = await tx.query<{ id: string }>(
            `insert into care_contact (patient_id, role, role_title, staff_id, unit_id, via_team, phone, reachable,
               reason, status, start_date, review_date, note, created_by)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) returning id`,
            [
              patientId,
              input.role,
              input.roleTitle ?? null,
              input.staffId ?? null,
              input.unitId,
              input.viaTeam ?? false,
              input.phone ?? null,
              JSON.stringify(input.reachable ?? []),
              input.reason ?? null,
              status,
              startDate,
              input.reviewDate ?? null,
              input.note ?? null,
              actorId(actor),
            ],
          );
          id = rows[0]!.id;
        } catch (error) {
          if (isUniqueViolation(error)) throw secondHolderError(input.role);
          throw error;
        }
        const contact = (await findIn(tx, patientId, id))!;
        await recordVersion(tx, status === 'declined' ? 'declined' : 'appointed', null, contact, actor);
        const verb = status === 'declined' ? 'Patienten avböjde' : input.replaces ? 'Bytte' : 'Utsåg';
        const event = await recordChangeEvent(tx, {
          patientId,
          contractId: null,
          kind: 'care-contact-changed',
          actor,
          summary: `${verb} ${roleNames[input.role].toLowerCase()}${contact.staffName ? `: ${contact.staffName}` : ''}`,
        });
        return { contact, event };
      });
    },

    /**
     * Changes or ends a contact, if `expectedVersion` is still current. A change that leaves
     * everything as it was writes nothing: no version, no history row, no event (`event` null).
     */
    async update(
      patientId: string,
      id: string,
      expectedVersion: number,
      patch: CareContactPatch,
      actor: Actor,
    ): Promise<{ contact: CareContactView; event: StoredEvent | null }> {
      if (patch.reachable) validateReachable(patch.reachable);
      return db.transaction(async (tx) => {
        await lockTeam(tx, patientId);
        const current = await findIn(tx, patientId, id);
        if (!current) throw new DomainError('not_found', 'Kontakten finns inte.');
        if (
          !patch.end &&
          changedCareContactFields(careContactStateOf(current), patched(current, patch)).length === 0
        ) {
          if (current.version !== expectedVersion) throw new DomainError('version_conflict');
          return { contact: current, event: null };
        }
        if (patch.end) {
          await endContact(tx, patientId, id, expectedVersion, patch.end);
        } else {
          const rows = await tx.query<{ id: string }>(
            `update care_contact set
               role_title = case when $4 then $5 else role_title end,
               phone = case when $6 then $7 else phone end,
               reachable = coalesce($8::jsonb, reachable),
               review_date = case when $9 then $10::date else review_date end,
               note = case when $11 then $12 else note end,
               via_team = coalesce($13, via_team),
               version = version + 1, updated_at = now()
             where id = $1 and patient_id = $2 and version = $3 returning id`,
            [
              id,
              patientId,
              expectedVersion,
              'roleTitle' in patch,
              patch.roleTitle ?? null,
              'phone' in patch,
              patch.phone ?? null,
              patch.reachable ? JSON.stringify(patch.reachable) : null,
              'reviewDate' in patch,
              patch.reviewDate ?? null,
              'note' in patch,
              patch.note ?? null,
              patch.viaTeam ?? null,
            ],
          );
          if (rows.length === 0) throw new DomainError('version_conflict');
        }
        const contact = (await findIn(tx, patientId, id))!;
        await recordVersion(tx, patch.end ? 'ended' : 'changed', current, contact, actor);
        const event = await recordChangeEvent(tx, {
          patientId,
          contractId: null,
          kind: 'care-contact-changed',
          actor,
          summary: `${patch.end ? 'Avslutade' : 'Ändrade'} ${roleNames[contact.role].toLowerCase()}${
            contact.staffName ? `: ${contact.staffName}` : ''
          }`,
        });
        return { contact, event };
      });
    },
  };
}

export type CareContactStore = ReturnType<typeof createCareContactStore>;

/** The state `patch` (without `end`) would give `current`, as the update statement writes it. */
function patched(current: CareContactView, patch: CareContactPatch): CareContactState {
  const state = careContactStateOf(current);
  const take = <K extends 'roleTitle' | 'phone' | 'reviewDate' | 'note'>(key: K): CareContactState[K] =>
    key in patch ? (patch[key] ?? null) : state[key];
  return {
    ...state,
    roleTitle: take('roleTitle'),
    phone: take('phone'),
    reviewDate: take('reviewDate'),
    note: take('note'),
    reachable: patch.reachable ?? state.reachable,
    viaTeam: patch.viaTeam ?? state.viaTeam,
  };
}

/**
 * The named fast läkarkontakt from the population register being imported: the staged rows of
 * kind `fast-lakarkontakt` that passed the import's checks (`stage_population`, ok, store/
 * population-import-store.ts). An ended period ends the contact; a new current one ends the one
 * before it and is appointed. In the import's transaction; `createdBy` names the import. Returns
 * how many contacts were appointed and how many changed.
 */
export async function writeRegisterFastLakarkontakter(
  tx: Queryable,
  createdBy: string,
): Promise<{ imported: number; updated: number }> {
  type Count = { imported: number; updated: number };
  const counts = { imported: 0, updated: 0 };
  const add = (rows: Count[]): void => {
    counts.imported += rows[0]?.imported ?? 0;
    counts.updated += rows[0]?.updated ?? 0;
  };
  const gp = `select distinct on (p.id, s.staff_id, s.unit_id, s.from_day)
                p.id as patient_id, s.staff_id, s.unit_id, s.from_day, s.to_day
                from stage_population s join patient p on p.identifier = s.identifier
               where s.ok and s.kind = 'fast-lakarkontakt'
               order by p.id, s.staff_id, s.unit_id, s.from_day, s.line desc`;
  add(
    await tx.query<Count>(
      `with g as (${gp}),
       up as (
         update care_contact c set status = 'ended', end_date = g.to_day,
                end_reason = 'Avslutad i befolkningsregistret', updated_at = now(), version = c.version + 1
           from g
          where g.to_day is not null and c.patient_id = g.patient_id and c.role = 'fast-lakarkontakt'
            and c.status = 'active' and c.staff_id = g.staff_id and c.unit_id = g.unit_id
            and c.start_date = g.from_day
         returning 1)
       select 0 as imported, count(*)::int as updated from up`,
    ),
  );
  add(
    await tx.query<Count>(
      `with g as (${gp}),
       up as (
         update care_contact c
            set status = 'ended', end_date = greatest(coalesce(c.start_date, g.from_day), g.from_day - 1),
                end_reason = 'Ny fast läkarkontakt i befolkningsregistret', updated_at = now(), version = c.version + 1
           from g
          where g.to_day is null and c.patient_id = g.patient_id and c.role = 'fast-lakarkontakt'
            and c.status = 'active' and (c.staff_id is distinct from g.staff_id or c.unit_id <> g.unit_id)
         returning 1)
       select 0 as imported, count(*)::int as updated from up`,
    ),
  );
  add(
    await tx.query<Count>(
      `with g as (${gp}),
       ins as (
         insert into care_contact (patient_id, role, staff_id, unit_id, status, start_date, end_date, end_reason,
                                   created_by, note)
         select g.patient_id, 'fast-lakarkontakt', g.staff_id, g.unit_id,
                case when g.to_day is null then 'active' else 'ended' end, g.from_day, g.to_day,
                case when g.to_day is null then null else 'Avslutad i befolkningsregistret' end,
                $1, 'Från befolkningsregistret'
           from g
          where not exists (
                  select 1 from care_contact c
                   where c.patient_id = g.patient_id and c.role = 'fast-lakarkontakt' and c.staff_id = g.staff_id
                     and c.unit_id = g.unit_id
                     and (c.start_date = g.from_day or (c.status = 'active' and g.to_day is null)))
         returning 1)
       select count(*)::int as imported, 0 as updated from ins`,
      [createdBy],
    ),
  );
  return counts;
}
