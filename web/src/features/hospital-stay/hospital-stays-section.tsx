/**
 * The patient's stays in hospital, where the enrolment in the mobile team is shown: "Registrera
 * inläggning" (pauses the enrolment) and, while the patient is in hospital, "Registrera
 * utskrivning" (resumes it). After a discharge the plan takes over (lag (2017:612) om samverkan
 * vid utskrivning från sluten hälso- och sjukvård): the answer links to the plan and shows its
 * next contact, the fast vårdkontakt and what is still to be done.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DischargeFollowUp, HospitalStay } from '../../../../src/domain/hospital-stay.ts';
import { api } from '../../api/client.ts';
import { useUnits } from '../../api/directory.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert } from '../../components/alerts.tsx';
import { useAnnounce } from '../../components/announcer.tsx';
import { SelectField, TextField } from '../../components/form.tsx';
import { fromLocalInput, toLocalInput } from '../../components/format.ts';
import { formatWhen } from '../escalation/when.ts';

const nowInput = (): string => toLocalInput(new Date().toISOString());

function AdmitForm({ patientId, onSaved }: { patientId: string; onSaved: () => void }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const units = useUnits().filter((u) => u.kind === 'sjukhus' || u.kind === 'specialistmottagning');
  const [unitId, setUnitId] = useState('');
  const [at, setAt] = useState(nowInput);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    setError(null);
    try {
      await api.post(`/api/patients/${patientId}/hospital-stays`, {
        unitId,
        admittedAt: fromLocalInput(at) ?? at,
      });
      announce(t('mobileTeam.hospitalStay.admitted'));
      onSaved();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <details className="panel">
      <summary>{t('mobileTeam.hospitalStay.admit')}</summary>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <SelectField
          label={t('mobileTeam.hospitalStay.unit')}
          value={unitId}
          onChange={setUnitId}
          placeholder={t('mobileTeam.hospitalStay.unitPlaceholder')}
          options={units.map((u) => ({ value: u.id, label: `${u.name} (${u.providerName})` }))}
        />
        <TextField
          label={t('mobileTeam.hospitalStay.admittedAt')}
          type="datetime-local"
          value={at}
          onChange={setAt}
          width="medium"
        />
        <ErrorAlert
          error={error}
          fieldLabels={{
            '/unitId': t('mobileTeam.hospitalStay.unit'),
            '/admittedAt': t('mobileTeam.hospitalStay.admittedAt'),
          }}
        />
        <button type="submit" className="button button-primary" disabled={!unitId}>
          {t('mobileTeam.hospitalStay.admitSubmit')}
        </button>
      </form>
    </details>
  );
}

function DischargeForm({
  patientId,
  stay,
  onDischarged,
}: {
  patientId: string;
  stay: HospitalStay;
  onDischarged: (followUp: DischargeFollowUp) => void;
}) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [at, setAt] = useState(nowInput);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    setError(null);
    try {
      const res = await api.post<{ followUp: DischargeFollowUp }>(
        `/api/patients/${patientId}/hospital-stays/${stay.id}/discharge`,
        { dischargedAt: fromLocalInput(at) ?? at },
      );
      announce(t('mobileTeam.hospitalStay.discharged'));
      onDischarged(res.body.followUp);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form
      className="form"
      aria-label={t('mobileTeam.hospitalStay.discharge')}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <TextField
        label={t('mobileTeam.hospitalStay.dischargedAt')}
        type="datetime-local"
        value={at}
        onChange={setAt}
        width="medium"
      />
      <ErrorAlert
        error={error}
        fieldLabels={{ '/dischargedAt': t('mobileTeam.hospitalStay.dischargedAt') }}
      />
      <button type="submit" className="button button-primary">
        {t('mobileTeam.hospitalStay.dischargeSubmit')}
      </button>
    </form>
  );
}

function AfterDischarge({ patientId, followUp }: { patientId: string; followUp: DischargeFollowUp }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="card" role="status">
      <h3>{t('mobileTeam.hospitalStay.afterTitle')}</h3>
      <p className="muted">{t('mobileTeam.hospitalStay.afterLead')}</p>
      {followUp.nextContact && (
        <p>
          {t('mobileTeam.hospitalStay.nextContact', {
            time: formatWhen(followUp.nextContact.at, t, i18n.language),
          })}
        </p>
      )}
      {followUp.fastVardkontakt && (
        <p>{t('mobileTeam.hospitalStay.fastVardkontakt', { name: followUp.fastVardkontakt.name })}</p>
      )}
      {followUp.todo.length > 0 && (
        <>
          <p className="contact-role">{t('mobileTeam.hospitalStay.todo')}</p>
          <ul>
            {followUp.todo.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        </>
      )}
      <Link className="button button-secondary" to={`/patient/${patientId}`}>
        {t('mobileTeam.hospitalStay.openPlan')}
      </Link>
    </div>
  );
}

export function HospitalStaysSection({ patientId, onChanged }: { patientId: string; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const stays = useApi<{ stays: HospitalStay[] }>(`/api/patients/${patientId}/hospital-stays?limit=10`);
  const [followUp, setFollowUp] = useState<DischargeFollowUp | null>(null);
  const list = stays.data?.stays ?? [];
  const open = list.find((s) => s.dischargedAt === null) ?? null;
  const earlier = list.filter((s) => s !== open);
  const changed = () => {
    stays.reload();
    onChanged();
  };
  return (
    <section className="panel" aria-labelledby="hospital-stays-title">
      <h2 id="hospital-stays-title">{t('mobileTeam.hospitalStay.title')}</h2>
      <p className="muted">{t('mobileTeam.hospitalStay.lead')}</p>
      <ErrorAlert error={stays.error} />
      {open ? (
        <div className="card">
          <p className="card-title">
            {t('mobileTeam.hospitalStay.inHospital', {
              time: formatWhen(open.admittedAt, t, lng),
              unit: open.unitName ?? open.unitId ?? '',
            })}
          </p>
          <DischargeForm
            patientId={patientId}
            stay={open}
            onDischarged={(f) => {
              setFollowUp(f);
              changed();
            }}
          />
        </div>
      ) : (
        stays.data && (
          <AdmitForm
            patientId={patientId}
            onSaved={() => {
              setFollowUp(null);
              changed();
            }}
          />
        )
      )}
      {followUp && <AfterDischarge patientId={patientId} followUp={followUp} />}
      {stays.data && list.length === 0 && <p>{t('mobileTeam.hospitalStay.none')}</p>}
      {earlier.length > 0 && (
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="hospital-stays-history">
          <table>
            <caption id="hospital-stays-history">{t('mobileTeam.hospitalStay.history')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('mobileTeam.hospitalStay.periodColumn')}</th>
                <th scope="col">{t('mobileTeam.hospitalStay.unitColumn')}</th>
                <th scope="col">{t('mobileTeam.hospitalStay.sourceColumn')}</th>
              </tr>
            </thead>
            <tbody>
              {earlier.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    {t('mobileTeam.hospitalStay.period', {
                      from: formatWhen(s.admittedAt, t, lng),
                      to: s.dischargedAt
                        ? formatWhen(s.dischargedAt, t, lng)
                        : t('mobileTeam.hospitalStay.stillIn'),
                    })}
                  </th>
                  <td data-label={t('mobileTeam.hospitalStay.unitColumn')}>{s.unitName ?? s.unitId}</td>
                  <td data-label={t('mobileTeam.hospitalStay.sourceColumn')}>
                    {s.source === 'import'
                      ? t('mobileTeam.hospitalStay.source.import')
                      : t('mobileTeam.hospitalStay.source.staff', { name: s.admittedBy?.name ?? '' })}
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
