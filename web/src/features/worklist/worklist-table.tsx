import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { WorklistPatient } from '../../api/types.ts';
import { formatDate, formatDateTime, formatIdentifier } from '../../components/format.ts';

/** All my patients, with my roles, the contract's status and the dates that matter. */
export function WorklistTable({ patients }: { patients: WorklistPatient[] }) {
  const { t, i18n } = useTranslation();
  return (
    <section aria-labelledby="all-patients" className="panel">
      <h2 id="all-patients">
        {t('worklist.allPatients')} <span className="count">({patients.length})</span>
      </h2>
      {patients.length === 0 ? (
        <p className="muted">{t('worklist.noPatients')}</p>
      ) : (
        <div className="table-wrap" role="region" aria-labelledby="all-patients" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('worklist.colPatient')}</th>
                <th scope="col">{t('worklist.colRoles')}</th>
                <th scope="col">{t('worklist.colContract')}</th>
                <th scope="col">{t('worklist.colNext')}</th>
                <th scope="col">{t('worklist.colReview')}</th>
              </tr>
            </thead>
            <tbody>
              {patients.map((p) => (
                <tr key={p.patientId}>
                  <td data-label={t('worklist.colPatient')}>
                    <Link to={`/patient/${p.patientId}`}>{p.name}</Link>
                    <br />
                    <span className="muted nowrap">{formatIdentifier(p.identifier)}</span>
                  </td>
                  <td data-label={t('worklist.colRoles')}>
                    {p.roles.map((r) => t(`roles.${r}`)).join(', ')}
                  </td>
                  <td data-label={t('worklist.colContract')}>
                    {p.contractStatus ? t(`contractStatus.${p.contractStatus}`) : t('worklist.noContract')}
                  </td>
                  <td data-label={t('worklist.colNext')}>
                    {p.nextContactAt ? formatDateTime(p.nextContactAt, i18n.language) : '–'}
                    {p.nextContactState === 'overdue' && (
                      <span className="tag tag-warning">{t('worklist.overdue')}</span>
                    )}
                    {p.nextContactChangeRequested && (
                      <span className="tag tag-warning">{t('nextContact.changeRequested')}</span>
                    )}
                  </td>
                  <td data-label={t('worklist.colReview')}>
                    {p.reviewDate ? formatDate(p.reviewDate, i18n.language) : '–'}
                    {p.isReviewOverdue && <span className="tag tag-warning">{t('worklist.passed')}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
