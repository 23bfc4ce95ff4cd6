import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { WorklistPatient } from '../../api/types.ts';
import { formatIdentifier, todayIso } from '../../components/format.ts';
import { swedishDayOf, swedishOffsetMs } from '../../../../src/domain/swedish-time.ts';
import { localeOf } from '../../i18n/index.ts';
import { PersonStatusTags } from '../patient/person-status.tsx';

/** A compact date that fits one line: "mån 8 dec. 10:00" (the year only when not this year), or "8 dec. 2026" for a day. */
export function formatShortDate(value: string | null, lng: string): string {
  if (!value) return '–';
  if (value.length === 10) {
    return new Intl.DateTimeFormat(localeOf(lng), { day: 'numeric', month: 'short', year: 'numeric' }).format(
      new Date(`${value}T12:00:00`),
    );
  }
  const date = new Date(value);
  const isThisYear = swedishDayOf(date).slice(0, 4) === todayIso().slice(0, 4);
  // The Swedish wall-clock time, written as if it were UTC (swedish-time.ts is the one rule).
  const wallClock = new Date(date.getTime() + swedishOffsetMs(date.getTime()));
  return new Intl.DateTimeFormat(localeOf(lng), {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(isThisYear ? {} : { year: 'numeric' }),
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
  }).format(wallClock);
}

/**
 * My patients, one row each, most urgent first (the server's order): what waits for me in words
 * and with a badge (not colour alone), then the dates on one line each.
 */
export function WorklistTable({
  patients,
  showRoles,
  headingId,
}: {
  patients: WorklistPatient[];
  /** Only when my roles differ between patients; otherwise the column says the same on every row. */
  showRoles: boolean;
  headingId: string;
}) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  return (
    <div className="table-wrap worklist-table" role="region" aria-labelledby={headingId} tabIndex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('worklist.colPatient')}</th>
            <th scope="col">{t('worklist.colTodo')}</th>
            <th scope="col">{t('worklist.colNext')}</th>
            <th scope="col">{t('worklist.colReview')}</th>
            <th scope="col">{t('worklist.colContract')}</th>
            {showRoles && <th scope="col">{t('worklist.colRoles')}</th>}
          </tr>
        </thead>
        <tbody>
          {patients.map((p) => (
            <tr key={p.patientId} className={`tier-${p.tier}`}>
              <td data-label={t('worklist.colPatient')} className="worklist-patient">
                <Link to={`/patient/${p.patientId}`}>{p.name}</Link>{' '}
                <span className="muted nowrap">{formatIdentifier(p.identifier)}</span>
                {(p.isProtected || p.deceasedOn || p.movedOutOn) && (
                  <>
                    {' '}
                    <PersonStatusTags
                      isProtected={p.isProtected}
                      deceasedOn={p.deceasedOn}
                      movedOutOn={p.movedOutOn}
                    />
                  </>
                )}
              </td>
              <td data-label={t('worklist.colTodo')}>
                <WhatWaits patient={p} />
              </td>
              <td data-label={t('worklist.colNext')} className="nowrap">
                {formatShortDate(p.nextContactAt, lng)}
              </td>
              <td data-label={t('worklist.colReview')} className="nowrap">
                {formatShortDate(p.reviewDate, lng)}
              </td>
              <td data-label={t('worklist.colContract')} className="nowrap">
                {p.contractStatus ? t(`contractStatus.${p.contractStatus}`) : t('worklist.noContract')}
              </td>
              {showRoles && (
                <td data-label={t('worklist.colRoles')}>{p.roles.map((r) => t(`roles.${r}`)).join(', ')}</td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The badge of the row's tier and what it is about, in words. */
function WhatWaits({ patient: p }: { patient: WorklistPatient }) {
  const { t } = useTranslation();
  const isContactOverdue = p.nextContactState === 'overdue';
  const isContactToday =
    !isContactOverdue && p.nextContactAt !== null && swedishDayOf(p.nextContactAt) === todayIso();
  const isReviewToday = p.reviewDate === todayIso() && p.contractStatus === 'active';
  const items: string[] = [];
  if (p.nextContactChangeRequested) items.push(t('nextContact.changeRequested'));
  if (isContactOverdue) items.push(t('worklist.contactPassed'));
  if (p.isReviewOverdue) items.push(t('worklist.reviewPassed'));
  if (isContactToday) items.push(t('worklist.contactToday'));
  if (isReviewToday) items.push(t('worklist.reviewToday'));
  if (p.tier === 'later' && items.length === 0) return <span className="muted">–</span>;
  return (
    <>
      {p.tier !== 'later' && (
        <span className={`tag worklist-badge badge-${p.tier}`}>
          <span aria-hidden="true">{tierIcon[p.tier]} </span>
          {t(`worklist.badge.${p.tier}`)}
        </span>
      )}{' '}
      {items.join(' · ')}
      {p.nextContactChangeRequested && p.nextContactPatientMessage && (
        <span className="worklist-quote"> ”{p.nextContactPatientMessage}”</span>
      )}
    </>
  );
}

const tierIcon = { waiting: '✉', overdue: '!', today: '●', later: '' } as const;
