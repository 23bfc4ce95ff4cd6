import { useTranslation } from 'react-i18next';
import type { NextContact, StaffRef, UnitRef } from '../../api/types.ts';
import { formatDateTime } from '../../components/format.ts';

/** "En tid i handen": the next agreed contact. */
export function NextContactCard({
  nextContact,
  units,
  staff,
}: {
  nextContact: NextContact | null;
  units: Record<string, UnitRef>;
  staff: Record<string, StaffRef>;
}) {
  const { t, i18n } = useTranslation();
  const isOverdue = nextContact !== null && new Date(nextContact.at) < new Date();
  return (
    <section aria-labelledby="next-contact-heading" className="panel panel-highlight">
      <h2 id="next-contact-heading">{t('nextContact.title')}</h2>
      {nextContact ? (
        <>
          <p className="big">{formatDateTime(nextContact.at, i18n.language)}</p>
          <p>
            {t(`contactMode.${nextContact.mode}`)} ·{' '}
            {units[nextContact.unitId]?.name ?? t('plan.unknownUnit')}
            {nextContact.withStaffId &&
              staff[nextContact.withStaffId] &&
              ` · ${staff[nextContact.withStaffId]?.name}`}
          </p>
          <p>
            <span className="tag">{t(`agreement.${nextContact.agreement}`)}</span>
            {isOverdue && <span className="tag tag-warning">{t('nextContact.overdue')}</span>}
            {nextContact.patientRequestedChange && (
              <span className="tag tag-warning">{t('nextContact.changeRequested')}</span>
            )}
          </p>
          {nextContact.note && <p>{nextContact.note}</p>}
        </>
      ) : (
        <p>{t('nextContact.none')}</p>
      )}
    </section>
  );
}
