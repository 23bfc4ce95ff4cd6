/**
 * Consent: the patient's consents (samtycke to a unit or a member of staff reading their plan
 * across care providers) and spärrar (information a unit or a care provider holds, blocked from
 * others), one FHIR Consent each. A consent is a `permit` to its unit or person, a spärr a `deny`
 * of the custodian's information. Ids say which: `samtycke-<id>`, `sparr-<id>`.
 * See: https://hl7.org/fhir/R4/consent.html
 */
import { Type, type Static } from 'typebox';
import { consentMethods, type ConsentMethod, type ConsentRequest } from '../domain/consent.ts';
import type { BlockRequest } from '../domain/block.ts';
import { swedishDayBounds, swedishToday } from '../domain/swedish-time.ts';
import type { BlockService } from '../services/block-service.ts';
import type { ConsentService } from '../services/consent-service.ts';
import {
  hsaReference,
  invalid,
  readReference,
  Reference,
  type Reference as ReferenceType,
} from './datatypes.ts';

type ConsentRecord = Awaited<ReturnType<ConsentService['list']>>['consents'][number];
type BlockRecord = Awaited<ReturnType<BlockService['list']>>['blocks'][number];

const base = 'https://patientkontrakt.se/fhir';
export const consentSystems = {
  /** Product-local: `samtycke` or `sparr`. */
  kind: `${base}/CodeSystem/consent-kind`,
  /** How the patient gave the consent (or agreed to lift a spärr): `i-person`, `telefon`, `digitalt`. */
  method: `${base}/StructureDefinition/consent-method`,
  /** What a spärr covers: the information of one `unit` or of a whole care `provider`. */
  blockScope: `${base}/StructureDefinition/block-scope`,
} as const;

const SCOPE = {
  coding: [
    {
      system: 'http://terminology.hl7.org/CodeSystem/consentscope',
      code: 'patient-privacy',
      display: 'Privacy Consent',
    },
  ],
};
const LOINC_CONSENT = { system: 'http://loinc.org', code: '59284-0', display: 'Patient Consent' };
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const PARTICIPATION = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
const PDL = 'Patientdatalagen (2008:355): sammanhållen vårdinformation';

interface Coding {
  system: string;
  code: string;
  display?: string;
}

export interface FhirConsent {
  resourceType: 'Consent';
  id: string;
  meta?: { versionId: string };
  extension?: { url: string; valueCode: string }[];
  status: 'active' | 'inactive';
  scope: { coding: Coding[] };
  category: { coding: Coding[] }[];
  patient: ReferenceType;
  dateTime: string;
  policyRule: { coding: Coding[]; text: string };
  provision: {
    type: 'permit' | 'deny';
    period: { start: string; end?: string };
    actor: { role: { coding: Coding[] }; reference: ReferenceType }[];
    action?: { coding: Coding[] }[];
  };
}

/** The start of a Swedish calendar day as written (`YYYY-MM-DD`), or the instant, for a period. */
const periodEnd = (...ends: (string | null)[]): { end?: string } => {
  const end = ends.filter((e): e is string => e !== null).sort()[0];
  return end ? { end } : {};
};

/** A consent of the patient as a FHIR Consent (permit to the unit or the person). */
export function consentToFhir(patientId: string, c: ConsentRecord, now: Date): FhirConsent {
  const today = swedishToday(now);
  const ended = c.revokedAt !== null || (c.validTo !== null && c.validTo < today);
  const recipient =
    c.scope === 'staff' && c.staffId
      ? hsaReference('Practitioner', c.staffId, c.staffName)
      : hsaReference('Organization', c.unitId ?? '', c.unitName);
  return {
    resourceType: 'Consent',
    id: `samtycke-${c.id}`,
    extension: [{ url: consentSystems.method, valueCode: c.method }],
    status: ended ? 'inactive' : 'active',
    scope: SCOPE,
    category: [
      { coding: [LOINC_CONSENT] },
      { coding: [{ system: consentSystems.kind, code: 'samtycke', display: 'Samtycke' }] },
    ],
    patient: { reference: `Patient/${patientId}`, type: 'Patient' },
    dateTime: c.recordedAt,
    policyRule: { coding: [{ system: ACT_CODE, code: 'OPTIN', display: 'opt-in' }], text: PDL },
    provision: {
      type: 'permit',
      period: { start: c.validFrom, ...periodEnd(c.validTo, c.revokedAt) },
      actor: [
        {
          role: { coding: [{ system: PARTICIPATION, code: 'IRCP', display: 'information recipient' }] },
          reference: recipient,
        },
      ],
      action: [
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentaction', code: 'access' }] },
      ],
    },
  };
}

