/**
 * Continuity of care indices for one patient's visits (Region Östergötland, handlingsplan Patientkontrakt 2021, 3.4 and 7.2: "kontinuitetsindex
 * läkare senaste 18 månaderna, alla patienter med minst 3 besök"). Pure: the caller picks the
 * visits (window, professions, contact types); these functions only count.
 *
 * Notation: a patient has N visits in the window, to s different providers (staff members);
 * n_j is the number of visits to provider j, so Σ n_j = N. The order of the visits matters only
 * for SECON.
 *
 * - COC, Continuity of Care index (Bice & Boxerman, "A quantitative measure of continuity of
 *   care", Medical Care 1977;15(4):347–349): COC = (Σ n_j² − N) / (N (N − 1)). 1 when every visit
 *   is to one provider, 0 when every visit is to a different one. Equivalently
 *   COC = (N·HHI − 1) / (N − 1), with HHI = Σ (n_j / N)² (the Herfindahl–Hirschman index).
 * - UPC, Usual Provider Continuity (Breslau & Reeb, "Continuity of care in a university-based
 *   practice", J Med Educ 1975;50:965–969): UPC = max_j n_j / N, the share of visits to the
 *   provider seen most.
 * - MMCI, Modified Modified Continuity Index (Magill & Senf, "A new method for measuring
 *   continuity of care in family practice residencies", J Fam Pract 1987;24(2):165–168):
 *   MMCI = (1 − s / (N + 0.1)) / (1 − 1 / (N + 0.1)). 1 with one provider; close to 0 when each
 *   visit is to a new provider.
 * - SECON, Sequential Continuity (Steinwachs, "Measuring provider continuity in ambulatory care:
 *   an assessment of alternative approaches", Medical Care 1979;17(6):551–565):
 *   SECON = Σ_{i=1}^{N−1} c_i / (N − 1), with c_i = 1 when visits i and i+1 are to the same
 *   provider, else 0.
 *
 * Every index is in [0, 1], and undefined (null) below the minimum number of visits (at least 2,
 * as COC and SECON divide by N − 1).
 */

export const contactTypes = ['besok', 'telefon', 'video', 'hembesok', 'akutbesok'] as const;
export type ContactType = (typeof contactTypes)[number];

/** Which visits count. The defaults follow Region Östergötland, handlingsplan Patientkontrakt 2021: physician visits over the last 18 months, ≥ 3 visits. */
export interface ContinuitySettings {
  /** The window ends at the reference day and reaches back this many months. */
  windowMonths: number;
  /** Patients with fewer visits in the window have no index. */
  minVisits: number;
  /** Professions whose visits count (the staff member's profession on the visit). */
  professions: readonly string[];
  /** Contact types that count as visits. Telephone contacts are not visits by default. */
  contactTypes: readonly ContactType[];
  /** Kinds of care unit whose visits count: primary care by default (Region Östergötland, handlingsplan Patientkontrakt 2021: "PV"). */
  unitKinds: readonly string[];
}

export const defaultContinuitySettings: ContinuitySettings = {
  windowMonths: 18,
  minVisits: 3,
  professions: ['lakare'],
  contactTypes: ['besok', 'hembesok', 'video'],
  unitKinds: ['vardcentral'],
};

/** The four indices of one patient. */
export interface ContinuityIndices {
  coc: number;
  upc: number;
  mmci: number;
  secon: number;
}

export const indexNames = [
  'coc',
  'upc',
  'mmci',
  'secon',
] as const satisfies readonly (keyof ContinuityIndices)[];

/**
 * What the indices need from a patient's visits, as counts. The database computes these with
 * integer arithmetic (exact and identical on every engine); the formulas live only here.
 */
export interface VisitTally {
  /** N: visits. */
  visits: number;
  /** Σ n_j². */
  sumSquares: number;
  /** max n_j. */
  maxPerProvider: number;
  /** s: distinct providers. */
  providers: number;
  /** Consecutive pairs of visits to the same provider. */
  sequentialSame: number;
}

/** Counts the visits of one patient, given the provider of each visit in time order. */
export function tallyVisits(providersInOrder: readonly string[]): VisitTally {
  const counts = new Map<string, number>();
  let sequentialSame = 0;
  providersInOrder.forEach((provider, i) => {
    counts.set(provider, (counts.get(provider) ?? 0) + 1);
    if (i > 0 && providersInOrder[i - 1] === provider) sequentialSame += 1;
  });
  let sumSquares = 0;
  let maxPerProvider = 0;
  for (const n of counts.values()) {
    sumSquares += n * n;
    maxPerProvider = Math.max(maxPerProvider, n);
  }
  return {
    visits: providersInOrder.length,
    sumSquares,
    maxPerProvider,
    providers: counts.size,
    sequentialSame,
  };
}

/** The indices of a tally, or null when there are fewer than `minVisits` (and at least 2) visits. */
export function indicesOf(
  t: VisitTally,
  minVisits: number = defaultContinuitySettings.minVisits,
): ContinuityIndices | null {
  const n = t.visits;
  if (n < Math.max(2, minVisits)) return null;
  return {
    coc: (t.sumSquares - n) / (n * (n - 1)),
    upc: t.maxPerProvider / n,
    mmci: (1 - t.providers / (n + 0.1)) / (1 - 1 / (n + 0.1)),
    secon: t.sequentialSame / (n - 1),
  };
}

