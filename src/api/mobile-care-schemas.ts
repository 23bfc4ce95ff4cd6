/**
 * Request schemas of the mobile care team routes (teams, enrolment, assessment, escalation, care
 * directives). Unknown properties are refused, as everywhere in the API.
 */
import { Type } from 'typebox';
import { careDirectiveKinds } from '../domain/care-directive.ts';
import { endReasons, targetGroups } from '../domain/enrolment.ts';
import { assessmentOutcomes, decisionKinds, decisionPlanTargets } from '../domain/escalation.ts';
import { consciousnessLevels } from '../domain/news2.ts';
import { DateOnly, DateTime, HsaId, Obj, OneOf } from './schemas.ts';

export const TeamParams = Obj({ teamId: Type.String({ maxLength: 64 }) });
export const EnrolmentParams = Obj({ enrolmentId: Type.String({ maxLength: 64 }) });
export const EscalationParams = Obj({ escalationId: Type.String({ maxLength: 64 }) });
export const DirectiveParams = Obj({ directiveId: Type.String({ maxLength: 64 }) });

export const RosterSchema = Obj({
  roster: Type.Array(Obj({ staffId: HsaId, starts: DateTime, ends: DateTime, backup: Type.Boolean() }), {
    maxItems: 500,
  }),
});

export const EnrolmentProposalSchema = Obj({
  teamId: Type.String({ format: 'uuid' }),
  targetGroup: OneOf(targetGroups, 'Målgrupp'),
  criteria: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 }),
  criteriaVersion: Type.Integer({ minimum: 1, maximum: 100000 }),
  start: DateOnly,
  reviewDate: DateOnly,
});

export const EnrolmentEndSchema = Obj({ reason: OneOf(endReasons, 'Orsak') });

export const CareDirectiveSchema = Obj({
  kind: OneOf(careDirectiveKinds),
  text: Type.String({ minLength: 1, maxLength: 2000 }),
});

export const VitalSignsSchema = Obj({
  respiratoryRate: Type.Number({ description: 'andetag/min' }),
  spo2: Type.Number({ description: '%' }),
  onOxygen: Type.Boolean(),
  systolicBp: Type.Number({ description: 'mmHg' }),
  pulse: Type.Number({ description: 'slag/min' }),
  consciousness: OneOf(consciousnessLevels, 'ACVPU'),
  temperature: Type.Number({ description: '°C' }),
});

export const AssessmentSchema = Obj({
  vitals: VitalSignsSchema,
  reason: Type.String({ minLength: 1, maxLength: 2000 }),
  judgement: Type.String({ maxLength: 4000 }),
  outcome: OneOf(assessmentOutcomes),
});

export const SbarSchema = Obj({
  situation: Type.String({ minLength: 1, maxLength: 4000 }),
  background: Type.String({ maxLength: 4000 }),
  assessment: Type.String({ maxLength: 4000 }),
  recommendation: Type.String({ maxLength: 4000 }),
});

export const EscalationSchema = Obj({ assessmentId: Type.String({ format: 'uuid' }), sbar: SbarSchema });

export const DecisionSchema = Obj({
  kind: OneOf(decisionKinds),
  at: Type.Optional(DateTime),
  text: Type.String({ maxLength: 2000 }),
  addToPlan: Type.Boolean(),
  /** With addToPlan: an activity (the default), or the plan's next contact (home visit, reassess). */
  planAs: Type.Optional(OneOf(decisionPlanTargets)),
});

export const HospitalStayParams = Obj({
  patientId: Type.String({ maxLength: 64 }),
  stayId: Type.String({ maxLength: 64 }),
});

export const AdmissionSchema = Obj({
  unitId: HsaId,
  admittedAt: DateTime,
});

export const DischargeSchema = Obj({ dischargedAt: DateTime });
