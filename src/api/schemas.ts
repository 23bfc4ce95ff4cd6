/**
 * Request and response schemas of the JSON API (TypeBox → JSON Schema). Every object rejects
 * unknown properties; the same schemas document the API at /api/openapi.json.
 */
import { Type, type TSchema } from 'typebox';
import {
  activityStatuses,
  ambitionLevels,
  answerValues,
  contactModes,
  contractStatuses,
  fastVardkontaktDecisions,
  goalStatuses,
  linkedPlanTypes,
  MAX_DURATION_MINUTES,
  MIN_DURATION_MINUTES,
  nextContactAgreements,
  nextContactResponses,
} from '../domain/contract.ts';
import { appointmentReasons, careContactRoles } from '../domain/care-contact.ts';
import { consentMethods } from '../domain/consent.ts';

/** An object that rejects properties it does not name. */
export const Obj = <T extends Record<string, TSchema>>(props: T, options: { description?: string } = {}) =>
  Type.Object(props, { additionalProperties: false, ...options });

/** One of a fixed list of strings (JSON Schema `enum`). */
export const OneOf = <const T extends readonly string[]>(values: T, description?: string) =>
  Type.Enum<[...T]>(values, description ? { description } : {});

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const Text = (max: number, description?: string) =>
  Type.String({ maxLength: max, ...(description ? { description } : {}) });
const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._:-]+$' });
export const HsaId = Type.String({
  minLength: 3,
  maxLength: 64,
  pattern: '^[A-Za-z0-9-]+$',
  description: 'HSA-id',
});
export const DateOnly = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
export const DateTime = Type.String({ format: 'date-time' });
const DateOrDateTime = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2}))?$',
  description: 'A date (YYYY-MM-DD) or a date-time (ISO 8601 with zone)',
});
export const Uuid = Type.String({ format: 'uuid' });

export const GoalSchema = Obj({
  id: Id,
  text: Text(2000),
  ambition: OneOf(ambitionLevels, 'Ambitionsnivå'),
  targetDate: Type.Optional(DateOnly),
  status: OneOf(goalStatuses),
  proposedByPatient: Type.Optional(Type.Boolean()),
});

export const ResponsibilitySchema = Obj({
  id: Id,
  text: Text(2000),
  isDone: Type.Optional(Type.Boolean()),
  doneAt: Type.Optional(DateTime),
});

export const ActivitySchema = Obj({
  id: Id,
  what: Text(500),
  unitId: HsaId,
  responsibleStaffId: Type.Optional(HsaId),
  when: DateOrDateTime,
  status: OneOf(activityStatuses),
  note: Type.Optional(Text(2000)),
});

export const NextContactSchema = Obj({
  at: DateTime,
  unitId: HsaId,
  withStaffId: Type.Optional(HsaId),
  mode: OneOf(contactModes, 'besok, telefon, video eller hembesok'),
  agreement: OneOf(nextContactAgreements, 'Överenskommen med patienten, eller bara erbjuden'),
  durationMinutes: Type.Optional(
    Type.Integer({
      minimum: MIN_DURATION_MINUTES,
      maximum: MAX_DURATION_MINUTES,
      description:
        'Expected length in minutes; absent = the default of the contact mode (defaultDurationMinutes)',
    }),
  ),
  patientRequestedChange: Type.Optional(Type.Boolean()),
  patientResponse: Type.Optional(
    Obj(
      {
        response: OneOf(nextContactResponses),
        message: Type.Optional(Text(500)),
        respondedAt: DateTime,
      },
      { description: "The patient's own answer to this time; kept by the server, cleared by a new time" },
    ),
  ),
  note: Type.Optional(Text(2000)),
});

export const LinkedPlanSchema = Obj({
  id: Id,
  type: OneOf(linkedPlanTypes),
  title: Type.Optional(Text(200)),
  unitId: HsaId,
  date: DateOnly,
  reference: Text(500),
});

export const AnswersSchema = Obj({
  questionSetId: Id,
  questionSetVersion: Type.Integer({ minimum: 1 }),
  answeredAt: DateTime,
  items: Type.Array(
    Obj({ questionId: Id, answer: Type.Optional(OneOf(answerValues)), text: Type.Optional(Text(4000)) }),
    { maxItems: 50 },
  ),
});

