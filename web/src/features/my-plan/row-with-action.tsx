import type { ReactNode } from 'react';

/**
 * One thing the patient has given or set (a consent, a spärr, a närstående's right) with the
 * button that ends it: the name, a muted line of detail, and the action named for the screen
 * reader (`actionLabel`, e.g. "Ta tillbaka samtycket för …").
 */
export function RowWithAction({
  name,
  detail,
  action,
  actionLabel,
  disabled,
  onAction,
}: {
  name: string;
  detail: ReactNode;
  action: string;
  actionLabel: string;
  disabled: boolean;
  onAction: () => void;
}) {
  return (
    <li className="row-with-action">
      <span>
        <strong>{name}</strong>
        <br />
        <span className="muted">{detail}</span>
      </span>
      <button
        type="button"
        className="button button-secondary"
        disabled={disabled}
        aria-label={actionLabel}
        onClick={onAction}
      >
        {action}
      </button>
    </li>
  );
}
