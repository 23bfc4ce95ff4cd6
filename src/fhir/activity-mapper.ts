/**
 * CarePlan.activity ↔ the contract's planned activities and the patient's own responsibilities.
 * See: https://hl7.org/fhir/R4/careplan-definitions.html#CarePlan.activity
 *
 * Both are activities with a `detail`; `detail.code` (careplan-activity-kind) tells them apart.
 * A responsibility is an activity the patient performs (`performer` = the Patient). The element
 * `id` carries the item's id, so a CarePlan read and written back keeps every item.
 */
import { Type, type Static } from 'typebox';
import { activityStatuses, type PlannedActivity, type Responsibility } from '../domain/contract.ts';
import {
  Annotation,
  CodeableConcept,
  codeIn,
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
  Extension,
} from './datatypes.ts';

type ActivityStatus = PlannedActivity['status'];
type FhirActivityStatus =
  | 'not-started'
  | 'scheduled'
  | 'in-progress'
  | 'on-hold'
  | 'completed'
  | 'cancelled'
  | 'stopped'
  | 'unknown'
  | 'entered-in-error';

export const ActivitySchema = Type.Object({
  id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._:-]+$' })),
  modifierExtension: ModifierExtensions,
  progress: List(Annotation, 10),
  reference: Type.Optional(Reference),
  detail: Type.Optional(
    Type.Object({
      extension: List(Extension, 20),
      modifierExtension: ModifierExtensions,
      code: Type.Optional(CodeableConcept),
      status: Type.Enum([
        'not-started',
        'scheduled',
        'in-progress',
        'on-hold',
        'completed',
        'cancelled',
        'stopped',
        'unknown',
        'entered-in-error',
      ]),
      scheduledPeriod: Type.Optional(Period),
      scheduledString: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
      performer: List(Reference, 5),
      description: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    }),
  ),
});
export type FhirActivityInput = Static<typeof ActivitySchema>;

export interface FhirActivity {
  id?: string;
  reference?: Reference;
  progress?: { text: string }[];
  detail?: {
    extension?: Extension[];
    code: { coding: { system: string; code: ActivityKind; display: string }[] };
    status: FhirActivityStatus;
    scheduledPeriod?: { start: string };
    performer: Reference[];
    description: string;
  };
}

export type ActivityKind = 'planerad-aktivitet' | 'patientens-ansvar';
const kindNames: Record<ActivityKind, string> = {
  'planerad-aktivitet': 'Planerad kontakt eller aktivitet',
  'patientens-ansvar': 'Patientens eget ansvar',
};

/** The brief's mapping: planerad and bokad are both scheduled; the Swedish status rides in an extension. */
const statusToFhir: Record<ActivityStatus, FhirActivityStatus> = {
  planerad: 'scheduled',
  bokad: 'scheduled',
  genomford: 'completed',
  installd: 'cancelled',
};
const statusNames: Record<ActivityStatus, string> = {
  planerad: 'Planerad',
  bokad: 'Bokad',
  genomford: 'Genomförd',
  installd: 'Inställd',
};

const kindCode = (kind: ActivityKind) => ({
  coding: [{ system: codeSystems.activityKind, code: kind, display: kindNames[kind] }],
});

/** A planned contact or activity, at any caregiver, as a CarePlan activity. */
export function plannedActivityToFhir(activity: PlannedActivity): FhirActivity {
  return {
    id: activity.id,
    ...(activity.note ? { progress: [{ text: activity.note }] } : {}),
    detail: {
      extension: [
        {
          url: extensions.activityStatus,
          valueCoding: {
            system: codeSystems.activityStatus,
            code: activity.status,
            display: statusNames[activity.status],
          },
        },
      ],
      code: kindCode('planerad-aktivitet'),
      status: statusToFhir[activity.status],
      scheduledPeriod: { start: activity.when },
      performer: [
        hsaReference('Organization', activity.unitId),
        ...(activity.responsibleStaffId ? [hsaReference('Practitioner', activity.responsibleStaffId)] : []),
      ],
      description: activity.what,
    },
  };
}

/**
 * What the patient is responsible for, as an activity the patient performs. Done is
 * `completed`; explicitly not done is `in-progress`; not yet marked is `not-started`.
 */
export function responsibilityToFhir(responsibility: Responsibility, patientId: string): FhirActivity {
  const status =
    responsibility.isDone === true
      ? 'completed'
      : responsibility.isDone === false
        ? 'in-progress'
        : 'not-started';
  return {
    id: responsibility.id,
    detail: {
      ...(responsibility.doneAt
        ? { extension: [{ url: extensions.responsibilityDoneAt, valueDateTime: responsibility.doneAt }] }
        : {}),
      code: kindCode('patientens-ansvar'),
      status,
      performer: [patientReference(patientId)],
      description: responsibility.text,
    },
  };
}

