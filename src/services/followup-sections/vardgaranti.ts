/** Section 'vardgaranti': medical assessments within the reinforced care guarantee's days. */
import { monthsOf, targets } from '../../domain/followup.ts';
import type { Table } from '../../domain/followup-report.ts';
import type { GuaranteeRow } from '../../store/followup-store.ts';
import {
  entitiesWithRows,
  focusOf,
  inEntity,
  keyColumns,
  keysOf,
  sum,
  trendTable,
  type SectionScope,
} from './scope.ts';

export function vardgarantiTables(rows: readonly GuaranteeRow[], scope: SectionScope): Table[] {
  const { period, options, share } = scope;
  const entities = entitiesWithRows(scope, rows);
  const tables: Table[] = [
    {
      id: 'vardgaranti',
      section: 'vardgaranti',
      title: `Förstärkt vårdgaranti: medicinsk bedömning inom ${targets.assessmentDays} dagar, ${period.from}–${period.to}`,
      note: 'Dagar räknas från dagen patienten sökte vård till bedömningens dag (svensk tid).',
      columns: [
        ...keyColumns,
        { key: 'bedomningar', label: 'Medicinska bedömningar', kind: 'count' },
        { key: 'inom_3_dagar', label: `Inom ${targets.assessmentDays} dagar`, kind: 'count' },
        { key: 'andel', label: 'Andel', kind: 'share' },
      ],
      rows: entities.map((e) => {
        const mine = rows.filter((r) => inEntity(e, r.unitId));
        const s = share(
          sum(mine, (r) => r.withinDays),
          sum(mine, (r) => r.assessments),
        );
        return { ...keysOf(e), bedomningar: s.denominator, inom_3_dagar: s.numerator, andel: s.share };
      }),
    },
  ];
  if (scope.trend) {
    const region = focusOf(entities, options);
    tables.push(
      trendTable(
        'vardgaranti-trend',
        'vardgaranti',
        `Vårdgarantin per månad (${region.name})`,
        monthsOf(period).map((m) => m.to),
        (day) => {
          const mine = rows.filter((r) => r.month === day.slice(0, 7) && inEntity(region, r.unitId));
          return share(
            sum(mine, (r) => r.withinDays),
            sum(mine, (r) => r.assessments),
          ).share;
        },
      ),
    );
  }
  return tables;
}
