/** Section 'fast-lakarkontakt': listed inhabitants with a named fast läkarkontakt, per unit. */
import { againstTarget, countOf, gpsNeeded, targets } from '../../domain/followup.ts';
import type { Table } from '../../domain/followup-report.ts';
import type { ListingRow } from '../../store/followup-store.ts';
import {
  entitiesOf,
  focusOf,
  inEntity,
  keyColumns,
  keysOf,
  sum,
  trendTable,
  type Entity,
  type SectionScope,
} from './scope.ts';

export function fastLakarkontaktTables(rows: readonly ListingRow[], scope: SectionScope): Table[] {
  const { period, units, options, minCell, share } = scope;
  const entities = entitiesOf(units, ['vardcentral'], options);
  const atEnd = rows.filter((r) => r.day === period.to);
  const physiciansOf = (e: Entity): number =>
    sum(
      units.filter((u) => u.kind === 'vardcentral' && inEntity(e, u.id)),
      (u) => u.physicians,
    );
  const tables: Table[] = [
    {
      id: 'fast-lakarkontakt',
      section: 'fast-lakarkontakt',
      title: `Fast läkarkontakt bland listade invånare ${period.to}`,
      note: `Mål: minst ${Math.round(targets.fastLakarkontaktListed * 100)} % med namngiven fast läkarkontakt; en fast läkarkontakt per ${targets.listedPerGp.toLocaleString('sv-SE')} listade (Region Östergötland, handlingsplan Patientkontrakt 2021).`,
      columns: [
        ...keyColumns,
        { key: 'listade', label: 'Listade', kind: 'count' },
        { key: 'med_fast_lakarkontakt', label: 'Med fast läkarkontakt', kind: 'count' },
        { key: 'andel', label: 'Andel', kind: 'share' },
        { key: 'mal', label: 'Mål', kind: 'share' },
        { key: 'avstand', label: 'Kvar till målet', kind: 'share' },
        { key: 'namngivna_lakare', label: 'Namngivna läkare', kind: 'count' },
        { key: 'lakare', label: 'Läkare i dag', kind: 'count' },
        { key: 'lakare_behov', label: `Läkare som behövs (1/${targets.listedPerGp})`, kind: 'count' },
        { key: 'listade_per_lakare', label: 'Listade per läkare i dag', kind: 'number' },
      ],
      rows: entities.map((e) => {
        const mine = atEnd.filter((r) => inEntity(e, r.unitId));
        const listed = sum(mine, (r) => r.listed);
        const s = share(
          sum(mine, (r) => r.withGp),
          listed,
        );
        const t = againstTarget(s.share, targets.fastLakarkontaktListed);
        const physicians = physiciansOf(e);
        return {
          ...keysOf(e),
          listade: countOf(listed, minCell),
          med_fast_lakarkontakt: s.numerator,
          andel: s.share,
          mal: t.target,
          avstand: t.distance,
          namngivna_lakare: e.level === 'enhet' ? sum(mine, (r) => r.namedGps) : null,
          lakare: physicians,
          lakare_behov: gpsNeeded(listed),
          listade_per_lakare: physicians > 0 ? Math.round(listed / physicians) : null,
        };
      }),
    },
  ];
  if (scope.trend) {
    const focus = focusOf(entities, options);
    tables.push(
      trendTable(
        'fast-lakarkontakt-trend',
        'fast-lakarkontakt',
        `Fast läkarkontakt per månad (${focus.name})`,
        scope.monthEnds,
        (day) => {
          const mine = rows.filter((r) => r.day === day && inEntity(focus, r.unitId));
          return share(
            sum(mine, (r) => r.withGp),
            sum(mine, (r) => r.listed),
          ).share;
        },
      ),
    );
  }
  return tables;
}
