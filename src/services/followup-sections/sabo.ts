/** Section 'sabo': residents of SÄBO and patients in home care with a fast läkarkontakt. */
import { againstTarget, targets } from '../../domain/followup.ts';
import type { Column, Table } from '../../domain/followup-report.ts';
import type { ResidentRow } from '../../store/followup-store.ts';
import { entitiesOf, inEntity, keyColumns, keysOf, sum, type SectionScope } from './scope.ts';

export function saboTables(residents: readonly ResidentRow[], scope: SectionScope): Table[] {
  const { period, units, options, share } = scope;
  const rows = residents.filter((r) => r.day === period.to);
  const table = (kind: 'sabo' | 'hemsjukvard', title: string, target: number | null): Table => {
    const entities = entitiesOf(units, [kind], options);
    return {
      id: kind,
      section: 'sabo',
      title,
      ...(target === null
        ? {}
        : {
            note: `Mål: minst ${Math.round(target * 100)} % med fast läkarkontakt (Region Östergötland, handlingsplan Patientkontrakt 2021).`,
          }),
      columns: [
        ...keyColumns,
        { key: 'boende', label: kind === 'sabo' ? 'Boende' : 'Inskrivna', kind: 'count' },
        { key: 'med_fast_lakarkontakt', label: 'Med fast läkarkontakt', kind: 'count' },
        { key: 'andel', label: 'Andel', kind: 'share' },
        ...(target === null
          ? []
          : [
              { key: 'mal', label: 'Mål', kind: 'share' } as Column,
              { key: 'avstand', label: 'Kvar till målet', kind: 'share' } as Column,
            ]),
      ],
      rows: entities.map((e) => {
        const mine = rows.filter((r) => r.kind === kind && inEntity(e, r.unitId));
        const s = share(
          sum(mine, (r) => r.withGp),
          sum(mine, (r) => r.residents),
        );
        const t = target === null ? null : againstTarget(s.share, target);
        return {
          ...keysOf(e),
          boende: s.denominator,
          med_fast_lakarkontakt: s.numerator,
          andel: s.share,
          ...(t ? { mal: t.target, avstand: t.distance } : {}),
        };
      }),
    };
  };
  return [
    table('sabo', `Boende på SÄBO med fast läkarkontakt ${period.to}`, targets.fastLakarkontaktSabo),
    table('hemsjukvard', `Inskrivna i hemsjukvård med fast läkarkontakt ${period.to}`, null),
  ];
}
