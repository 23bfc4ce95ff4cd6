/**
 * What the population register says about the patient, as staff see it: the "Skyddad identitet"
 * badge (text and a symbol, never colour alone), and a notice when the patient has died or moved
 * out of the region (src/domain/person-status.ts).
 */
import { useTranslation } from 'react-i18next';
import type { Patient } from '../../api/types.ts';
import { Notice } from '../../components/alerts.tsx';
import { formatDate } from '../../components/format.ts';

/** The badge of a protected identity. */
export function ProtectedBadge() {
  const { t } = useTranslation();
  return (
    <span className="tag tag-protected">
      <span aria-hidden="true">🔒 </span>
      {t('personStatus.protected')}
    </span>
  );
}

/** The tags a list row shows beside the patient: protected, deceased, moved away. */
export function PersonStatusTags({
  isProtected,
  deceasedOn,
  movedOutOn,
}: {
  isProtected?: boolean | undefined;
  deceasedOn?: string | null | undefined;
  movedOutOn?: string | null | undefined;
}) {
  const { t } = useTranslation();
  return (
    <>
      {isProtected && <ProtectedBadge />}
      {deceasedOn && <span className="tag tag-deceased">{t('personStatus.deceased')}</span>}
      {!deceasedOn && movedOutOn && <span className="tag tag-warning">{t('personStatus.movedOut')}</span>}
    </>
  );
}

/** The notices of the patient's own page: protected identity, death, a move out of the region. */
export function PersonStatusNotices({ patient }: { patient: Patient }) {
  const { t, i18n } = useTranslation();
  const isProtected = patient.protection !== undefined && patient.protection !== 'none';
  return (
    <>
      {isProtected && (
        <Notice kind="warning">
          <ProtectedBadge /> {t('personStatus.protectedHint')}
        </Notice>
      )}
      {patient.deceasedOn && (
        <Notice>
          {t('personStatus.deceasedNotice', { date: formatDate(patient.deceasedOn, i18n.language) })}
        </Notice>
      )}
      {!patient.deceasedOn && patient.movedOutOn && (
        <Notice kind="warning">
          {t('personStatus.movedOutNotice', { date: formatDate(patient.movedOutOn, i18n.language) })}
        </Notice>
      )}
    </>
  );
}
