/**
 * The plan's background: the patient's current diagnoses (ICD-10), since when, and the unit that
 * made each (from the region's data, docs/imports.md). A diagnosis made at a unit hidden from the
 * reader (spärr) never reaches the page.
 */
import { useTranslation } from 'react-i18next';
import type { PatientDiagnosis } from '../../../../src/domain/diagnosis.ts';
import { formatDate } from '../../components/format.ts';

export function DiagnosesCard({ diagnoses }: { diagnoses: readonly PatientDiagnosis[] }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="panel" aria-labelledby="diagnoses-title">
      <h2 id="diagnoses-title">{t('patient.diagnoses.title')}</h2>
      {diagnoses.length === 0 ? (
        <p>{t('patient.diagnoses.none')}</p>
      ) : (
        <ul>
          {diagnoses.map((d) => (
            <li key={d.icd10}>
              <strong>{d.icd10}</strong>
              {d.since && ` · ${t('patient.diagnoses.since', { date: formatDate(d.since, i18n.language) })}`}
              {d.sourceUnitName && ` · ${d.sourceUnitName}`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
