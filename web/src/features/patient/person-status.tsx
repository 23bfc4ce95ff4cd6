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
      {/* A padlock drawn inline: an emoji depends on the device's fonts. */}
      <svg aria-hidden="true" className="tag-icon" viewBox="0 0 12 14" width="10" height="12">
        <path d="M3 6V4a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" strokeWidth="1.6" />
        <rect x="1" y="6" width="10" height="8" rx="1.5" fill="currentColor" />
      </svg>{' '}
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
