/**
 * The agreed next contact ("en tid i handen") ↔ FHIR Appointment.
 * See: https://hl7.org/fhir/R4/appointment.html
 * Its id is `<contractId>-next`; its version is the contract's. The unit takes part as a
 * Location by HSA-id, because R4 does not let an Organization be an Appointment participant.
 */
import { Type, type Static } from 'typebox';
import {
  contactModes,
  defaultDurationMinutes,
  durationOf,
  MAX_DURATION_MINUTES,
  MIN_DURATION_MINUTES,
  type ContactMode,
  type NextContact,
} from '../domain/contract.ts';
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
  end: Type.Optional(FhirInstant),
  minutesDuration: Type.Optional(Type.Integer({ minimum: 1 })),
  comment: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  // Cancelling the next contact of an active contract needs a reason (the contract then says
  // why no time is booked); its text becomes that reason.
  cancelationReason: Type.Optional(CodeableConcept),
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
  cancelationReason?: { text: string };
  start: string;
  end: string;
  minutesDuration: number;
  comment?: string;
  participant: { actor: Reference; status: 'accepted' | 'needs-action' }[];
}

/** Why an Appointment reads as cancelled: removed from the contract, or the contract ended. */
export type CancelledBecause = 'removed' | 'contract-ended';

const cancelationTexts: Record<CancelledBecause, string> = {
  removed: 'Tiden är borttagen ur patientkontraktet.',
  'contract-ended': 'Patientkontraktet är avslutat; tiden gäller inte längre som överenskommen.',
};

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
  where: { patientId: string; cancelled?: CancelledBecause | undefined } & (
    { contractId: string; version: number } | { contained: true }
  ),
): FhirAppointment {
  const status = where.cancelled ? 'cancelled' : next.agreement === 'overenskommen' ? 'booked' : 'proposed';
  // app-2/app-3: a booked appointment has start and end. The end is start + the agreed duration,
  // or the mode's default, marked as assumed, for contracts written before a duration was asked.
  const duration = durationOf(next);
  const extension: Extension[] = [
    ...(next.patientRequestedChange !== undefined
      ? [{ url: extensions.patientRequestedChange, valueBoolean: next.patientRequestedChange }]
      : []),
    ...(duration.isAgreed ? [] : [{ url: extensions.durationAssumed, valueBoolean: true }]),
  ];
  const participantStatus: 'accepted' | 'needs-action' =
    next.agreement === 'overenskommen' ? 'accepted' : 'needs-action';
  return {
    resourceType: 'Appointment',
    ...('contained' in where
      ? { id: 'next' }
      : { id: appointmentFhirId(where.contractId), meta: { versionId: String(where.version) } }),
    ...(extension.length > 0 ? { extension } : {}),
    status,
    ...(where.cancelled ? { cancelationReason: { text: cancelationTexts[where.cancelled] } } : {}),
    appointmentType: {
      coding: [{ system: codeSystems.contactMode, code: next.mode, display: contactModeNames[next.mode] }],
      text: contactModeNames[next.mode],
    },
    start: next.at,
    end: new Date(Date.parse(next.at) + duration.minutes * 60_000).toISOString(),
    minutesDuration: duration.minutes,
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
  const stated = durationFromFhir(resource, resource.start, path);
  // Our own assumption sent back unchanged is no agreement: the contract stays without a duration.
  const isAssumedEcho =
    findExtension(resource.extension, extensions.durationAssumed)?.valueBoolean === true &&
    stated === defaultDurationMinutes[mode];
  const durationMinutes = isAssumedEcho ? undefined : stated;
  return {
    at: resource.start,
    unitId,
    ...(withStaffId !== undefined ? { withStaffId } : {}),
    mode,
    agreement,
    ...(durationMinutes !== undefined ? { durationMinutes } : {}),
    ...(requested !== undefined ? { patientRequestedChange: requested } : {}),
    ...(resource.comment !== undefined ? { note: resource.comment } : {}),
  };
}

/**
 * The agreed duration an Appointment states by `end` or `minutesDuration` (they must agree), or
 * undefined when it states neither: then none is stored, and reads mark the default as assumed.
 */
function durationFromFhir(resource: FhirAppointmentInput, start: string, path: string): number | undefined {
  let minutes: number | undefined;
  if (resource.end !== undefined) {
    const ms = Date.parse(resource.end) - Date.parse(start);
    if (!(ms > 0)) throw invalid('Sluttiden (end) ska vara efter starttiden (start).', `${path}.end`);
    if (ms % 60_000 !== 0) throw invalid('Ange sluttiden (end) i hela minuter efter start.', `${path}.end`);
    minutes = ms / 60_000;
  }
  if (resource.minutesDuration !== undefined) {
    if (minutes !== undefined && minutes !== resource.minutesDuration) {
      throw invalid('minutesDuration ska stämma med tiden mellan start och end.', `${path}.minutesDuration`);
    }
    minutes = resource.minutesDuration;
  }
  if (minutes !== undefined && (minutes < MIN_DURATION_MINUTES || minutes > MAX_DURATION_MINUTES)) {
    throw invalid(
      `Den förväntade längden ska vara mellan ${MIN_DURATION_MINUTES} och ${MAX_DURATION_MINUTES} minuter.`,
      resource.end !== undefined ? `${path}.end` : `${path}.minutesDuration`,
    );
  }
  return minutes;
}
