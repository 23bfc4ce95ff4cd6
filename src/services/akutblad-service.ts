/**
 * "Information vid akutbesök" for the ambulance and the emergency department: who the patient is,
 * whom to call (fast vårdkontakt, fast läkarkontakt, the mobile team and the number that answers
 * now), diagnoses, what matters and the wishes about the level of care, the physicians'
 * limitations, the latest assessment with the previous ones, and the latest SBAR. Printed or shown
 * on a logged-in user's own device under the same access rule and log as the rest of the plan:
 * there is no link or token that opens it without one's own login and basis.
 */
import { DomainError } from '../domain/errors.ts';
import { visibleDiagnoses } from '../domain/redaction.ts';
import type { Akutblad } from '../domain/mobile-care-view.ts';
import type { AssessmentStore } from '../store/assessment-store.ts';
import type { CareContactStore } from '../store/care-contact-store.ts';
import type { CareDirectiveStore } from '../store/care-directive-store.ts';
import type { EnrolmentStore } from '../store/enrolment-store.ts';
import type { EscalationStore } from '../store/escalation-store.ts';
import type { PatientStore } from '../store/patient-store.ts';
import type { AccessService, RequestContext } from './access-service.ts';
import type { ContractService } from './contract-service.ts';
import type { TeamService } from './team-service.ts';

export interface AkutbladServiceDeps {
  patients: PatientStore;
  careContacts: CareContactStore;
  directives: CareDirectiveStore;
  assessments: AssessmentStore;
  escalations: EscalationStore;
  enrolments: EnrolmentStore;
  teamService: TeamService;
  contracts: ContractService;
  access: AccessService;
  clock: () => Date;
}

export function createAkutbladService(deps: AkutbladServiceDeps) {
  return {
    async read(ctx: RequestContext, patientId: string): Promise<Akutblad> {
      const grant = await deps.access.require(ctx, patientId, 'print', 'akutblad');
      const patient = await deps.patients.findById(patientId);
      if (!patient) throw new DomainError('not_found', 'Patienten finns inte eller så saknar du behörighet.');
      const now = deps.clock();
      const [contacts, directives, assessments, escalations, enrolment, plan] = await Promise.all([
        deps.careContacts.listForPatient(patientId, { limit: 20 }),
        deps.directives.listForPatient(patientId, 20),
        deps.assessments.listForPatient(patientId, 6),
        deps.escalations.listForPatient(patientId, 1),
        deps.enrolments.currentForPatient(patientId),
        deps.contracts.readCurrent(ctx, patientId).catch((error: unknown) => {
          if (error instanceof DomainError && error.code === 'not_found') return null;
          throw error;
        }),
      ]);
      const visibleAssessments = assessments.filter((a) => !grant.isHidden(a.unit.unitId));
      const sbar = escalations.find((e) => !grant.isHidden(e.from.unitId)) ?? null;
      let team: Akutblad['team'] = null;
      if (enrolment && !grant.isHidden(enrolment.proposed.unitId)) {
        const reach = await deps.teamService.reachNow(enrolment.teamId, now);
        team = {
          publicName: enrolment.teamPublicName,
          name: enrolment.teamName,
          answersNow: reach.answersNow,
          onCall: reach.onCall.primary
            ? { name: reach.onCall.primary.name, phone: reach.onCall.primary.phone }
            : null,
        };
      }
      return {
        patient: {
          id: patient.id,
          name: `${patient.givenName} ${patient.familyName}`,
          personnummer: patient.identifier,
          birthDate: patient.birthDate,
          phone: patient.phone,
        },
        contacts: contacts
          .filter((c) => !grant.isHidden(c.unitId))
          .map((c) => ({
            role: c.role,
            roleTitle: c.roleTitle,
            staffName: c.staffName,
            unitName: c.unitName,
            phone: c.phone,
          })),
        team,
        diagnoses: visibleDiagnoses(patient.diagnoses, grant.isHidden),
        whatMatters: plan?.contract.content.whatMatters ?? '',
        ifWorse: plan?.contract.content.ifWorse ?? '',
        directives: directives.filter((d) => !d.endedAt && !grant.isHidden(d.recordedBy.unitId)),
        latestAssessment: visibleAssessments[0] ?? null,
        previousAssessments: visibleAssessments.slice(1),
        latestSbar: sbar
          ? {
              sbar: sbar.sbar,
              sentAt: sbar.sentAt,
              from: sbar.from,
              status: sbar.status,
              decision: sbar.decision,
            }
          : null,
        printedAt: now.toISOString(),
      };
    },
  };
}

export type AkutbladService = ReturnType<typeof createAkutbladService>;
