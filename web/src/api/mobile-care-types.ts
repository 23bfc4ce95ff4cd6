/**
 * The answers of the mobile-care routes (teams, enrolment, assessment, escalation, care
 * directives, akutblad). The vital signs and the score come type-only from src/domain.
 */
import type { Consciousness, News2Score, VitalSigns } from '../../../src/domain/news2.ts';

export type { Consciousness, News2Score, VitalSigns };

/** A person as the server names them: a name, and often who they are. */
export interface PersonRef {
  staffId?: string;
  name: string;
  title?: string;
  profession?: string;
  phone?: string;
}

export interface UnitRef {
  unitId?: string;
  name: string;
}

export interface ReachabilityRow {
  weekdays: number[];
  from: string;
  to: string;
  phone: string;
  label: string;
}

export interface RosterEntry {
  staffId: string;
  name?: string;
  starts: string;
  ends: string;
  backup: boolean;
}

export interface TeamSummary {
  id: string;
  name: string;
  publicName: string;
  kind: string;
}

export interface OnCallPerson {
  staffId?: string;
  name: string;
  phone?: string;
}

export interface TeamDetail extends TeamSummary {
  members: {
    staffId: string;
    name: string;
    title?: string;
    profession?: string;
    unitId?: string;
    unitName?: string;
    careProvider?: string;
  }[];
  reachability: ReachabilityRow[];
  answersNow: { phone: string; label: string } | null;
  onCall: { primary?: OnCallPerson; backup?: OnCallPerson };
  roster: RosterEntry[];
  enrolled: { patientId: string; name: string; targetGroup: string; since: string; reviewDate: string | null }[];
}

/** The team as the patient's plan shows it. */
export interface PatientTeam {
  id?: string;
  name?: string;
  publicName: string;
  kind: string;
  answersNow: { phone: string; label: string } | null;
  onCall?: { primary?: OnCallPerson };
}

export type EnrolmentStatus = 'proposed' | 'active' | 'paused' | 'ended';

/** One step of an enrolment: who (named by the server), from which unit, when. */
export interface EnrolmentStepView {
  staffId: string;
  unitId: string;
  at: string;
  name?: string;
  unitName?: string;
}

export interface Enrolment {
  id: string;
  patientId?: string;
  teamId: string;
  teamName?: string;
  targetGroup: string;
  criteria: string[];
  criteriaVersion?: { id: string; version: number };
  status: EnrolmentStatus;
  start: string;
  reviewDate: string | null;
  proposed?: EnrolmentStepView;
  confirmed?: EnrolmentStepView | null;
  ended?: (EnrolmentStepView & { reason: string }) | null;
}

export type CareDirectiveKind = 'care-level-wish' | 'treatment-limitation' | 'spo2-scale-2';

export interface CareDirective {
  id: string;
  kind: CareDirectiveKind;
  text: string;
  recordedBy: PersonRef | string;
  recordedAt: string;
  endedAt: string | null;
}

export type Outcome =
  | 'stay-home'
  | 'contact-physician'
  | 'emergency-department'
  | 'ambulance'
  | 'increased-home-care';

export interface Assessment {
  id: string;
  at: string;
  vitals: VitalSigns;
  score: News2Score | null;
  reason?: string;
  judgement?: string;
  outcome: Outcome;
  by?: PersonRef | string;
  unit?: UnitRef | string;
}

export type RouteVia = 'team-on-call' | 'fast-lakarkontakt' | 'listed-vardcentral' | 'regional-on-call';

export interface EscalationRoute {
  via: RouteVia;
  staffId?: string;
  unitId?: string;
  teamId?: string;
  name: string;
  phone: string;
}

export interface Sbar {
  situation: string;
  background: string;
  assessment: string;
  recommendation: string;
}

export type DecisionKind = 'home-visit' | 'plan-change' | 'emergency-department' | 'ambulance' | 'reassess';

export interface Decision {
  kind: DecisionKind;
  at?: string | null;
  text: string;
  addToPlan?: boolean;
}

export type EscalationStatus = 'sent' | 'acknowledged' | 'answered' | 'closed';

export interface Escalation {
  id: string;
  patientId: string;
  patientName?: string;
  patientIdentifier?: string;
  assessmentId: string;
  sbar: Sbar;
  score?: News2Score | null;
  route: EscalationRoute;
  status: EscalationStatus;
  sentAt: string;
  from?: { staffId?: string; name: string; phone?: string | null; unitId?: string; unitName?: string };
  acknowledgedBy?: PersonRef | string | null;
  acknowledgedAt?: string | null;
  decision?: Decision | null;
  decidedBy?: PersonRef | string | null;
  decidedAt?: string | null;
  escalatedToBackupAt?: string | null;
  flagged?: boolean;
}

export interface MobileCare {
  enrolments: Enrolment[];
  team: PatientTeam | null;
  directives: CareDirective[];
  assessments: Assessment[];
  escalations: Escalation[];
}

export interface AssessmentAnswer {
  assessment: Assessment;
  score: News2Score | null;
  advice?: { code: string; text: string } | string;
  route?: EscalationRoute;
  sbarDraft?: Sbar;
  callFirst?: '112';
}

/** A name, whether the server sent a person or only the name. */
export const nameOf = (who: PersonRef | UnitRef | string | null | undefined): string =>
  who === null || who === undefined ? '' : typeof who === 'string' ? who : who.name;
