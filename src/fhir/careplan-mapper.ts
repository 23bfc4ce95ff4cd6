/**
 * The Patientkontrakt ↔ FHIR CarePlan. See: https://hl7.org/fhir/R4/careplan.html
 *
 * Read: goals and the next contact are references to the Goal and Appointment resources
 * (`Goal/<contractId>-<goalId>`, `Appointment/<contractId>-next`). Write: a reference to an
 * existing goal or next contact of the same contract keeps it as it is; a contained Goal or
 * Appointment (`#id`) sets it. `contractToCarePlan(c, { contained: true })` gives the write form.
 * The question answers are not part of the FHIR view; a write keeps them unchanged. What matters
 * in the patient's own words (extension `patient-words`) is read-only here: only the patient
 * writes it, and a write keeps it whatever the resource says (`keepPatientParts`).
 */
import { Type, type Static, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import {
  linkedPlanTypes,
  type Contract,
  type ContractContent,
  type ContractStatus,
  type Goal,
  type LinkedPlan,
  type NextContact,
} from '../domain/contract.ts';
import { DomainError } from '../domain/errors.ts';
import {
  activityKindOf,
  ActivitySchema,
  fhirToPlannedActivity,
  fhirToResponsibility,
  plannedActivityToFhir,
  responsibilityToFhir,
  type FhirActivity,
} from './activity-mapper.ts';
import {
  appointmentFhirId,
  FhirAppointmentSchema,
  fhirToNextContact,
  nextContactToFhir,
  type FhirAppointment,
} from './appointment-mapper.ts';
import {
  codeSystems,
  containedId,
  extensions,
  findExtension,
  hsaReference,
  invalid,
  isOneOf,
  List,
  patientReference,
  readReference,
  Reference,
  refuseModifierExtensions,
  requireHsaReference,
  resourceHead,
  type Extension,
} from './datatypes.ts';
import {
  FhirGoalSchema,
  fhirToGoal,
  goalFhirId,
  goalToFhir,
  parseGoalFhirId,
  type FhirGoal,
} from './goal-mapper.ts';

export const FhirCarePlanSchema = Type.Object({
  ...resourceHead('CarePlan'),
  contained: List(
    Type.Object({
      resourceType: Type.String({ minLength: 1, maxLength: 64 }),
      id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    }),
    60,
  ),
  status: Type.Enum(['draft', 'active', 'on-hold', 'revoked', 'completed', 'entered-in-error', 'unknown']),
  intent: Type.Enum(['plan'], { description: 'Patientkontraktet är alltid en plan' }),
  title: Type.Optional(Type.String({ maxLength: 200 })),
  description: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })),
  subject: Reference,
  goal: List(Reference, 50),
  activity: List(ActivitySchema, 700),
});
export type FhirCarePlanInput = Static<typeof FhirCarePlanSchema>;

export interface FhirCarePlan {
  resourceType: 'CarePlan';
  id: string;
  meta: {
    versionId: string;
    lastUpdated: string;
    security?: { system: string; code: string; display: string }[];
  };
  contained?: (FhirGoal | FhirAppointment)[];
  extension?: Extension[];
  status: 'draft' | 'active' | 'completed';
  intent: 'plan';
  title: 'Patientkontrakt';
  description?: string;
  subject: Reference;
  created: string;
  goal?: Reference[];
  activity?: FhirActivity[];
}

const statusToFhir: Record<ContractStatus, FhirCarePlan['status']> = {
  draft: 'draft',
  active: 'active',
  ended: 'completed',
};

/** The contract's status as a CarePlan status: draft, active, completed (ended). */
export function carePlanStatus(status: ContractStatus): FhirCarePlan['status'] {
  return statusToFhir[status];
}

