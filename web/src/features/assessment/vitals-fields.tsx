/**
 * The measured values, phone-first: one large field per value with its unit beside it and a
 * numeric keyboard, ACVPU as radio buttons, oxygen yes/no. The values are kept as typed
 * (strings) and turned into numbers only when all are there.
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { consciousnessLevels, type Consciousness, type VitalSigns } from '../../../../src/domain/news2.ts';

export type NumericVital = 'respiratoryRate' | 'spo2' | 'systolicBp' | 'pulse' | 'temperature';
export const numericVitals: readonly NumericVital[] = [
  'respiratoryRate',
  'spo2',
  'pulse',
  'systolicBp',
  'temperature',
];

export interface VitalsDraft {
  respiratoryRate: string;
  spo2: string;
  systolicBp: string;
  pulse: string;
  temperature: string;
  onOxygen: '' | 'yes' | 'no';
  consciousness: '' | Consciousness;
}

export const emptyVitals: VitalsDraft = {
  respiratoryRate: '',
  spo2: '',
  systolicBp: '',
  pulse: '',
  temperature: '',
  onOxygen: '',
  consciousness: '',
};

/** A typed number ("37,8" or "37.8"); NaN when it is not one. */
export function parseNumber(text: string): number {
  const trimmed = text.trim().replace(',', '.');
  return trimmed === '' || !/^-?\d+(\.\d+)?$/.test(trimmed) ? Number.NaN : Number(trimmed);
}

/** The draft as the API's VitalSigns, or null while something is missing or not a number. */
export function vitalsOf(draft: VitalsDraft): VitalSigns | null {
  const numbers = numericVitals.map((field) => parseNumber(draft[field]));
  if (numbers.some((n) => Number.isNaN(n)) || draft.onOxygen === '' || draft.consciousness === '')
    return null;
  const [respiratoryRate, spo2, pulse, systolicBp, temperature] = numbers as [
    number,
    number,
    number,
    number,
    number,
  ];
  return {
    respiratoryRate,
    spo2,
    onOxygen: draft.onOxygen === 'yes',
    systolicBp,
    pulse,
    consciousness: draft.consciousness,
    temperature,
  };
}

function VitalInput({
  field,
  value,
  onChange,
  error,
}: {
  field: NumericVital;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
}) {
  const { t } = useTranslation();
  const id = useId();
  const unitId = `${id}-unit`;
  return (
    <div className={`field vital-field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{t(`mobileTeam.vitals.${field}`)}</label>
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
      <span className="vital-input">
        <input
          id={id}
          name={field}
          type="text"
          inputMode={field === 'temperature' ? 'decimal' : 'numeric'}
          autoComplete="off"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-describedby={error ? `${unitId} ${id}-error` : unitId}
          aria-invalid={error ? true : undefined}
        />
        <span id={unitId} className="vital-unit">
          {t(`mobileTeam.vitals.unit.${field}`)}
        </span>
      </span>
    </div>
  );
}

export function VitalsFields({
  draft,
  onChange,
  errors,
}: {
  draft: VitalsDraft;
  onChange: (draft: VitalsDraft) => void;
  errors: Partial<Record<keyof VitalsDraft, string>>;
}) {
  const { t } = useTranslation();
  const set = <K extends keyof VitalsDraft>(key: K, value: VitalsDraft[K]) =>
    onChange({ ...draft, [key]: value });
  const choice = (
    name: 'onOxygen' | 'consciousness',
    options: readonly { value: string; label: string }[],
    legend: string,
  ) => (
    <fieldset className={`field radio-group big-choices${errors[name] ? ' field-invalid' : ''}`}>
      <legend>{legend}</legend>
      {errors[name] && <p className="field-error">{errors[name]}</p>}
      {options.map((o) => (
        <label key={o.value} className="radio big-radio">
          <input
            type="radio"
            name={name}
            value={o.value}
            checked={draft[name] === o.value}
            onChange={() => set(name, o.value as VitalsDraft[typeof name])}
          />
          <span>{o.label}</span>
        </label>
      ))}
    </fieldset>
  );
  return (
    <div className="vitals">
      <VitalInput
        field="respiratoryRate"
        value={draft.respiratoryRate}
        onChange={(v) => set('respiratoryRate', v)}
        error={errors.respiratoryRate}
      />
      <VitalInput field="spo2" value={draft.spo2} onChange={(v) => set('spo2', v)} error={errors.spo2} />
      {choice(
        'onOxygen',
        [
          { value: 'no', label: t('mobileTeam.vitals.oxygen.no') },
          { value: 'yes', label: t('mobileTeam.vitals.oxygen.yes') },
        ],
        t('mobileTeam.vitals.onOxygen'),
      )}
      <VitalInput field="pulse" value={draft.pulse} onChange={(v) => set('pulse', v)} error={errors.pulse} />
      <VitalInput
        field="systolicBp"
        value={draft.systolicBp}
        onChange={(v) => set('systolicBp', v)}
        error={errors.systolicBp}
      />
      <VitalInput
        field="temperature"
        value={draft.temperature}
        onChange={(v) => set('temperature', v)}
        error={errors.temperature}
      />
      {choice(
        'consciousness',
        consciousnessLevels.map((level) => ({ value: level, label: t(`mobileTeam.vitals.acvpu.${level}`) })),
        t('mobileTeam.vitals.consciousness'),
      )}
    </div>
  );
}
