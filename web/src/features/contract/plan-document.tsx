import { useTranslation } from 'react-i18next';
import type { Overview, ReachableHours } from '../../api/types.ts';
import {
  formatDate,
  formatDateTime,
  formatIdentifier,
  swedishDayOfWhen,
  todayIso,
} from '../../components/format.ts';

/**
 * The contract as a paper document in plain Swedish, whatever the app's language (the Gävleborg plan:
 * patients without digital services are served on paper too). The staff print view and the
 * patient's own print view print this same document.
 */
export function PlanDocument({ overview }: { overview: Overview }) {
  const { i18n } = useTranslation();
  const sv = i18n.getFixedT('sv');
  const { patient, contract, careContacts, units, staff } = overview;
  const content = contract?.content;
  const hours = (list: ReachableHours[]) => {
    const bySpan = new Map<string, number[]>();
    for (const h of list)
      bySpan.set(`${h.from}–${h.to}`, [...(bySpan.get(`${h.from}–${h.to}`) ?? []), h.weekday]);
    return [...bySpan]
      .map(
        ([span, days]) =>
          `${days.map((d) => sv(`weekdayShort.${d}` as 'weekdayShort.1')).join(', ')} ${span}`,
      )
      .join('; ');
  };
  const today = todayIso();
  const upcoming = (content?.activities ?? [])
    .filter((a) => (a.status === 'planerad' || a.status === 'bokad') && swedishDayOfWhen(a.when) >= today)
    .sort((a, b) => a.when.localeCompare(b.when));

  return (
    <article className="print-sheet" lang="sv">
      <p className="big">
        {sv('print.forPatient')} {patient.givenName} {patient.familyName},{' '}
        {formatIdentifier(patient.identifier)}
      </p>
      <p className="muted">{sv('print.printed', { date: formatDate(today, 'sv') })}</p>
      <p>{sv('print.intro')}</p>

      <section>
        <h2>{sv('print.next')}</h2>
        {content?.nextContact ? (
          <p>
            <strong>{formatDateTime(content.nextContact.at, 'sv')}</strong>
            <br />
            {sv(`contactMode.${content.nextContact.mode}`)}
            {content.nextContact.durationMinutes !== undefined &&
              ` (${sv('nextContact.about', { count: content.nextContact.durationMinutes })})`}
            , {units[content.nextContact.unitId]?.name}
            {content.nextContact.withStaffId &&
              staff[content.nextContact.withStaffId] &&
              `, ${staff[content.nextContact.withStaffId]?.name}`}
            {/* The note is written to the patient (the editor says so), word for word. */}
            {content.nextContact.note && (
              <>
                <br />
                {content.nextContact.note}
              </>
            )}
          </p>
        ) : (
          <>
            <p>{sv('print.noNext')}</p>
            {content?.noNextContactReason && <p>{content.noNextContactReason}</p>}
          </>
        )}
      </section>

      <section>
        <h2>{sv('print.contacts')}</h2>
        <ul className="plain-list">
          {careContacts.map((c) => (
            <li key={c.id}>
              <strong>
                {c.role === 'behandlande-roll' && c.roleTitle ? c.roleTitle : sv(`roles.${c.role}`)}
              </strong>
              : {c.staffName ?? sv('contacts.viaTeam')}, {c.unitName}
              {(c.phone ?? units[c.unitId]?.phone) && (
                <>
                  <br />
                  {sv('print.callHours')} {c.phone ?? units[c.unitId]?.phone}
                  {c.reachable.length > 0 && ` (${hours(c.reachable)})`}
                </>
              )}
            </li>
          ))}
        </ul>
      </section>

      {content && (
        <>
          <section>
            <h2>{sv('print.whatMatters')}</h2>
            <p className="prose">{content.whatMatters || '–'}</p>
          </section>
          <section>
            <h2>{sv('print.goals')}</h2>
            <ul>
              {content.goals.map((g) => (
                <li key={g.id}>{g.text}</li>
              ))}
            </ul>
          </section>
          <section>
            <h2>{sv('print.responsibilities')}</h2>
            <ul>
              {content.patientResponsibilities.map((r) => (
                <li key={r.id}>{r.text}</li>
              ))}
            </ul>
          </section>
          <section>
            <h2>{sv('print.ifWorse')}</h2>
            <p className="prose">{content.ifWorse || '–'}</p>
          </section>
          <section>
            <h2>{sv('print.plan')}</h2>
            {upcoming.length === 0 ? (
              <p>{sv('print.planEmpty')}</p>
            ) : (
              <ul>
                {upcoming.map((a) => (
                  <li key={a.id}>
                    {formatDate(a.when, 'sv')}: {a.what}, {units[a.unitId]?.name}
                  </li>
                ))}
              </ul>
            )}
            {content.reviewDate && (
              <p>{sv('print.review', { date: formatDate(content.reviewDate, 'sv') })}</p>
            )}
          </section>
        </>
      )}
      <p className="alert">{sv('print.emergency')}</p>
    </article>
  );
}