export const linkedPlanNames: Record<LinkedPlan['type'], string> = {
  sip: 'Samordnad individuell plan (SIP)',
  'min-vardplan': 'Min vårdplan',
  'min-vardplan-cancer': 'Min vårdplan cancer',
  rehabiliteringsplan: 'Rehabiliteringsplan',
  'vardplan-kol': 'Vårdplan KOL',
  'vardplan-diabetes': 'Vårdplan diabetes',
  'vardplan-hjartsvikt': 'Vårdplan hjärtsvikt',
  halsoplan: 'Hälsoplan',
  genomforandeplan: 'Genomförandeplan',
  'samordnad-utskrivningsplan': 'Samordnad utskrivningsplan',
  annan: 'Annan plan',
};

/** A contract as a CarePlan; `contained` puts goals and the next contact inside (the write form). */
export function contractToCarePlan(contract: Contract, options: { contained?: boolean } = {}): FhirCarePlan {
  const { content, patientId } = contract;
  const contain = options.contained === true;
  const ext: Extension[] = [
    ...(content.ifWorse ? [{ url: extensions.ifWorse, valueString: content.ifWorse }] : []),
    ...(content.reviewDate ? [{ url: extensions.reviewDate, valueDate: content.reviewDate }] : []),
    ...content.linkedPlans.map(linkedPlanToExtension),
    ...(content.whatMattersPatientWords
      ? [
          {
            url: extensions.patientWords,
            extension: [
              { url: 'text', valueString: content.whatMattersPatientWords.text },
              { url: 'writtenAt', valueDateTime: content.whatMattersPatientWords.writtenAt },
            ],
          },
        ]
      : []),
  ];
  const contained: (FhirGoal | FhirAppointment)[] = contain
    ? [
        ...content.goals.map((g) => goalToFhir(g, { patientId, contained: true })),
        ...(content.nextContact
          ? [nextContactToFhir(content.nextContact, { patientId, contained: true })]
          : []),
      ]
    : [];
  const activity: FhirActivity[] = [
    ...content.activities.map(plannedActivityToFhir),
    ...content.patientResponsibilities.map((r) => responsibilityToFhir(r, patientId)),
    ...(content.nextContact
      ? [
          {
            reference: contain
              ? { reference: '#next', type: 'Appointment' }
              : { reference: `Appointment/${appointmentFhirId(contract.id)}`, type: 'Appointment' },
          },
        ]
      : []),
  ];
  return {
    resourceType: 'CarePlan',
    id: contract.id,
    meta: { versionId: String(contract.version), lastUpdated: contract.updatedAt },
    ...(contained.length > 0 ? { contained } : {}),
    ...(ext.length > 0 ? { extension: ext } : {}),
    status: statusToFhir[contract.status],
    intent: 'plan',
    title: 'Patientkontrakt',
    ...(content.whatMatters ? { description: content.whatMatters } : {}),
    subject: patientReference(patientId),
    created: contract.createdAt,
    ...(content.goals.length > 0
      ? {
          goal: content.goals.map((g) => ({
            reference: contain ? `#${g.id}` : `Goal/${goalFhirId(contract.id, g.id)}`,
            display: g.text,
          })),
        }
      : {}),
    ...(activity.length > 0 ? { activity } : {}),
  };
}

function linkedPlanToExtension(plan: LinkedPlan): Extension {
  return {
    url: extensions.linkedPlan,
    id: plan.id,
    extension: [
      {
        url: 'type',
        valueCoding: {
          system: codeSystems.linkedPlanType,
          code: plan.type,
          display: linkedPlanNames[plan.type],
        },
      },
      ...(plan.title ? [{ url: 'title', valueString: plan.title }] : []),
      { url: 'unit', valueReference: hsaReference('Organization', plan.unitId) },
      { url: 'date', valueDate: plan.date },
      { url: 'reference', valueString: plan.reference },
    ],
  };
}

/** What a CarePlan write needs to know: which contract it changes (none for a new one) and its content now. */
export interface CarePlanWriteContext {
  patientId: string;
  contractId: string | null;
  current: ContractContent | null;
}

