/**
 * Stays in hospital and enrolment in a mobile team: an admission pauses the enrolment and the
 * discharge resumes it, so the team knows the patient is home again (Region Skåne, uppföljning av
 * handlingsplanen för HS-avtalet 2021). Only a pause an admission made is undone by a discharge:
 * one the team chose stays until the team resumes it.
 */
import type { EnrolmentStatus } from './enrolment.ts';

/** Why an enrolment rests, as its history records it. */
export const ADMITTED = 'admitted';
/** Why it was taken up again, as its history records it. */
export const DISCHARGED = 'discharged';

/** The step a stay in hospital asks of an enrolment, or null. */
export function admissionStep(enrolment: {
  status: EnrolmentStatus;
  inHospital: boolean;
  pausedByAdmission: boolean;
}): 'pause' | 'resume' | null {
  if (enrolment.status === 'active' && enrolment.inHospital) return 'pause';
  if (enrolment.status === 'paused' && enrolment.pausedByAdmission && !enrolment.inHospital) return 'resume';
  return null;
}

/** A stay in hospital as staff and the API see it. */
export interface HospitalStay {
  id: string;
  patientId: string;
  unitId: string | null;
  unitName: string | null;
  admittedAt: string;
  dischargedAt: string | null;
  source: 'import' | 'staff';
  /** Who recorded the admission (staff only; an import names its run). */
  admittedBy: { staffId: string; name: string; unitId: string | null; at: string } | null;
  dischargedBy: { staffId: string; name: string; unitId: string | null; at: string } | null;
  importId: number | null;
}

/** What a discharge asks of the plan: the law on coordination at discharge (lag (2017:612)). */
export interface DischargeFollowUp {
  /** The patient's current plan, to open at once; null when there is none yet. */
  contractId: string | null;
  /** The plan's next contact, when it has one that lies after the discharge. */
  nextContact: { at: string; mode: string; unitId: string } | null;
  /** The fast vårdkontakt the plan names; null: one is to be appointed. */
  fastVardkontakt: { staffId: string; name: string } | null;
  /** What is still to be done, in Swedish, for the screen. */
  todo: string[];
}

type Problem = { path: string; message: string };

/**
 * Refuses an admission recorded by staff that is in the future (more than a few minutes: clocks
 * differ) or that would be a second open stay beside one already recorded.
 */
export function admissionProblems(
  input: { admittedAt: string },
  now: Date,
  openStay: { admittedAt: string } | null,
): Problem[] {
  const problems: Problem[] = [];
  const at = Date.parse(input.admittedAt);
  if (Number.isNaN(at)) problems.push({ path: '/admittedAt', message: 'Ange en giltig tidpunkt.' });
  else if (at > now.getTime() + CLOCK_SKEW_MS)
    problems.push({ path: '/admittedAt', message: 'Inskrivningen kan inte ligga i framtiden.' });
  if (openStay)
    problems.push({
      path: '/admittedAt',
      message: `Patienten är redan inlagd sedan ${openStay.admittedAt}. Registrera utskrivningen först.`,
    });
  return problems;
}

/** Refuses a discharge before the admission, in the future, or of a stay already discharged. */
export function dischargeProblems(
  stay: { admittedAt: string; dischargedAt: string | null },
  input: { dischargedAt: string },
  now: Date,
): Problem[] {
  const at = Date.parse(input.dischargedAt);
  if (stay.dischargedAt !== null)
    return [{ path: '/dischargedAt', message: 'Vårdtillfället har redan en utskrivning.' }];
  if (Number.isNaN(at)) return [{ path: '/dischargedAt', message: 'Ange en giltig tidpunkt.' }];
  if (at > now.getTime() + CLOCK_SKEW_MS)
    return [{ path: '/dischargedAt', message: 'Utskrivningen kan inte ligga i framtiden.' }];
  if (at < Date.parse(stay.admittedAt))
    return [{ path: '/dischargedAt', message: 'Utskrivningen kan inte ligga före inskrivningen.' }];
  return [];
}

/** How far ahead of the server's clock a time may be and still count as now. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * What a discharge leaves to be done for the plan: at discharge the patient's care in the open
 * care and the municipality takes over from the plan (lag (2017:612) om samverkan vid utskrivning
 * från sluten hälso- och sjukvård; Region Dalarna's routine: a fast vårdkontakt is appointed at
 * once). Without a plan, a fast vårdkontakt or a next contact after the discharge, each is a todo.
 */
export function dischargeFollowUp(
  plan: {
    contractId: string | null;
    nextContact: { at: string; mode: string; unitId: string } | null;
    fastVardkontakt: { staffId: string; name: string } | null;
  },
  dischargedAt: string,
): DischargeFollowUp {
  const next =
    plan.nextContact && Date.parse(plan.nextContact.at) >= Date.parse(dischargedAt) ? plan.nextContact : null;
  const todo: string[] = [];
  if (!plan.contractId) todo.push('Patienten har ingen plan: upprätta en samordnad plan.');
  if (!plan.fastVardkontakt) todo.push('Utse en fast vårdkontakt.');
  if (plan.contractId && !next) todo.push('Boka nästa kontakt efter utskrivningen i planen.');
  return { contractId: plan.contractId, nextContact: next, fastVardkontakt: plan.fastVardkontakt, todo };
}
