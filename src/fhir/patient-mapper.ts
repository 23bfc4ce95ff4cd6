/**
 * Patient ↔ FHIR Patient. See: https://hl7.org/fhir/R4/patient.html
 * Identity (identifier, birth date, gender) comes from the personnummer and cannot be changed
 * here; name and phone can.
 */
import { Type, type Static } from 'typebox';
import { DomainError } from '../domain/errors.ts';
import { isProtected, type Protection } from '../domain/person-status.ts';
import { parsePatientId, type PatientId, type PatientIdKind } from '../domain/personnummer.ts';
import type { Patient, PatientShown } from '../services/patient-service.ts';
import {
  FhirDate,
  hsaReference,
  Identifier,
  invalid,
  List,
  Reference,
  refuseModifierExtensions,
  requireHsaReference,
  resourceHead,
  systems,
} from './datatypes.ts';

const Name = Type.String({ minLength: 1, maxLength: 100 });

export const HumanName = Type.Object({
  use: Type.Optional(Type.String({ maxLength: 20 })),
  text: Type.Optional(Type.String({ maxLength: 300 })),
  family: Type.Optional(Name),
  given: List(Name, 5),
});

export const ContactPoint = Type.Object({
  system: Type.Optional(Type.String({ maxLength: 20 })),
  value: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  use: Type.Optional(Type.String({ maxLength: 20 })),
});

export const FhirPatientSchema = Type.Object({
  ...resourceHead('Patient'),
  identifier: List(Identifier, 5),
  active: Type.Optional(Type.Boolean()),
  name: List(HumanName, 5),
  telecom: List(ContactPoint, 10),
  gender: Type.Optional(Type.Enum(['male', 'female', 'other', 'unknown'])),
  birthDate: Type.Optional(FhirDate),
  generalPractitioner: List(Reference, 1),
});
export type FhirPatientInput = Static<typeof FhirPatientSchema>;

export interface FhirPatient {
  resourceType: 'Patient';
  id: string;
  meta: { versionId: string; security?: { system: string; code: string; display: string }[] };
  identifier: { use: 'official'; system: string; value: string }[];
  active: true;
  name: { use: 'official'; text: string; family: string; given: string[] }[];
  telecom?: { system: 'phone'; value: string }[];
  gender?: 'male' | 'female';
  birthDate?: string;
  generalPractitioner?: ReturnType<typeof hsaReference>[];
  deceasedDateTime?: string;
}

/**
 * The confidentiality label of a protected person (HL7 v3 Confidentiality: R restricted for
 * sekretessmarkering, V very restricted for skyddad folkbokföring), so that a receiving system
 * knows to keep the name out of its lists. The address is never in the resource at all.
 * See: https://terminology.hl7.org/CodeSystem-v3-Confidentiality.html
 */
function securityOf(protection: Protection): { system: string; code: string; display: string }[] {
  const system = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
  if (protection === 'sekretessmarkering') return [{ system, code: 'R', display: 'restricted' }];
  if (protection === 'skyddad-folkbokforing') return [{ system, code: 'V', display: 'very restricted' }];
  return [];
}

const kindBySystem: Record<string, PatientIdKind> = {
  [systems.personnummer]: 'personnummer',
  [systems.samordningsnummer]: 'samordningsnummer',
  [systems.reservnummer]: 'reservnummer',
};

/** The identifier system of a kind of patient id. */
export function identifierSystem(kind: PatientIdKind): string {
  return systems[kind];
}

/** Our patient (now, or at one of their versions) as a FHIR Patient. */
export function patientToFhir(patient: PatientShown): FhirPatient {
  return {
    resourceType: 'Patient',
    id: patient.id,
    meta: {
      versionId: String(patient.version),
      ...(isProtected(patient.protection) ? { security: securityOf(patient.protection) } : {}),
    },
    identifier: [
      { use: 'official', system: identifierSystem(patient.identifierKind), value: patient.identifier },
    ],
    active: true,
    name: [
      {
        use: 'official',
        text: `${patient.givenName} ${patient.familyName}`,
        family: patient.familyName,
        given: [patient.givenName],
      },
    ],
    ...(patient.phone ? { telecom: [{ system: 'phone' as const, value: patient.phone }] } : {}),
    ...(patient.sex ? { gender: patient.sex } : {}),
    ...(patient.birthDate ? { birthDate: patient.birthDate } : {}),
    ...(patient.listedUnitId
      ? { generalPractitioner: [hsaReference('Organization', patient.listedUnitId)] }
      : {}),
    ...(patient.deceasedOn ? { deceasedDateTime: patient.deceasedOn } : {}),
  };
}

/**
 * A token search value (`system|value` or `value`) as a normalised patient id. Returns null
 * when the system is not one of ours or names another kind of id than the value is: no match.
 * @throws DomainError invalid_patient_id (400) when the value is not a valid id at all.
 */
export function parseIdentifierToken(token: string, today: Date): PatientId | null {
  const bar = token.indexOf('|');
  const system = bar >= 0 ? token.slice(0, bar) : null;
  const value = bar >= 0 ? token.slice(bar + 1) : token;
  const parsed = parsePatientId(value, today);
  if (!parsed.ok) throw invalidPatientId(parsed.reason, 'identifier');
  if (system === null || system === '') return parsed.id;
  return kindBySystem[system] === parsed.id.kind ? parsed.id : null;
}