/** Which of the two an incoming activity with a detail is. */
export function activityKindOf(activity: FhirActivityInput): ActivityKind {
  const code = codeIn(activity.detail?.code, codeSystems.activityKind);
  if (code === 'planerad-aktivitet' || code === 'patientens-ansvar') return code;
  const performers = (activity.detail?.performer ?? []).map((p) => readReference(p)?.type);
  return performers.includes('Patient') && !performers.includes('Organization')
    ? 'patientens-ansvar'
    : 'planerad-aktivitet';
}

const DATE_OR_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Reads a planned activity back; `path` is where it is, for errors. */
export function fhirToPlannedActivity(activity: FhirActivityInput, path: string): PlannedActivity {
  const detail = requireDetail(activity, path);
  const what = detail.description;
  if (!what) throw invalid('Beskriv aktiviteten (detail.description).', `${path}.detail.description`);
  const when = detail.scheduledPeriod?.start ?? detail.scheduledString;
  if (!when || !DATE_OR_DATE_TIME.test(when)) {
    throw invalid(
      'Ange när (detail.scheduledPeriod.start) som datum eller tid med tidszon.',
      `${path}.detail.scheduled[x]`,
    );
  }
  let unitId: string | undefined;
  let responsibleStaffId: string | undefined;
  for (const [i, performer] of (detail.performer ?? []).entries()) {
    const ref = readReference(performer);
    const where = `${path}.detail.performer[${i}]`;
    if (ref?.type === 'Organization' && unitId === undefined) unitId = ref.id;
    else if (ref?.type === 'Practitioner' && responsibleStaffId === undefined) responsibleStaffId = ref.id;
    else
      throw invalid(
        'Utförare ska vara en Organization (vårdenhet) och högst en Practitioner, med HSA-id.',
        where,
      );
  }
  if (unitId === undefined) {
    throw invalid(
      'Ange vårdenheten som utför aktiviteten (Organization/<HSA-id>).',
      `${path}.detail.performer`,
    );
  }
  const note = activity.progress?.[0]?.text;
  return {
    id: requireId(activity, path),
    what,
    unitId,
    ...(responsibleStaffId !== undefined ? { responsibleStaffId } : {}),
    when,
    status: readActivityStatus(detail, path),
    ...(note !== undefined ? { note } : {}),
  };
}

/** Reads a responsibility of the patient back. */
export function fhirToResponsibility(activity: FhirActivityInput, path: string): Responsibility {
  const detail = requireDetail(activity, path);
  if (!detail.description)
    throw invalid('Beskriv vad patienten ansvarar för (detail.description).', `${path}.detail.description`);
  let isDone: boolean | undefined;
  switch (detail.status) {
    case 'completed':
      isDone = true;
      break;
    case 'in-progress':
      isDone = false;
      break;
    case 'not-started':
      isDone = undefined;
      break;
    case 'scheduled':
    case 'on-hold':
    case 'cancelled':
    case 'stopped':
    case 'unknown':
    case 'entered-in-error':
      throw invalid(
        'Patientens ansvar har status not-started, in-progress eller completed.',
        `${path}.detail.status`,
      );
  }
  const doneAt = findExtension(detail.extension, extensions.responsibilityDoneAt)?.valueDateTime;
  return {
    id: requireId(activity, path),
    text: detail.description,
    ...(isDone !== undefined ? { isDone } : {}),
    ...(doneAt !== undefined ? { doneAt } : {}),
  };
}

function readActivityStatus(detail: NonNullable<FhirActivityInput['detail']>, path: string): ActivityStatus {
  const local = findExtension(detail.extension, extensions.activityStatus);
  const code = local?.valueCoding?.code ?? local?.valueCode;
  if (code !== undefined) {
    if (!isOneOf(activityStatuses, code) || statusToFhir[code] !== detail.status) {
      throw invalid(
        `Aktivitetsstatusen ${code} stämmer inte med status ${detail.status}.`,
        `${path}.detail.extension`,
      );
    }
    return code;
  }
  switch (detail.status) {
    case 'scheduled':
    case 'not-started':
      return 'planerad';
    case 'completed':
      return 'genomford';
    case 'cancelled':
      return 'installd';
    case 'in-progress':
    case 'on-hold':
    case 'stopped':
    case 'unknown':
    case 'entered-in-error':
      throw invalid(`Aktivitetsstatusen ${detail.status} stöds inte.`, `${path}.detail.status`);
  }
}

function requireDetail(activity: FhirActivityInput, path: string): NonNullable<FhirActivityInput['detail']> {
  refuseModifierExtensions(activity, path);
  if (!activity.detail) throw invalid('Aktiviteten saknar detail.', path);
  refuseModifierExtensions(activity.detail, `${path}.detail`);
  return activity.detail;
}

function requireId(activity: FhirActivityInput, path: string): string {
  if (!activity.id)
    throw invalid('Aktiviteten behöver ett id (elementets id), så att den kan ändras senare.', `${path}.id`);
  return activity.id;
}