/** Reads a CarePlan back into a status and contract content. Throws a 400 DomainError on anything it cannot map. */
export function carePlanToContent(
  resource: FhirCarePlanInput,
  context: CarePlanWriteContext,
): { status: ContractStatus; content: ContractContent } {
  refuseModifierExtensions(resource, 'CarePlan');
  const status = readStatus(resource.status);
  const contained = new Contained(resource.contained ?? []);
  const goals = (resource.goal ?? []).map((ref, i) =>
    readGoal(ref, `CarePlan.goal[${i}]`, contained, context),
  );
  const activities: ContractContent['activities'] = [];
  const responsibilities: ContractContent['patientResponsibilities'] = [];
  let nextContact: NextContact | null = null;
  let nextContactPath: string | null = null;
  for (const [i, activity] of (resource.activity ?? []).entries()) {
    const path = `CarePlan.activity[${i}]`;
    if (activity.reference) {
      if (nextContactPath !== null) throw invalid(`Nästa kontakt anges redan i ${nextContactPath}.`, path);
      nextContact = readNextContact(activity.reference, `${path}.reference`, contained, context);
      nextContactPath = path;
    } else if (activityKindOf(activity) === 'patientens-ansvar') {
      responsibilities.push(fhirToResponsibility(activity, path));
    } else {
      activities.push(fhirToPlannedActivity(activity, path));
    }
  }
  contained.assertAllUsed();
  return {
    status,
    content: {
      whatMatters: resource.description ?? '',
      goals,
      patientResponsibilities: responsibilities,
      activities,
      nextContact,
      linkedPlans: (resource.extension ?? [])
        .map((e, i) => ({ e, i }))
        .filter(({ e }) => e.url === extensions.linkedPlan)
        .map(({ e, i }) => extensionToLinkedPlan(e, `CarePlan.extension[${i}]`)),
      answers: context.current?.answers ?? null,
      ifWorse: findExtension(resource.extension, extensions.ifWorse)?.valueString ?? '',
      reviewDate: findExtension(resource.extension, extensions.reviewDate)?.valueDate ?? null,
      // Not in the FHIR resource: kept as the JSON API last wrote them, never lost by a FHIR update.
      ...(context.current?.noNextContactReason
        ? { noNextContactReason: context.current.noNextContactReason }
        : {}),
      ...(context.current?.fastVardkontaktDecision
        ? { fastVardkontaktDecision: context.current.fastVardkontaktDecision }
        : {}),
    },
  };
}

function readStatus(status: FhirCarePlanInput['status']): ContractStatus {
  switch (status) {
    case 'draft':
      return 'draft';
    case 'active':
      return 'active';
    case 'completed':
      return 'ended';
    case 'on-hold':
    case 'revoked':
    case 'entered-in-error':
    case 'unknown':
      throw invalid('Status ska vara draft, active eller completed (avslutat).', 'CarePlan.status');
  }
}

function readGoal(ref: Reference, path: string, contained: Contained, context: CarePlanWriteContext): Goal {
  const local = containedId(ref);
  if (local !== null)
    return fhirToGoal(contained.take(local, FhirGoalSchema, path), `CarePlan.contained[${local}]`);
  const target = readReference(ref);
  const parsed = target?.type === 'Goal' ? parseGoalFhirId(target.id) : null;
  const existing =
    parsed && parsed.contractId === context.contractId
      ? context.current?.goals.find((g) => g.id === parsed.goalId)
      : undefined;
  if (!existing) {
    throw invalid(
      'Målet finns inte i det här kontraktet. Ange nya mål som inbäddade Goal-resurser (#id).',
      path,
    );
  }
  return existing;
}