export const ContractContentSchema = Obj({
  whatMatters: Text(4000, 'Vad är viktigt för patienten'),
  whatMattersPatientWords: Type.Optional(
    Nullable(
      Obj(
        { text: Text(4000), writtenAt: DateTime },
        { description: "What matters in the patient's own words: staff may keep it or clear it (null)" },
      ),
    ),
  ),
  goals: Type.Array(GoalSchema, { maxItems: 50 }),
  patientResponsibilities: Type.Array(ResponsibilitySchema, { maxItems: 50 }),
  activities: Type.Array(ActivitySchema, { maxItems: 500 }),
  nextContact: Nullable(NextContactSchema),
  linkedPlans: Type.Array(LinkedPlanSchema, { maxItems: 100 }),
  answers: Nullable(AnswersSchema),
  selfAssessment: Type.Optional(Nullable(AnswersSchema)),
  ifWorse: Text(4000, 'Vad patienten gör om hen blir sämre'),
  reviewDate: Nullable(DateOnly),
  noNextContactReason: Type.Optional(
    Nullable(
      Text(
        1000,
        'Varför ingen nästa kontakt är bokad, i stället för en tid (ett aktivt kontrakt har det ena)',
      ),
    ),
  ),
  fastVardkontaktDecision: Type.Optional(
    Nullable(
      OneOf(
        fastVardkontaktDecisions,
        'When no fast vårdkontakt is appointed: the patient declined, or one is not needed now',
      ),
    ),
  ),
});

export const ContractSchema = Obj({
  id: Uuid,
  patientId: Uuid,
  status: OneOf(contractStatuses),
  version: Type.Integer(),
  content: ContractContentSchema,
  createdAt: DateTime,
  createdBy: Type.String(),
  updatedAt: DateTime,
  updatedBy: Type.String(),
});

export const ReachableSchema = Obj({
  weekday: Type.Integer({ minimum: 1, maximum: 7, description: 'Måndag = 1' }),
  from: Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' }),
  to: Type.String({ pattern: '^([01]\\d|2[0-4]):[0-5]\\d$' }),
});

export const NewCareContactSchema = Obj({
  role: OneOf(careContactRoles),
  roleTitle: Type.Optional(Nullable(Text(200))),
  staffId: Type.Optional(Nullable(HsaId)),
  unitId: HsaId,
  viaTeam: Type.Optional(Type.Boolean()),
  phone: Type.Optional(Nullable(Text(40))),
  reachable: Type.Optional(Type.Array(ReachableSchema, { maxItems: 21 })),
  reason: Type.Optional(Nullable(OneOf(appointmentReasons))),
  status: Type.Optional(OneOf(['active', 'declined'] as const)),
  startDate: Type.Optional(Nullable(DateOnly)),
  reviewDate: Type.Optional(Nullable(DateOnly)),
  note: Type.Optional(Nullable(Text(2000))),
  replaces: Type.Optional(Obj({ id: Uuid, version: Type.Integer({ minimum: 1 }) })),
});

export const CareContactPatchSchema = Obj({
  roleTitle: Type.Optional(Nullable(Text(200))),
  phone: Type.Optional(Nullable(Text(40))),
  reachable: Type.Optional(Type.Array(ReachableSchema, { maxItems: 21 })),
  reviewDate: Type.Optional(Nullable(DateOnly)),
  note: Type.Optional(Nullable(Text(2000))),
  viaTeam: Type.Optional(Type.Boolean()),
  end: Type.Optional(Obj({ date: DateOnly, reason: Text(500) })),
});

export const ErrorSchema = Obj({
  error: Obj({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Array(Obj({ path: Type.String(), message: Type.String() }))),
    requestId: Type.Optional(Type.String()),
  }),
});

export const PatientParams = Obj({ patientId: Type.String({ maxLength: 64 }) });

/** One of a patient's items (a consent, a spärr, a care relationship): its id beside the patient's. */
export const ItemParams = Obj({
  patientId: Type.String({ maxLength: 64 }),
  id: Type.String({ maxLength: 64 }),
});

/** How the patient gave a consent. */
export const ConsentMethod = OneOf(consentMethods, 'Hur samtycket lämnades');
