import { useTranslation } from 'react-i18next';
import type { PlannedActivity, StaffRef, UnitRef } from '../../api/types.ts';
import { swedishDayOfWhen, todayIso } from '../../components/format.ts';
import { ActivitiesByMonth } from '../patient/timeline.tsx';
import { useSay } from './voice.ts';

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
  const ahead = sorted.filter((a) => swedishDayOfWhen(a.when) >= today);
  const earlier = sorted.filter((a) => swedishDayOfWhen(a.when) < today).reverse();
  const byMonth = (list: PlannedActivity[]) => (
    <ActivitiesByMonth
      activities={list}
      units={units}
      staff={staff}
      unitLabel={(unit) =>
        unit ? `${unit.name} (${t(`providerKind.${unit.providerKind}`)})` : t('myPlan.timeline.unknownUnit')
      }
    />
  );
  return (
    <section aria-labelledby="care-timeline-heading" className="panel">
      <h2 id="care-timeline-heading">{say('timelineTitle')}</h2>
      <p className="hint">{t('myPlan.timeline.lead')}</p>
      {ahead.length === 0 ? <p className="muted">{t('myPlan.timeline.none')}</p> : byMonth(ahead)}
      {earlier.length > 0 && (
        <details className="earlier">
          <summary>{t('myPlan.timeline.earlier', { count: earlier.length })}</summary>
          {byMonth(earlier)}
        </details>
      )}
    </section>
  );
}
