/**
 * The region's sub-regions (delregioner): Region Skåne asks for a dimensioning of the physician
 * posts needed "i respektive kommun och delregion" (assignment 3, "Uppföljning av handlingsplan
 * för anpassning av modell för läkarstöd i kommunal hemsjukvård", Region Skåne, 2021). The region
 * keeps the list: each municipality belongs to one sub-region. Pure: loaded by
 * services/subregion-service.ts, kept in `municipality_subregion`.
 */

/** One municipality (as the teams name it) and the sub-region it belongs to. */
export interface MunicipalitySubregion {
  municipality: string;
  subregion: string;
}

type Problem = { path: string; message: string };
const NAME_MAX = 100;
const isName = (v: unknown): v is string =>
  typeof v === 'string' && v.trim() !== '' && v.trim().length <= NAME_MAX;

/**
 * Reads the list as the region writes it:
 * `{ "delregioner": [{ "namn": "Nordväst", "kommuner": ["Helsingborg", …] }, …] }`.
 * Every problem is named with its path, in Swedish; a municipality may be in one sub-region only.
 */
export function parseSubregionList(
  input: unknown,
): { ok: true; rows: MunicipalitySubregion[] } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const fail = (path: string, message: string) => void problems.push({ path, message });
  const list =
    typeof input === 'object' && input !== null && !Array.isArray(input)
      ? (input as Record<string, unknown>).delregioner
      : undefined;
  if (!Array.isArray(list) || list.length === 0)
    return {
      ok: false,
      problems: [
        {
          path: '/delregioner',
          message: 'Ange delregionerna: { "delregioner": [{ "namn": …, "kommuner": […] }] }.',
        },
      ],
    };
  for (const key of Object.keys(input as object))
    if (key !== 'delregioner') fail(`/${key.slice(0, 60)}`, 'Okänt fält.');
  const rows: MunicipalitySubregion[] = [];
  const where = new Map<string, string>();
  const names = new Set<string>();
  list.forEach((entry: unknown, i) => {
    const e = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
    if (!isName(e.namn))
      return fail(`/delregioner/${i}/namn`, `Ange delregionens namn (högst ${NAME_MAX} tecken).`);
    const name = e.namn.trim();
    if (names.has(name.toLocaleLowerCase('sv')))
      fail(`/delregioner/${i}/namn`, `Delregionen ${name} finns två gånger.`);
    names.add(name.toLocaleLowerCase('sv'));
    if (!Array.isArray(e.kommuner) || e.kommuner.length === 0)
      return fail(`/delregioner/${i}/kommuner`, 'Ange delregionens kommuner.');
    e.kommuner.forEach((m: unknown, j) => {
      if (!isName(m))
        return fail(`/delregioner/${i}/kommuner/${j}`, `Ange kommunens namn (högst ${NAME_MAX} tecken).`);
      const municipality = m.trim();
      const before = where.get(municipality.toLocaleLowerCase('sv'));
      if (before !== undefined)
        return fail(
          `/delregioner/${i}/kommuner/${j}`,
          `${municipality} hör redan till ${before}: en kommun hör till en delregion.`,
        );
      where.set(municipality.toLocaleLowerCase('sv'), name);
      rows.push({ municipality, subregion: name });
    });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rows };
}

/** The sub-region of each municipality; a municipality not on the list has none. */
export function subregionOf(list: readonly MunicipalitySubregion[]): (municipality: string) => string | null {
  const byName = new Map(list.map((r) => [r.municipality, r.subregion]));
  return (municipality) => byName.get(municipality) ?? null;
}
