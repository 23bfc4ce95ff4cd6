/**
 * The mobile care team services built from their stores, for app.ts (one place, so that the table
 * of contents stays short), and the backup timer: every `checkMs` it moves escalations left
 * unacknowledged for the configured minutes to the team's backup, reading the app's clock, until
 * stopped (the app stops it when it closes).
 */
import type { Config } from '../config.ts';
import { createAssessmentConfigStore } from '../store/assessment-config-store.ts';
import { createAssessmentStore } from '../store/assessment-store.ts';
import { createBlockStore } from '../store/block-store.ts';
import type { CareContactStore } from '../store/care-contact-store.ts';
import { createCareDirectiveStore } from '../store/care-directive-store.ts';
import type { Db } from '../store/db.ts';
import type { DirectoryStore } from '../store/directory-store.ts';
import { createEnrolmentStore } from '../store/enrolment-store.ts';
import { createEscalationStore } from '../store/escalation-store.ts';
import { createHospitalStayStore } from '../store/hospital-stay-store.ts';
import type { PatientStore } from '../store/patient-store.ts';
import { createTeamStore } from '../store/team-store.ts';
import type { AccessService } from './access-service.ts';
import { createAkutbladService } from './akutblad-service.ts';
import { createAssessmentConfigService } from './assessment-config-service.ts';
import { createAssessmentService } from './assessment-service.ts';
import { createCareDirectiveService } from './care-directive-service.ts';
import type { ChangeFeed } from './change-feed.ts';
import type { ContractService } from './contract-service.ts';
import { createEnrolmentService } from './enrolment-service.ts';
import { createEscalationService } from './escalation-service.ts';
import { createHospitalStayService } from './hospital-stay-service.ts';
import { createMobileCareRecordService } from './mobile-care-record-service.ts';
import { createTeamService } from './team-service.ts';

export interface MobileCareDeps {
  db: Db;
  access: AccessService;
  feed: ChangeFeed;
  clock: () => Date;
  contracts: ContractService;
  patients: PatientStore;
  careContacts: CareContactStore;
  directory: DirectoryStore;
  settings: Config['mobileCare'];
  onError: (error: unknown, what: string) => void;
}

export function createMobileCareServices(deps: MobileCareDeps) {
  const { db, access, feed, clock } = deps;
  const stores = {
    teams: createTeamStore(db),
    enrolments: createEnrolmentStore(db),
    assessments: createAssessmentStore(db),
    escalations: createEscalationStore(db),
    directives: createCareDirectiveStore(db),
  };
  const teams = createTeamService({ db, teams: stores.teams, access, clock });
  const escalations = createEscalationService({
    db,
    ...stores,
    teamService: teams,
    contracts: deps.contracts,
    access,
    feed,
    clock,
    settings: deps.settings,
    onWebhookError: (error) => deps.onError(error, 'the escalation webhook failed'),
  });
  const enrolments = createEnrolmentService({
    db,
    enrolments: stores.enrolments,
    teams: stores.teams,
    escalations,
    teamService: teams,
    directives: stores.directives,
    assessments: stores.assessments,
    access,
    feed,
    clock,
  });
  const hospitalStays = createHospitalStayService({
    db,
    stays: createHospitalStayStore(db),
    enrolments: stores.enrolments,
    access,
    feed,
    clock,
    unitExists: async (unitId) => (await deps.directory.findUnit(unitId)) !== null,
  });
  const assessmentConfigs = createAssessmentConfigService({ db, configs: createAssessmentConfigStore(db) });
  const assessments = createAssessmentService({
    db,
    assessments: stores.assessments,
    blocks: createBlockStore(db),
    configs: assessmentConfigs,
    directives: stores.directives,
    enrolments: stores.enrolments,
    patients: deps.patients,
    contracts: deps.contracts,
    escalations,
    access,
    feed,
    clock,
  });
  const directives = createCareDirectiveService({ db, directives: stores.directives, access, feed, clock });
  const akutblad = createAkutbladService({
    patients: deps.patients,
    careContacts: deps.careContacts,
    directives: stores.directives,
    assessments: stores.assessments,
    escalations: stores.escalations,
    enrolments: stores.enrolments,
    teamService: teams,
    contracts: deps.contracts,
    access,
    clock,
  });

  // The records one by one, for the FHIR server: through the same view, access rule and log.
  const records = createMobileCareRecordService({
    enrolmentService: enrolments,
    teamService: teams,
    enrolments: stores.enrolments,
    assessments: stores.assessments,
    escalations: stores.escalations,
    access,
  });

  /** Starts the backup timer; the returned function stops it and waits for a check under way. */
  function startBackupTimer(): () => Promise<void> {
    let running: Promise<unknown> = Promise.resolve();
    let stopped = false;
    const timer = setInterval(() => {
      running = running
        .then(() => (stopped ? 0 : escalations.moveDueToBackup()))
        .catch((error: unknown) => deps.onError(error, 'moving escalations to the backup failed'));
    }, deps.settings.checkMs);
    timer.unref();
    return async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    };
  }

  return {
    teams,
    enrolments,
    assessments,
    assessmentConfigs,
    escalations,
    directives,
    akutblad,
    hospitalStays,
    records,
    startBackupTimer,
  };
}
