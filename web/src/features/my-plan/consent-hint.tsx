import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert } from '../../components/alerts.tsx';
import { SuccessNote } from './success-note.tsx';
import { useAction } from './use-action.ts';

/** A unit of another care provider that the patient's plan names but that cannot read it. */
export interface UnitWithoutConsent {
  unitId: string;
  unitName: string;
}

/**
 * Tells the patient, in plain words, which units in their own plan cannot see it (the server's
 * `unitsWithoutConsent`: another care provider, no current consent), with one button each that
 * gives the consent. Nothing shows when every unit in the plan may read it.
 */
export function ConsentHint({
  patientId,
  units,
  onGiven,
  isNested = false,
}: {
  patientId: string;
  units: readonly UnitWithoutConsent[];
  onGiven: () => void;
  /** Inside another section: a smaller heading and no panel of its own. */
  isNested?: boolean;
}) {
  const { t } = useTranslation();
  const { error, done, busy, run } = useAction(onGiven);
  if (units.length === 0 && !done) return null;
  return (
    <section
      aria-labelledby="consent-hint-heading"
      className={isNested ? 'consent-hint' : 'panel consent-hint'}
    >
      {isNested ? (
        <h3 id="consent-hint-heading">{t('myPlan.consent.hintTitle')}</h3>
      ) : (
        <h2 id="consent-hint-heading">{t('myPlan.consent.hintTitle')}</h2>
      )}
      <ErrorAlert error={error} />
      <SuccessNote message={done} />
      <ul className="plain-list">
        {units.map((u) => (
          <li key={u.unitId} className="consent-hint-row">
            <p>{t('myPlan.consent.hintText', { unit: u.unitName })}</p>
            <button
              type="button"
              className="button button-primary"
              disabled={busy}
              onClick={() =>
                void run(
                  () =>
                    api.post(`/api/patients/${patientId}/consents`, {
                      scope: 'unit',
                      unitId: u.unitId,
                      method: 'digitalt',
                    }),
                  t('myPlan.consent.givenDone', { unit: u.unitName }),
                )
              }
            >
              {t('myPlan.consent.hintGive', { unit: u.unitName })}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The hint on its own, for pages that do not read the consents otherwise (Min plan). */
export function ConsentHintForPlan({ patientId }: { patientId: string }) {
  const consents = useApi<{ unitsWithoutConsent?: UnitWithoutConsent[] }>(
    `/api/patients/${patientId}/consents`,
  );
  return (
    <ConsentHint
      patientId={patientId}
      units={consents.data?.unitsWithoutConsent ?? []}
      onGiven={consents.reload}
    />
  );
}