function readNextContact(
  ref: Reference,
  path: string,
  contained: Contained,
  context: CarePlanWriteContext,
): NextContact {
  const local = containedId(ref);
  if (local !== null) {
    const next = fhirToNextContact(
      contained.take(local, FhirAppointmentSchema, path),
      context.patientId,
      `CarePlan.contained[${local}]`,
    );
    if (!next) throw invalid('Ta bort aktiviteten i stället för att ange en inställd tid.', path);
    return next;
  }
  const target = readReference(ref);
  const isSame =
    target?.type === 'Appointment' &&
    context.contractId !== null &&
    target.id === appointmentFhirId(context.contractId);
  if (!isSame || !context.current?.nextContact) {
    throw invalid(
      'Tiden finns inte i det här kontraktet. Ange en ny tid som inbäddad Appointment (#id).',
      path,
    );
  }
  return context.current.nextContact;
}

function extensionToLinkedPlan(ext: Extension, path: string): LinkedPlan {
  const part = (url: string) => findExtension(ext.extension, url);
  const type = part('type')?.valueCoding?.code ?? part('type')?.valueCode;
  const unit = part('unit')?.valueReference;
  const date = part('date')?.valueDate;
  const reference = part('reference')?.valueString;
  const title = part('title')?.valueString;
  if (!ext.id) throw invalid('En kopplad plan behöver ett id.', `${path}.id`);
  if (!isOneOf(linkedPlanTypes, type))
    throw invalid(`Okänd plantyp. Tillåtna: ${linkedPlanTypes.join(', ')}.`, `${path}.extension('type')`);
  if (!unit) throw invalid('Ange enheten som äger planen (unit).', `${path}.extension('unit')`);
  if (!date) throw invalid('Ange planens datum (date).', `${path}.extension('date')`);
  if (!reference) throw invalid('Ange var planen finns (reference).', `${path}.extension('reference')`);
  return {
    id: ext.id,
    type,
    ...(title !== undefined ? { title } : {}),
    unitId: requireHsaReference(unit, ['Organization'], `${path}.extension('unit')`),
    date,
    reference,
  };
}

/** The contained resources of a CarePlan: each is taken once by a reference, and none may be left over. */
class Contained {
  private readonly byId = new Map<string, { resourceType: string }>();
  private readonly used = new Set<string>();

  constructor(resources: readonly { resourceType: string; id?: string | undefined }[]) {
    resources.forEach((r, i) => {
      if (!r.id) throw invalid('En inbäddad resurs behöver ett id.', `CarePlan.contained[${i}].id`);
      if (this.byId.has(r.id))
        throw invalid('Samma id förekommer två gånger.', `CarePlan.contained[${i}].id`);
      this.byId.set(r.id, r);
    });
  }

  take<T extends TSchema>(id: string, schema: T, path: string): Static<T> {
    const resource = this.byId.get(id);
    if (!resource) throw invalid(`Den inbäddade resursen #${id} finns inte.`, path);
    if (this.used.has(id)) throw invalid(`Den inbäddade resursen #${id} används två gånger.`, path);
    this.used.add(id);
    if (!Value.Check(schema, resource)) {
      const details = Value.Errors(schema, resource).map((e) => ({
        path: `CarePlan.contained[${id}]${e.instancePath.replace(/\/(\d+)/g, '[$1]').replace(/\//g, '.')}`,
        message: swedishError(e.keyword),
      }));
      throw new DomainError('invalid_input', `Den inbäddade resursen #${id} är inte giltig.`, details);
    }
    return resource;
  }

  assertAllUsed(): void {
    for (const id of this.byId.keys()) {
      if (!this.used.has(id))
        throw invalid(
          `Den inbäddade resursen #${id} används inte av något mål eller någon aktivitet.`,
          'CarePlan.contained',
        );
    }
  }
}

function swedishError(keyword: string): string {
  switch (keyword) {
    case 'required':
      return 'Ett obligatoriskt fält saknas.';
    case 'type':
      return 'Fel typ.';
    case 'enum':
    case 'const':
      return 'Värdet är inte ett av de tillåtna.';
    case 'pattern':
    case 'format':
      return 'Fel format.';
    default:
      return 'Värdet är inte giltigt.';
  }
}
