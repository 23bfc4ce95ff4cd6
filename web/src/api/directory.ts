import { useEffect, useState } from 'react';
import { api } from './client.ts';
import type { StaffMember, Unit } from './types.ts';

let unitsCache: Promise<Unit[]> | null = null;

/** All care units (region and municipality), fetched once per page load. */
export function useUnits(): Unit[] {
  const [units, setUnits] = useState<Unit[]>([]);
  useEffect(() => {
    unitsCache ??= api.get<{ units: Unit[] }>('/api/units').then((a) => a.body.units);
    let isCurrent = true;
    unitsCache
      .then((u) => {
        if (isCurrent) setUnits(u);
      })
      .catch(() => {
        unitsCache = null;
      });
    return () => {
      isCurrent = false;
    };
  }, []);
  return units;
}

/** The staff at one unit. */
export function useStaffAt(unitId: string): StaffMember[] {
  const [state, setState] = useState<{ unitId: string; staff: StaffMember[] }>({ unitId: '', staff: [] });
  useEffect(() => {
    if (!unitId) return;
    let isCurrent = true;
    void api
      .get<{ staff: StaffMember[] }>(`/api/staff?unitId=${encodeURIComponent(unitId)}`)
      .then((a) => {
        if (isCurrent) setState({ unitId, staff: a.body.staff });
      })
      .catch(() => undefined);
    return () => {
      isCurrent = false;
    };
  }, [unitId]);
  return state.unitId === unitId ? state.staff : [];
}

/** The names of the staff at some units, by HSA-id: for showing a person where a plan names one by id. */
export function useStaffNames(unitIds: readonly string[]): Record<string, string> {
  const key = [...new Set(unitIds)].sort().join('\n');
  const [state, setState] = useState<{ key: string; names: Record<string, string> }>({ key: '', names: {} });
  useEffect(() => {
    if (!key) return;
    let isCurrent = true;
    void Promise.all(
      key.split('\n').map((unitId) =>
        api
          .get<{ staff: StaffMember[] }>(`/api/staff?unitId=${encodeURIComponent(unitId)}`)
          .then((a) => a.body.staff)
          .catch((): StaffMember[] => []),
      ),
    ).then((lists) => {
      if (isCurrent)
        setState({
          key,
          names: Object.fromEntries(lists.flat().map((s) => [s.id, `${s.givenName} ${s.familyName}`])),
        });
    });
    return () => {
      isCurrent = false;
    };
  }, [key]);
  return state.key === key ? state.names : {};
}
