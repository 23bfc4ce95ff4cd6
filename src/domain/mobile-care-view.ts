/**
 * The answers of the mobile-care routes (teams, enrolment, assessment, escalation, care
 * directives, akutblad): the shapes the stores and services return and the staff app reads, so
 * both sides share one declaration. Types only; the field names are the JSON API.
 */
import type { PatientDiagnosis } from './diagnosis.ts';
import type { CareContact } from './care-contact.ts';
import type { CareDirective } from './care-directive.ts';
import type { Enrolment, EnrolmentEventKind } from './enrolment.ts';
import type { AssessmentOutcome, EscalationDecision, EscalationStatus, Route } from './escalation.ts';
import type { News2Part, News2Risk, News2Score, Spo2Scale, VitalSigns } from './news2.ts';
import type { Sbar } from './sbar.ts';
import type { Reachability, RosterEntry } from './team.ts';

export interface TeamSummary {
  id: string;
  name: string;
  publicName: string;
  kind: string;
  /** The kind in the region's words (its code list). */
  kindLabel: string;
}

export interface TeamMember {
  staffId: string;
  name: string;
  title: string | null;
  profession: string;
  phone: string | null;
  role: 'lakare' | 'sjukskoterska' | 'annan';
  unitId: string;
  unitName: string;
  careProvider: { id: string; name: string; kind: string };
}

export interface EnrolledPatient {
  patientId: string;
  name: string;
  targetGroup: string;
  status: string;
  since: string;
  reviewDate: string | null;
}

export interface OnCallPerson {
  staffId: string;
  name: string;
  phone: string;
}

/** One team as its members see it: who is in it, who answers now, the roster, its patients. */
export interface TeamDetail extends TeamSummary {
  members: TeamMember[];
  reachability: Reachability;
  answersNow: { phone: string; label: string } | null;
  onCall: { primary?: OnCallPerson; backup?: OnCallPerson };
  roster: RosterEntry[];
  enrolled: EnrolledPatient[];
}

/** An enrolment with the names the screens show and its history. */
export interface EnrolmentView extends Enrolment {
  teamName: string;
  teamPublicName: string;
  proposedByName: string;
  confirmedByName: string | null;
  history: {
    action: EnrolmentEventKind;
    at: string;
    actorName: string;
    actorUnitId: string | null;
    detail: string | null;
  }[];
}

export interface CareDirectiveView extends CareDirective {
  recordedBy: { staffId: string; name: string; unitId: string; profession: string };
}

export interface Assessment {
  id: string;
  patientId: string;
  enrolmentId: string | null;
  vitals: VitalSigns;
  /** The NEWS2 total; null under 16. */
  score: number | null;
  parts: Record<News2Part, number> | null;
  scale: Spo2Scale;
  risk: News2Risk | null;
  config: { id: string; version: number };
  reason: string;
  judgement: string;
  outcome: AssessmentOutcome;
  at: string;
  by: { staffId: string; name: string };
  unit: { unitId: string; name: string };
}

/** An assessment just recorded, with what the nurse does next. */
export interface AssessmentResult {
  assessment: Assessment;
  score: News2Score | null;
  advice: { code: string; text: string } | null;
  route?: Route;
  sbarDraft?: Sbar;
  callFirst?: '112';
}

/** Who did a step of an escalation, from which unit, when. */
export interface EscalationStamp {
  staffId: string;
  name: string;
  unitId: string;
  at: string;
}

export interface Escalation {
  id: string;
  patientId: string;
  assessmentId: string;
  sbar: Sbar;
  from: { staffId: string; name: string; phone: string | null; unitId: string; unitName: string };
  sentAt: string;
  route: Route;
  addresseeStaffId: string | null;
  addresseeUnitId: string | null;
  teamId: string | null;
  status: EscalationStatus;
  acknowledged: EscalationStamp | null;
  decision: (EscalationDecision & { addToPlan: boolean }) | null;
  decided: EscalationStamp | null;
  escalatedToBackupAt: string | null;
  backupStaffId: string | null;
  flagged: boolean;
  closedAt: string | null;
  closeReason: string | null;
}

/** What the physician's list shows: the escalation with the patient and the score. */
export interface EscalationListItem extends Escalation {
  /** `name` is "Skyddad identitet" for a protected person (domain/person-status.ts), and the home care unit is named by its kind. */
  patient: { name: string; personnummer: string; isProtected: boolean };
  score: number | null;
  risk: News2Risk | null;
}

/** What the mobile-care page, the plan and the patient's own view show. */
export interface MobileCare {
  enrolments: EnrolmentView[];
  team: {
    id?: string;
    name?: string;
    publicName: string;
    kind: string;
    kindLabel: string;
    answersNow: { phone: string; label: string } | null;
    onCall?: { primary?: { name: string } };
  } | null;
  directives: CareDirectiveView[];
  assessments: Assessment[];
  escalations: Escalation[];
}

/** "Information vid akutbesök". */
export interface Akutblad {
  patient: { id: string; name: string; personnummer: string; birthDate: string | null; phone: string | null };
  contacts: (Pick<CareContact, 'role' | 'roleTitle' | 'phone'> & {
    staffName: string | null;
    unitName: string;
  })[];
  team: {
    publicName: string;
    name: string;
    answersNow: { phone: string; label: string } | null;
    onCall: { name: string; phone: string } | null;
  } | null;
  /** The current diagnoses, with the unit that made each (spärrade left out). */
  diagnoses: PatientDiagnosis[];
  whatMatters: string;
  ifWorse: string;
  directives: CareDirectiveView[];
  latestAssessment: Assessment | null;
  previousAssessments: Assessment[];
  latestSbar: Pick<Escalation, 'sbar' | 'sentAt' | 'from' | 'status' | 'decision'> | null;
  printedAt: string;
}
