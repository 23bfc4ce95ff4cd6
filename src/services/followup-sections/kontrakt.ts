/** Section 'kontrakt': active patient contracts per patient group, and new ones per month. */
import { careGroups, countOf, diagnosisGroups } from '../../domain/followup.ts';
import type { Table } from '../../domain/followup-report.ts';
import type { ContractRow } from '../../store/followup-store.ts';
import { entitiesWithRows, focusOf, inEntity, keyColumns, keysOf, sum, type SectionScope } from './scope.ts';

/** Contracts created, per unit and month (store: newContracts). */
export interface NewContractRow {
  unitId: string | null;
  month: string;
  contracts: number;
}

export function kontraktTables(
  rows: readonly ContractRow[],
  created: readonly NewContractRow[],
  scope: SectionScope,
): Table[] {
  const { period, options, minCell, share } = scope;
  const entities = entitiesWithRows(scope, rows);
  const groups: { id: string; label: string }[] = [
    { id: 'alla', label: 'Alla' },
    ...diagnosisGroups.map((g) => ({ id: g.id, label: g.label })),
    ...careGroups,
  ];
  const tables: Table[] = [
    {
      id: 'kontrakt',
      section: 'kontrakt',
      title: `Patientkontrakt ${period.to}, per patientgrupp`,
      note: 'Aktiva kontrakt i den version som gällde dagen. Försenat: uppföljningsdatum eller nästa kontakt har passerat.',
      columns: [
        ...keyColumns,
        { key: 'grupp', label: 'Patientgrupp', kind: 'text' },
        { key: 'kontrakt', label: 'Kontrakt', kind: 'count' },
        { key: 'nya_under_perioden', label: 'Nya under perioden', kind: 'count' },
        { key: 'andel_fast_vardkontakt', label: 'Andel med fast vårdkontakt', kind: 'share' },
        { key: 'andel_overenskommen_tid', label: 'Andel med överenskommen nästa kontakt', kind: 'share' },
        { key: 'andel_forsenade', label: 'Andel försenade', kind: 'share' },
      ],
      rows: entities.flatMap((e) =>
        groups.flatMap((g) => {
          const mine = rows.filter((r) => r.day === period.to && r.groupId === g.id && inEntity(e, r.unitId));
          const n = sum(mine, (r) => r.contracts);
          if (n === 0 && g.id !== 'alla') return [];
          return [
            {
              ...keysOf(e),
              grupp: g.label,
              kontrakt: countOf(n, minCell),
              nya_under_perioden:
                g.id === 'alla'
                  ? countOf(
                      sum(
                        created.filter((c) => inEntity(e, c.unitId)),
                        (c) => c.contracts,
                      ),
                      minCell,
                    )
                  : null,
              andel_fast_vardkontakt: share(
                sum(mine, (r) => r.withFastVardkontakt),
                n,
              ).share,
              andel_overenskommen_tid: share(
                sum(mine, (r) => r.withAgreedNextContact),
                n,
              ).share,
              andel_forsenade: share(
                sum(mine, (r) => r.overdue),
                n,
              ).share,
            },
          ];
        }),
      ),
    },
  ];
  if (scope.trend) {
    const region = focusOf(entities, options);
    tables.push({
      id: 'kontrakt-trend',
      section: 'kontrakt',
      title: `Patientkontrakt per månad (${region.name})`,
      columns: [
        { key: 'manad', label: 'Månad', kind: 'text' },
        { key: 'kontrakt', label: 'Kontrakt vid månadens slut', kind: 'count' },
        { key: 'nya', label: 'Nya under månaden', kind: 'count' },
        { key: 'andel_fast_vardkontakt', label: 'Andel med fast vårdkontakt', kind: 'share' },
        { key: 'andel_overenskommen_tid', label: 'Andel med överenskommen nästa kontakt', kind: 'share' },
      ],
      rows: scope.monthEnds.map((day) => {
        const mine = rows.filter((r) => r.day === day && r.groupId === 'alla' && inEntity(region, r.unitId));
        const n = sum(mine, (r) => r.contracts);
        return {
          manad: day.slice(0, 7),
          kontrakt: countOf(n, minCell),
          nya: countOf(
            sum(
              created.filter((c) => c.month === day.slice(0, 7) && inEntity(region, c.unitId)),
              (c) => c.contracts,
            ),
            minCell,
          ),
          andel_fast_vardkontakt: share(
            sum(mine, (r) => r.withFastVardkontakt),
            n,
          ).share,
          andel_overenskommen_tid: share(
            sum(mine, (r) => r.withAgreedNextContact),
            n,
          ).share,
        };
      }),
    });
  }
  return tables;
}
