/**
 * For the unit's verksamhetschef: the plans whose fast vårdkontakt has left the unit (the
 * directory ended their assignment). The plan still names them until a new one is appointed;
 * this list makes sure someone does (GET /api/directory/needs-new-fast-vardkontakt).
 */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert } from '../../components/alerts.tsx';
import { formatDateTime } from '../../components/format.ts';
import { useMe } from '../auth/session.tsx';

interface NeedsNewContact {
  kind: 'needs-new-fast-vardkontakt';
  contactId: string;
  patientId: string;
  patientName: string;
  staffName: string;
  leftAt: string;
}

export function NeedsNewContact() {
  const { t, i18n } = useTranslation();
  const { me, units } = useMe();
  const isManager = units.find((u) => u.unitId === me.unitId)?.role === 'verksamhetschef';
  const list = useApi<{ items: NeedsNewContact[] }>(
    isManager ? '/api/directory/needs-new-fast-vardkontakt' : null,
  );
  const items = list.data?.items ?? [];
  if (!isManager || (items.length === 0 && !list.error)) return null;
  return (
    <section aria-labelledby="needs-new-contact" className="panel">
      <h2 id="needs-new-contact">
        {t('worklist.needsNewContact.title')} <span className="count">({items.length})</span>
      </h2>
      <ErrorAlert error={list.error} />
      <ul>
        {items.map((item) => (
          <li key={item.contactId}>
            <Link to={`/patient/${item.patientId}/kontakter?utse=fast-vardkontakt`}>{item.patientName}</Link>
            {': '}
            {t('worklist.needsNewContact.left', {
              name: item.staffName,
              when: formatDateTime(item.leftAt, i18n.language),
            })}
          </li>
        ))}
      </ul>
    </section>
  );
}
