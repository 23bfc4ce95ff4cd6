/** Care providers, care units and staff: the directory every other part refers to. */
import type { Queryable } from './db.ts';

export interface CareProvider {
  id: string;
  name: string;
  kind: 'region' | 'kommun' | 'privat';
  huvudman: string;
}

export interface CareUnit {
  id: string;
  providerId: string;
  providerKind: CareProvider['kind'];
  providerName: string;
  name: string;
  kind: string;
  phone: string | null;
  municipality: string | null;
}

export interface Staff {
  id: string;
  givenName: string;
  familyName: string;
  profession: string;
  title: string | null;
  phone: string | null;
  isActive: boolean;
  units: { unitId: string; role: string }[];
}

/** A unit a member of staff works at, with their role there. */
export interface StaffUnit {
  unitId: string;
  unitName: string;
  /** The role there (`medarbetare`, `verksamhetschef`, `uppfoljning` …): the app shows what it opens. */
  role: string;
}

/** A member of staff as the development login lists them: name, title and units. */
export interface StaffWithUnits {
  hsaId: string;
  name: string;
  title: string | null;
  profession: string;
  units: { unitId: string; unitName: string }[];
}

const unitColumns = `u.id, u.provider_id as "providerId", p.kind as "providerKind", p.name as "providerName",
  u.name, u.kind, u.phone, u.municipality`;

const staffColumns = `s.id, s.given_name as "givenName", s.family_name as "familyName", s.profession, s.title,
  s.phone, s.is_active as "isActive",
  coalesce((select json_agg(json_build_object('unitId', su.unit_id, 'role', su.role) order by su.unit_id)
    from staff_unit su where su.staff_id = s.id and su.ended_at is null), '[]') as units`;

export function createDirectoryStore(db: Queryable) {
  return {
    async listProviders(): Promise<CareProvider[]> {
      return db.query<CareProvider>('select id, name, kind, huvudman from care_provider order by name');
    },

    async listUnits(): Promise<CareUnit[]> {
      return db.query<CareUnit>(
        `select ${unitColumns} from care_unit u join care_provider p on p.id = u.provider_id order by u.name`,
      );
    },

    async findUnit(id: string): Promise<CareUnit | null> {
      const rows = await db.query<CareUnit>(
        `select ${unitColumns} from care_unit u join care_provider p on p.id = u.provider_id where u.id = $1`,
        [id],
      );
      return rows[0] ?? null;
    },

    /** The ids among `ids` that are not units, for clear errors on unknown references. */
    async missingUnitIds(ids: readonly string[], tx: Queryable = db): Promise<string[]> {
      if (ids.length === 0) return [];
      const found = await tx.query<{ id: string }>('select id from care_unit where id = any($1::text[])', [
        ids,
      ]);
      const known = new Set(found.map((r) => r.id));
      return ids.filter((id) => !known.has(id));
    },

    async missingStaffIds(ids: readonly string[], tx: Queryable = db): Promise<string[]> {
      if (ids.length === 0) return [];
      const found = await tx.query<{ id: string }>('select id from staff where id = any($1::text[])', [ids]);
      const known = new Set(found.map((r) => r.id));
      return ids.filter((id) => !known.has(id));
    },

    /** The care units of these care providers. */
    async unitIdsOfProviders(providerIds: readonly string[]): Promise<string[]> {
      const rows = await db.query<{ id: string }>(
        'select id from care_unit where provider_id = any($1::text[])',
        [providerIds],
      );
      return rows.map((r) => r.id);
    },

    /** The units an active member of staff works at, by name; none for an unknown or disabled one. */
    async unitsOfStaff(staffId: string): Promise<StaffUnit[]> {
      return db.query<StaffUnit>(
        `select u.id as "unitId", u.name as "unitName", su.role
         from staff s join staff_unit su on su.staff_id = s.id join care_unit u on u.id = su.unit_id
         where s.id = $1 and s.is_active and su.ended_at is null order by u.name, u.id`,
        [staffId],
      );
    },

    /** Active members of staff with their units, in the order of `ids` (the development login's list). */
    async staffWithUnits(ids: readonly string[]): Promise<StaffWithUnits[]> {
      return db.query<StaffWithUnits>(
        `select s.id as "hsaId", s.given_name || ' ' || s.family_name as name, s.title, s.profession,
           json_agg(json_build_object('unitId', u.id, 'unitName', u.name) order by u.name) as units
         from staff s join staff_unit su on su.staff_id = s.id join care_unit u on u.id = su.unit_id
         where s.id = any($1::text[]) and s.is_active and su.ended_at is null group by s.id order by array_position($1::text[], s.id)`,
        [ids],
      );
    },

    async findStaff(id: string): Promise<Staff | null> {
      const rows = await db.query<Staff>(`select ${staffColumns} from staff s where s.id = $1`, [id]);
      return rows[0] ?? null;
    },

    async listStaff(filter: { unitId?: string | undefined; limit?: number } = {}): Promise<Staff[]> {
      return db.query<Staff>(
        `select ${staffColumns} from staff s
         where ($1::text is null or exists (select 1 from staff_unit su where su.staff_id = s.id and su.unit_id = $1
           and su.ended_at is null))
         order by s.family_name, s.given_name limit $2`,
        [filter.unitId ?? null, filter.limit ?? 500],
      );
    },
  };
}

export type DirectoryStore = ReturnType<typeof createDirectoryStore>;
