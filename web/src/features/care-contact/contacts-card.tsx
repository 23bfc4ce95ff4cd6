import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CareContactView, ReachableHours } from '../../api/types.ts';

/** Phone hours as people say them: "mån, ons, fre 08:00–09:00". */
export function useHoursText(): (hours: ReachableHours[]) => string {
  const { t } = useTranslation();
  return (hours) => {
    const bySpan = new Map<string, number[]>();
    for (const h of hours)
      bySpan.set(`${h.from}–${h.to}`, [...(bySpan.get(`${h.from}–${h.to}`) ?? []), h.weekday]);
    return [...bySpan]
      .map(
        ([span, days]) => `${days.map((d) => t(`weekdayShort.${d}` as 'weekdayShort.1')).join(', ')} ${span}`,
      )
      .join('; ');
  };
}

/** One fixed contact or treating role: who, where, phone and when they answer. */
export function ContactLine({ contact }: { contact: CareContactView }) {
  const { t } = useTranslation();
  const hoursText = useHoursText();
  const title =
    contact.role === 'behandlande-roll' && contact.roleTitle ? contact.roleTitle : t(`roles.${contact.role}`);
  return (
    <>
      <p className="contact-role">{title}</p>
      <p className="contact-name">
        {contact.staffName ?? t('contacts.viaTeam')}
        <span className="muted"> · {contact.unitName}</span>
      </p>
      {contact.holderHasLeft && <p className="alert alert-warning">{t('contacts.holderHasLeft')}</p>}
      {(contact.phone || contact.reachable.length > 0) && (
        <p>
          {contact.phone && (
            <>
              {t('contacts.phone')}:{' '}
              <a href={`tel:${contact.phone.replace(/[^\d+]/g, '')}`}>{contact.phone}</a>
            </>
          )}
          {contact.reachable.length > 0 && (
            <span className="muted">
              {' '}
              ({t('contacts.hours')}: {hoursText(contact.reachable)})
            </span>
          )}
        </p>
      )}
    </>
  );
}

/** The fixed contacts on the patient page. */
export function ContactsCard({ contacts, manageHref }: { contacts: CareContactView[]; manageHref: string }) {
  const { t } = useTranslation();
  const hasFastVardkontakt = contacts.some((c) => c.role === 'fast-vardkontakt');
  return (
    <section aria-labelledby="contacts-heading" className="panel">
      <h2 id="contacts-heading">{t('contacts.title')}</h2>
      {!hasFastVardkontakt && (
        <p className="alert alert-warning">
          {t('contacts.noFastVardkontakt')}{' '}
          <Link to={`${manageHref}?utse=fast-vardkontakt`}>{t('contacts.appointOne')}</Link>
        </p>
      )}
      <ul className="contact-list">
        {contacts.map((c) => (
          <li key={c.id}>
            <ContactLine contact={c} />
          </li>
        ))}
      </ul>
      <p>
        <Link to={manageHref}>{t('contacts.manage')}</Link>
      </p>
    </section>
  );
}
