import { useTranslation } from 'react-i18next';
import type { ReachableHours } from '../../api/types.ts';
import { Checkbox, TextField } from '../../components/form.tsx';

/** Phone hours: the same time span on the chosen weekdays (Inera's model: weekday, from, to). */
export function HoursEditor({
  value,
  onChange,
}: {
  value: ReachableHours[];
  onChange: (v: ReachableHours[]) => void;
}) {
  const { t } = useTranslation();
  const days = new Set(value.map((h) => h.weekday));
  const from = value[0]?.from ?? '08:00';
  const to = value[0]?.to ?? '09:00';
  const build = (nextDays: Set<number>, f: string, tt: string): ReachableHours[] =>
    [...nextDays].sort().map((weekday) => ({ weekday, from: f, to: tt }));
  return (
    <fieldset className="field">
      <legend>{t('contacts.weekdays')}</legend>
      <div className="radio-inline">
        {[1, 2, 3, 4, 5, 6, 7].map((d) => (
          <Checkbox
            key={d}
            label={t(`weekdayShort.${d}` as 'weekdayShort.1')}
            checked={days.has(d)}
            onChange={(checked) => {
              const next = new Set(days);
              if (checked) next.add(d);
              else next.delete(d);
              onChange(build(next, from, to));
            }}
          />
        ))}
      </div>
      <div className="inline-fields">
        <TextField
          label={t('contacts.from')}
          type="time"
          width="short"
          value={from}
          onChange={(f) => onChange(build(days, f, to))}
        />
        <TextField
          label={t('contacts.to')}
          type="time"
          width="short"
          value={to}
          onChange={(tt) => onChange(build(days, from, tt))}
        />
      </div>
    </fieldset>
  );
}
