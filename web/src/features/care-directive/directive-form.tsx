/**
 * Document a wish about level of care (anyone in the patient's care, in the patient's words) or,
 * for a physician, a treatment limitation or SpO₂ scale 2. The server decides who may; its
 * Swedish refusal is shown as it is.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { CareDirectiveKind } from '../../api/mobile-care-types.ts';
import { ErrorAlert } from '../../components/alerts.tsx';
import { useAnnounce } from '../../components/announcer.tsx';
import { SelectField, TextArea } from '../../components/form.tsx';

const kinds: readonly CareDirectiveKind[] = ['care-level-wish', 'treatment-limitation', 'spo2-scale-2'];

export function DirectiveForm({ patientId, onSaved }: { patientId: string; onSaved: () => void }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [kind, setKind] = useState<CareDirectiveKind>('care-level-wish');
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);

  const save = async () => {
    setError(null);
    try {
      await api.post(`/api/patients/${patientId}/care-directives`, { kind, text: text.trim() });
      setText('');
      announce(t('mobileTeam.directive.saved'));
      onSaved();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <details className="panel">
      <summary>{t('mobileTeam.directive.add')}</summary>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <SelectField
          label={t('mobileTeam.directive.kindLabel')}
          hint={t('mobileTeam.directive.physicianOnly')}
          value={kind}
          onChange={setKind}
          options={kinds.map((k) => ({ value: k, label: t(`mobileTeam.directive.kind.${k}`) }))}
        />
        <TextArea
          label={t('mobileTeam.directive.textLabel')}
          hint={t('mobileTeam.directive.textHint')}
          value={text}
          onChange={setText}
        />
        <ErrorAlert error={error} />
        <button type="submit" className="button button-primary">
          {t('mobileTeam.directive.addSubmit')}
        </button>
      </form>
    </details>
  );
}
