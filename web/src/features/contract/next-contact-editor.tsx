import { useTranslation } from 'react-i18next';
import {
  contactModes,
  defaultDurationMinutes,
  nextContactAgreements,
  type ContactMode,
} from '../../../../src/domain/contract.ts';
import { useStaffAt } from '../../api/directory.ts';
import type { NextContact, Unit } from '../../api/types.ts';
import { fromLocalInput, toLocalInput } from '../../components/format.ts';
import { RadioGroup, SelectField, TextArea, TextField } from '../../components/form.tsx';
import { unitOptions } from './part-editors.tsx';

/** The lengths offered, in minutes; the mode's default and a value already set are added when missing. */
const durationChoices = [10, 15, 20, 30, 45, 60, 90, 120];

/**
 * "Överenskommen tid": when, how, where, with whom and for how long the next contact is. The
 * expected length is asked for, preselected by the mode, because the contract has no other way
 * to know when the time ends (FHIR Appointment needs an end).
 */
export function NextContactEditor({
  value,
  onChange,
  units,
  defaultUnitId,
  defaultStaffId,
  error,
}: {
  value: NextContact | null;
  onChange: (value: NextContact | null) => void;
  units: Unit[];
  defaultUnitId: string;
  defaultStaffId?: string;
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  const unitId = value?.unitId ?? defaultUnitId;
  const mode = value?.mode ?? 'besok';
  // A contract written before the length was asked for shows the mode's default, not yet saved.
  const duration = value?.durationMinutes ?? defaultDurationMinutes[mode];
  const staff = useStaffAt(unitId);
  const set = (patch: Partial<NextContact>) => {
    const base: NextContact = value ?? {
      at: '',
      unitId: defaultUnitId,
      mode: 'besok',
      agreement: 'overenskommen',
      durationMinutes: defaultDurationMinutes.besok,
      ...(defaultStaffId ? { withStaffId: defaultStaffId } : {}),
    };
    // A new time answers the patient's request for another one.
    const isNewTime = patch.at !== undefined && patch.at !== base.at;
    onChange({ ...base, ...patch, ...(isNewTime ? { patientRequestedChange: undefined } : {}) });
  };
  return (
    <div>
      <TextField
        label={t('nextContact.when')}
        hint={t('nextContact.whenHint')}
        type="datetime-local"
        width="medium"
        value={toLocalInput(value?.at)}
        onChange={(v) => {
          const at = fromLocalInput(v);
          if (at) set({ at });
          else if (!v && value) onChange(null);
        }}
        error={error}
      />
      <div className="inline-fields">
        <SelectField
          label={t('nextContact.mode')}
          value={value?.mode ?? 'besok'}
          onChange={(mode) => set({ mode, ...durationForMode(value, mode) })}
          options={contactModes.map((m) => ({ value: m, label: t(`contactMode.${m}`) }))}
        />
        <SelectField
          label={t('nextContact.duration')}
          hint={t('nextContact.durationHint')}
          value={String(duration)}
          onChange={(minutes) => set({ durationMinutes: Number(minutes) })}
          options={[...new Set([...durationChoices, defaultDurationMinutes[mode], duration])]
            .sort((a, b) => a - b)
            .map((m) => ({ value: String(m), label: t('nextContact.minutes', { count: m }) }))}
        />
        <SelectField
          label={t('nextContact.unit')}
          value={unitId}
          onChange={(u) => set({ unitId: u, withStaffId: undefined })}
          options={unitOptions(units, t)}
        />
        <SelectField
          label={t('nextContact.withStaff')}
          value={value?.withStaffId ?? (value ? '' : (defaultStaffId ?? ''))}
          onChange={(id) => set({ withStaffId: id || undefined })}
          placeholder="–"
          options={staff.map((s) => ({
            value: s.id,
            label: `${s.givenName} ${s.familyName}${s.title ? `, ${s.title}` : ''}`,
          }))}
        />
      </div>
      <RadioGroup
        legend={t('nextContact.agreementLabel')}
        inline
        value={value?.agreement ?? 'overenskommen'}
        onChange={(agreement) => set({ agreement })}
        options={nextContactAgreements.map((a) => ({ value: a, label: t(`agreement.${a}`) }))}
      />
      <TextArea
        label={t('nextContact.note')}
        seenByPatient={t('common.seenByPatient')}
        rows={2}
        value={value?.note ?? ''}
        onChange={(note) => set({ note: note || undefined })}
      />
      {value && (
        <button type="button" className="button button-quiet" onClick={() => onChange(null)}>
          {t('nextContact.clear')}
        </button>
      )}
    </div>
  );
}

/**
 * A new mode brings its default length, unless the length was chosen by hand (it differs from the
 * old mode's default).
 */
function durationForMode(value: NextContact | null, mode: ContactMode): Pick<NextContact, 'durationMinutes'> {
  const old = value?.mode ?? 'besok';
  const isDefault =
    value?.durationMinutes === undefined || value.durationMinutes === defaultDurationMinutes[old];
  return isDefault ? { durationMinutes: defaultDurationMinutes[mode] } : {};
}
