import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { careContactRoles, singleHolderRoles } from '../../../../src/domain/care-contact.ts';
import { api } from '../../api/client.ts';
import { useStaffAt, useUnits } from '../../api/directory.ts';
import type { CareContactRole, CareContactView, ReachableHours } from '../../api/types.ts';
import { ErrorAlert } from '../../components/alerts.tsx';
import { Checkbox, RadioGroup, SelectField, TextArea, TextField } from '../../components/form.tsx';
import { unitOptions } from '../contract/part-editors.tsx';
import { useMe } from '../auth/session.tsx';
import { HoursEditor } from './hours-editor.tsx';

/**
 * Appoint a fixed contact or treating role, record a declined offer, or (with `replaces`)
 * change the person holding a one-holder role.
 */
export function AppointForm({
  patientId,
  active,
  initialRole,
  replaces,
  onDone,
  onCancel,
}: {
  patientId: string;
  active: CareContactView[];
  initialRole: CareContactRole;
  replaces?: CareContactView;
  onDone: (message: string) => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const { me } = useMe();
  const units = useUnits();
  const [role, setRole] = useState<CareContactRole>(replaces?.role ?? initialRole);
  const [unitId, setUnitId] = useState(replaces?.unitId ?? me.unitId);
  const [staffId, setStaffId] = useState(replaces ? '' : me.staffId);
  const [roleTitle, setRoleTitle] = useState(replaces?.roleTitle ?? '');
  const [reason, setReason] = useState<'patientens-begaran' | 'behov' | ''>(replaces?.reason ?? '');
  const [reviewDate, setReviewDate] = useState(replaces?.reviewDate ?? '');
  const [phone, setPhone] = useState('');
  const [reachable, setReachable] = useState<ReachableHours[]>([]);
  const [note, setNote] = useState('');
  const [isDeclined, setIsDeclined] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setIsBusy] = useState(false);
  const staff = useStaffAt(unitId).filter((s) => role !== 'fast-lakarkontakt' || s.profession === 'lakare');

  const holder = active.find((c) => c.role === role);
  const isBlockedBySecond =
    !replaces && singleHolderRoles.includes(role) && holder !== undefined && !isDeclined;
  const roleName = t(`roles.${role}`);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setIsBusy(true);
    setError(null);
    try {
      await api.post(`/api/patients/${patientId}/care-contacts`, {
        role,
        unitId,
        staffId: staffId || null,
        viaTeam: !staffId,
        ...(role === 'behandlande-roll' && roleTitle ? { roleTitle } : {}),
        ...(role === 'fast-vardkontakt' && !isDeclined ? { reason: reason || null } : {}),
        ...(reviewDate ? { reviewDate } : {}),
        ...(phone ? { phone } : {}),
        ...(reachable.length > 0 ? { reachable } : {}),
        ...(note ? { note } : {}),
        ...(isDeclined ? { status: 'declined' } : {}),
        ...(replaces ? { replaces: { id: replaces.id, version: replaces.version } } : {}),
      });
      onDone(replaces ? t('contacts.changed') : t('contacts.appointed', { role: roleName }));
    } catch (e) {
      setError(e);
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={(e) => void submit(e)}>
      <ErrorAlert error={error} />
      {!replaces && (
        <SelectField
          label={t('contacts.role')}
          value={role}
          onChange={setRole}
          options={careContactRoles.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
        />
      )}
      {isBlockedBySecond ? (
        <div className="alert alert-warning" role="status">
          <p className="alert-title">
            {role === 'fast-vardkontakt' ? t('contacts.secondFvkTitle') : roleName}
          </p>
          <p>
            {role === 'fast-vardkontakt'
              ? t('contacts.secondFvk')
              : t('contacts.secondOther', { role: roleName })}{' '}
            {t('contacts.currentHolder', { name: holder?.staffName ?? holder?.unitName })}
          </p>
        </div>
      ) : (
        <>
          {role === 'behandlande-roll' && (
            <TextField
              label={t('contacts.roleTitle')}
              hint={t('contacts.roleTitleHint')}
              value={roleTitle}
              onChange={setRoleTitle}
            />
          )}
          <SelectField
            label={t('contacts.unit')}
            value={unitId}
            onChange={(u) => {
              setUnitId(u);
              setStaffId('');
            }}
            options={unitOptions(units, t)}
          />
          <SelectField
            label={t('contacts.staff')}
            value={staffId}
            onChange={setStaffId}
            placeholder={t('contacts.staffPlaceholder')}
            options={staff.map((s) => ({
              value: s.id,
              label:
                s.id === me.staffId
                  ? t('contacts.me', { name: me.name })
                  : `${s.givenName} ${s.familyName}${s.title ? `, ${s.title}` : ''}`,
            }))}
          />
          {role === 'fast-vardkontakt' && (
            <Checkbox label={t('contacts.declined')} checked={isDeclined} onChange={setIsDeclined} />
          )}
          {role === 'fast-vardkontakt' && !isDeclined && (
            <RadioGroup
              legend={t('contacts.reason')}
              value={reason}
              onChange={setReason}
              options={[
                { value: 'patientens-begaran', label: t('contacts.reasonPatient') },
                { value: 'behov', label: t('contacts.reasonNeed') },
              ]}
            />
          )}
          {!isDeclined && (
            <>
              <TextField
                label={t('contacts.reviewDate')}
                hint={t('contacts.reviewHint')}
                type="date"
                width="short"
                value={reviewDate}
                onChange={setReviewDate}
              />
              <TextField
                label={t('contacts.contactPhone')}
                type="tel"
                width="medium"
                value={phone}
                onChange={setPhone}
              />
              <HoursEditor value={reachable} onChange={setReachable} />
            </>
          )}
          <TextArea
            label={t('contacts.note')}
            rows={2}
            value={note}
            onChange={setNote}
            hint={isDeclined ? t('contacts.declinedHint') : undefined}
          />
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={isBusy}>
              {replaces
                ? t('contacts.changeSubmit')
                : isDeclined
                  ? t('contacts.recordDecline')
                  : t('contacts.appoint')}
            </button>
            {onCancel && (
              <button type="button" className="button button-secondary" onClick={onCancel}>
                {t('common.cancel')}
              </button>
            )}
          </div>
        </>
      )}
    </form>
  );
}
