/**
 * The parts the Administration page's registries share (journal systems, SMART clients, product
 * roles): the section with its heading, lead, outcome and error; the list of cards; a card; and
 * the form's save and cancel buttons.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, Loading } from '../../components/alerts.tsx';

/** A registry's section: `id` names its heading (`admin-<id>-heading`); `done` is the last outcome. */
export function RegistrySection(props: {
  id: string;
  heading: string;
  lead: string;
  done: string;
  error: unknown;
  children: ReactNode;
}) {
  const headingId = `admin-${props.id}-heading`;
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{props.heading}</h2>
      <p>{props.lead}</p>
      {props.done && <p className="alert alert-success">{props.done}</p>}
      <ErrorAlert error={props.error} />
      {props.children}
    </section>
  );
}

/** The registered ones as cards: loading until the first answer, "Inga" when there are none. */
export function RegistryList<T>(props: {
  isLoading: boolean;
  items: readonly T[] | undefined;
  children: (item: T) => ReactNode;
}) {
  const { t } = useTranslation();
  if (props.isLoading) return <Loading />;
  if (props.items?.length === 0) return <p className="muted">{t('admin.none')}</p>;
  return <ul className="card-list">{props.items?.map(props.children)}</ul>;
}

/**
 * One registered entry: its name and id, its status, the facts below, and its buttons ("Ändra"
 * when `onEdit` is given, then `actions`), each button naming the entry to a screen reader.
 */
export function RegistryCard(props: {
  name: string;
  id: string;
  status: string;
  isOff?: boolean;
  onEdit?: () => void;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <li className="card">
      <div className="card-row">
        <p className="card-title">
          {props.name} <span className="muted">({props.id})</span>
        </p>
        <span className={`admin-status${props.isOff ? ' admin-status-off' : ''}`}>{props.status}</span>
      </div>
      {props.children}
      <div className="action-bar">
        {props.onEdit && (
          <button type="button" className="button button-secondary" onClick={props.onEdit}>
            {t('admin.change')}
            <span className="visually-hidden"> {props.name}</span>
          </button>
        )}
        {props.actions}
      </div>
    </li>
  );
}

/**
 * A registry's form to register an entry or change one: its heading, the error (each field error
 * named by `fieldLabels`), the fields, and the buttons save and, while changing, leave the change.
 */
export function RegistryForm(props: {
  id: string;
  heading: string;
  error: unknown;
  fieldLabels: Record<string, string>;
  onSubmit: () => void;
  isSending: boolean;
  saveLabel: string;
  isChanging: boolean;
  onCancel: () => void;
  children: ReactNode;
}) {
  return (
    <form
      id={props.id}
      className="panel admin-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
    >
      <h3>{props.heading}</h3>
      <ErrorAlert error={props.error} fieldLabels={props.fieldLabels} />
      {props.children}
      <FormButtons
        isSending={props.isSending}
        saveLabel={props.saveLabel}
        isChanging={props.isChanging}
        onCancel={props.onCancel}
      />
    </form>
  );
}

/** A registry form's buttons: save, and while changing an entry, leaving the change. */
function FormButtons(props: {
  isSending: boolean;
  saveLabel: string;
  isChanging: boolean;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="action-bar">
      <button type="submit" className="button button-primary" disabled={props.isSending}>
        {props.isSending ? t('admin.saving') : props.saveLabel}
      </button>
      {props.isChanging && (
        <button type="button" className="button button-secondary" onClick={props.onCancel}>
          {t('admin.cancelChange')}
        </button>
      )}
    </div>
  );
}

/** The page's own check of the required fields: each empty one "<field> saknas" at its field. */
export function missingFields<K extends string>(
  draft: Record<K, string>,
  required: readonly (readonly [K, string])[],
  message: (label: string) => string,
): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [field, label] of required) if (!draft[field].trim()) found[field] = message(label);
  return found;
}
