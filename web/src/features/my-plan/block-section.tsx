import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useUnits } from '../../api/directory.ts';
import { useApi } from '../../api/use-api.ts';
import { ErrorAlert, Loading } from '../../components/alerts.tsx';
import { RadioGroup } from '../../components/form.tsx';
import { formatDate } from '../../components/format.ts';
import { GroupedSelect, unitOptions } from './unit-select.tsx';
import { SuccessNote } from './success-note.tsx';
import { EndedList } from './ended-list.tsx';
import { RowWithAction } from './row-with-action.tsx';
import { useAction } from './use-action.ts';

interface BlockRecord {
  id: string;
  scope: 'unit' | 'provider';
  unitId: string | null;
  unitName: string | null;
  providerId: string | null;
  providerName: string | null;
  createdAt: string;
  liftedAt: string | null;
}

/** Spärr (PDL 4 kap 4 §): block a unit's or a provider's information from others, and lift it. */
export function BlockSection({ patientId, mineIds }: { patientId: string; mineIds: ReadonlySet<string> }) {
  const { t, i18n } = useTranslation();
  const blocks = useApi<{ blocks: BlockRecord[] }>(`/api/patients/${patientId}/blocks`);
  const units = useUnits();
  const [scope, setScope] = useState<'unit' | 'provider'>('unit');
  const [target, setTarget] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const { error, done, busy, run } = useAction(blocks.reload);
  const active = (blocks.data?.blocks ?? []).filter((b) => b.liftedAt === null);
  const lifted = (blocks.data?.blocks ?? []).filter((b) => b.liftedAt !== null);
  const nameOf = (b: BlockRecord) => (b.scope === 'unit' ? b.unitName : b.providerName) ?? '';

  async function add(event: React.FormEvent) {
    event.preventDefault();
    if (!target) {
      setFieldError(t('myPlan.consent.chooseMissing'));
      return;
    }
    setFieldError(undefined);
    const body = scope === 'unit' ? { scope, unitId: target } : { scope, providerId: target };
    if (await run(() => api.post(`/api/patients/${patientId}/blocks`, body), t('myPlan.consent.blocked')))
      setTarget('');
  }

  const unitChoices = unitOptions(units, mineIds);
  const providers = new Map<string, { value: string; label: string; isMine: boolean }>();
  for (const u of units) {
    const entry = providers.get(u.providerId) ?? {
      value: u.providerId,
      label: u.providerName,
      isMine: false,
    };
    entry.isMine ||= mineIds.has(u.id);
    providers.set(u.providerId, entry);
  }
  const providerList = [...providers.values()].sort((a, b) => a.label.localeCompare(b.label, 'sv'));

  return (
    <section aria-labelledby="block-heading" className="panel">
      <h2 id="block-heading">{t('myPlan.consent.blockTitle')}</h2>
      <p className="hint">{t('myPlan.consent.blockLead')}</p>
      <ErrorAlert error={blocks.error ?? error} />
      <SuccessNote message={done} />
      {blocks.isLoading && !blocks.data && <Loading />}
      <h3>{t('myPlan.consent.activeBlocks')}</h3>
      {blocks.data && active.length === 0 && <p className="muted">{t('myPlan.consent.noBlocks')}</p>}
      {active.length > 0 && (
        <ul className="plain-list">
          {active.map((b) => (
            <RowWithAction
              key={b.id}
              name={nameOf(b)}
              detail={
                <>
                  {t(b.scope === 'unit' ? 'myPlan.consent.scopeUnit' : 'myPlan.consent.scopeProvider')} ·{' '}
                  {t('myPlan.consent.since', { date: formatDate(b.createdAt, i18n.language) })}
                </>
              }
              action={t('myPlan.consent.lift')}
              actionLabel={t('myPlan.consent.liftLabel', { name: nameOf(b) })}
              disabled={busy}
              onAction={() =>
                void run(
                  () => api.post(`/api/patients/${patientId}/blocks/${b.id}/lift`, {}),
                  t('myPlan.consent.lifted', { name: nameOf(b) }),
                )
              }
            />
          ))}
        </ul>
      )}
      <EndedList
        summary={t('myPlan.consent.liftedBlocks', { count: lifted.length })}
        items={lifted}
        name={nameOf}
        detail={(b) => (
          <>
            {t(b.scope === 'unit' ? 'myPlan.consent.scopeUnit' : 'myPlan.consent.scopeProvider')} ·{' '}
            {t('myPlan.consent.since', { date: formatDate(b.createdAt, i18n.language) })}
            {', '}
            {t('myPlan.consent.liftedOn', { date: formatDate(b.liftedAt ?? '', i18n.language) })}
          </>
        )}
      />
      <form className="form" onSubmit={(e) => void add(e)} noValidate>
        <RadioGroup
          legend={t('myPlan.consent.blockScope')}
          value={scope}
          onChange={(value) => {
            setScope(value);
            setTarget('');
          }}
          options={[
            { value: 'unit', label: t('myPlan.consent.scopeUnit') },
            { value: 'provider', label: t('myPlan.consent.scopeProvider') },
          ]}
        />
        <GroupedSelect
          label={t(scope === 'unit' ? 'myPlan.consent.blockUnit' : 'myPlan.consent.blockProvider')}
          error={fieldError}
          value={target}
          onChange={setTarget}
          mine={scope === 'unit' ? unitChoices.mine : providerList.filter((p) => p.isMine)}
          others={scope === 'unit' ? unitChoices.others : providerList.filter((p) => !p.isMine)}
        />
        <button type="submit" className="button button-danger" disabled={busy}>
          {t('myPlan.consent.block')}
        </button>
      </form>
    </section>
  );
}
