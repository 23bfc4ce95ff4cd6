/**
 * Shapes of the API's answers. The contract and fixed-contact types come from the server's
 * pure domain (type-only imports: nothing of the server is bundled).
 */
import type { CareContact, CareContactRole } from '../../../src/domain/care-contact.ts';
import type { Contract, ContractVersion } from '../../../src/domain/contract.ts';
import type { PatientDiagnosis } from '../../../src/domain/diagnosis.ts';

export type {
  AmbitionLevel,
  Contract,
  ContractChange,
  ContractContent,
  ContractPart,
  ContractStatus,
  ContractVersion,
  Goal,
  LinkedPlan,
  NextContact,
  PlannedActivity,
  QuestionAnswers,
  Responsibility,
} from '../../../src/domain/contract.ts';
export type { CareContact, CareContactRole, ReachableHours } from '../../../src/domain/care-contact.ts';
export type { PatientActor, StaffActor } from '../../../src/domain/actor.ts';

export interface Patient {
  id: string;
  identifier: string;
  identifierKind: 'personnummer' | 'samordningsnummer' | 'reservnummer';
  givenName: string;
  familyName: string;
  birthDate: string | null;
  phone: string | null;
  listedUnitId: string | null;
  /** From the population register: sekretessmarkering or skyddad folkbokföring; the address is never sent. */
  protection?: 'none' | 'sekretessmarkering' | 'skyddad-folkbokforing';
  deceasedOn?: string | null;
  movedOutOn?: string | null;
  /** The current diagnoses, with the unit that made each (spärrade left out by the server). */
  diagnoses?: PatientDiagnosis[];
}

export interface CareContactView extends CareContact {
  staffName: string | null;
  staffProfession: string | null;
  unitName: string;
  providerKind: ProviderKind;
  /** The holder has left the unit: the plan needs a new one (never re-pointed silently). */
  holderHasLeft: boolean;
}

export type ProviderKind = 'region' | 'kommun' | 'privat';

export interface UnitRef {
  name: string;
  providerKind: ProviderKind;
  providerName: string;
  phone: string | null;
}

export interface StaffRef {
  name: string;
  title: string | null;
  profession: string;
  phone: string | null;
}

export interface Overview {
  patient: Patient;
  contract: Contract | null;
  careContacts: CareContactView[];
  units: Record<string, UnitRef>;
  staff: Record<string, StaffRef>;
  hasBlockedInformation?: boolean;
}

export interface Unit {
  id: string;
  providerId: string;
  providerKind: ProviderKind;
  providerName: string;
  name: string;
  kind: string;
  phone: string | null;
}

export interface StaffMember {
  id: string;
  givenName: string;
  familyName: string;
  profession: string;
  title: string | null;
  phone: string | null;
  units: { unitId: string; role: string }[];
}

export interface Question {
  id: string;
  text: string;
  answerType: 'ja-nej' | 'text';
  fills?: string;
}

export interface QuestionSet {
  id: string;
  version: number;
  name: string;
  audience: 'patient' | 'vardgivare' | 'personal';
  source: string;
  questions: Question[];
}

export interface WorklistPatient {
  patientId: string;
  name: string;
  identifier: string;
  roles: CareContactRole[];
  contractStatus: 'draft' | 'active' | null;
  reviewDate: string | null;
  isReviewOverdue: boolean;
  nextContactAt: string | null;
  nextContactState: 'soon' | 'overdue' | 'later' | null;
  nextContactChangeRequested: boolean;
  nextContactPatientMessage: string | null;
  /** How urgent the row is (src/domain/worklist.ts); the list comes most urgent first. */
  tier: 'waiting' | 'overdue' | 'today' | 'later';
  /** The moment the row is ordered by within its tier (oldest first). */
  since: string | null;
  /** Protected identity: `name` is "Skyddad identitet". */
  isProtected?: boolean;
  deceasedOn?: string | null;
  movedOutOn?: string | null;
}

export interface Worklist {
  today: string;
  days: number;
  patients: WorklistPatient[];
}

export interface Notification {
  id: string;
  patientId: string;
  patientName: string;
  kind: string;
  summary: string;
  createdAt: string;
  readAt: string | null;
}

export type { LiveEvent } from '../../../src/domain/notification.ts';

/** A page of versions, newest first; `next` is the URL of the older ones, null after version 1. */
export type VersionList = { versions: ContractVersion[]; next: string | null };
