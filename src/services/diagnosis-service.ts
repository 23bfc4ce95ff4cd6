/**
 * The patient's diagnoses for other systems (FHIR Condition): every read decided and logged by
 * the access service first, a denial answering like a missing patient, and a diagnosis made at a
 * unit hidden from the reader (spärr) left out by the same rule as the patient's page, the
 * overview and the akutblad (domain/redaction.ts#visibleDiagnoses).
 */
import type { RecordedDiagnosis } from '../domain/diagnosis.ts';
import { visibleDiagnoses } from '../domain/redaction.ts';
import type { DiagnosisStore } from '../store/diagnosis-store.ts';
import type { AccessService, RequestContext } from './access-service.ts';

export interface DiagnosisServiceDeps {
  diagnoses: DiagnosisStore;
  access: AccessService;
}

/** The most diagnoses read for one patient. */
export const DIAGNOSES_PER_PATIENT = 500;

export function createDiagnosisService(deps: DiagnosisServiceDeps) {
  return {
    /** The patient's diagnoses, current and ended, that the reader may see (decided and logged). */
    async listForPatient(ctx: RequestContext, patientId: string): Promise<RecordedDiagnosis[]> {
      const grant = await deps.access.require(ctx, patientId, 'read', 'diagnoser');
      const all = await deps.diagnoses.listForPatient(patientId, DIAGNOSES_PER_PATIENT);
      return visibleDiagnoses(all, grant.isHidden);
    },
  };
}

export type DiagnosisService = ReturnType<typeof createDiagnosisService>;
