/**
 * The physician's answer to an escalation: what it will be (home visit by the team at a time,
 * a change in the plan, emergency department, ambulance, reassess at a time), words to the
 * nurse, and whether to add it to the patient's plan: as an activity, or, for a decision with a
 * time, as the plan's next contact.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  decisionKinds,
  decisionPlanTargets,
  mayBeNextContact,
  type DecisionPlanTarget,
} from '../../../../src/domain/escalation.ts';
import { swedishToday } from '../../../../src/domain/swedish-time.ts';
import { api } from '../../api/client.ts';
import type { DecisionKind, EscalationListItem } from '../../api/mobile-care-types.ts';
import { ErrorAlert } from '../../components/alerts.tsx';
import { Checkbox, RadioGroup, TextArea, TextField } from '../../components/form.tsx';
import { instantOfSwedish } from './when.ts';

const timed = (kind: DecisionKind | ''): boolean => kind !== '' && mayBeNextContact(kind);

export function DecisionForm({
  escalation,
  onDecided,
}: {
  escalation: EscalationListItem;
  onDecided: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [kind, setKind] = useState<DecisionKind | ''>('');
  const [day, setDay] = useState(() => swedishToday(new Date()));
  const [time, setTime] = useState('');
  const [text, setText] = useState('');
  const [addToPlan, setAddToPlan] = useState(true);
  const [planAs, setPlanAs] = useState<DecisionPlanTarget>('activity');
  const [error, setError] = useState<unknown>(null);
  const [atError, setAtError] = useState<string | undefined>();
  const [isSending, setIsSending] = useState(false);

  const decide = async () => {
    if (kind === '') return;
    const at = timed(kind) ? instantOfSwedish(day, time) : null;
    if (timed(kind) && !at) {
      setAtError(t('mobileTeam.escalation.atRequired'));
      return;
    }
    setAtError(undefined);
    setIsSending(true);
    setError(null);
    try {
      await api.post(`/api/escalations/${escalation.id}/decision`, {
        kind,
        ...(at ? { at } : {}),
        text: text.trim(),
        addToPlan,
        ...(addToPlan && timed(kind) ? { planAs } : {}),
      });
      onDecided();
    } catch (e) {
      setError(e);
    } finally {
      setIsSending(false);
    }
  };

  return (
    <form
      className="decision-form"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        void decide();
      }}
    >
      <h3 id={`${id}-title`}>{t('mobileTeam.escalation.decisionTitle')}</h3>
      <fieldset className="field radio-group">
        <legend>{t('mobileTeam.escalation.decisionKind')}</legend>
        {decisionKinds.map((k) => (
          <label key={k} className="radio">
            <input
              type="radio"
              name={`${id}-kind`}
              value={k}
              checked={kind === k}
              onChange={() => setKind(k)}
            />
            <span>{t(`mobileTeam.escalation.kind.${k}`)}</span>
          </label>
        ))}
      </fieldset>
      {timed(kind) && (
        <fieldset className="field inline-fields">
          <legend>{t('mobileTeam.escalation.decisionAt')}</legend>
          {atError && <p className="field-error">{atError}</p>}
          <TextField
            label={t('mobileTeam.escalation.decisionDay')}
            type="date"
            value={day}
            onChange={setDay}
            width="medium"
          />
          <TextField
            label={t('mobileTeam.escalation.decisionTime')}
            type="time"
            value={time}
            onChange={setTime}
            width="short"
            error={atError}
          />
        </fieldset>
      )}
      <TextArea
        label={t('mobileTeam.escalation.decisionText')}
        hint={t('mobileTeam.escalation.decisionTextHint')}
        value={text}
        onChange={setText}
      />
      <Checkbox label={t('mobileTeam.escalation.addToPlan')} checked={addToPlan} onChange={setAddToPlan} />
      {addToPlan && timed(kind) && (
        <RadioGroup
          legend={t('mobileTeam.escalation.planAs')}
          value={planAs}
          onChange={setPlanAs}
          options={decisionPlanTargets.map((value) => ({
            value,
            label: t(`mobileTeam.escalation.planAsOption.${value}`),
          }))}
        />
      )}
      <ErrorAlert error={error} />
      <p className="form-actions">
        <button type="submit" className="button button-primary" disabled={kind === '' || isSending}>
          {t('mobileTeam.escalation.decide')}
        </button>
      </p>
    </form>
  );
}
