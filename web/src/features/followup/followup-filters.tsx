/**
 * The filters: which unit or care provider (the region for `uppfoljning`, the own care provider
 * for a verksamhetschef) and which period. "Visa" puts them in the address, which the page reads.
 */
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { FollowupScope } from '../../../../src/domain/followup.ts';
import type { Unit } from '../../api/types.ts';
import { SelectField } from '../../components/form.tsx';
import { FIRST_YEAR, type FollowupFilter, type PeriodChoice, type Place } from './filters.ts';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const providerOrder = { region: 0, privat: 1, kommun: 2 } as const;

const placeKey = (place: Place): string =>
  place.kind === 'region' ? 'region' : `${place.kind === 'unit' ? 'enhet' : 'vardgivare'}:${place.id}`;

function placeOf(key: string): Place {
  const [kind, id = ''] = key.split(':');
  return kind === 'enhet'
    ? { kind: 'unit', id }
    : kind === 'vardgivare'
      ? { kind: 'provider', id }
      : { kind: 'region' };
}

const periodKey = (period: PeriodChoice): string =>
  period.kind === 'year' ? `ar:${period.year}` : period.kind === 'months' ? 'manader' : 'senaste';

interface Provider {
  id: string;
  name: string;
  kind: Unit['providerKind'];
  units: Unit[];
}

/** The care providers with their units, in the order people look for them. */
function providersOf(units: readonly Unit[], scope: FollowupScope): Provider[] {
  const byId = new Map<string, Provider>();
  for (const u of units) {
    if (scope.kind === 'own' && u.providerId !== scope.providerId) continue;
    const p = byId.get(u.providerId) ?? {
      id: u.providerId,
      name: u.providerName,
      kind: u.providerKind,
      units: [],
    };
    p.units.push(u);
    byId.set(u.providerId, p);
  }
  const providers = [...byId.values()];
  for (const p of providers) p.units.sort((a, b) => a.name.localeCompare(b.name, 'sv'));
  return providers.sort(
    (a, b) => providerOrder[a.kind] - providerOrder[b.kind] || a.name.localeCompare(b.name, 'sv'),
  );
}

export function FollowupFilters({
  filter,
  scope,
  units,
  today,
  onApply,
}: {
  filter: FollowupFilter;
  scope: FollowupScope;
  units: readonly Unit[];
  today: string;
  onApply: (filter: FollowupFilter) => void;
}) {
  const { t } = useTranslation();
  const placeId = useId();
  const monthsId = useId();
  const thisMonth = today.slice(0, 7);
  const thisYear = Number(today.slice(0, 4));
  const [place, setPlace] = useState(placeKey(filter.place));
  const [period, setPeriod] = useState(periodKey(filter.period));
  const [from, setFrom] = useState(filter.period.kind === 'months' ? filter.period.from : `${thisYear}-01`);
  const [to, setTo] = useState(filter.period.kind === 'months' ? filter.period.to : thisMonth);
  const [error, setError] = useState<string | null>(null);
  const providers = providersOf(units, scope);
  const years = Array.from({ length: 5 }, (_, i) => thisYear - i).filter((y) => y >= FIRST_YEAR);

  function submit(event: FormEvent) {
    event.preventDefault();
    let choice: PeriodChoice = { kind: 'last12' };
    if (period.startsWith('ar:')) choice = { kind: 'year', year: Number(period.slice(3)) };
    if (period === 'manader') {
      if (!MONTH.test(from) || !MONTH.test(to)) return setError(t('followup.filters.monthFormat'));
      if (from > to) return setError(t('followup.filters.monthOrder'));
      if (to > thisMonth) return setError(t('followup.filters.monthFuture'));
      choice = { kind: 'months', from, to };
    }
    setError(null);
    onApply({ place: placeOf(place), period: choice });
  }

  return (
    <form className="followup-filters" onSubmit={submit} aria-label={t('followup.filters.label')}>
      <div className="field">
        <label htmlFor={placeId}>{t('followup.filters.place')}</label>
        <select id={placeId} value={place} onChange={(e) => setPlace(e.target.value)}>
          {scope.kind === 'region' && <option value="region">{t('followup.filters.wholeRegion')}</option>}
          {providers.map((p) => (
            <optgroup key={p.id} label={p.name}>
              <option value={`vardgivare:${p.id}`}>
                {t('followup.filters.wholeProvider', { name: p.name })}
              </option>
              {p.units.map((u) => (
                <option key={u.id} value={`enhet:${u.id}`}>
                  {u.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>
      <SelectField
        label={t('followup.filters.period')}
        value={period}
        onChange={setPeriod}
        options={[
          { value: 'senaste', label: t('followup.filters.last12') },
          ...years.map((y) => ({ value: `ar:${y}`, label: t('followup.filters.year', { year: y }) })),
          { value: 'manader', label: t('followup.filters.months') },
        ]}
      />
      {period === 'manader' && (
        <fieldset
          className={`field month-range${error ? ' field-invalid' : ''}`}
          aria-describedby={`${monthsId}-hint`}
        >
          <legend>{t('followup.filters.monthRange')}</legend>
          <p className="hint" id={`${monthsId}-hint`}>
            {t('followup.filters.monthHint')}
          </p>
          {error && (
            <p className="field-error" id={`${monthsId}-error`} role="alert">
              {error}
            </p>
          )}
          <div className="inline-fields">
            <div className="field">
              <label htmlFor={`${monthsId}-from`}>{t('followup.filters.from')}</label>
              <input
                id={`${monthsId}-from`}
                type="month"
                value={from}
                min={`${FIRST_YEAR}-01`}
                max={thisMonth}
                onChange={(e) => setFrom(e.target.value)}
                aria-invalid={error ? true : undefined}
              />
            </div>
            <div className="field">
              <label htmlFor={`${monthsId}-to`}>{t('followup.filters.to')}</label>
              <input
                id={`${monthsId}-to`}
                type="month"
                value={to}
                min={`${FIRST_YEAR}-01`}
                max={thisMonth}
                onChange={(e) => setTo(e.target.value)}
                aria-invalid={error ? true : undefined}
              />
            </div>
          </div>
        </fieldset>
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary">
          {t('followup.filters.show')}
        </button>
      </div>
    </form>
  );
}
