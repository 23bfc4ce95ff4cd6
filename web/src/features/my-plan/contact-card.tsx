import { useTranslation } from 'react-i18next';
import type { CareContactView, UnitRef } from '../../api/types.ts';
import { useHoursText } from '../care-contact/contacts-card.tsx';
import { useSay } from './voice.ts';

const telHref = (phone: string): string => `tel:${phone.replace(/[^\d+]/g, '')}`;

/** A big call button: the name to call on the first line, the number on the second. */
function CallButton({ name, phone }: { name: string; phone: string }) {
  const { t } = useTranslation();
  return (
    <a className="button button-primary button-call" href={telHref(phone)}>
      <span>{t('myPlan.contact.call', { name })}</span>
      <span className="call-number">{phone}</span>
    </a>
  );
}

/**
 * Whom to turn to (Region Gävleborg, handlingsplan Patientkontrakt 2021: "I know whom to turn to; contacting care is easy"): the fast
 * vårdkontakt first, with a call button and the hours they answer, then the other contacts.
 */
export function ContactCard({
  contacts,
  units,
}: {
  contacts: CareContactView[];
  units: Record<string, UnitRef>;
}) {
  const { t } = useTranslation();
  const say = useSay();
  const hoursText = useHoursText();
  const fast = contacts.find((c) => c.role === 'fast-vardkontakt');
  const others = contacts.filter((c) => c !== fast);
  const phoneOf = (c: CareContactView) => c.phone ?? units[c.unitId]?.phone ?? null;
  const roleOf = (c: CareContactView) =>
    c.role === 'behandlande-roll' && c.roleTitle ? c.roleTitle : t(`roles.${c.role}`);

  return (
    <section aria-labelledby="contact-heading" className="panel">
      <h2 id="contact-heading">{say('contactTitle')}</h2>
      {fast ? (
        <div className="fast-contact">
          <p className="contact-role">{say('contactFast')}</p>
          <p className="big">{fast.staffName ?? t('myPlan.contact.viaTeam')}</p>
          <p>{fast.unitName}</p>
          {fast.holderHasLeft && <p className="alert alert-info">{t('myPlan.contact.hasLeft')}</p>}
          {fast.holderHasLeft
            ? units[fast.unitId]?.phone && (
                <CallButton name={fast.unitName} phone={units[fast.unitId]!.phone!} />
              )
            : phoneOf(fast) && <CallButton name={fast.staffName ?? fast.unitName} phone={phoneOf(fast)!} />}
          {fast.reachable.length > 0 && (
            <p className="hours">{t('myPlan.contact.hours', { hours: hoursText(fast.reachable) })}</p>
          )}
          <p className="hint">{say('contactFastHint')}</p>
        </div>
      ) : (
        <p className="alert alert-info">{say('contactNoFast')}</p>
      )}
      {others.length > 0 && (
        <>
          <h3>{say('contactOthers')}</h3>
          <ul className="contact-list">
            {others.map((c) => {
              const phone = phoneOf(c);
              return (
                <li key={c.id}>
                  <p className="contact-role">{roleOf(c)}</p>
                  <p className="contact-name">
                    {c.staffName ?? t('myPlan.contact.viaTeam')}
                    <span className="muted">
                      {' '}
                      · {c.unitName} ({t(`providerKind.${c.providerKind}`)})
                    </span>
                  </p>
                  {phone && (
                    <p>
                      {t('contacts.phone')}: <a href={telHref(phone)}>{phone}</a>
                      {c.reachable.length > 0 && (
                        <span className="muted">
                          {' '}
                          ({t('myPlan.contact.hours', { hours: hoursText(c.reachable) })})
                        </span>
                      )}
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}

/** What to do if I get worse: the plan's own words, then 1177 and 112 (always). */
export function IfWorseCard({ ifWorse }: { ifWorse: string }) {
  const { t } = useTranslation();
  const say = useSay();
  return (
    <section aria-labelledby="if-worse-heading" className="panel panel-warning">
      <h2 id="if-worse-heading">{say('ifWorseTitle')}</h2>
      {ifWorse && (
        <>
          <p className="contact-role">{say('ifWorseAgreed')}</p>
          <p className="prose">{ifWorse}</p>
        </>
      )}
      <p>{t('myPlan.ifWorse.advice')}</p>
      <p className="call-row">
        <a className="button button-secondary" href="tel:1177">
          {t('myPlan.ifWorse.call1177')}
        </a>
      </p>
      <p>
        <strong>{t('myPlan.ifWorse.emergency')}</strong>
      </p>
      <p className="call-row">
        <a className="button button-danger" href="tel:112">
          {t('myPlan.ifWorse.call112')}
        </a>
      </p>
    </section>
  );
}
