/**
 * FHIR R4 data types the mappers read and write (TypeBox → JSON Schema), the identifier and
 * code systems of docs/fhir.md, and helpers for references.
 *
 * Objects allow properties they do not name: FHIR elements we do not map are ignored, as FHIR
 * servers commonly do (https://hl7.org/fhir/R4/http.html#update). Every element we do read has a
 * type, so a wrong type is a 400 OperationOutcome, never a 500.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { DomainError } from '../domain/errors.ts';

/** Identifier systems. See: https://hl7.org/fhir/R4/datatypes.html#Identifier */
export const systems = {
  personnummer: 'http://electronichealth.se/identifier/personnummer',
  samordningsnummer: 'http://electronichealth.se/identifier/samordningsnummer',
  /** Product-local: reservnummer are issued by this product (`PK` + 10 digits), not nationally. */
  reservnummer: 'https://patientkontrakt.se/fhir/identifier/reservnummer',
  /** HSA-id of units and staff (Inera's OID for the HSA catalogue). */
  hsaId: 'urn:oid:1.2.752.29.4.19',
} as const;

/** Product-local code systems and extensions, all under one base (documented in docs/fhir.md). */
const base = 'https://patientkontrakt.se/fhir';
export const codeSystems = {
  careContactRole: `${base}/CodeSystem/care-contact-role`,
  activityKind: `${base}/CodeSystem/careplan-activity-kind`,
  activityStatus: `${base}/CodeSystem/activity-status`,
  goalStatus: `${base}/CodeSystem/goal-status`,
  ambitionLevel: `${base}/CodeSystem/ambition-level`,
  contactMode: `${base}/CodeSystem/contact-mode`,
  linkedPlanType: `${base}/CodeSystem/linked-plan-type`,
  teamKind: `${base}/CodeSystem/team-kind`,
  teamMemberRole: `${base}/CodeSystem/team-member-role`,
  careTeamCategory: `${base}/CodeSystem/careteam-category`,
  targetGroup: `${base}/CodeSystem/mobile-team-target-group`,
  enrolmentCriterion: `${base}/CodeSystem/enrolment-criterion`,
  observation: `${base}/CodeSystem/observation`,
  acvpu: `${base}/CodeSystem/acvpu`,
  news2Risk: `${base}/CodeSystem/news2-risk`,
  communicationCategory: `${base}/CodeSystem/communication-category`,
  taskCode: `${base}/CodeSystem/task-code`,
  decisionKind: `${base}/CodeSystem/escalation-decision`,
  /** Standard: https://hl7.org/fhir/R4/codesystem-goal-achievement.html */
  goalAchievement: 'http://terminology.hl7.org/CodeSystem/goal-achievement',
} as const;

export const extensions = {
  ifWorse: `${base}/StructureDefinition/if-worse`,
  reviewDate: `${base}/StructureDefinition/review-date`,
  linkedPlan: `${base}/StructureDefinition/linked-plan`,
  ambitionLevel: `${base}/StructureDefinition/ambition-level`,
  activityStatus: `${base}/StructureDefinition/activity-status`,
  proposedByPatient: `${base}/StructureDefinition/proposed-by-patient`,
  patientRequestedChange: `${base}/StructureDefinition/patient-requested-change`,
  responsibilityDoneAt: `${base}/StructureDefinition/responsibility-done-at`,
  careContactReason: `${base}/StructureDefinition/care-contact-reason`,
  viaTeam: `${base}/StructureDefinition/via-team`,
  patientWords: `${base}/StructureDefinition/patient-words`,
  durationAssumed: `${base}/StructureDefinition/duration-assumed`,
  endReason: `${base}/StructureDefinition/enrolment-end-reason`,
  enrolmentCriterion: `${base}/StructureDefinition/enrolment-criterion`,
  publicName: `${base}/StructureDefinition/public-name`,
  escalationRoute: `${base}/StructureDefinition/escalation-route`,
  movedToBackup: `${base}/StructureDefinition/moved-to-backup`,
} as const;

const Str = (max = 4000) => Type.String({ minLength: 1, maxLength: max });
/** FHIR `date`, restricted to full dates: the stores keep nothing coarser. */
export const FhirDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
/** FHIR `dateTime`/`instant`: a full date, or a date-time with a zone. */
export const FhirDateTime = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2}))?$',
});
export const FhirInstant = Type.String({ format: 'date-time' });

export const Coding = Type.Object({
  system: Type.Optional(Str(500)),
  code: Type.Optional(Str(200)),
  display: Type.Optional(Str(500)),
});
export type Coding = Static<typeof Coding>;

export const CodeableConcept = Type.Object({
  coding: Type.Optional(Type.Array(Coding, { maxItems: 20 })),
  text: Type.Optional(Str()),
});
export type CodeableConcept = Static<typeof CodeableConcept>;

export const Identifier = Type.Object({
  system: Type.Optional(Str(500)),
  value: Type.Optional(Str(200)),
});
export type Identifier = Static<typeof Identifier>;

export const Reference = Type.Object({
  reference: Type.Optional(Str(500)),
  type: Type.Optional(Str(100)),
  identifier: Type.Optional(Identifier),
  display: Type.Optional(Str(500)),
});
export type Reference = Static<typeof Reference>;

export const Period = Type.Object({ start: Type.Optional(FhirDateTime), end: Type.Optional(FhirDateTime) });
export type Period = Static<typeof Period>;

