/**
 * A shared goal of the contract ↔ FHIR Goal. See: https://hl7.org/fhir/R4/goal.html
 * A Goal's id is `<contractId>-<goalId>`. The Swedish status travels as a local coding beside
 * the standard goal-achievement code, so that the mapping is lossless.
 */
import { Type, type Static } from 'typebox';
import { ambitionLevels, goalStatuses, type AmbitionLevel, type Goal } from '../domain/contract.ts';
import {
  CodeableConcept,
  codeIn,
  codeSystems,
  extensions,
  FhirDate,
  findExtension,
  invalid,
  isOneOf,
  List,
  patientReference,
  Reference,
  refuseModifierExtensions,
  resourceHead,
  type Extension,
} from './datatypes.ts';

type GoalStatus = Goal['status'];

export const FhirGoalSchema = Type.Object({
  ...resourceHead('Goal'),
  lifecycleStatus: Type.Enum([
    'proposed',
    'planned',
    'accepted',
    'active',
    'on-hold',
    'completed',
    'cancelled',
    'entered-in-error',
    'rejected',
  ]),
  achievementStatus: Type.Optional(CodeableConcept),
  description: Type.Object({ text: Type.String({ minLength: 1, maxLength: 2000 }) }),
  subject: Type.Optional(Reference),
  target: List(Type.Object({ dueDate: Type.Optional(FhirDate) }), 1),
});
export type FhirGoalInput = Static<typeof FhirGoalSchema>;

export interface FhirGoal {
  resourceType: 'Goal';
  id: string;
  meta?: { versionId: string };
  extension: Extension[];
  lifecycleStatus: 'proposed' | 'active' | 'completed' | 'cancelled';
  achievementStatus: { coding: { system: string; code: string; display: string }[]; text: string };
  description: { text: string };
  subject: Reference;
  target?: { dueDate: string }[];
}

const statusNames: Record<GoalStatus, string> = {
  pagaende: 'Pågående',
  uppnatt: 'Uppnått',
  'delvis-uppnatt': 'Delvis uppnått',
  'ej-uppnatt': 'Ej uppnått',
  avslutat: 'Avslutat',
};

export const ambitionNames: Record<AmbitionLevel, string> = {
  bota: 'Bota',
  forbattra: 'Förbättra',
  bibehalla: 'Bibehålla',
  bromsa: 'Bromsa',
  lindra: 'Lindra',
};

/** Each Swedish status as FHIR lifecycle status and goal-achievement code (none for avslutat). */
const standardStatus: Record<
  GoalStatus,
  { lifecycle: 'active' | 'completed' | 'cancelled'; achievement?: string }
> = {
  pagaende: { lifecycle: 'active', achievement: 'in-progress' },
  uppnatt: { lifecycle: 'completed', achievement: 'achieved' },
  'delvis-uppnatt': { lifecycle: 'completed', achievement: 'not-achieved' },
  'ej-uppnatt': { lifecycle: 'completed', achievement: 'no-progress' },
  avslutat: { lifecycle: 'cancelled' },
};

/** The FHIR id of a goal: `<contractId>-<goalId>`. */
export function goalFhirId(contractId: string, goalId: string): string {
  return `${contractId}-${goalId}`;
}

/** Splits a Goal id into contract id (a uuid, 36 characters) and goal id, or null. */
export function parseGoalFhirId(id: string): { contractId: string; goalId: string } | null {
  const match = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-(.+)$/i.exec(id);
  return match ? { contractId: match[1]!, goalId: match[2]! } : null;
}

/**
 * A goal as a FHIR Goal: a resource of its own (`id` = `<contractId>-<goalId>`, version of the
 * contract), or contained in a CarePlan (`id` = the goal id).
 */
export function goalToFhir(
  goal: Goal,
  where: { patientId: string } & ({ contractId: string; version: number } | { contained: true }),
): FhirGoal {
  const standard = standardStatus[goal.status];
  const ext: Extension[] = [
    {
      url: extensions.ambitionLevel,
      valueCoding: {
        system: codeSystems.ambitionLevel,
        code: goal.ambition,
        display: ambitionNames[goal.ambition],
      },
    },
  ];
  if (goal.proposedByPatient !== undefined)
    ext.push({ url: extensions.proposedByPatient, valueBoolean: goal.proposedByPatient });
  return {
    resourceType: 'Goal',
    ...('contained' in where
      ? { id: goal.id }
      : { id: goalFhirId(where.contractId, goal.id), meta: { versionId: String(where.version) } }),
    extension: ext,
    lifecycleStatus:
      goal.proposedByPatient === true && goal.status === 'pagaende' ? 'proposed' : standard.lifecycle,
    achievementStatus: {
      coding: [
        ...(standard.achievement
          ? [
              {
                system: codeSystems.goalAchievement,
                code: standard.achievement,
                display: standard.achievement,
              },
            ]
          : []),
        { system: codeSystems.goalStatus, code: goal.status, display: statusNames[goal.status] },
      ],
      text: statusNames[goal.status],
    },
    description: { text: goal.text },
    subject: patientReference(where.patientId),
    ...(goal.targetDate ? { target: [{ dueDate: goal.targetDate }] } : {}),
  };
}

/** Reads a Goal (contained in a CarePlan) back into a goal; `path` says where, for errors. */
export function fhirToGoal(resource: FhirGoalInput, path: string): Goal {
  refuseModifierExtensions(resource, path);
  if (!resource.id) throw invalid('Ett mål behöver ett id.', `${path}.id`);
  const ambitionExt = findExtension(resource.extension, extensions.ambitionLevel);
  const ambition = ambitionExt?.valueCoding?.code ?? ambitionExt?.valueCode;
  if (!isOneOf(ambitionLevels, ambition)) {
    throw invalid(
      `Ange ambitionsnivå (${ambitionLevels.join(', ')}) i tillägget ${extensions.ambitionLevel}.`,
      `${path}.extension`,
    );
  }
  const proposedExt = findExtension(resource.extension, extensions.proposedByPatient);
  const proposedByPatient =
    proposedExt?.valueBoolean ?? (resource.lifecycleStatus === 'proposed' ? true : undefined);
  const targetDate = resource.target?.[0]?.dueDate;
  return {
    id: resource.id,
    text: resource.description.text,
    ambition,
    ...(targetDate ? { targetDate } : {}),
    status: readStatus(resource, path),
    ...(proposedByPatient !== undefined ? { proposedByPatient } : {}),
  };
}

function readStatus(resource: FhirGoalInput, path: string): GoalStatus {
  const local = codeIn(resource.achievementStatus, codeSystems.goalStatus);
  if (local !== undefined) {
    if (isOneOf(goalStatuses, local)) return local;
    throw invalid(`Okänd målstatus ${local}.`, `${path}.achievementStatus`);
  }
  const achievement = codeIn(resource.achievementStatus, codeSystems.goalAchievement);
  switch (resource.lifecycleStatus) {
    case 'proposed':
    case 'planned':
    case 'accepted':
    case 'active':
      return 'pagaende';
    case 'completed':
      return achievement === 'not-achieved'
        ? 'delvis-uppnatt'
        : achievement === 'no-progress' || achievement === 'not-attainable'
          ? 'ej-uppnatt'
          : 'uppnatt';
    case 'cancelled':
      return 'avslutat';
    case 'on-hold':
    case 'entered-in-error':
    case 'rejected':
      throw invalid(`Målstatusen ${resource.lifecycleStatus} stöds inte.`, `${path}.lifecycleStatus`);
  }
}
