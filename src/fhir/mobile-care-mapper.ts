/**
 * Mobile care teams as FHIR R4 (read only): the enrolment as EpisodeOfCare, the team as a CareTeam
 * (id `team-<id>`, told apart from the patient's fixed contacts by its id and its category), the
 * SBAR as Communication and the escalation as a Task with its status. The vital signs and NEWS2
 * are in observation-mapper.ts. The mapping table is in docs/fhir.md.
 * See: https://hl7.org/fhir/R4/episodeofcare.html, https://hl7.org/fhir/R4/careteam.html,
 * https://hl7.org/fhir/R4/communication.html, https://hl7.org/fhir/R4/task.html
 */
import {
  DEFAULT_ENROLMENT_CRITERIA,
  endReasonLabels,
  targetGroupLabels,
  type EnrolmentStatus,
} from '../domain/enrolment.ts';
import {
  decisionKindLabels,
  escalationStatusLabels,
  routeViaLabels,
  type EscalationStatus,
} from '../domain/escalation.ts';
import type { Sbar } from '../domain/sbar.ts';
import type { MobileCare } from '../services/enrolment-service.ts';
import type { TeamDetail } from '../services/team-service.ts';

type EnrolmentView = MobileCare['enrolments'][number];
type Escalation = MobileCare['escalations'][number];
import {
  codeSystems,
  extensions,
  hsaReference,
  patientReference,
  type CodeableConcept,
  type Extension,
  type Reference,
} from './datatypes.ts';
import { news2ObservationId } from './observation-mapper.ts';

/** The id prefix of a mobile team's CareTeam; the patient's fixed contacts use the patient's id. */
export const TEAM_ID_PREFIX = 'team-';

/**
 * HL7's care team categories (LOINC answers, https://hl7.org/fhir/R4/valueset-care-team-category.html):
 * the patient's fixed contacts coordinate care over time; a mobile team serves patients at home.
 */
export const careTeamCategories = {
  fixedContacts: {
    system: 'http://loinc.org',
    code: 'LA28865-6',
    display: 'Longitudinal care-coordination focused care team',
  },
  mobileTeam: {
    system: 'http://loinc.org',
    code: 'LA28866-4',
    display: 'Home & Community Based Services (HCBS)-focused care team',
  },
} as const;

const COMMUNICATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/communication-category';

const episodeStatus: Record<EnrolmentStatus, 'planned' | 'active' | 'onhold' | 'finished'> = {
  proposed: 'planned',
  active: 'active',
  paused: 'onhold',
  ended: 'finished',
};

/** R4 Task statuses: sent waits (requested), acknowledged is taken on, answered is done. */
function taskStatus(e: Escalation): 'requested' | 'accepted' | 'completed' | 'cancelled' {
  const map: Record<EscalationStatus, 'requested' | 'accepted' | 'completed' | 'cancelled'> = {
    sent: 'requested',
    acknowledged: 'accepted',
    answered: 'completed',
    // Closed by a death or withdrawn; one already answered stays done.
    closed: e.decision ? 'completed' : 'cancelled',
  };
  return map[e.status];
}

const dateOf = (instant: string): string => instant.slice(0, 10);

export function episodeOfCareToFhir(e: EnrolmentView) {
  const criteria = e.criteriaVersion.id === DEFAULT_ENROLMENT_CRITERIA.id ? DEFAULT_ENROLMENT_CRITERIA : null;
  const ext = [
    { url: extensions.reviewDate, valueDate: e.reviewDate },
    ...(e.ended ? [{ url: extensions.endReason, valueCode: e.ended.reason }] : []),
    // The criteria that supported the decision, from the checklist version it was made with.
    ...e.criteria.map((code) => ({
      url: extensions.enrolmentCriterion,
      valueCoding: {
        system: codeSystems.enrolmentCriterion,
        version: `${e.criteriaVersion.id}|${e.criteriaVersion.version}`,
        code,
        ...(criteria ? { display: criteria.criteria.find((c) => c.code === code)?.text ?? code } : {}),
      },
    })),
  ];
  // An enrolment ended before anyone confirmed it never began.
  const status = e.status === 'ended' && !e.confirmed ? ('cancelled' as const) : episodeStatus[e.status];
  return {
    resourceType: 'EpisodeOfCare' as const,
    id: e.id,
    extension: ext,
    status,
    statusHistory: e.history.map((h, i) => ({
      status: historyStatus(h.action),
      period: { start: h.at, ...(e.history[i + 1] ? { end: e.history[i + 1]!.at } : {}) },
    })),
    type: [
      {
        coding: [
          { system: codeSystems.targetGroup, code: e.targetGroup, display: targetGroupLabels[e.targetGroup] },
        ],
      },
    ],
    patient: patientReference(e.patientId),
    managingOrganization: hsaReference('Organization', e.proposed.unitId),
    period: { start: e.start, ...(e.ended ? { end: dateOf(e.ended.at) } : {}) },
    careManager: hsaReference('Practitioner', e.proposed.staffId, e.proposedByName),
    team: [{ reference: `CareTeam/${TEAM_ID_PREFIX}${e.teamId}`, type: 'CareTeam', display: e.teamName }],
    ...(e.ended ? { text: textOf(`Avslutad: ${endReasonLabels[e.ended.reason]}`) } : {}),
  };
}

function historyStatus(action: EnrolmentView['history'][number]['action']) {
  switch (action) {
    case 'proposed':
      return 'planned' as const;
    case 'confirmed':
    case 'resumed':
      return 'active' as const;
    case 'paused':
      return 'onhold' as const;
    case 'ended':
      return 'finished' as const;
  }
}

