/**
 * Journal systems (`/api/admin/ehr-systems`): the registered ones, switched off or on, and a form
 * that registers one or changes one (the same checks as `npm run ehr-system`, answered at the
 * fields). Saving a change keeps a switched-off journal system off.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert } from '../../components/alerts.tsx';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { SelectField, TextField } from '../../components/form.tsx';
import {
  missingFields,
  RegistryCard,
  RegistryForm,
  RegistryList,
  RegistrySection,
} from './registry-parts.tsx';
import type { ClientAuth, EhrSystem } from './types.ts';
import { useOutcome, useRegistryDraft, useSave } from './use-save.ts';

interface Draft {
  id: string;
  name: string;
  iss: string;
  clientId: string;
  clientAuth: ClientAuth;
  secretRef: string;
  keyId: string;
}

const empty: Draft = {
  id: '',
  name: '',
  iss: '',
  clientId: '',
  clientAuth: 'client_secret_basic',
  secretRef: '',
  keyId: '',
};

export function EhrSystemsSection() {
  const { t } = useTranslation();
  const list = useApi<{ systems: EhrSystem[] }>('/api/admin/ehr-systems');
  const [toDisable, setToDisable] = useState<EhrSystem | null>(null);
  const { done, setDone, tell } = useOutcome();
  const form = useSave();
  const toggle = useSave();
  const {
    draft,
    setDraft,
    set,
    editing,
    edit: show,
    clear,
  } = useRegistryDraft(empty, 'admin-ehr-form', form);

  function check(): Record<string, string> {
    const found = missingFields(
      draft,
      [
        ['id', t('admin.ehr.id')],
        ['name', t('admin.ehr.name')],
        ['iss', t('admin.ehr.iss')],
        ['clientId', t('admin.ehr.clientId')],
      ],
      (label) => t('admin.ehr.required', { field: label.toLowerCase() }),
    );
    if (draft.clientAuth !== 'none' && !draft.secretRef.trim())
      found.secretRef = t('admin.ehr.required', { field: t('admin.ehr.secretRef').toLowerCase() });
    return found;
  }

  async function submit() {
    setDone('');
    const id = draft.id.trim();
    const isSaved = await form.save(check(), async () => {
      await api.put(`/api/admin/ehr-systems/${encodeURIComponent(id)}`, {
        name: draft.name.trim(),
        iss: draft.iss.trim(),
        clientId: draft.clientId.trim(),
        clientAuth: draft.clientAuth,
        ...(draft.clientAuth !== 'none' ? { secretRef: draft.secretRef.trim() } : {}),
        ...(draft.clientAuth === 'private_key_jwt' && draft.keyId.trim()
          ? { keyId: draft.keyId.trim() }
          : {}),
      });
    });
    if (!isSaved) return;
    tell(t('admin.ehr.saved', { id }));
    clear();
    list.reload();
  }

  async function setActive(system: EhrSystem, active: boolean) {
    setToDisable(null);
    setDone('');
    const isDone = await toggle.save({}, async () => {
      await api.post(
        `/api/admin/ehr-systems/${encodeURIComponent(system.id)}/${active ? 'enable' : 'disable'}`,
      );
    });
    if (!isDone) return;
    tell(t(active ? 'admin.ehr.enabled' : 'admin.ehr.disabled', { id: system.id }));
    list.reload();
  }

  function edit(system: EhrSystem) {
    setDone('');
    show(system.id, {
      id: system.id,
      name: system.name,
      iss: system.iss,
      clientId: system.clientId,
      clientAuth: system.clientAuth,
      secretRef: system.secretRef ?? '',
      keyId: system.keyId ?? '',
    });
  }

  return (
    <RegistrySection
      id="ehr"
      heading={t('admin.ehr.heading')}
      lead={t('admin.ehr.lead')}
      done={done}
      error={toggle.error}
    >
      <h3>{t('admin.ehr.listHeading')}</h3>
      <ErrorAlert error={list.error} />
      <RegistryList isLoading={list.isLoading && !list.data} items={list.data?.systems}>
        {(s) => (
          <RegistryCard
            key={s.id}
            name={s.name}
            id={s.id}
            status={s.active ? t('admin.active') : t('admin.inactive')}
            isOff={!s.active}
            onEdit={() => edit(s)}
            actions={
              s.active ? (
                <button type="button" className="button button-danger" onClick={() => setToDisable(s)}>
                  {t('admin.ehr.disable')}
                  <span className="visually-hidden"> {s.name}</span>
                </button>
              ) : (
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => void setActive(s, true)}
                >
                  {t('admin.ehr.enable')}
                  <span className="visually-hidden"> {s.name}</span>
                </button>
              )
            }
          >
            <p className="admin-card-facts">{s.iss}</p>
            <p className="admin-card-facts muted">
              {s.clientId} · {s.clientAuth}
              {s.secretRef ? ` · SMART_SECRET_${s.secretRef}` : ''}
            </p>
          </RegistryCard>
        )}
      </RegistryList>
      <ConfirmDialog
        isOpen={toDisable !== null}
        title={t('admin.ehr.disableTitle', { name: toDisable?.name ?? '' })}
        confirmLabel={t('admin.ehr.disable')}
        onConfirm={() => toDisable && void setActive(toDisable, false)}
        onCancel={() => setToDisable(null)}
      >
        <p>{t('admin.ehr.disableText')}</p>
      </ConfirmDialog>

      <RegistryForm
        id="admin-ehr-form"
        heading={editing ? t('admin.ehr.formChange', { id: editing }) : t('admin.ehr.formAdd')}
        error={form.error}
        fieldLabels={{
          id: t('admin.ehr.id'),
          name: t('admin.ehr.name'),
          iss: t('admin.ehr.iss'),
          clientId: t('admin.ehr.clientId'),
          clientAuth: t('admin.ehr.clientAuth'),
          secretRef: t('admin.ehr.secretRef'),
          keyId: t('admin.ehr.keyId'),
        }}
        onSubmit={() => void submit()}
        isSending={form.isSending}
        saveLabel={t('admin.ehr.save')}
        isChanging={editing !== null}
        onCancel={() => {
          clear();
          form.reset();
        }}
      >
        {editing === null && (
          <TextField
            label={t('admin.ehr.id')}
            hint={t('admin.ehr.idHint')}
            value={draft.id}
            onChange={set('id')}
            error={form.fieldErrors.id}
            required
            width="medium"
          />
        )}
        <TextField
          label={t('admin.ehr.name')}
          value={draft.name}
          onChange={set('name')}
          error={form.fieldErrors.name}
          required
        />
        <TextField
          label={t('admin.ehr.iss')}
          hint={t('admin.ehr.issHint')}
          value={draft.iss}
          onChange={set('iss')}
          error={form.fieldErrors.iss}
          required
        />
        <TextField
          label={t('admin.ehr.clientId')}
          value={draft.clientId}
          onChange={set('clientId')}
          error={form.fieldErrors.clientId}
          required
        />
        <SelectField<ClientAuth>
          label={t('admin.ehr.clientAuth')}
          value={draft.clientAuth}
          onChange={(value) => setDraft((d) => ({ ...d, clientAuth: value }))}
          error={form.fieldErrors.clientAuth}
          options={[
            { value: 'client_secret_basic', label: t('admin.ehr.clientAuthSecret') },
            { value: 'private_key_jwt', label: t('admin.ehr.clientAuthKey') },
            { value: 'none', label: t('admin.ehr.clientAuthNone') },
          ]}
        />
        {draft.clientAuth !== 'none' && (
          <TextField
            label={t('admin.ehr.secretRef')}
            hint={t('admin.ehr.secretRefHint')}
            value={draft.secretRef}
            onChange={set('secretRef')}
            error={form.fieldErrors.secretRef}
            required
            width="medium"
          />
        )}
        {draft.clientAuth === 'private_key_jwt' && (
          <TextField
            label={t('admin.ehr.keyId')}
            value={draft.keyId}
            onChange={set('keyId')}
            error={form.fieldErrors.keyId}
            width="medium"
          />
        )}
      </RegistryForm>
    </RegistrySection>
  );
}
