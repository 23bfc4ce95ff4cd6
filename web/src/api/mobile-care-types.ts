/**
 * The answers of the mobile-care routes (teams, enrolment, assessment, escalation, care
 * directives, akutblad), under the names the screens use. Every shape is the server's own,
 * type-only from src/domain, so the app and the API cannot drift apart.
 */
import type { Route } from '../../../src/domain/escalation.ts';
import type {
  AssessmentResult,
  CareDirectiveView,
  Escalation,
  EscalationStamp,
  EnrolmentView,
  MobileCare,
} from '../../../src/domain/mobile-care-view.ts';

export type { CareDirectiveKind } from '../../../src/domain/care-directive.ts';
export type { EnrolmentStatus, EnrolmentStep } from '../../../src/domain/enrolment.ts';
export type {
  AssessmentOutcome as Outcome,
  DecisionKind,
  EscalationStatus,
  RouteVia,
} from '../../../src/domain/escalation.ts';
export type {
  Akutblad,
  Assessment,
  Escalation,
  EscalationListItem,
  MobileCare,
  OnCallPerson,
  TeamDetail,
  TeamSummary,
} from '../../../src/domain/mobile-care-view.ts';
export type { Consciousness, News2Risk, News2Score, VitalSigns } from '../../../src/domain/news2.ts';
export type { Sbar } from '../../../src/domain/sbar.ts';
export type { ReachabilityRow, RosterEntry } from '../../../src/domain/team.ts';

/** The team as the patient's plan shows it. */
export type PatientTeam = NonNullable<MobileCare['team']>;
export type Enrolment = EnrolmentView;
export type CareDirective = CareDirectiveView;
export type EscalationRoute = Route;
export type Decision = NonNullable<Escalation['decision']>;
/** Who did a step, from which unit, when. */
export type Stamp = EscalationStamp;
export type AssessmentAnswer = AssessmentResult;