/** A spärr as a FHIR Consent: deny, the blocked unit or care provider as the custodian. */
export function blockToFhir(patientId: string, b: BlockRecord): FhirConsent {
  const custodian =
    b.scope === 'provider'
      ? hsaReference('Organization', b.providerId ?? '', b.providerName)
      : hsaReference('Organization', b.unitId ?? '', b.unitName);
  return {
    resourceType: 'Consent',
    id: `sparr-${b.id}`,
    extension: [{ url: consentSystems.blockScope, valueCode: b.scope }],
    status: b.liftedAt === null ? 'active' : 'inactive',
    scope: SCOPE,
    category: [
      { coding: [LOINC_CONSENT] },
      { coding: [{ system: consentSystems.kind, code: 'sparr', display: 'Spärr' }] },
    ],
    patient: { reference: `Patient/${patientId}`, type: 'Patient' },
    dateTime: b.createdAt,
    policyRule: { coding: [{ system: ACT_CODE, code: 'OPTOUT', display: 'opt-out' }], text: PDL },
    provision: {
      type: 'deny',
      period: { start: b.createdAt, ...periodEnd(b.liftedAt) },
      actor: [
        {
          role: { coding: [{ system: PARTICIPATION, code: 'CST', display: 'custodian' }] },
          reference: custodian,
        },
      ],
    },
  };
}

/** One version of a Consent: 1 as recorded, 2 once ended. */
export interface ConsentVersion {
  resource: FhirConsent;
  version: 1 | 2;
  /** When it became this version. */
  lastModified: string;
}

/**
 * The versions of a consent, newest first: 1 as recorded, and 2 from the moment it ended when it
 * has (revoked, or the Swedish day after its last day began: `consentToFhir`'s rule). Both are
 * what a read answered then, rebuilt from the stored record: nothing but the end changes. One
 * recorded already past its end was never active: its only version is 2.
 */
export function consentVersions(patientId: string, c: ConsentRecord, now: Date): ConsentVersion[] {
  const current = consentToFhir(patientId, c, now);
  if (current.status === 'active') return [versionOf(current, 1, c.recordedAt)];
  const asRecorded = consentToFhir(patientId, { ...c, revokedAt: null }, new Date(c.recordedAt));
  if (asRecorded.status === 'inactive') return [versionOf(current, 2, c.recordedAt)];
  const ends = [c.revokedAt, c.validTo === null ? null : swedishDayBounds(c.validTo.slice(0, 10)).end]
    .filter((t): t is string => t !== null && Date.parse(t) <= now.getTime())
    .sort((a, b) => Date.parse(a) - Date.parse(b));
  return [versionOf(current, 2, ends[0] ?? c.recordedAt), versionOf(asRecorded, 1, c.recordedAt)];
}

/** The versions of a spärr, newest first: 1 as created, and 2 from its lifting when it has been. */
export function blockVersions(patientId: string, b: BlockRecord): ConsentVersion[] {
  const asCreated = versionOf(blockToFhir(patientId, { ...b, liftedAt: null }), 1, b.createdAt);
  return b.liftedAt === null ? [asCreated] : [versionOf(blockToFhir(patientId, b), 2, b.liftedAt), asCreated];
}

/** A Consent at a version, its `meta.versionId` set. */
function versionOf(consent: FhirConsent, version: 1 | 2, since: string): ConsentVersion {
  const { resourceType, id, ...rest } = consent;
  return {
    resource: { resourceType, id, meta: { versionId: String(version) }, ...rest },
    version,
    lastModified: new Date(since).toISOString(),
  };
}

/** Which record a Consent id names. */
export function parseConsentId(id: string): { kind: 'samtycke' | 'sparr'; id: string } | null {
  const match = /^(samtycke|sparr)-([0-9a-f-]{36})$/.exec(id);
  return match ? { kind: match[1] as 'samtycke' | 'sparr', id: match[2]! } : null;
}