/** The indices of one patient's visits, given the provider of each visit in time order. */
export function continuityOf(
  providersInOrder: readonly string[],
  minVisits: number = defaultContinuitySettings.minVisits,
): ContinuityIndices | null {
  return indicesOf(tallyVisits(providersInOrder), minVisits);
}

/** Patients with the same tally at a unit: how the store hands the counts over. */
export interface TallyGroup extends VisitTally {
  patients: number;
}

/** Mean indices of a group of patients (a unit), from the tallies of its patients. */
export interface ContinuityMean extends ContinuityIndices {
  /** Patients with an index (at least the minimum number of visits). */
  patients: number;
}

/** The mean of each index over the patients of `groups`; null when no patient has an index. */
export function meanIndices(groups: readonly TallyGroup[], minVisits: number): ContinuityMean | null {
  const sum: ContinuityIndices = { coc: 0, upc: 0, mmci: 0, secon: 0 };
  let patients = 0;
  for (const g of groups) {
    const ix = indicesOf(g, minVisits);
    if (!ix || g.patients <= 0) continue;
    patients += g.patients;
    for (const k of indexNames) sum[k] += ix[k] * g.patients;
  }
  if (patients === 0) return null;
  return {
    patients,
    coc: sum.coc / patients,
    upc: sum.upc / patients,
    mmci: sum.mmci / patients,
    secon: sum.secon / patients,
  };
}

/**
 * The visits of a whole region, column by column, as the store reads them: visit i is patient
 * `patient[i]` (0 … patients − 1) at instant `at[i]` with provider `provider[i]`
 * (0 … providers − 1). `providerRank` orders providers (visits at the same instant count in that
 * order, so the result never depends on the order the visits arrive in).
 */
export interface VisitColumns {
  count: number;
  patients: number;
  providers: number;
  patient: Int32Array;
  at: Float64Array;
  provider: Int32Array;
  providerRank: Int32Array;
}

/** A time window on the scale of `VisitColumns.at`: from ≤ at < to. */
export interface TallyWindow {
  from: number;
  to: number;
}

/** The tallies of every patient in one window; a patient without visits in it has visits 0. */
export interface PatientTallies {
  visits: Int32Array;
  sumSquares: Int32Array;
  maxPerProvider: Int32Array;
  providers: Int32Array;
  sequentialSame: Int32Array;
}

/**
 * `tallyVisits` for every patient and several windows in one pass: the visits are grouped per
 * patient by a counting sort, each patient's few visits sorted by time, and each window counted
 * from that order. Linear in the number of visits (plus the per-patient sorts).
 */
export function tallyPatients(v: VisitColumns, windows: readonly TallyWindow[]): PatientTallies[] {
  const offsets = new Int32Array(v.patients + 1);
  for (let i = 0; i < v.count; i += 1) offsets[v.patient[i]! + 1]! += 1;
  for (let p = 0; p < v.patients; p += 1) offsets[p + 1]! += offsets[p]!;
  const order = new Int32Array(v.count);
  const fill = offsets.slice(0, v.patients);
  for (let i = 0; i < v.count; i += 1) order[fill[v.patient[i]!]!++] = i;

  const before = (a: number, b: number): boolean =>
    v.at[a]! < v.at[b]! ||
    (v.at[a] === v.at[b] && v.providerRank[v.provider[a]!]! < v.providerRank[v.provider[b]!]!);
  const result = windows.map(() => ({
    visits: new Int32Array(v.patients),
    sumSquares: new Int32Array(v.patients),
    maxPerProvider: new Int32Array(v.patients),
    providers: new Int32Array(v.patients),
    sequentialSame: new Int32Array(v.patients),
  }));
  const perProvider = new Int32Array(v.providers);
  const seen: number[] = [];
  for (let p = 0; p < v.patients; p += 1) {
    const start = offsets[p]!;
    const end = offsets[p + 1]!;
    // Insertion sort: a patient has a handful of visits, rarely more than a few dozen.
    if (end - start > 32)
      order.subarray(start, end).sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    else
      for (let i = start + 1; i < end; i += 1) {
        const x = order[i]!;
        let j = i - 1;
        while (j >= start && before(x, order[j]!)) {
          order[j + 1] = order[j]!;
          j -= 1;
        }
        order[j + 1] = x;
      }
    windows.forEach((w, k) => {
      const t = result[k]!;
      let visits = 0;
      let same = 0;
      let previous = -1;
      for (let i = start; i < end; i += 1) {
        const visit = order[i]!;
        const at = v.at[visit]!;
        if (at < w.from || at >= w.to) continue;
        const provider = v.provider[visit]!;
        if (perProvider[provider] === 0) seen.push(provider);
        perProvider[provider]! += 1;
        if (provider === previous) same += 1;
        previous = provider;
        visits += 1;
      }
      let sumSquares = 0;
      let max = 0;
      for (const provider of seen) {
        const n = perProvider[provider]!;
        sumSquares += n * n;
        if (n > max) max = n;
        perProvider[provider] = 0;
      }
      t.visits[p] = visits;
      t.sumSquares[p] = sumSquares;
      t.maxPerProvider[p] = max;
      t.providers[p] = seen.length;
      t.sequentialSame[p] = same;
      seen.length = 0;
    });
  }
  return result;
}
