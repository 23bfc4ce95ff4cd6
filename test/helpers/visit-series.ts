import type { Db } from '../../src/store/db.ts';

/** Each patient's packed visits as the triggers (or a bulk import) keep them, and as a rebuild from `visit` gives them. */
export async function kept(db: Db): Promise<{ series: string[]; rebuilt: string[] }> {
  const series = await db.query<{ patient_id: string; visits: string }>(
    `select patient_id, encode(visits, 'hex') as visits from visit_series`,
  );
  const entries = series.flatMap((r) =>
    (r.visits.match(/.{32}/g) ?? []).map((entry) => `${r.patient_id} ${entry}`),
  );
  const rebuilt = await db.query<{ entry: string }>(
    `select v.patient_id || ' ' || encode(visit_packed(v.at, s.code, c.code), 'hex') as entry
       from visit v
       join visit_staff s on s.staff_id = v.staff_id
       join visit_context c on c.unit_id = v.unit_id and c.profession = v.profession
                           and c.contact_type = v.contact_type`,
  );
  return { series: entries.sort(), rebuilt: rebuilt.map((r) => r.entry).sort() };
}
