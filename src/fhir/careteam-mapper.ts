/**
 * The patient's fixed contacts and treating roles ↔ one FHIR CareTeam per patient (id = the
 * patient's id). See: https://hl7.org/fhir/R4/careteam.html
 *
 * Each participant is one care contact (element `id` = the contact's id). Declined offers are
 * not participants; ended ones are, with `period.end`. The CareTeam's version is the latest of
 * its kept versions (migration 027): every change to what it shows raises it, so it works as an
 * ETag, and each version can be read again.
 * A write makes one change at a time: add one participant, end one (set `period.end`), or both
 * for the same role (a change of holder, in one transaction).
 */
import { Type, type Static } from 'typebox';
import {
  appointmentReasons,
  careContactRoles,
  roleNames,
  type CareContactRole,
} from '../domain/care-contact.ts';
import type { CareContactView, CareTeamMember, NewCareContact } from '../services/care-contact-service.ts';
import {
  CodeableConcept,
  codeSystems,
  extensions,
  findExtension,
  hsaReference,
  invalid,
  isOneOf,
  List,
  ModifierExtensions,
  patientReference,
  Period,
  readReference,
  Reference,
  refuseModifierExtensions,
  resourceHead,
  Extension,
} from './datatypes.ts';
import { careTeamCategories } from './mobile-care-mapper.ts';

const Participant = Type.Object({
  id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  extension: List(Extension, 10),
  modifierExtension: ModifierExtensions,
  role: List(CodeableConcept, 5),
  member: Type.Optional(Reference),
  onBehalfOf: Type.Optional(Reference),
  period: Type.Optional(Period),
});

export const FhirCareTeamSchema = Type.Object({
  ...resourceHead('CareTeam'),
  status: Type.Optional(Type.Enum(['proposed', 'active', 'suspended', 'inactive', 'entered-in-error'])),
  name: Type.Optional(Type.String({ maxLength: 200 })),
  subject: Reference,
  participant: List(Participant, 100),
});
export type FhirCareTeamInput = Static<typeof FhirCareTeamSchema>;
type ParticipantInput = Static<typeof Participant>;

export interface FhirCareTeamParticipant {
  id: string;
  extension?: Extension[];
  role: { coding: { system: string; code: CareContactRole; display: string }[]; text?: string }[];
  member: Reference;
  onBehalfOf?: Reference;
  period?: { start?: string; end?: string };
}

export interface FhirCareTeam {
  resourceType: 'CareTeam';
  id: string;
  meta: { versionId: string; security?: { system: string; code: string; display: string }[] };
  status: 'active';
  category: { coding: { system: string; code: string; display: string }[] }[];
  name: string;
  subject: Reference;
  participant?: FhirCareTeamParticipant[];
}

/**
 * The patient's contacts as a CareTeam (declined offers are left out). `version` is that of the
 * whole team, also of the contacts the reader does not see.
 */
export function careTeamToFhir(
  patientId: string,
  contacts: readonly CareTeamMember[],
  version: number,
): FhirCareTeam {
  const participant = contacts.filter((c) => c.status !== 'declined').map(participantToFhir);
  return {
    resourceType: 'CareTeam',
    id: patientId,
    meta: { versionId: String(version) },
    status: 'active',
    // Told apart from a mobile team's CareTeam (mobile-care-mapper.ts) by category and id.
    category: [{ coding: [careTeamCategories.fixedContacts] }],
    name: 'Fasta kontakter och behandlande roller',
    subject: patientReference(patientId),
    ...(participant.length > 0 ? { participant } : {}),
  };
}

function participantToFhir(contact: CareTeamMember): FhirCareTeamParticipant {
  const ext: Extension[] = [
    ...(contact.reason ? [{ url: extensions.careContactReason, valueCode: contact.reason }] : []),
    ...(contact.viaTeam ? [{ url: extensions.viaTeam, valueBoolean: true }] : []),
  ];
  const period = {
    ...(contact.startDate ? { start: contact.startDate } : {}),
    ...(contact.endDate ? { end: contact.endDate } : {}),
  };
  return {
    id: contact.id,
    ...(ext.length > 0 ? { extension: ext } : {}),
    role: [
      {
        coding: [
          { system: codeSystems.careContactRole, code: contact.role, display: roleNames[contact.role] },
        ],
        ...(contact.roleTitle ? { text: contact.roleTitle } : {}),
      },
    ],
    // R4 ctm-1: onBehalfOf only beside a Practitioner; a contact via the team is the unit itself.
    ...(contact.staffId
      ? {
          member: hsaReference('Practitioner', contact.staffId, contact.staffName),
          onBehalfOf: hsaReference('Organization', contact.unitId, contact.unitName),
        }
      : { member: hsaReference('Organization', contact.unitId, contact.unitName) }),
    ...(Object.keys(period).length > 0 ? { period } : {}),
  };
}

/** One change to the care team: a new contact, the end of one, or both (a change of holder). */
export interface CareTeamChange {
  add: NewCareContact | null;
  end: { contact: CareContactView; date: string } | null;
}

/** What a CareTeam POST asks for: exactly one new participant. */
export function planCareTeamCreate(resource: FhirCareTeamInput): CareTeamChange {
  refuseModifierExtensions(resource, 'CareTeam');
  const participants = resource.participant ?? [];
  if (participants.length !== 1 || participants[0]!.id !== undefined) {
    throw invalid('Lägg till en ny deltagare (utan id) per förfrågan.', 'CareTeam.participant');
  }
  return { add: readNewParticipant(participants[0]!, 'CareTeam.participant[0]'), end: null };
}

