/**
 * The agreed next contact ("en tid i handen") ↔ FHIR Appointment.
 * See: https://hl7.org/fhir/R4/appointment.html
 * Its id is `<contractId>-next`; its version is the contract's. The unit takes part as a
 * Location by HSA-id, because R4 does not let an Organization be an Appointment participant.
 */
import { Type, type Static } from 'typebox';
import { contactModes, type ContactMode, type NextContact } from '../domain/contract.ts';
import {
  CodeableConcept,
  codeIn,
  codeSystems,
  extensions,
  FhirInstant,
  findExtension,
  hsaReference,
  invalid,
  isOneOf,
  locationReference,
  patientReference,
  readReference,
  Reference,
  refuseModifierExtensions,
  resourceHead,
  type Extension,
} from './datatypes.ts';

export const FhirAppointmentSchema = Type.Object({
  ...resourceHead('Appointment'),
  status: Type.Enum([
    'proposed',
    'pending',
    'booked',
    'arrived',
    'fulfilled',
    'cancelled',
    'noshow',
    'entered-in-error',
    'checked-in',
    'waitlist',
  ]),
  appointmentType: Type.Optional(CodeableConcept),
  start: Type.Optional(FhirInstant),
  comment: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  participant: Type.Array(
    Type.Object({
      actor: Type.Optional(Reference),
      status: Type.Enum(['accepted', 'declined', 'tentative', 'needs-action']),
    }),
    { minItems: 1, maxItems: 10 },
  ),
});
export type FhirAppointmentInput = Static<typeof FhirAppointmentSchema>;

export interface FhirAppointment {
  resourceType: 'Appointment';
  id: string;
  meta?: { versionId: string };
  extension?: Extension[];
  status: 'booked' | 'proposed' | 'cancelled';
  appointmentType: { coding: { system: string; code: ContactMode; display: string }[]; text: string };
  start: string;
  comment?: string;
  participant: { actor: Reference; status: 'accepted' | 'needs-action' }[];
}

export const contactModeNames: Record<ContactMode, string> = {
  besok: 'Besök',
  telefon: 'Telefon',
  video: 'Video',
  hembesok: 'Hembesök',
};

/** The FHIR id of a contract's next contact. */
export function appointmentFhirId(contractId: string): string {
  return `${contractId}-next`;
}

/** The contract id in an Appointment id, or null. */
export function parseAppointmentFhirId(id: string): string | null {
  const match = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-next$/i.exec(id);
  return match ? match[1]! : null;
}

/** The next contact as an Appointment: a resource of its own, or contained in a CarePlan (`id` = `next`). */
export function nextContactToFhir(
  next: NextContact,
  where: { patientId: string; cancelled?: boolean } & (
    { contractId: string; version: number } | { contained: true }
  ),
): FhirAppointment {
  const status = where.cancelled ? 'cancelled' : next.agreement === 'overenskommen' ? 'booked' : 'proposed';
  const participantStatus: 'accepted' | 'needs-action' =
    next.agreement === 'overenskommen' ? 'accepted' : 'needs-action';
  return {
    resourceType: 'Appointment',
    ...('contained' in where
      ? { id: 'next' }
      : { id: appointmentFhirId(where.contractId), meta: { versionId: String(where.version) } }),
    ...(next.patientRequestedChange !== undefined
      ? { extension: [{ url: extensions.patientRequestedChange, valueBoolean: next.patientRequestedChange }] }
      : {}),
    status,
    appointmentType: {
      coding: [{ system: codeSystems.contactMode, code: next.mode, display: contactModeNames[next.mode] }],
      text: contactModeNames[next.mode],
    },
    start: next.at,
    ...(next.note ? { comment: next.note } : {}),
    participant: [
      { actor: patientReference(where.patientId), status: participantStatus },
      ...(next.withStaffId
        ? [{ actor: hsaReference('Practitioner', next.withStaffId), status: participantStatus }]
        : []),
      { actor: locationReference(next.unitId), status: participantStatus },
    ],
  };
}

/**
 * Reads an Appointment back into the next contact; null when it is cancelled (no next contact).
 * The patient participant, when given, must be `patientId`.
 */
export function fhirToNextContact(
  resource: FhirAppointmentInput,
  patientId: string,
  path: string,
): NextContact | null {
  refuseModifierExtensions(resource, path);
  const agreement =
    resource.status === 'booked' ? 'overenskommen' : resource.status === 'proposed' ? 'erbjuden' : null;
  if (resource.status === 'cancelled') return null;
  if (agreement === null) {
    throw invalid('Ange status booked (överenskommen tid) eller proposed (erbjuden tid).', `${path}.status`);
  }
  if (!resource.start) throw invalid('Ange tiden (start) med tidszon.', `${path}.start`);
  const mode = codeIn(resource.appointmentType, codeSystems.contactMode);
  if (!isOneOf(contactModes, mode)) {
    throw invalid(
      `Ange kontaktsätt (${contactModes.join(', ')}) i appointmentType med systemet ${codeSystems.contactMode}.`,
      `${path}.appointmentType`,
    );
  }
  let unitId: string | undefined;
  let withStaffId: string | undefined;
  for (const [i, participant] of resource.participant.entries()) {
    const where = `${path}.participant[${i}].actor`;
    const actor = participant.actor ? readReference(participant.actor) : null;
    if (!actor) throw invalid('Ange deltagaren som referens.', where);
    switch (actor.type) {
      case 'Patient':
        if (actor.id !== patientId) throw invalid('Patienten i tiden ska vara kontraktets patient.', where);
        break;
      case 'Practitioner':
        if (withStaffId !== undefined) throw invalid('Ange högst en medarbetare.', where);
        withStaffId = actor.id;
        break;
      case 'Location':
      case 'Organization':
        if (unitId !== undefined) throw invalid('Ange en enda vårdenhet.', where);
        unitId = actor.id;
        break;
      case null:
      default:
        throw invalid(
          'Deltagaren ska vara Patient, Practitioner eller Location (vårdenhetens HSA-id).',
          where,
        );
    }
  }
  if (unitId === undefined)
    throw invalid('Ange vårdenheten som deltagare (Location med HSA-id).', `${path}.participant`);
  const requested = findExtension(resource.extension, extensions.patientRequestedChange)?.valueBoolean;
  return {
    at: resource.start,
    unitId,
    ...(withStaffId !== undefined ? { withStaffId } : {}),
    mode,
    agreement,
    ...(requested !== undefined ? { patientRequestedChange: requested } : {}),
    ...(resource.comment !== undefined ? { note: resource.comment } : {}),
  };
}
