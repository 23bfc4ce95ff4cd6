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
}

function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

function FieldText({
  id,
  hint,
  error,
}: {
  id: string;
  hint?: string | undefined;
  error?: string | undefined;
}) {
  return (
    <>
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
      <FieldText id={id} hint={hint} error={error} />
      <input
        id={id}
        type={type}
        value={value}
        className={width ? `input-${width}` : undefined}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={describedBy(id, hint, error)}
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
      <FieldText id={id} hint={hint} error={error} />
      <textarea
        id={id}
        rows={rows}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={describedBy(id, hint, error)}
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
