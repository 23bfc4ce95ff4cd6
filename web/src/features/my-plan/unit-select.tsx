import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Unit } from '../../api/types.ts';

/**
 * A unit or provider to choose, with the ones already in my care first (their own group), so
 * that a patient finds "Hemsjukvården" without scrolling through the whole region.
 */
export function GroupedSelect({
  label,
  hint,
  error,
  value,
  onChange,
  mine,
  others,
}: {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  value: string;
  onChange: (value: string) => void;
  mine: readonly { value: string; label: string }[];
  others: readonly { value: string; label: string }[];
}) {
  const { t } = useTranslation();
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={describedBy || undefined}
        aria-invalid={error ? true : undefined}
      >
        <option value="">{t('myPlan.consent.choose')}</option>
        {mine.length > 0 && (
          <optgroup label={t('myPlan.consent.inYourCare')}>
            {mine.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </optgroup>
        )}
        <optgroup label={t('myPlan.consent.otherUnits')}>
          {others.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </optgroup>
      </select>
    </div>
  );
}

/** Units as options ("Hemsjukvården Norrköping (Norrköpings kommun)"), mine first. */
export function unitOptions(units: readonly Unit[], mineIds: ReadonlySet<string>) {
  const option = (u: Unit) => ({ value: u.id, label: `${u.name} (${u.providerName})` });
  return {
    mine: units.filter((u) => mineIds.has(u.id)).map(option),
    others: units.filter((u) => !mineIds.has(u.id)).map(option),
  };
}
