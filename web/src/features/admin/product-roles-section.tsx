/**
 * Product roles (`/api/admin/product-roles`): who holds verksamhetschef, loggansvarig, uppföljning
 * or systemförvaltare where, giving one, and taking one away, which holds from the person's next
 * request (the server keeps the region's last systemförvaltare and says so).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { productRoles, type ProductRole } from '../../../../src/domain/access.ts';
import { api } from '../../api/client.ts';
import { useUnits } from '../../api/directory.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert } from '../../components/alerts.tsx';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { formatDateTime } from '../../components/format.ts';
import { SelectField, TextField } from '../../components/form.tsx';
import { useSession } from '../auth/session.tsx';
import { RegistryCard, RegistryList, RegistrySection } from './registry-parts.tsx';
import type { RoleHolder } from './types.ts';
import { useOutcome, useSave } from './use-save.ts';

/** The roles a place can hold that the page names (the product's, and what is left after one). */
const namedRoles = [...productRoles, 'medarbetare', 'administrativ'] as const;
type NamedRole = (typeof namedRoles)[number];
const isNamed = (role: string): role is NamedRole => (namedRoles as readonly string[]).includes(role);

export function ProductRolesSection() {
  const { t, i18n } = useTranslation();
  const { state, refresh } = useSession();
  const units = useUnits();
  const list = useApi<{ holders: RoleHolder[] }>('/api/admin/product-roles');
  const [staffId, setStaffId] = useState('');
  const [unitId, setUnitId] = useState('');
  const [role, setRole] = useState<ProductRole | ''>('');
  const [toRemove, setToRemove] = useState<RoleHolder | null>(null);
  const [shown, setShown] = useState<ProductRole | 'alla'>('alla');
  const { done, setDone, tell } = useOutcome();
  const form = useSave();
  const removal = useSave();
  const roleName = (r: string): string => (isNamed(r) ? t(`admin.roles.names.${r}`) : r);

  const holders = (list.data?.holders ?? []).filter((h) => shown === 'alla' || h.role === shown);

  async function give(event: React.FormEvent) {
    event.preventDefault();
    setDone('');
    const found: Record<string, string> = {};
    if (!staffId.trim()) found.staffId = t('admin.roles.staffIdMissing');
    if (!unitId) found.unitId = t('admin.roles.unitMissing');
    if (!role) found.role = t('admin.roles.roleMissing');
    const isGiven = await form.save(found, async () => {
      await api.post('/api/admin/product-roles', { staffId: staffId.trim(), unitId, role });
    });
    if (!isGiven) return;
    const message = t('admin.roles.given', { name: staffId.trim(), role: roleName(role) });
    tell(message);
    setStaffId('');
    setRole('');
    list.reload();
  }

  async function remove(holder: RoleHolder) {
    setToRemove(null);
    setDone('');
    let after = '';
    const isRemoved = await removal.save({}, async () => {
      const answer = await api.post<{ roleAfter: string }>('/api/admin/product-roles/remove', {
        staffId: holder.staffId,
        unitId: holder.unitId,
        role: holder.role,
      });
      after = answer.body.roleAfter;
    });
    if (!isRemoved) return;
    const message = t('admin.roles.removed', {
      role: roleName(holder.role),
      name: holder.name,
      after: roleName(after).toLowerCase(),
    });
    tell(message);
    list.reload();
    // One's own role at this unit: the menu and this page follow at once.
    if (state.status === 'ready' && state.me.staffId === holder.staffId && state.me.unitId === holder.unitId)
      await refresh();
  }

  return (
    <RegistrySection
      id="roles"
      heading={t('admin.roles.heading')}
      lead={t('admin.roles.lead')}
      done={done}
      error={removal.error}
    >
      <form className="panel admin-form" noValidate onSubmit={(e) => void give(e)}>
        <h3>{t('admin.roles.give')}</h3>
        <ErrorAlert
          error={form.error}
          fieldLabels={{
            staffId: t('admin.roles.staffId'),
            unitId: t('admin.roles.unit'),
            role: t('admin.roles.role'),
          }}
        />
        <TextField
          label={t('admin.roles.staffId')}
          hint={t('admin.roles.staffIdHint')}
          value={staffId}
          onChange={setStaffId}
          error={form.fieldErrors.staffId}
          required
          width="medium"
        />
        <SelectField
          label={t('admin.roles.unit')}
          value={unitId}
          onChange={setUnitId}
          error={form.fieldErrors.unitId}
          placeholder={t('admin.roles.unitPlaceholder')}
          options={units.map((u) => ({ value: u.id, label: `${u.name} (${u.providerName})` }))}
        />
        <SelectField<ProductRole>
          label={t('admin.roles.role')}
          value={role}
          onChange={setRole}
          error={form.fieldErrors.role}
          placeholder={t('admin.roles.rolePlaceholder')}
          options={productRoles.map((r) => ({ value: r, label: roleName(r) }))}
        />
        <button type="submit" className="button button-primary" disabled={form.isSending}>
          {form.isSending ? t('admin.saving') : t('admin.roles.save')}
        </button>
      </form>
      <h3>{t('admin.roles.listHeading')}</h3>
      <ErrorAlert error={list.error} />
      <SelectField<ProductRole | 'alla'>
        label={t('admin.roles.show')}
        value={shown}
        onChange={setShown}
        options={[
          { value: 'alla', label: t('admin.roles.showAll') },
          ...productRoles.map((r) => ({ value: r, label: roleName(r) })),
        ]}
      />
      <RegistryList isLoading={list.isLoading && !list.data} items={holders}>
        {(h) => (
          <RegistryCard
            key={`${h.staffId}/${h.unitId}`}
            name={h.name}
            id={h.staffId}
            status={roleName(h.role)}
            actions={
              <button type="button" className="button button-danger" onClick={() => setToRemove(h)}>
                {t('admin.roles.remove')}
                <span className="visually-hidden">
                  {' '}
                  {roleName(h.role)}, {h.name}, {h.unitName}
                </span>
              </button>
            }
          >
            <p className="admin-card-facts">
              {h.unitName} · {h.providerName}
            </p>
            <p className="admin-card-facts muted">
              {h.givenAt
                ? t('admin.roles.givenBy', {
                    date: formatDateTime(h.givenAt, i18n.language),
                    by: h.givenBy,
                  })
                : t('admin.roles.fromDirectory')}
            </p>
          </RegistryCard>
        )}
      </RegistryList>
      <ConfirmDialog
        isOpen={toRemove !== null}
        title={t('admin.roles.removeTitle', {
          role: toRemove ? roleName(toRemove.role).toLowerCase() : '',
          name: toRemove?.name ?? '',
        })}
        confirmLabel={t('admin.roles.remove')}
        onConfirm={() => toRemove && void remove(toRemove)}
        onCancel={() => setToRemove(null)}
      >
        <p>{t('admin.roles.removeText')}</p>
      </ConfirmDialog>
    </RegistrySection>
  );
}
