/**
 * Writes the demo region to the database. One statement per table per batch
 * (store/seed-store.ts#insertRows: the rows travel as one JSON parameter, which runs the same on
 * PGlite and PostgreSQL and keeps a million patients to a few hundred statements). Rows already
 * present (a re-run) are skipped.
 */
import type { ReachableHours } from '../domain/care-contact.ts';
import type { ContractChange, ContractContent, ContractStatus } from '../domain/contract.ts';
import type { Db } from '../store/db.ts';
import { createSeedStore } from '../store/seed-store.ts';
import type { ConsentRow } from './consents.ts';
import type { Directory } from './directory.ts';
import type { RegisterRow, VisitRow } from './visits.ts';

/** Rows in the shape of the tables (snake_case keys are the column names json_to_recordset maps). */
export interface PatientRow {
  id: string;
  identifier: string;
  identifier_kind: 'personnummer' | 'reservnummer';
  given_name: string;
  family_name: string;
  birth_date: string;
  sex: 'female' | 'male';
  phone: string | null;
  listed_unit_id: string | null;
  listed_since: string | null;
  created_at: string;
}

export interface DiagnosisRow {
  patient_id: string;
  icd10: string;
  since: string;
}

export interface CareContactRow {
  id: string;
  patient_id: string;
  role: 'fast-vardkontakt' | 'fast-lakarkontakt' | 'fast-omsorgskontakt' | 'behandlande-roll';
  role_title: string | null;
  staff_id: string | null;
  unit_id: string;
  via_team: boolean;
  phone: string | null;
  reachable: ReachableHours[];
  reason: 'patientens-begaran' | 'behov' | null;
  status: 'active' | 'ended' | 'declined';
  start_date: string | null;
  review_date: string | null;
  end_date: string | null;
  end_reason: string | null;
  note: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface ContractRow {
  id: string;
  patient_id: string;
  status: ContractStatus;
  version: number;
  content: ContractContent;
  review_date: string | null;
  next_contact_at: string | null;
  created_by: string;
  created_at: string;
  owner_unit_id: string | null;
  updated_by: string;
  updated_at: string;
  ended_at: string | null;
}

export interface ContractVersionRow {
  contract_id: string;
  version: number;
  status: ContractStatus;
  content: ContractContent;
  changed_at: string;
  actor_kind: 'staff' | 'patient';
  actor_id: string;
  actor_name: string;
  actor_unit_id: string | null;
  changes: ContractChange[];
}

/** The rows of a batch of patients. */
export interface Batch {
  patients: PatientRow[];
  diagnoses: DiagnosisRow[];
  contacts: CareContactRow[];
  contracts: ContractRow[];
  versions: ContractVersionRow[];
  visits: VisitRow[];
  registrations: RegisterRow[];
  consents: ConsentRow[];
}

export const emptyBatch = (): Batch => ({
  patients: [],
  diagnoses: [],
  contacts: [],
  contracts: [],
  versions: [],
  visits: [],
  registrations: [],
  consents: [],
});

/** Writes providers, units and staff; returns how many units and staff were new. */
export async function writeDirectory(db: Db, dir: Directory): Promise<{ units: number; staff: number }> {
  return db.transaction(
    async (tx) => {
      const store = createSeedStore(tx);
      await store.insertRows('care_provider', 'id text, name text, kind text, huvudman text', dir.providers);
      const units = await store.insertRows(
        'care_unit',
        'id text, provider_id text, name text, kind text, phone text, municipality text',
        dir.units.map((u) => ({ ...u, provider_id: u.providerId })),
        'id',
      );
      const staff = await store.insertRows(
        'staff',
        'id text, given_name text, family_name text, profession text, title text, phone text',
        dir.staff.map((s) => ({ ...s, given_name: s.givenName, family_name: s.familyName })),
        'id',
      );
      await store.insertRows(
        'staff_unit',
        'staff_id text, unit_id text, role text',
        dir.staff.flatMap((s) => s.units.map((u) => ({ staff_id: s.id, unit_id: u.unitId, role: u.role }))),
      );
      return { units: units.length, staff: staff.length };
    },
    { isBulk: true },
  );
}

/**
 * Writes one batch in one transaction. Patients that already exist (same id or identifier) are
 * skipped together with everything that belongs to them, so a re-run only adds what is missing.
 */
export async function writeBatch(db: Db, batch: Batch): Promise<{ patients: number; contracts: number }> {
  return db.transaction(
    async (tx) => {
      const store = createSeedStore(tx);
      const inserted = new Set(
        await store.insertRows(
          'patient',
          `id uuid, identifier text, identifier_kind text, given_name text, family_name text, birth_date date,
         sex text, phone text, listed_unit_id text, listed_since date, created_at timestamptz`,
          batch.patients,
          'id',
        ),
      );
      const isNew = (row: { patient_id: string }): boolean => inserted.has(row.patient_id);
      const all = inserted.size === batch.patients.length;
      const contracts = all ? batch.contracts : batch.contracts.filter(isNew);
      const contractIds = new Set(contracts.map((c) => c.id));
      await store.insertRows(
        'patient_diagnosis',
        'patient_id uuid, icd10 text, since date',
        all ? batch.diagnoses : batch.diagnoses.filter(isNew),
      );
      await store.insertRows(
        'care_contact',
        `id uuid, patient_id uuid, role text, role_title text, staff_id text, unit_id text, via_team boolean,
       phone text, reachable jsonb, reason text, status text, start_date date, review_date date, end_date date,
       end_reason text, note text, created_by text, created_at timestamptz, updated_at timestamptz`,
        all ? batch.contacts : batch.contacts.filter(isNew),
      );
      await store.insertRows(
        'contract',
        `id uuid, patient_id uuid, status text, version integer, content jsonb, review_date date,
       next_contact_at timestamptz, created_by text, created_at timestamptz, owner_unit_id text, updated_by text,
       updated_at timestamptz, ended_at timestamptz`,
        contracts,
      );
      await store.insertRows(
        'contract_version',
        `contract_id uuid, version integer, status text, content jsonb, changed_at timestamptz, actor_kind text,
       actor_id text, actor_name text, actor_unit_id text, changes jsonb`,
        all ? batch.versions : batch.versions.filter((v) => contractIds.has(v.contract_id)),
      );
      // The months' partitions of visit first (migration 009); rows outside them would go to the default one.
      const visits = all ? batch.visits : batch.visits.filter(isNew);
      await store.addVisitPartitions(visits.map((v) => v.at));
      await store.insertRows(
        'visit',
        `patient_id uuid, at timestamptz, staff_id text, unit_id text, profession text, contact_type text,
       is_assessment boolean, sought_on date`,
        visits,
      );
      await store.insertRows(
        'register_period',
        'patient_id uuid, kind text, unit_id text, valid_from date, valid_to date',
        all ? batch.registrations : batch.registrations.filter(isNew),
      );
      await store.insertRows(
        'consent',
        `id uuid, patient_id uuid, scope_kind text, unit_id text, valid_from timestamptz, method text,
       recorded_by_kind text, recorded_by text, recorded_by_unit_id text, recorded_at timestamptz`,
        all ? batch.consents : batch.consents.filter(isNew),
      );
      return { patients: inserted.size, contracts: contracts.length };
    },
    { isBulk: true },
  );
}
