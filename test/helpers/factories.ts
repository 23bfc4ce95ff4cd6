/**
 * Test data factories: each call makes fresh ids, so tests never collide and need no clean-up.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { StaffActor } from '../../src/domain/actor.ts';
import { emptyContractContent, type ContractContent } from '../../src/domain/contract.ts';
import { makeReservnummer } from '../../src/domain/personnummer.ts';
import type { Queryable } from '../../src/store/db.ts';

const suffix = (): string => randomUUID().slice(0, 8).toUpperCase();

export async function makeProvider(
  db: Queryable,
  kind: 'region' | 'kommun' | 'privat' = 'region',
): Promise<string> {
  const id = `SE2321000000-G${suffix()}`;
  await db.query('insert into care_provider (id, name, kind, huvudman) values ($1, $2, $3, $4)', [
    id,
    `Vårdgivare ${id}`,
    kind,
    kind === 'kommun' ? `Kommun ${id}` : 'Region Test',
  ]);
  return id;
}

export async function makeUnit(db: Queryable, providerId: string, kind = 'vardcentral'): Promise<string> {
  const id = `SE2321000000-E${suffix()}`;
  await db.query('insert into care_unit (id, provider_id, name, kind, phone) values ($1, $2, $3, $4, $5)', [
    id,
    providerId,
    `Enhet ${id}`,
    kind,
    '010-123 45 67',
  ]);
  return id;
}

export async function makeStaff(
  db: Queryable,
  unitId: string,
  profession = 'sjukskoterska',
): Promise<string> {
  const id = `SE2321000000-P${suffix()}`;
  await db.query(
    `insert into staff (id, given_name, family_name, profession, title, phone) values ($1, 'Test', $2, $3, $3, '010-1')`,
    [id, `Person ${id}`, profession],
  );
  await db.query('insert into staff_unit (staff_id, unit_id) values ($1, $2)', [id, unitId]);
  return id;
}

export async function makePatient(db: Queryable, listedUnitId: string | null = null): Promise<string> {
  const rows = await db.query<{ id: string }>(
    `insert into patient (identifier, identifier_kind, given_name, family_name, listed_unit_id)
     values ($1, 'reservnummer', 'Testa', $2, $3) returning id`,
    [makeReservnummer(randomInt(1, 2 ** 40) % 9_999_999_999), `Patient${suffix()}`, listedUnitId],
  );
  return rows[0]!.id;
}

export function staffActor(staffId: string, unitId: string, providerId: string): StaffActor {
  return {
    kind: 'staff',
    staffId,
    unitId,
    providerId,
    name: `Test ${staffId}`,
    profession: 'sjukskoterska',
    role: 'medarbetare',
  };
}

/** A small, valid contract content at a unit. */
export function sampleContent(unitId: string, overrides: Partial<ContractContent> = {}): ContractContent {
  return {
    ...emptyContractContent(),
    whatMatters: 'Att kunna promenera till affären',
    goals: [{ id: 'g1', text: 'Gå 2 km utan vila', ambition: 'forbattra', status: 'pagaende' }],
    patientResponsibilities: [{ id: 'r1', text: 'Väga mig varje morgon' }],
    activities: [{ id: 'a1', what: 'Årskontroll', unitId, when: '2026-12-01', status: 'planerad' }],
    nextContact: { at: '2026-12-01T09:00:00.000Z', unitId, mode: 'besok', agreement: 'overenskommen' },
    reviewDate: '2027-03-01',
    // What an active contract must hold (domain/contract.ts activationProblems): with no fast
    // vårdkontakt appointed in the test world, that one is not needed now.
    fastVardkontaktDecision: 'not-needed-now',
    ...overrides,
  };
}

/** Appoints `staffId` the patient's fast vårdkontakt, as an active contract may require. */
export async function appointFastVardkontakt(
  db: Queryable,
  patientId: string,
  staffId: string,
  unitId: string,
): Promise<void> {
  await db.query(
    `insert into care_contact (patient_id, role, staff_id, unit_id, status, start_date, created_by)
     values ($1, 'fast-vardkontakt', $2, $3, 'active', current_date, $2)`,
    [patientId, staffId, unitId],
  );
}

/** A region with two units, staff and a patient listed at the first unit. */
export async function makeWorld(db: Queryable) {
  const providerId = await makeProvider(db);
  const unitId = await makeUnit(db, providerId);
  const otherUnitId = await makeUnit(db, providerId);
  const nurseId = await makeStaff(db, unitId);
  const doctorId = await makeStaff(db, otherUnitId, 'lakare');
  const patientId = await makePatient(db, unitId);
  return {
    providerId,
    unitId,
    otherUnitId,
    nurseId,
    doctorId,
    patientId,
    nurse: staffActor(nurseId, unitId, providerId),
    doctor: staffActor(doctorId, otherUnitId, providerId),
  };
}