/**
 * The fields of a new patient that a FHIR Patient carries: a personnummer or samordningsnummer
 * (the rest comes from the population register; a name sent is not used), or, without an
 * identifier, a person typed by hand who gets a reservnummer from the product.
 */
export type PatientFromFhir =
  | {
      kind: 'identified';
      id: PatientId & { kind: 'personnummer' | 'samordningsnummer' };
      phone: string | null;
      listedUnitId: string | null;
    }
  | {
      kind: 'reservnummer';
      givenName: string;
      familyName: string;
      phone: string | null;
      birthDate: string | null;
      sex: 'female' | 'male' | null;
      listedUnitId: string | null;
    };

/**
 * Reads a FHIR Patient to create. Refuses a malformed identifier, one whose system names another
 * kind, a reservnummer (the product issues them: send the Patient without an identifier), or
 * more than one identifier.
 */
export function fhirToNewPatient(resource: FhirPatientInput, today: Date): PatientFromFhir {
  refuseModifierExtensions(resource, 'Patient');
  const identifiers = resource.identifier ?? [];
  const gp = resource.generalPractitioner?.[0];
  const listedUnitId = gp
    ? requireHsaReference(gp, ['Organization'], 'Patient.generalPractitioner[0]')
    : null;
  if (identifiers.length === 0) {
    const gender = resource.gender === 'male' || resource.gender === 'female' ? resource.gender : null;
    return {
      kind: 'reservnummer',
      ...readName(resource),
      phone: readPhone(resource),
      birthDate: resource.birthDate ?? null,
      sex: gender,
      listedUnitId,
    };
  }
  if (identifiers.length !== 1)
    throw invalid(
      'Ange exakt en identifierare: personnummer eller samordningsnummer (utan identifierare får personen ett reservnummer).',
      'Patient.identifier',
    );
  const given = identifiers[0]!;
  const parsed = parsePatientId(given.value ?? '', today);
  if (!parsed.ok) throw invalidPatientId(parsed.reason, 'Patient.identifier[0].value');
  if (given.system !== undefined && kindBySystem[given.system] !== parsed.id.kind) {
    throw invalid(
      `Identifieraren är ett ${parsed.id.kind} men systemet säger något annat. Använd ${identifierSystem(parsed.id.kind)}.`,
      'Patient.identifier[0].system',
    );
  }
  if (parsed.id.kind === 'reservnummer')
    throw invalid(
      'Reservnummer delas ut av systemet: skicka Patient utan identifierare, med namnet.',
      'Patient.identifier[0].value',
    );
  if (resource.birthDate !== undefined && resource.birthDate !== parsed.id.birthDate) {
    throw invalid('Födelsedatumet stämmer inte med personnumret.', 'Patient.birthDate');
  }
  const gender = resource.gender === 'male' || resource.gender === 'female' ? resource.gender : null;
  if (gender !== null && gender !== parsed.id.sex) {
    throw invalid('Könet stämmer inte med personnumret.', 'Patient.gender');
  }
  return {
    kind: 'identified',
    id: { ...parsed.id, kind: parsed.id.kind },
    phone: readPhone(resource),
    listedUnitId,
  };
}

/**
 * Reads a FHIR Patient that updates `current`: name and phone are replaced; identifier, birth
 * date, gender and listing must be absent or unchanged.
 */
export function fhirToPatientUpdate(
  resource: FhirPatientInput,
  current: Patient,
): { givenName: string; familyName: string; phone: string | null } {
  refuseModifierExtensions(resource, 'Patient');
  for (const [i, identifier] of (resource.identifier ?? []).entries()) {
    const sameSystem =
      identifier.system === undefined || identifier.system === identifierSystem(current.identifierKind);
    if (!sameSystem || identifier.value !== current.identifier) {
      throw invalid('Identifieraren kan inte ändras.', `Patient.identifier[${i}]`);
    }
  }
  if (resource.birthDate !== undefined && resource.birthDate !== current.birthDate) {
    throw invalid('Födelsedatumet kan inte ändras här.', 'Patient.birthDate');
  }
  if (resource.gender !== undefined && resource.gender !== (current.sex ?? 'unknown')) {
    throw invalid('Könet kan inte ändras här.', 'Patient.gender');
  }
  const gp = resource.generalPractitioner?.[0];
  if (
    gp &&
    requireHsaReference(gp, ['Organization'], 'Patient.generalPractitioner[0]') !== current.listedUnitId
  ) {
    throw invalid('Listningen ändras inte via FHIR.', 'Patient.generalPractitioner[0]');
  }
  return { ...readName(resource), phone: readPhone(resource) };
}

function readName(resource: FhirPatientInput): { givenName: string; familyName: string } {
  const names = resource.name ?? [];
  const name = names.find((n) => n.use === 'official') ?? names[0];
  const givenName = name?.given?.join(' ').trim() ?? '';
  const familyName = name?.family?.trim() ?? '';
  if (givenName === '' || familyName === '') {
    throw invalid('Ange patientens förnamn (given) och efternamn (family).', 'Patient.name');
  }
  return { givenName, familyName };
}

function readPhone(resource: FhirPatientInput): string | null {
  return resource.telecom?.find((t) => t.system === 'phone' && t.value !== undefined)?.value ?? null;
}

/** A malformed personnummer: the catalogue's invalid_patient_id, with the reason and where. */
function invalidPatientId(reason: string, path: string): DomainError {
  return new DomainError('invalid_patient_id', reason, [{ path, message: reason }]);
}
