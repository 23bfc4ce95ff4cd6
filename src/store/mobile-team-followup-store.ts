/**
 * The rows of the mobile-team follow-up: enrolments open in the period, the assessments and
 * escalations in it, and the admissions and emergency visits of enrolled patients. Counted in the section
 * (services/followup-sections/mobila-team.ts); the bounds are instants of Swedish days.
 */
import type { Queryable } from './db.ts';
import { createSurveyStore } from './survey-store.ts';

export interface EnrolmentRow {
  patientId: string;
  teamId: string;
  teamName: string;
  municipality: string | null;
  targetGroup: 'mest-sjuka' | 'tidvis-sviktande';
  start: string;
  endedAt: string | null;
}

export interface AssessmentRow {
  patientId: string;
  teamId: string | null;
  at: string;
  outcome: string;
}

export interface EscalationRow {
  teamId: string | null;
  sentAt: string;
  decidedAt: string | null;
}

export interface AcuteEventRow {
  patientId: string;
  at: string;
  kind: 'inlaggning' | 'akutbesok';
}

/** The group a survey count is for: team, survey version and respondent group. */
interface SurveyGroup {
  teamId: string;
  teamName: string;
  municipality: string | null;
  surveyId: string;
  version: number;
  respondent: string;
}

/** How many answered one step of one question, per team, survey version and respondent group. */
export interface SurveyCountRow extends SurveyGroup {
  questionId: string;
  answer: number;
  answers: number;
}

/** How many filled-in forms (distinct `svar_id`) per team, survey version and respondent group. */
export interface SurveyResponseRow extends SurveyGroup {
  responses: number;
}

export function createMobileTeamFollowupStore(db: Queryable) {
  const surveys = createSurveyStore(db);
  return {
    /** The loaded survey definitions, to read the answers by. */
    surveyDefinitions: () => surveys.definitions(),
    /** The region's sub-regions, for the dimensioning. */
    subregions: () => surveys.subregions(),

    /** Survey answers given from `fromDay` to `toDay` (YYYY-MM-DD, both included), counted per step. */
    async surveyCounts(fromDay: string, toDay: string): Promise<SurveyCountRow[]> {
      return db.query<SurveyCountRow>(
        `select a.team_id as "teamId", t.name as "teamName", t.municipality, a.survey_id as "surveyId",
           a.survey_version as version, a.respondent, a.question_id as "questionId", a.answer,
           count(*)::int as answers
         from survey_answer a join team t on t.id = a.team_id
         where a.answered_on between $1::date and $2::date
         group by a.team_id, t.name, t.municipality, a.survey_id, a.survey_version, a.respondent, a.question_id, a.answer`,
        [fromDay, toDay],
      );
    },

    /** Filled-in forms from `fromDay` to `toDay`, counted per team, survey version and respondent group. */
    async surveyResponses(fromDay: string, toDay: string): Promise<SurveyResponseRow[]> {
      return db.query<SurveyResponseRow>(
        `select a.team_id as "teamId", t.name as "teamName", t.municipality, a.survey_id as "surveyId",
           a.survey_version as version, a.respondent, count(distinct a.response_id)::int as responses
         from survey_answer a join team t on t.id = a.team_id
         where a.answered_on between $1::date and $2::date
         group by a.team_id, t.name, t.municipality, a.survey_id, a.survey_version, a.respondent`,
        [fromDay, toDay],
      );
    },

    /** Confirmed enrolments open at some time between `from` and `to` (instants). */
    async enrolments(from: string, to: string, lastDay: string): Promise<EnrolmentRow[]> {
      return db.query<EnrolmentRow>(
        `select e.patient_id as "patientId", e.team_id as "teamId", t.name as "teamName",
           t.municipality, e.target_group as "targetGroup", e.start_date as start, e.ended_at as "endedAt"
         from enrolment e join team t on t.id = e.team_id
         where e.confirmed_at is not null and e.start_date <= $3::date
           and (e.ended_at is null or e.ended_at >= $1::timestamptz) and e.confirmed_at < $2::timestamptz`,
        [from, to, lastDay],
      );
    },

    /** Assessments in [from, to), with the team of the enrolment they were made under. */
    async assessments(from: string, to: string): Promise<AssessmentRow[]> {
      return db.query<AssessmentRow>(
        `select a.patient_id as "patientId", e.team_id as "teamId", a.at, a.outcome
         from assessment a left join enrolment e on e.id = a.enrolment_id
         where a.at >= $1::timestamptz and a.at < $2::timestamptz`,
        [from, to],
      );
    },

    /** Escalations sent in [from, to), with the time of the physician's answer. */
    async escalations(from: string, to: string): Promise<EscalationRow[]> {
      return db.query<EscalationRow>(
        `select team_id as "teamId", sent_at as "sentAt", decided_at as "decidedAt"
         from escalation where sent_at >= $1::timestamptz and sent_at < $2::timestamptz`,
        [from, to],
      );
    },

    /**
     * Admissions (hospital stays) and emergency visits (visits of contact type `akutbesok`) of
     * enrolled patients that began from `from` to 72 hours after `to`.
     */
    async acuteEvents(from: string, to: string): Promise<AcuteEventRow[]> {
      return db.query<AcuteEventRow>(
        `select h.patient_id as "patientId", h.admitted_at as at, 'inlaggning' as kind from hospital_stay h
          where h.admitted_at >= $1::timestamptz and h.admitted_at < $2::timestamptz + interval '72 hours'
            and h.patient_id in (select patient_id from enrolment where confirmed_at is not null)
         union all
         select v.patient_id, v.at, 'akutbesok' from visit v
          where v.contact_type = 'akutbesok'
            and v.at >= $1::timestamptz and v.at < $2::timestamptz + interval '72 hours'
            and v.patient_id in (select patient_id from enrolment where confirmed_at is not null)`,
        [from, to],
      );
    },
  };
}

export type MobileTeamFollowupStore = ReturnType<typeof createMobileTeamFollowupStore>;
