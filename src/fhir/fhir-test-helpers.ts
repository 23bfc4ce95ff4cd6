/** Shared by the FHIR route tests: OperationOutcome checks, patients with a personnummer, row counts. */
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import type { Db, Queryable } from '../store/db.ts';
import { consentSystems } from './consent-mapper.ts';

export const FHIR = { 'content-type': 'application/fhir+json' };

export interface Outcome {
  resourceType: string;
  issue: { severity: string; code: string; diagnostics: string; expression?: string[] }[];
}

export interface Bundle {
  resourceType: string;
  type: string;
  total: number;
  entry?: {
    fullUrl: string;
    resource: { resourceType: string; id: string; meta?: { versionId: string } };
    search: { mode: string };
  }[];
}

/** A FHIR Consent to POST: the patient lets `unitId` share the plan, given by `method` (telefon, digitalt, …). */
export function consentResource(patientId: string, unitId: string, method: string) {
  return {
    resourceType: 'Consent',
    status: 'active',
    extension: [{ url: consentSystems.method, valueCode: method }],
    patient: { reference: `Patient/${patientId}` },
    provision: {
      type: 'permit',
      actor: [{ reference: { reference: `Organization/${unitId}` } }],
    },
  };
}

/** A patient with a personnummer (from data/skatteverket-testpersonnummer.csv), listed at `unitId`. */
export async function makePersonnummerPatient(
  db: Queryable,
  personnummer: string,
  unitId: string,
): Promise<string> {
  const rows = await db.query<{ id: string }>(
    `insert into patient (identifier, identifier_kind, given_name, family_name, listed_unit_id)
     values ($1, 'personnummer', 'Tolvan', 'Tolvansson', $2) returning id`,
    [personnummer, unitId],
  );
  return rows[0]!.id;
}

/** Asserts an OperationOutcome with `status`, FHIR JSON, an error issue and a Swedish message. */
export function assertOutcome(res: LightMyRequestResponse, status: number, code?: string): Outcome {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/fhir\+json/);
  const body = res.json<Outcome>();
  assert.equal(body.resourceType, 'OperationOutcome');
  assert.equal(body.issue[0]?.severity, 'error');
  if (code) assert.equal(body.issue[0]?.code, code);
  assert.match(body.issue[0]?.diagnostics ?? '', /[åäöÅÄÖ]|inte|ange|ska/i);
  return body;
}

const tables = ['patient', 'contract', 'contract_version', 'care_contact', 'change_event'];

/** Rows in the tables a write touches: equal before and after means nothing was written. */
export async function counts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables)
    out[t] = (await db.query<{ n: number }>(`select count(*)::int as n from ${t}`))[0]!.n;
  return out;
}