/** Narrative of a resource, as R4 expects it (status + XHTML). */
function textOf(words: string) {
  const escaped = words.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return { status: 'generated' as const, div: `<div xmlns="http://www.w3.org/1999/xhtml">${escaped}</div>` };
}

export function teamToFhir(team: TeamDetail) {
  return {
    resourceType: 'CareTeam' as const,
    id: `${TEAM_ID_PREFIX}${team.id}`,
    extension: [{ url: extensions.publicName, valueString: team.publicName }],
    status: 'active' as const,
    category: [
      {
        coding: [
          careTeamCategories.mobileTeam,
          { system: codeSystems.teamKind, code: team.kind, display: team.kindLabel },
        ],
      },
    ],
    name: team.name,
    ...(team.members.length > 0
      ? {
          participant: team.members.map((m) => ({
            role: [
              {
                coding: [{ system: codeSystems.teamMemberRole, code: m.role }],
                ...(m.title ? { text: m.title } : {}),
              },
            ],
            member: hsaReference('Practitioner', m.staffId, m.name),
            onBehalfOf: hsaReference('Organization', m.unitId, m.unitName),
          })),
        }
      : {}),
    ...(team.answersNow
      ? { telecom: [{ system: 'phone' as const, value: team.answersNow.phone, use: 'work' as const }] }
      : {}),
  };
}

const sbarParts: { key: keyof Sbar; label: string }[] = [
  { key: 'situation', label: 'Situation' },
  { key: 'background', label: 'Bakgrund' },
  { key: 'assessment', label: 'Aktuellt tillstånd' },
  { key: 'recommendation', label: 'Rekommendation' },
];

/** Whom the SBAR went to: the physician named, else the unit, else the number the route gave. */
function addresseeOf(e: Escalation): Reference {
  if (e.addresseeStaffId) return hsaReference('Practitioner', e.addresseeStaffId, e.route.name);
  if (e.addresseeUnitId) return hsaReference('Organization', e.addresseeUnitId, e.route.name);
  return { display: `${e.route.name} ${e.route.phone}` };
}

/** The assessment's NEWS2 Observation, which the SBAR and the Task are about (none under 16). */
function news2Of(e: Escalation, hasScore: boolean): Reference | null {
  return hasScore
    ? { reference: `Observation/${news2ObservationId(e.assessmentId)}`, type: 'Observation' }
    : null;
}

export function communicationToFhir(e: Escalation, hasScore: boolean) {
  const reason = news2Of(e, hasScore);
  return {
    resourceType: 'Communication' as const,
    id: e.id,
    status: 'completed' as const,
    category: [
      {
        coding: [
          { system: COMMUNICATION_CATEGORY, code: 'alert', display: 'Alert' },
          { system: codeSystems.communicationCategory, code: 'sbar', display: 'SBAR' },
        ],
      },
    ],
    priority: 'urgent' as const,
    subject: patientReference(e.patientId),
    sent: e.sentAt,
    recipient: [addresseeOf(e)],
    sender: hsaReference('Practitioner', e.from.staffId, e.from.name),
    ...(reason ? { reasonReference: [reason] } : {}),
    payload: sbarParts.map(({ key, label }) => ({ contentString: `${label}: ${e.sbar[key]}` })),
  };
}

export function taskToFhir(e: Escalation, hasScore: boolean) {
  const times = [e.sentAt, e.acknowledged?.at, e.decided?.at, e.escalatedToBackupAt, e.closedAt].filter(
    (t): t is string => typeof t === 'string',
  );
  const ext: Extension[] = [
    { url: extensions.escalationRoute, valueCode: e.route.via },
    ...(e.escalatedToBackupAt
      ? [{ url: extensions.movedToBackup, valueDateTime: e.escalatedToBackupAt }]
      : []),
  ];
  const owner = e.decided ?? e.acknowledged;
  const decision = e.decision;
  const businessStatus: CodeableConcept = {
    text: `${escalationStatusLabels[e.status]} (${routeViaLabels[e.route.via]})${e.flagged ? ', flyttad till bakjour' : ''}`,
  };
  const end = e.decided?.at ?? e.closedAt;
  const reason = news2Of(e, hasScore);
  return {
    resourceType: 'Task' as const,
    id: e.id,
    extension: ext,
    status: taskStatus(e),
    businessStatus,
    ...(e.closeReason ? { statusReason: { text: e.closeReason } } : {}),
    // The nurse asks for the physician's answer; she cannot order it.
    intent: 'proposal' as const,
    priority: 'urgent' as const,
    code: {
      coding: [
        { system: codeSystems.taskCode, code: 'sbar-escalation', display: 'Bedömning av läkare efter SBAR' },
      ],
    },
    focus: { reference: `Communication/${e.id}`, type: 'Communication' },
    for: patientReference(e.patientId),
    executionPeriod: { start: e.sentAt, ...(end ? { end } : {}) },
    authoredOn: e.sentAt,
    lastModified: times.sort().at(-1)!,
    requester: hsaReference('Practitioner', e.from.staffId, e.from.name),
    owner: owner ? hsaReference('Practitioner', owner.staffId, owner.name) : addresseeOf(e),
    ...(reason ? { reasonReference: reason } : {}),
    ...(decision
      ? {
          output: [
            {
              type: {
                coding: [
                  {
                    system: codeSystems.decisionKind,
                    code: decision.kind,
                    display: decisionKindLabels[decision.kind],
                  },
                ],
              },
              valueString: decision.text,
            },
            ...(decision.at
              ? [{ type: { text: 'Tid för hembesök eller ny bedömning' }, valueDateTime: decision.at }]
              : []),
          ],
        }
      : {}),
  };
}
