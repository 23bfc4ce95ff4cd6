/**
 * SMART clients (`/api/admin/smart-clients`): the registered ones and a form that registers one or
 * replaces its registration (the same checks as `npm run smart-client`: one care provider, resource
 * scopes, https origins and endpoints, answered at the fields); deregistering ends its tokens at
 * the next call.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert } from '../../components/alerts.tsx';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { TextArea, TextField } from '../../components/form.tsx';
import { linesOf, textOf } from './lines.ts';
import {
  missingFields,
  RegistryCard,
  RegistryForm,
  RegistryList,
  RegistrySection,
} from './registry-parts.tsx';
import type { SmartClient } from './types.ts';
import { useOutcome, useRegistryDraft, useSave } from './use-save.ts';

interface Draft {
  clientId: string;
  name: string;
  providerId: string;
  scopes: string;
  corsOrigins: string;
  subscriptionEndpoints: string;
}

const empty: Draft = {
  clientId: '',
  name: '',
  providerId: '',
  scopes: '',
  corsOrigins: '',
  subscriptionEndpoints: '',
};

export function SmartClientsSection() {
  const { t } = useTranslation();
  const list = useApi<{ clients: SmartClient[] }>('/api/admin/smart-clients');
  const [toDeactivate, setToDeactivate] = useState<SmartClient | null>(null);
  const { done, setDone, tell } = useOutcome();
  const form = useSave();
  const deactivation = useSave();
  const { draft, set, editing, edit: show, clear } = useRegistryDraft(empty, 'admin-clients-form', form);

  function check(): Record<string, string> {
    return missingFields(
      draft,
      [
        ['clientId', t('admin.clients.clientId')],
        ['name', t('admin.clients.name')],
        ['providerId', t('admin.clients.provider')],
      ],
      (label) => t('admin.ehr.required', { field: label.toLowerCase() }),
    );
  }

  async function submit() {
    setDone('');
    const clientId = draft.clientId.trim();
    const isSaved = await form.save(check(), async () => {
      await api.put(`/api/admin/smart-clients/${encodeURIComponent(clientId)}`, {
        name: draft.name.trim(),
        providerId: draft.providerId.trim(),
        scopes: linesOf(draft.scopes),
        corsOrigins: linesOf(draft.corsOrigins),
        subscriptionEndpoints: linesOf(draft.subscriptionEndpoints),
      });
    });
    if (!isSaved) return;
    tell(t('admin.clients.saved', { id: clientId }));
    clear();
    list.reload();
  }

  async function deactivate(client: SmartClient) {
    setToDeactivate(null);
    setDone('');
    const isDone = await deactivation.save({}, async () => {
      await api.post(`/api/admin/smart-clients/${encodeURIComponent(client.clientId)}/deactivate`);
    });
    if (!isDone) return;
    tell(t('admin.clients.deactivated', { id: client.clientId }));
    list.reload();
  }

  function edit(client: SmartClient) {
    setDone('');
    show(client.clientId, {
      clientId: client.clientId,
      name: client.name,
      providerId: client.providerId,
      scopes: textOf(client.scopes),
      corsOrigins: textOf(client.corsOrigins),
      subscriptionEndpoints: textOf(client.subscriptionEndpoints),
    });
  }

  const nothing = t('admin.clients.nothing');
  return (
    <RegistrySection
      id="clients"
      heading={t('admin.clients.heading')}
      lead={t('admin.clients.lead')}
      done={done}
      error={deactivation.error}
    >
      <h3>{t('admin.clients.listHeading')}</h3>
      <ErrorAlert error={list.error} />
      <RegistryList isLoading={list.isLoading && !list.data} items={list.data?.clients}>
        {(c) => (
          <RegistryCard
            key={c.clientId}
            name={c.name}
            id={c.clientId}
            status={c.isActive ? t('admin.active') : t('admin.deactivated')}
            isOff={!c.isActive}
            onEdit={() => edit(c)}
            actions={
              c.isActive && (
                <button type="button" className="button button-danger" onClick={() => setToDeactivate(c)}>
                  {t('admin.clients.deactivate')}
                  <span className="visually-hidden"> {c.name}</span>
                </button>
              )
            }
          >
            <p className="admin-card-facts">{t('admin.clients.providerLabel', { provider: c.providerId })}</p>
            <p className="admin-card-facts">
              {t('admin.clients.scopesLabel', { scopes: c.scopes.join(' ') || nothing })}
            </p>
            <p className="admin-card-facts muted">
              {t('admin.clients.originsLabel', { origins: c.corsOrigins.join(' ') || nothing })}
            </p>
          </RegistryCard>
        )}
      </RegistryList>
      <ConfirmDialog
        isOpen={toDeactivate !== null}
        title={t('admin.clients.deactivateTitle', { name: toDeactivate?.name ?? '' })}
        confirmLabel={t('admin.clients.deactivate')}
        onConfirm={() => toDeactivate && void deactivate(toDeactivate)}
        onCancel={() => setToDeactivate(null)}
      >
        <p>{t('admin.clients.deactivateText')}</p>
      </ConfirmDialog>

      <RegistryForm
        id="admin-clients-form"
        heading={editing ? t('admin.clients.formChange', { id: editing }) : t('admin.clients.formAdd')}
        error={form.error}
        fieldLabels={{
          clientId: t('admin.clients.clientId'),
          name: t('admin.clients.name'),
          providerId: t('admin.clients.provider'),
          scopes: t('admin.clients.scopes'),
          corsOrigins: t('admin.clients.origins'),
          subscriptionEndpoints: t('admin.clients.endpoints'),
        }}
        onSubmit={() => void submit()}
        isSending={form.isSending}
        saveLabel={t('admin.clients.save')}
        isChanging={editing !== null}
        onCancel={() => {
          clear();
          form.reset();
        }}
      >
        {editing === null && (
          <TextField
            label={t('admin.clients.clientId')}
            hint={t('admin.clients.clientIdHint')}
            value={draft.clientId}
            onChange={set('clientId')}
            error={form.fieldErrors.clientId}
            required
          />
        )}
        <TextField
          label={t('admin.clients.name')}
          value={draft.name}
          onChange={set('name')}
          error={form.fieldErrors.name}
          required
        />
        <TextField
          label={t('admin.clients.provider')}
          hint={t('admin.clients.providerHint')}
          value={draft.providerId}
          onChange={set('providerId')}
          error={form.fieldErrors.providerId}
          required
          width="medium"
        />
        <TextArea
          label={t('admin.clients.scopes')}
          hint={t('admin.clients.scopesHint')}
          value={draft.scopes}
          onChange={set('scopes')}
          error={form.fieldErrors.scopes}
        />
        <TextArea
          label={t('admin.clients.origins')}
          hint={t('admin.clients.originsHint')}
          value={draft.corsOrigins}
          onChange={set('corsOrigins')}
          error={form.fieldErrors.corsOrigins}
        />
        <TextArea
          label={t('admin.clients.endpoints')}
          hint={t('admin.clients.endpointsHint')}
          value={draft.subscriptionEndpoints}
          onChange={set('subscriptionEndpoints')}
          error={form.fieldErrors.subscriptionEndpoints}
        />
      </RegistryForm>
    </RegistrySection>
  );
}
