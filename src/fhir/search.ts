/**
 * Search parameters, and the patients a search or a reference names.
 * See: https://hl7.org/fhir/R4/search.html (token, reference and chained parameters).
 */
import { Type } from 'typebox';
import { DomainError } from '../domain/errors.ts';
import type { IdentifierLookup } from '../services/identifier-lookup.ts';
import { invalid, readReference, type Reference } from './datatypes.ts';
import { FhirError } from './outcome.ts';
import { parseIdentifierToken } from './patient-mapper.ts';

/** An optional search parameter: one value, up to 200 characters. */
export const Param = Type.Optional(Type.String({ minLength: 1, maxLength: 200 }));

/** `_format` is accepted on every FHIR route (json only); anything else unknown is refused. */
export const FormatParam = { _format: Param };

/** The search parameters every per-patient resource accepts. */
export const PatientScopedQuery = Type.Object(
  { patient: Param, 'patient.identifier': Param, _count: Param, _cursor: Param, ...FormatParam },
  { additionalProperties: false },
);

export const ReadQuery = Type.Object(FormatParam, { additionalProperties: false });

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });

/** The values of a parameter that may hold several, comma-separated (OR). */
export function listParam(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** The id a reference parameter names: `Patient/<id>`, `<id>` or an absolute URL ending in `Patient/<id>`. */
export function referenceParam(value: string, type: string): string | null {
  const match = new RegExp(`(?:^|/)${type}/([^/?]+)$`).exec(value);
  if (match) return match[1]!;
  return value.includes('/') ? null : value;
}

/**
 * The patients a per-patient search is about, from `patient` (a reference) or
 * `patient.identifier` (chained, `system|value`). Refuses a search that names neither.
 */
export async function patientsOfSearch(
  query: { patient?: string | undefined; 'patient.identifier'?: string | undefined },
  lookup: Pick<IdentifierLookup, 'find'>,
  today: Date,
): Promise<string[]> {
  const ids: string[] = [];
  if (query.patient !== undefined) {
    for (const value of listParam(query.patient)) {
      const id = referenceParam(value, 'Patient');
      if (id !== null) ids.push(id);
    }
  }
  if (query['patient.identifier'] !== undefined) {
    for (const token of listParam(query['patient.identifier'])) {
      const parsed = parseIdentifierToken(token, today);
      const found = parsed ? await lookup.find(parsed.value) : null;
      if (found !== null) ids.push(found);
    }
  }
  if (query.patient === undefined && query['patient.identifier'] === undefined) {
    throw new FhirError(
      400,
      'required',
      'Ange patient (patient=Patient/<id>) eller patient.identifier=<system>|<värde>.',
    );
  }
  return [...new Set(ids)];
}

/**
 * The patient a reference names (`Patient/<id>`, or a logical reference by personnummer,
 * samordningsnummer or reservnummer). A patient that does not exist is not found.
 */
export async function resolvePatientReference(
  ref: Reference,
  lookup: Pick<IdentifierLookup, 'find'>,
  today: Date,
  path: string,
): Promise<string> {
  const read = readReference(ref);
  if (read && (read.type === 'Patient' || read.type === null) && ref.reference !== undefined) return read.id;
  const identifier = ref.identifier;
  if (identifier?.value !== undefined) {
    const parsed = parseIdentifierToken(`${identifier.system ?? ''}|${identifier.value}`, today);
    const patientId = parsed ? await lookup.find(parsed.value) : null;
    if (patientId === null) throw new DomainError('not_found');
    return patientId;
  }
  throw invalid('Ange patienten som Patient/<id> eller med identifierare (personnummer).', path);
}

/**
 * What a search finds of one patient: `read`'s items, or none when the patient is not the
 * reader's to see (no hit; the service has logged the decision).
 */
export async function noneWhenNotFound<T>(read: () => Promise<T[]>): Promise<T[]> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof DomainError && error.code === 'not_found') return [];
    throw error;
  }
}
