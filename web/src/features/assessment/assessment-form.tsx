/**
 * The structured assessment at the patient's side: the values, NEWS2 live beside them, the
 * reason and the nurse's own judgement, and the outcome she chooses. Ambulance tells her to
 * call 112 first. Nothing is saved until she presses Save; the server checks every value again
 * and refuses an impossible one with a Swedish message at the field.
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { news2, vitalSignProblems, type AssessmentConfig } from '../../../../src/domain/news2.ts';
import { assessmentOutcomes, callsEmergencyFirst } from '../../../../src/domain/escalation.ts';
import { ApiError, api } from '../../api/client.ts';
import type { AssessmentAnswer, Outcome } from '../../api/mobile-care-types.ts';
import { ErrorAlert } from '../../components/alerts.tsx';
import { TextArea } from '../../components/form.tsx';
import { News2Panel } from './news2-panel.tsx';
import {
  emptyVitals,
  numericVitals,
  parseNumber,
  VitalsFields,
  vitalsOf,
  type VitalsDraft,
} from './vitals-fields.tsx';

type FieldErrors = Partial<Record<keyof VitalsDraft | 'reason' | 'outcome', string>>;

export function AssessmentForm({
  patientId,
  ageYears,
  scale,
  config,
  scaleNote,
  onSaved,
}: {
  patientId: string;
  ageYears: number;
  scale: 1 | 2;
  /** The checklist in force, from the server, so the live score is the one that is saved. */
  config: AssessmentConfig;
  scaleNote: string | undefined;
  onSaved: (answer: AssessmentAnswer) => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<VitalsDraft>(emptyVitals);
  const [reason, setReason] = useState('');
  const [judgement, setJudgement] = useState('');
  const [outcome, setOutcome] = useState<Outcome | ''>('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [isSaving, setIsSaving] = useState(false);

  const vitals = vitalsOf(draft);
  // The same domain rules as the server: an impossible value gives no score, only its message.
  const problems = useMemo(() => (vitals ? vitalSignProblems(vitals) : []), [vitals]);
  const score = vitals && problems.length === 0 ? news2(vitals, { scale, ageYears, config }) : null;

  const check = (): FieldErrors => {
    const found: FieldErrors = {};
    for (const field of numericVitals) {
      if (draft[field].trim() === '')
        found[field] = t('mobileTeam.assessment.required', {
          field: t(`mobileTeam.vitals.${field}`).toLowerCase(),
        });
      else if (Number.isNaN(parseNumber(draft[field])))
        found[field] = t('mobileTeam.assessment.required', {
          field: t(`mobileTeam.vitals.${field}`).toLowerCase(),
        });
    }
    if (draft.onOxygen === '')
      found.onOxygen = t('mobileTeam.assessment.required', {
        field: t('mobileTeam.vitals.oxygen.yes').toLowerCase(),
      });
    if (draft.consciousness === '')
      found.consciousness = t('mobileTeam.assessment.required', { field: 'ACVPU' });
    for (const p of problems) found[p.field as keyof VitalsDraft] = p.message;
    if (reason.trim() === '')
      found.reason = t('mobileTeam.assessment.required', {
        field: t('mobileTeam.assessment.reason').toLowerCase(),
      });
    if (outcome === '') found.outcome = t('mobileTeam.assessment.outcomeRequired');
    return found;
  };

  // A corrected field loses its message; the summary goes with the last one.
  const clear = (fields: readonly (keyof FieldErrors)[]) => {
    const rest = { ...errors };
    for (const f of fields) delete rest[f];
    setErrors(rest);
    if (Object.keys(rest).length === 0 && !(error instanceof ApiError)) setError(null);
  };
  const changeVitals = (next: VitalsDraft) => {
    clear((Object.keys(next) as (keyof VitalsDraft)[]).filter((k) => next[k] !== draft[k]));
    setDraft(next);
  };

  const save = async () => {
    const found = check();
    setErrors(found);
    setError(null);
    const first = Object.keys(found)[0];
    if (first || !vitals || outcome === '') {
      document.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
      setError(new Error(t('mobileTeam.assessment.invalid')));
      return;
    }
    setIsSaving(true);
    try {
      const answer = await api.post<AssessmentAnswer>(`/api/patients/${patientId}/assessments`, {
        vitals,
        reason: reason.trim(),
        judgement: judgement.trim(),
        outcome,
      });
      onSaved(answer.body);
    } catch (e) {
      if (e instanceof ApiError) {
        const fromServer: FieldErrors = {};
        for (const d of e.details) {
          const field = d.path.split('/').filter(Boolean).pop();
          if (field) fromServer[field as keyof FieldErrors] = d.message;
        }
        setErrors(fromServer);
      }
      setError(e);
    } finally {
      setIsSaving(false);
    }
  };

  return (
    <form
      className="assessment-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="assessment-grid">
        <section className="panel" aria-labelledby="vitals-title">
          <h2 id="vitals-title">{t('mobileTeam.assessment.vitalsTitle')}</h2>
          <VitalsFields draft={draft} onChange={changeVitals} errors={errors} />
        </section>
        <News2Panel
          score={score}
          config={config}
          isUnder16={ageYears < config.minAgeYears}
          scaleNote={scaleNote}
        />
      </div>
      {score && (
        // The score stays in sight on a phone while the values are typed above the panel; the
        // panel itself is what screen readers hear.
        <p className="news2-sticky" aria-hidden="true">
          {t('mobileTeam.news2.total', { total: score.total })} · {t(`mobileTeam.news2.risk.${score.risk}`)}
        </p>
      )}
      <div className="panel">
        <TextArea
          id="assessment-reason"
          label={t('mobileTeam.assessment.reason')}
          hint={t('mobileTeam.assessment.reasonHint')}
          error={errors.reason}
          value={reason}
          onChange={(value) => {
            clear(['reason']);
            setReason(value);
          }}
        />
        <TextArea
          id="assessment-judgement"
          label={t('mobileTeam.assessment.judgement')}
          hint={t('mobileTeam.assessment.judgementHint')}
          value={judgement}
          onChange={setJudgement}
        />
        <fieldset className={`field radio-group big-choices${errors.outcome ? ' field-invalid' : ''}`}>
          <legend>{t('mobileTeam.assessment.outcome')}</legend>
          {errors.outcome && <p className="field-error">{errors.outcome}</p>}
          {assessmentOutcomes.map((o) => (
            <label key={o} className="radio big-radio">
              <input
                type="radio"
                name="outcome"
                value={o}
                checked={outcome === o}
                onChange={() => {
                  clear(['outcome']);
                  setOutcome(o);
                }}
              />
              <span>{t(`mobileTeam.assessment.outcomes.${o}`)}</span>
            </label>
          ))}
        </fieldset>
        {outcome !== '' && callsEmergencyFirst(outcome) && (
          <div className="alert alert-error call-112" role="alert">
            <p className="alert-title">{t('mobileTeam.assessment.call112')}</p>
            <a className="button button-call" href="tel:112">
              {t('mobileTeam.assessment.callFirst112')}
            </a>
          </div>
        )}
      </div>
      <ErrorAlert error={error} />
      <p className="form-actions">
        <button type="submit" className="button button-primary button-large" disabled={isSaving}>
          {isSaving ? t('mobileTeam.assessment.saving') : t('mobileTeam.assessment.save')}
        </button>
      </p>
    </form>
  );
}
