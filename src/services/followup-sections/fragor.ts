/** Section 'fragor': the share of yes among the answers to each question of the batteries. */
import type { Table } from '../../domain/followup-report.ts';
import type { AnswerRow } from '../../store/followup-store.ts';
import { entitiesOf, inEntity, keyColumns, keysOf, sum, type Entity, type SectionScope } from './scope.ts';

export function fragorTables(rows: readonly AnswerRow[], scope: SectionScope): Table[] {
  const { period, units, options, share } = scope;
  const region: Entity = { level: 'region', id: null, name: 'Regionen', units: null };
  const scoped = entitiesOf(units, [...new Set(units.map((u) => u.kind))], options).filter(
    (e) => e.level !== 'region',
  );
  const filtered =
    options.unitId || options.providerId
      ? scoped.find((e) => e.level === (options.unitId ? 'enhet' : 'vardgivare'))
      : undefined;
  const entities = filtered ? [region, filtered] : [region];
  const keys = [...new Set(rows.map((r) => `${r.questionSetId}\u0000${r.questionId}`))];
  return [
    {
      id: 'fragor',
      section: 'fragor',
      title: `Svar på frågorna, ${period.from}–${period.to}`,
      note: 'Varje besvarande räknas en gång. Andel ja av alla svar (ja, nej, vet inte). Patientens egen skattning: frågeformulär för patienten; personalens: för personal och vårdgivare.',
      columns: [
        ...keyColumns,
        { key: 'formular', label: 'Frågeformulär', kind: 'text' },
        { key: 'vem', label: 'Vem svarar', kind: 'text' },
        { key: 'fraga', label: 'Fråga', kind: 'text' },
        { key: 'svar', label: 'Svar', kind: 'count' },
        { key: 'ja', label: 'Ja', kind: 'count' },
        { key: 'andel_ja', label: 'Andel ja', kind: 'share' },
      ],
      rows: entities.flatMap((e) =>
        keys.map((k) => {
          const [setId, questionId] = k.split('\u0000') as [string, string];
          const mine = rows.filter(
            (r) => r.questionSetId === setId && r.questionId === questionId && inEntity(e, r.unitId),
          );
          const s = share(
            sum(mine, (r) => r.yes),
            sum(mine, (r) => r.answered),
          );
          const audience = rows.find((r) => r.questionSetId === setId)?.audience ?? 'okand';
          return {
            ...keysOf(e),
            formular: setId,
            vem: audience === 'patient' ? 'patienten' : 'personalen',
            fraga: questionId,
            svar: s.denominator,
            ja: s.numerator,
            andel_ja: s.share,
          };
        }),
      ),
    },
  ];
}
