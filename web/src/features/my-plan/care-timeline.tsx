import { useTranslation } from 'react-i18next';
import type { PlannedActivity, StaffRef, UnitRef } from '../../api/types.ts';
import { formatDate, formatDateTime, todayIso } from '../../components/format.ts';
import { localeOf } from '../../i18n/index.ts';
import { useSay } from './voice.ts';

/** Activities grouped by month, in date order. */
function ByMonth({
  activities,
  units,
  staff,
}: {
  activities: PlannedActivity[];
  units: Record<string, UnitRef>;
  staff: Record<string, StaffRef>;
}) {
  const { t, i18n } = useTranslation();
  const monthOf = (when: string) =>
    new Intl.DateTimeFormat(localeOf(i18n.language), { month: 'long', year: 'numeric' }).format(
      new Date(when.length === 10 ? `${when}T12:00:00` : when),
    );
  const groups: { month: string; items: PlannedActivity[] }[] = [];
  for (const activity of activities) {
    const month = monthOf(activity.when);
    const last = groups[groups.length - 1];
    if (last?.month === month) last.items.push(activity);
    else groups.push({ month, items: [activity] });
  }
  return groups.map((group) => (
    <div key={group.month} className="timeline-month">
      <h3>{group.month}</h3>
      <ol className="timeline">
        {group.items.map((a) => {
          const unit = units[a.unitId];
          const person = a.responsibleStaffId ? staff[a.responsibleStaffId] : undefined;
          return (
            <li key={a.id} className={`timeline-item status-${a.status}`}>
              <p className="timeline-when">
                {a.when.length === 10
                  ? formatDate(a.when, i18n.language)
                  : formatDateTime(a.when, i18n.language)}
              </p>
              <p className="timeline-what">{a.what}</p>
              <p className="muted">
                {unit
                  ? `${unit.name} (${t(`providerKind.${unit.providerKind}`)})`
                  : t('myPlan.timeline.unknownUnit')}
                {person && ` · ${person.name}`}
              </p>
              <p>
                <span className="tag">{t(`activityStatus.${a.status}`)}</span>
                {a.note && <span> {a.note}</span>}
              </p>
            </li>
          );
        })}
      </ol>
    </div>
  ));
}

/**
 * All planned care across region and municipality, the patient's way: what is ahead first,
 * what has already happened folded away below it.
 */
export function CareTimeline({
  activities,
  units,
  staff,
}: {
  activities: PlannedActivity[];
  units: Record<string, UnitRef>;
  staff: Record<string, StaffRef>;
}) {
  const { t } = useTranslation();
  const say = useSay();
  const today = todayIso();
  const sorted = [...activities].sort((a, b) => a.when.localeCompare(b.when));
  const ahead = sorted.filter((a) => a.when.slice(0, 10) >= today);
  const earlier = sorted.filter((a) => a.when.slice(0, 10) < today).reverse();
  return (
    <section aria-labelledby="care-timeline-heading" className="panel">
      <h2 id="care-timeline-heading">{say('timelineTitle')}</h2>
      <p className="hint">{t('myPlan.timeline.lead')}</p>
      {ahead.length === 0 ? (
        <p className="muted">{t('myPlan.timeline.none')}</p>
      ) : (
        <ByMonth activities={ahead} units={units} staff={staff} />
      )}
      {earlier.length > 0 && (
        <details className="earlier">
          <summary>{t('myPlan.timeline.earlier', { count: earlier.length })}</summary>
          <ByMonth activities={earlier} units={units} staff={staff} />
        </details>
      )}
    </section>
  );
}
