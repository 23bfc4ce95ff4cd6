/**
 * Form fields with their label, hint and error tied to the input (aria-describedby,
 * aria-invalid), so that every field says what it is and what is wrong with it.
 */
import { useId, type ReactNode } from 'react';

interface FieldProps {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  id?: string;
  /**
   * Set on every field whose text the patient reads as written (the agreement, the next
   * contact's note): the text of the cue, e.g. "Syns för patienten", shown with the same mark.
   */
  seenByPatient?: string | undefined;
}

function describedBy(id: string, hint?: string, error?: string, seen?: string): string | undefined {
  const ids = [seen ? `${id}-seen` : null, hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(
    Boolean,
  );
  return ids.length > 0 ? ids.join(' ') : undefined;
}

/** The one mark for "the patient reads this": an eye and the words, never colour alone. */
export function SeenByPatient({ id, text }: { id?: string; text: string }) {
  return (
    <p className="seen-by-patient" id={id}>
      <svg aria-hidden="true" focusable="false" width="18" height="12" viewBox="0 0 18 12">
        <path
          d="M9 1C5 1 2 4 1 6c1 2 4 5 8 5s7-3 8-5c-1-2-4-5-8-5z"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.6"
        />
        <circle cx="9" cy="6" r="2.3" fill="currentColor" />
      </svg>{' '}
      {text}
    </p>
  );
}

function FieldText({
  id,
  hint,
  error,
  seenByPatient,
}: {
  id: string;
  hint?: string | undefined;
  error?: string | undefined;
  seenByPatient?: string | undefined;
}) {
  return (
    <>
      {seenByPatient && <SeenByPatient id={`${id}-seen`} text={seenByPatient} />}
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
    </>
  );
}

export function TextField({
  label,
  hint,
  error,
  seenByPatient,
  value,
  onChange,
  type = 'text',
  required,
  autoComplete,
  inputMode,
  id: givenId,
  width,
}: FieldProps & {
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'date' | 'datetime-local' | 'time' | 'tel' | 'search';
  required?: boolean;
  autoComplete?: string;
  inputMode?: 'text' | 'numeric' | 'tel';
  width?: 'short' | 'medium';
}) {
  const autoId = useId();
  const id = givenId ?? autoId;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      <FieldText id={id} hint={hint} error={error} seenByPatient={seenByPatient} />
      <input
        id={id}
        type={type}
        value={value}
        className={width ? `input-${width}` : undefined}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={describedBy(id, hint, error, seenByPatient)}
        aria-invalid={error ? true : undefined}
        required={required}
        autoComplete={autoComplete ?? 'off'}
        inputMode={inputMode}
      />
    </div>
  );
}

export function TextArea({
  label,
  hint,
  error,
  seenByPatient,
  value,
  onChange,
  rows = 3,
  id: givenId,
}: FieldProps & { value: string; onChange: (value: string) => void; rows?: number }) {
  const autoId = useId();
  const id = givenId ?? autoId;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <FieldText id={id} hint={hint} error={error} seenByPatient={seenByPatient} />
      <textarea
        id={id}
        rows={rows}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={describedBy(id, hint, error, seenByPatient)}
        aria-invalid={error ? true : undefined}
      />
    </div>
  );
}

export function SelectField<T extends string>({
  label,
  hint,
  error,
  value,
  onChange,
  options,
  id: givenId,
  placeholder,
}: FieldProps & {
  value: T | '';
  onChange: (value: T) => void;
  options: readonly { value: T; label: string }[];
  placeholder?: string;
}) {
  const autoId = useId();
  const id = givenId ?? autoId;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <FieldText id={id} hint={hint} error={error} />
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value as T)}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function RadioGroup<T extends string>({
  legend,
  hint,
  error,
  value,
  onChange,
  options,
  inline,
}: {
  legend: ReactNode;
  hint?: string;
  error?: string;
  value: T | '' | undefined;
  onChange: (value: T) => void;
  options: readonly { value: T; label: string }[];
  inline?: boolean;
}) {
  const id = useId();
  return (
    <fieldset
      className={`field radio-group${inline ? ' radio-inline' : ''}${error ? ' field-invalid' : ''}`}
      aria-describedby={describedBy(id, hint, error)}
    >
      <legend>{legend}</legend>
      <FieldText id={id} hint={hint} error={error} />
      {options.map((o) => (
        <label key={o.value} className="radio">
          <input
            type="radio"
            name={id}
            value={o.value}
            checked={value === o.value}
            onChange={() => onChange(o.value)}
          />
          <span>{o.label}</span>
        </label>
      ))}
    </fieldset>
  );
}

export function Checkbox({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label className="checkbox">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span>{label}</span>
    </label>
  );
}
