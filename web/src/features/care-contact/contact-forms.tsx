import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, etagOf } from '../../api/client.ts';
import type { CareContactView, ReachableHours } from '../../api/types.ts';
import { ErrorAlert } from '../../components/alerts.tsx';
import { Checkbox, TextArea, TextField } from '../../components/form.tsx';
import { todayIso } from '../../components/format.ts';
import { HoursEditor } from './hours-editor.tsx';

interface FormProps {
  patientId: string;
  contact: CareContactView;
  onDone: (message: string) => void;
  onCancel: () => void;
}

async function patch(patientId: string, contact: CareContactView, body: object) {
  await api.patch(`/api/patients/${patientId}/care-contacts/${contact.id}`, body, etagOf(contact.version));
}

/** Ends an assignment, in consultation with the patient: a date and a reason. */
export function EndContactForm({ patientId, contact, onDone, onCancel }: FormProps) {
  const { t } = useTranslation();
  const [date, setDate] = useState(todayIso());
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string>();
  const [error, setError] = useState<unknown>(null);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!reason.trim()) {
      setReasonError(t('errors.required', { field: t('contacts.endReason').toLowerCase() }));
      return;
    }
    try {
      await patch(patientId, contact, { end: { date, reason: reason.trim() } });
      onDone(t('contacts.endedDone'));
    } catch (e) {
      setError(e);
    }
  }

  return (
    <form className="form" onSubmit={(e) => void submit(e)}>
      <h3>{t('contacts.endTitle', { role: t(`roles.${contact.role}`).toLowerCase() })}</h3>
      <ErrorAlert error={error} />
      <TextField label={t('contacts.endDate')} type="date" width="short" value={date} onChange={setDate} />
      <TextArea
        label={t('contacts.endReason')}
        hint={t('contacts.endReasonHint')}
        value={reason}
        onChange={setReason}
        error={reasonError}
      />
      <div className="form-actions">
        <button type="submit" className="button button-danger">
          {t('contacts.endSubmit')}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** Changes phone, hours, review date and note of a contact. */
export function EditContactForm({ patientId, contact, onDone, onCancel }: FormProps) {
  const { t } = useTranslation();
  const [phone, setPhone] = useState(contact.phone ?? '');
  const [reachable, setReachable] = useState<ReachableHours[]>(contact.reachable);
  const [reviewDate, setReviewDate] = useState(contact.reviewDate ?? '');
  const [note, setNote] = useState(contact.note ?? '');
  const [viaTeam, setViaTeam] = useState(contact.viaTeam);
  const [error, setError] = useState<unknown>(null);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    try {
      await patch(patientId, contact, {
        phone: phone || null,
        reachable,
        reviewDate: reviewDate || null,
        note: note || null,
        viaTeam,
      });
      onDone(t('contacts.updated'));
    } catch (e) {
      setError(e);
    }
  }

  return (
    <form className="form" onSubmit={(e) => void submit(e)}>
      <ErrorAlert error={error} />
      <TextField
        label={t('contacts.contactPhone')}
        type="tel"
        width="medium"
        value={phone}
        onChange={setPhone}
      />
      <HoursEditor value={reachable} onChange={setReachable} />
      <TextField
        label={t('contacts.reviewDate')}
        type="date"
        width="short"
        value={reviewDate}
        onChange={setReviewDate}
      />
      {contact.staffId && (
        <Checkbox label={t('contacts.viaTeamLabel')} checked={viaTeam} onChange={setViaTeam} />
      )}
      <TextArea label={t('contacts.note')} rows={2} value={note} onChange={setNote} />
      <div className="form-actions">
        <button type="submit" className="button button-primary">
          {t('common.save')}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
