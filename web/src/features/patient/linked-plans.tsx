import { useTranslation } from 'react-i18next';
import type { LinkedPlan, UnitRef } from '../../api/types.ts';
import { formatDate } from '../../components/format.ts';

/** The plans under the contract's umbrella: SIP, Min vårdplan, rehabiliteringsplan … */
export function LinkedPlans({ plans, units }: { plans: LinkedPlan[]; units: Record<string, UnitRef> }) {
  const { t, i18n } = useTranslation();
  return (
    <section aria-labelledby="linked-plans" className="panel">
      <h2 id="linked-plans">{t('linkedPlans.title')}</h2>
      {plans.length === 0 ? (
        <p className="muted">{t('linkedPlans.empty')}</p>
      ) : (
        <ul className="plain-list">
          {plans.map((p) => {
            const kind = t(`linkedPlanType.${p.type}`);
            // "Vårdplan KOL (Vårdplan KOL)" says nothing twice: the kind only when the title differs.
            const title = (p.title ?? '').trim();
            const isKindInTitle =
              title === '' || title.toLocaleLowerCase('sv') === kind.toLocaleLowerCase('sv');
            const unitName = units[p.unitId]?.name;
            return (
              <li key={p.id}>
                <strong>{title || kind}</strong>
                {!isKindInTitle && ` (${kind})`}
                <br />
                <span className="muted">
                  {[unitName, formatDate(p.date, i18n.language), p.reference].filter(Boolean).join(' · ')}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