export const Annotation = Type.Object({ text: Str(), time: Type.Optional(FhirDateTime) });

const extensionValues = {
  valueString: Type.Optional(Str()),
  valueCode: Type.Optional(Str(200)),
  valueDate: Type.Optional(FhirDate),
  valueDateTime: Type.Optional(FhirDateTime),
  valueBoolean: Type.Optional(Type.Boolean()),
  valueCoding: Type.Optional(Coding),
  valueReference: Type.Optional(Reference),
};
/** Two levels of extensions: enough for the complex `linked-plan` extension. */
export const SubExtension = Type.Object({ id: Type.Optional(Str(200)), url: Str(500), ...extensionValues });
export const Extension = Type.Object({
  id: Type.Optional(Str(200)),
  url: Str(500),
  ...extensionValues,
  extension: Type.Optional(Type.Array(SubExtension, { maxItems: 20 })),
});
export type Extension = Static<typeof Extension>;
export type SubExtension = Static<typeof SubExtension>;

/** `modifierExtension` changes meaning; none is understood here, so any present is refused. */
export const ModifierExtensions = Type.Optional(Type.Array(Type.Unknown(), { maxItems: 20 }));

/** Refuses an element that carries a modifier extension: ignoring one could change its meaning. */
export function refuseModifierExtensions(
  element: { modifierExtension?: unknown[] | undefined },
  path: string,
): void {
  if (element.modifierExtension && element.modifierExtension.length > 0) {
    throw invalid(
      'modifierExtension stöds inte; elementet kan inte tolkas säkert.',
      `${path}.modifierExtension`,
    );
  }
}

export const Meta = Type.Object({
  versionId: Type.Optional(Str(64)),
  lastUpdated: Type.Optional(FhirInstant),
});

/** The common head of every resource we accept. */
export const resourceHead = <T extends string>(resourceType: T) => ({
  resourceType: Type.Literal(resourceType),
  id: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9\\-.]{1,64}$' })),
  meta: Type.Optional(Meta),
  extension: Type.Optional(Type.Array(Extension, { maxItems: 200 })),
  modifierExtension: ModifierExtensions,
});

/** An array of at most `max` items of `schema`. */
export const List = <T extends TSchema>(schema: T, max: number) =>
  Type.Optional(Type.Array(schema, { maxItems: max }));

/** A reference to a unit or a member of staff by HSA-id: literal, and with the identifier for the HSA catalogue. */
export function hsaReference(
  type: 'Organization' | 'Practitioner',
  id: string,
  display?: string | null,
): Reference {
  return {
    reference: `${type}/${id}`,
    type,
    identifier: { system: systems.hsaId, value: id },
    ...(display ? { display } : {}),
  };
}

/** A logical reference to a unit as a place (Appointment participants cannot be Organizations). */
export function locationReference(unitId: string): Reference {
  return { type: 'Location', identifier: { system: systems.hsaId, value: unitId } };
}

export function patientReference(patientId: string): Reference {
  return { reference: `Patient/${patientId}`, type: 'Patient' };
}

/**
 * The type and id a reference names: `Type/id`, an absolute URL ending in `Type/id`, or a
 * logical reference by HSA-id (`type` + `identifier`). Null for a contained (`#id`) reference.
 */
export function readReference(ref: Reference): { type: string | null; id: string } | null {
  if (ref.reference !== undefined) {
    if (ref.reference.startsWith('#')) return null;
    const match = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(
      ref.reference,
    );
    if (!match) return { type: ref.type ?? null, id: ref.reference };
    return { type: match[1]!, id: match[2]! };
  }
  if (ref.identifier?.value !== undefined && ref.identifier.system === systems.hsaId) {
    return { type: ref.type ?? null, id: ref.identifier.value };
  }
  return null;
}

/** The HSA-id a reference to one of `types` names, or a 400 saying where. */
export function requireHsaReference(ref: Reference, types: readonly string[], path: string): string {
  const read = readReference(ref);
  if (!read || (read.type !== null && !types.includes(read.type))) {
    throw invalid(`Referensen ska vara ${types.map((t) => `${t}/<HSA-id>`).join(' eller ')}.`, path);
  }
  return read.id;
}

/** The id of the contained resource a `#id` reference names, or null. */
export function containedId(ref: Reference | undefined): string | null {
  return ref?.reference?.startsWith('#') ? ref.reference.slice(1) : null;
}

/** A 400 with one field detail; `path` is a FHIRPath-like location such as `CarePlan.activity[0]`. */
export function invalid(message: string, path: string): DomainError {
  return new DomainError('invalid_input', message, [{ path, message }]);
}

/** The code of the first coding in `system`, if any. */
export function codeIn(concept: CodeableConcept | undefined, system: string): string | undefined {
  return concept?.coding?.find((c) => c.system === system)?.code;
}

/** The extension with `url`, if any. */
export function findExtension<E extends { url: string }>(
  list: readonly E[] | undefined,
  url: string,
): E | undefined {
  return list?.find((e) => e.url === url);
}

/** True if `value` is one of `values`: narrows a string read from FHIR to a domain code. */
export function isOneOf<const T extends readonly string[]>(
  values: T,
  value: string | undefined,
): value is T[number] {
  return value !== undefined && values.includes(value);
}
