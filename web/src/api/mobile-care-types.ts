/**
 * The answers of the mobile-care routes (teams, enrolment, assessment, escalation, care
 * directives, akutblad). The vital signs and the score come type-only from src/domain.
 */
import type {
  Consciousness,
  News2Part,
  News2Risk,
  News2Score,
  VitalSigns,
} from '../../../src/domain/news2.ts';

export type { Consciousness, News2Risk, News2Score, VitalSigns };

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
  /** The kind in the region's words (its code list). */
  kindLabel: string;
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
    title: string | null;
    profession: string;
    phone: string | null;
    role: 'lakare' | 'sjukskoterska' | 'annan';
    unitId: string;
    unitName: string;
    careProvider: { id: string; name: string; kind: string };
  }[];
  reachability: ReachabilityRow[];
  answersNow: { phone: string; label: string } | null;
  onCall: { primary?: OnCallPerson; backup?: OnCallPerson };
  roster: RosterEntry[];
  enrolled: {
    patientId: string;
    name: string;
    targetGroup: string;
    status: string;
    since: string;
    reviewDate: string | null;
  }[];
}

/** The team as the patient's plan shows it. */
export interface PatientTeam {
  id?: string;
  name?: string;
  publicName: string;
  kind: string;
  kindLabel?: string;
  answersNow: { phone: string; label: string } | null;
  onCall?: { primary?: OnCallPerson };
}

export type EnrolmentStatus = 'proposed' | 'active' | 'paused' | 'ended';

/** One step of an enrolment: who, from which unit, when. */
export interface EnrolmentStep {
  staffId: string;
  unitId: string | null;
  at: string;
}

export interface Enrolment {
  id: string;
  patientId: string;
  teamId: string;
  teamName: string;
  teamPublicName: string;
  targetGroup: string;
  criteria: string[];
  criteriaVersion: { id: string; version: number };
  status: EnrolmentStatus;
  start: string;
  reviewDate: string | null;
  proposed: EnrolmentStep;
  proposedByName: string;
  confirmed?: EnrolmentStep | null;
  confirmedByName: string | null;
  ended?: (EnrolmentStep & { reason: string }) | null;
  history?: {
    action: string;
    at: string;
    actorName: string;
    actorUnitId: string | null;
    detail: string | null;
  }[];
}

export type CareDirectiveKind = 'care-level-wish' | 'treatment-limitation' | 'spo2-scale-2';

export interface CareDirective {
  id: string;
  kind: CareDirectiveKind;
  text: string;
  recordedBy: { staffId: string; name: string; unitId: string; profession: string };
  recordedAt: string;
  endedAt: string | null;
}

export type Outcome =
  'stay-home' | 'contact-physician' | 'emergency-department' | 'ambulance' | 'increased-home-care';

export interface Assessment {
  id: string;
  patientId: string;
  at: string;
  vitals: VitalSigns;
  /** The NEWS2 total; null under 16. */
  score: number | null;
  parts: Record<News2Part, number> | null;
  scale: 1 | 2;
  risk: News2Risk | null;
  config: { id: string; version: number };
  reason: string;
  judgement: string;
  outcome: Outcome;
  by: { staffId: string; name: string };
  unit: { unitId: string; name: string };
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

/** Who did a step, from which unit, when. */
export interface Stamp {
  staffId: string;
  name: string;
  unitId: string;
  at: string;
}

export type EscalationStatus = 'sent' | 'acknowledged' | 'answered' | 'closed';

export interface Escalation {
  id: string;
  patientId: string;
  assessmentId: string;
  sbar: Sbar;
  from: { staffId: string; name: string; phone: string | null; unitId: string; unitName: string };
  sentAt: string;
  route: EscalationRoute;
  status: EscalationStatus;
  acknowledged: Stamp | null;
  decision: Decision | null;
  decided: Stamp | null;
  escalatedToBackupAt: string | null;
  flagged: boolean;
  closedAt?: string | null;
}

/** An escalation on the physician's list: with the patient and the score. */
export interface EscalationListItem extends Escalation {
  patient: { name: string; personnummer: string };
  score: number | null;
  risk: News2Risk | null;
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
  advice: { code: string; text: string } | null;
  route?: EscalationRoute;
  sbarDraft?: Sbar;
  callFirst?: '112';
}

/** "Information vid akutbesök". */
export interface Akutblad {
  patient: { id: string; name: string; personnummer: string; birthDate: string | null; phone: string | null };
  contacts: {
    role: string;
    roleTitle: string | null;
    staffName: string | null;
    unitName: string | null;
    phone: string | null;
  }[];
  team: {
    publicName: string;
    name: string;
    answersNow: { phone: string; label: string } | null;
    onCall: { name: string; phone: string } | null;
  } | null;
  diagnoses: { icd10: string; since: string | null }[];
  whatMatters: string;
  ifWorse: string;
  directives: CareDirective[];
  latestAssessment: Assessment | null;
  previousAssessments: Assessment[];
  latestSbar: Pick<Escalation, 'sbar' | 'sentAt' | 'from' | 'status' | 'decision'> | null;
  printedAt: string;
}
