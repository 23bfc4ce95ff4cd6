import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { careContactRoles, singleHolderRoles } from '../../../../src/domain/care-contact.ts';
import type { CareContactRole, CareContactView, Overview } from '../../api/types.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert, Loading, Notice } from '../../components/alerts.tsx';
import { useAnnounce } from '../../components/announcer.tsx';
import { formatDate } from '../../components/format.ts';
import { Page } from '../../components/page.tsx';
import { NotFoundOrDenied } from '../access/not-found-or-denied.tsx';
import { AppointForm } from './appoint-form.tsx';
import { EditContactForm, EndContactForm } from './contact-forms.tsx';
import { ContactLine } from './contacts-card.tsx';

type Action = { kind: 'end' | 'edit' | 'change'; contactId: string } | null;

/** Fixed contacts: appoint, change and end; treating roles; declined offers. */
export default function CareContactsPage() {
  const { t, i18n } = useTranslation();
  const { patientId = '' } = useParams();
  const [params] = useSearchParams();
  const announce = useAnnounce();
  const overview = useApi<Overview>(`/api/patients/${patientId}/overview`);
  const all = useApi<{ careContacts: CareContactView[] }>(
    `/api/patients/${patientId}/care-contacts?includeEnded=true`,
  );
  const [action, setAction] = useState<Action>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [formKey, setFormKey] = useState(0);

  if (overview.error?.status === 404 || all.error?.status === 404) return <NotFoundOrDenied />;
  if (!overview.data || !all.data)
    return overview.error ? <ErrorAlert error={overview.error} /> : <Loading />;
  const name = `${overview.data.patient.givenName} ${overview.data.patient.familyName}`;
  const active = all.data.careContacts.filter((c) => c.status === 'active');
  const past = all.data.careContacts.filter((c) => c.status !== 'active');
  const wanted = params.get('utse');
  const initialRole: CareContactRole = careContactRoles.find((r) => r === wanted) ?? 'fast-vardkontakt';
  const needsFvk = params.get('samordning') === '1' && !active.some((c) => c.role === 'fast-vardkontakt');

  const done = (text: string) => {
    setAction(null);
    setMessage(text);
    setFormKey((k) => k + 1);
    announce(text);
    all.reload();
    overview.reload();
  };

  return (
    <Page title={t('contacts.pageTitle', { name })}>
      <p>
        <Link to={`/patient/${patientId}`}>{t('nav.backToPatient')}</Link>
      </p>
      {message && <Notice kind="success">{message}</Notice>}
      {needsFvk && <Notice kind="warning">{t('contacts.coordinationWanted')}</Notice>}

      <section aria-labelledby="active-contacts" className="panel">
        <h2 id="active-contacts">{t('contacts.active')}</h2>
        {active.length === 0 && <p className="muted">{t('contacts.none')}</p>}
        <ul className="contact-list">
          {active.map((c) => {
            const label = c.staffName ?? c.unitName;
            return (
              <li key={c.id}>
                <ContactLine contact={c} />
                <p className="muted">
                  {c.startDate && t('contacts.since', { date: formatDate(c.startDate, i18n.language) })}
                  {c.reviewDate &&
                    ` · ${t('contacts.review', { date: formatDate(c.reviewDate, i18n.language) })}`}
                </p>
                <div className="form-actions">
                  <button
                    type="button"
                    className="button button-secondary"
                    onClick={() => setAction({ kind: 'edit', contactId: c.id })}
                  >
                    {t('contacts.edit')}
                    <span className="visually-hidden"> {label}</span>
                  </button>
                  {singleHolderRoles.includes(c.role) && (
                    <button
                      type="button"
                      className="button button-secondary"
                      onClick={() => setAction({ kind: 'change', contactId: c.id })}
                    >
                      {t('contacts.change')}
                      <span className="visually-hidden"> {label}</span>
                    </button>
                  )}
                  <button
                    type="button"
                    className="button button-danger"
                    onClick={() => setAction({ kind: 'end', contactId: c.id })}
                  >
                    {t('contacts.end')}
                    <span className="visually-hidden"> {label}</span>
                  </button>
                </div>
                {action?.contactId === c.id && action.kind === 'end' && (
                  <EndContactForm
                    patientId={patientId}
                    contact={c}
                    onDone={done}
                    onCancel={() => setAction(null)}
                  />
                )}
                {action?.contactId === c.id && action.kind === 'edit' && (
                  <EditContactForm
                    patientId={patientId}
                    contact={c}
                    onDone={done}
                    onCancel={() => setAction(null)}
                  />
                )}
                {action?.contactId === c.id && action.kind === 'change' && (
                  <>
                    <h3>{t('contacts.changeTitle', { role: t(`roles.${c.role}`).toLowerCase() })}</h3>
                    <AppointForm
                      patientId={patientId}
                      active={active}
                      initialRole={c.role}
                      replaces={c}
                      onDone={done}
                      onCancel={() => setAction(null)}
                    />
                  </>
                )}
              </li>
            );
          })}
        </ul>
      </section>

      <section aria-labelledby="appoint" className="panel">
        <h2 id="appoint">{t('contacts.appointTitle')}</h2>
        <AppointForm
          key={formKey}
          patientId={patientId}
          active={active}
          initialRole={initialRole}
          onDone={done}
        />
      </section>

      {past.length > 0 && (
        <section aria-labelledby="past-contacts" className="panel">
          <h2 id="past-contacts">{t('contacts.ended')}</h2>
          <ul className="contact-list">
            {past.map((c) => (
              <li key={c.id}>
                <ContactLine contact={c} />
                <p className="muted">
                  {c.status === 'declined'
                    ? t('contacts.statusDeclined')
                    : t('contacts.statusEnded', {
                        date: formatDate(c.endDate, i18n.language),
                        reason: c.endReason ?? '',
                      })}
                </p>
              </li>
            ))}
          </ul>
        </section>
      )}
    </Page>
  );
}
