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