/** A date or a dateTime (a consent's validity is kept by the day: its first ten characters). */
const DATE_START = '^\\d{4}-\\d{2}-\\d{2}';
const dayOf = (value: string | undefined): string | undefined => value?.slice(0, 10);

const Coded = Type.Object(
  { coding: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }))) },
  { additionalProperties: true },
);
const Ext = Type.Object(
  { url: Type.String({ maxLength: 200 }), valueCode: Type.Optional(Type.String({ maxLength: 40 })) },
  { additionalProperties: true },
);

/** The elements a Consent write reads (docs/fhir.md); others are ignored. */
export const FhirConsentSchema = Type.Object(
  {
    resourceType: Type.Literal('Consent'),
    id: Type.Optional(Type.String({ maxLength: 64 })),
    extension: Type.Optional(Type.Array(Ext, { maxItems: 10 })),
    status: Type.String({ maxLength: 40 }),
    scope: Type.Optional(Coded),
    category: Type.Optional(Type.Array(Coded, { maxItems: 10 })),
    patient: Reference,
    provision: Type.Object(
      {
        type: Type.Union([Type.Literal('permit'), Type.Literal('deny')]),
        period: Type.Optional(
          Type.Object(
            {
              start: Type.Optional(Type.String({ pattern: DATE_START, maxLength: 40 })),
              end: Type.Optional(Type.String({ pattern: DATE_START, maxLength: 40 })),
            },
            { additionalProperties: false },
          ),
        ),
        actor: Type.Array(
          Type.Object({ role: Type.Optional(Coded), reference: Reference }, { additionalProperties: true }),
          {
            minItems: 1,
            maxItems: 1,
          },
        ),
      },
      { additionalProperties: true },
    ),
  },
  { additionalProperties: true },
);
export type FhirConsentInput = Static<typeof FhirConsentSchema>;

/** The method extension's value, when it is one of ours. */
export function methodOf(input: {
  extension?: { url: string; valueCode?: string | undefined }[] | undefined;
}): ConsentMethod | undefined {
  const code = input.extension?.find((e) => e.url === consentSystems.method)?.valueCode;
  if (code === undefined) return undefined;
  if (!(consentMethods as readonly string[]).includes(code))
    throw invalid(`Sättet ska vara ett av ${consentMethods.join(', ')}.`, 'Consent.extension');
  return code as ConsentMethod;
}

/** A new consent (permit) or spärr (deny) from a Consent. */
export function consentFromFhir(
  input: FhirConsentInput,
): { kind: 'samtycke'; request: ConsentRequest } | { kind: 'sparr'; request: BlockRequest } {
  if (input.status !== 'active')
    throw invalid('Ett nytt samtycke eller en ny spärr har status active.', 'Consent.status');
  const actor = readReference(input.provision.actor[0]!.reference);
  const where = 'Consent.provision.actor[0].reference';
  if (!actor || (actor.type !== 'Organization' && actor.type !== 'Practitioner'))
    throw invalid(
      'Ange enheten, vårdgivaren eller personen som Organization/<HSA-id> eller Practitioner/<HSA-id>.',
      where,
    );
  if (input.provision.type === 'permit') {
    const method = methodOf(input);
    if (method === undefined)
      throw invalid('Ange hur patienten samtyckte (extension consent-method).', 'Consent.extension');
    return {
      kind: 'samtycke',
      request: {
        scope: actor.type === 'Practitioner' ? 'staff' : 'unit',
        ...(actor.type === 'Practitioner' ? { staffId: actor.id } : { unitId: actor.id }),
        validFrom: dayOf(input.provision.period?.start),
        validTo: dayOf(input.provision.period?.end),
        method,
      },
    };
  }
  if (actor.type !== 'Organization')
    throw invalid('En spärr gäller en enhet eller en vårdgivare (Organization).', where);
  const scope = input.extension?.find((e) => e.url === consentSystems.blockScope)?.valueCode ?? 'unit';
  if (scope !== 'unit' && scope !== 'provider')
    throw invalid('block-scope ska vara unit eller provider.', 'Consent.extension');
  return {
    kind: 'sparr',
    request: scope === 'unit' ? { scope, unitId: actor.id } : { scope, providerId: actor.id },
  };
}