/**
 * What a CareTeam PUT asks for, compared with the contacts now. Existing participants keep their
 * id and may only get a `period.end`; active ones cannot be left out.
 */
export function planCareTeamUpdate(
  resource: FhirCareTeamInput,
  current: readonly CareContactView[],
): CareTeamChange {
  refuseModifierExtensions(resource, 'CareTeam');
  const change: CareTeamChange = { add: null, end: null };
  const seen = new Set<string>();
  for (const [i, participant] of (resource.participant ?? []).entries()) {
    const path = `CareTeam.participant[${i}]`;
    if (participant.id === undefined) {
      if (change.add) throw invalid('Lägg till en ny deltagare per förfrågan.', path);
      change.add = readNewParticipant(participant, path);
      continue;
    }
    const contact = current.find((c) => c.id === participant.id && c.status !== 'declined');
    if (!contact)
      throw invalid('Deltagaren finns inte i vårdteamet. Nya deltagare anges utan id.', `${path}.id`);
    seen.add(contact.id);
    assertSameParticipant(participant, contact, path);
    const end = participant.period?.end;
    if (contact.status === 'active' && end !== undefined) {
      if (change.end) throw invalid('Avsluta en deltagare per förfrågan.', `${path}.period.end`);
      change.end = { contact, date: requireDate(end, `${path}.period.end`) };
    }
  }
  const missing = current.find((c) => c.status === 'active' && !seen.has(c.id));
  if (missing) {
    throw invalid(
      `Deltagaren ${missing.id} saknas. Avsluta en kontakt med period.end i stället för att ta bort den.`,
      'CareTeam.participant',
    );
  }
  if (change.add && change.end && change.add.role !== change.end.contact.role) {
    throw invalid(
      'Att avsluta och lägga till i samma förfrågan går bara för samma roll (byte av kontakt).',
      'CareTeam.participant',
    );
  }
  return change;
}

function assertSameParticipant(participant: ParticipantInput, contact: CareContactView, path: string): void {
  refuseModifierExtensions(participant, path);
  const role = readRole(participant, path);
  const member = participant.member ? readReference(participant.member) : null;
  const onBehalfOf = participant.onBehalfOf ? readReference(participant.onBehalfOf) : null;
  const sameMember = member === null || member.id === (contact.staffId ?? contact.unitId);
  const sameUnit = onBehalfOf === null || onBehalfOf.id === contact.unitId;
  if (role !== contact.role || !sameMember || !sameUnit) {
    throw invalid('En befintlig deltagare kan inte ändras här. Avsluta den och lägg till en ny.', path);
  }
}

function readNewParticipant(participant: ParticipantInput, path: string): NewCareContact {
  refuseModifierExtensions(participant, path);
  const role = readRole(participant, path);
  if (participant.period?.end !== undefined)
    throw invalid('En ny deltagare kan inte redan vara avslutad.', `${path}.period.end`);
  const member = participant.member ? readReference(participant.member) : null;
  const onBehalfOf = participant.onBehalfOf ? readReference(participant.onBehalfOf) : null;
  if (member && member.type !== 'Practitioner' && member.type !== 'Organization') {
    throw invalid(
      'Medlemmen ska vara Practitioner/<HSA-id>, eller Organization/<HSA-id> när kontakten sker via teamet.',
      `${path}.member`,
    );
  }
  if (onBehalfOf && onBehalfOf.type !== 'Organization')
    throw invalid('onBehalfOf ska vara Organization/<HSA-id>.', `${path}.onBehalfOf`);
  const unitId = onBehalfOf?.id ?? (member?.type === 'Organization' ? member.id : undefined);
  if (unitId === undefined)
    throw invalid('Ange vårdenheten (onBehalfOf = Organization/<HSA-id>).', `${path}.onBehalfOf`);
  if (member?.type === 'Organization' && member.id !== unitId)
    throw invalid('Teamet och enheten ska vara samma.', `${path}.member`);
  const staffId = member?.type === 'Practitioner' ? member.id : null;
  const reason = findExtension(participant.extension, extensions.careContactReason)?.valueCode;
  if (reason !== undefined && !isOneOf(appointmentReasons, reason)) {
    throw invalid(`Skälet ska vara ${appointmentReasons.join(' eller ')}.`, `${path}.extension`);
  }
  const viaTeam = findExtension(participant.extension, extensions.viaTeam)?.valueBoolean ?? staffId === null;
  const start = participant.period?.start;
  const roleTitle = participant.role?.[0]?.text;
  return {
    role,
    staffId,
    unitId,
    viaTeam,
    ...(roleTitle !== undefined ? { roleTitle } : {}),
    ...(reason !== undefined ? { reason } : {}),
    ...(start !== undefined ? { startDate: requireDate(start, `${path}.period.start`) } : {}),
  };
}

function readRole(participant: ParticipantInput, path: string): CareContactRole {
  const codes = (participant.role ?? [])
    .flatMap((r) => r.coding ?? [])
    .filter((c) => c.system === codeSystems.careContactRole);
  const code = codes[0]?.code;
  if (codes.length !== 1 || !isOneOf(careContactRoles, code)) {
    throw invalid(
      `Ange en roll i systemet ${codeSystems.careContactRole}: ${careContactRoles.join(', ')}.`,
      `${path}.role`,
    );
  }
  return code;
}

function requireDate(value: string, path: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw invalid('Ange ett datum (ÅÅÅÅ-MM-DD).', path);
  return value;
}
