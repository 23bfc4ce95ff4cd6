/** Numbering of byte strings for tests of the visit readers, as the bulk path's lookup does it. */
import type { VisitLookup } from '../../src/domain/visit-bytes.ts';

/** Numbers byte strings as they come; with `known`, only those (−1 for any other). */
export function numbering(known?: readonly string[]) {
  const keys = [...(known ?? [])];
  return {
    keys,
    of: (buf: Buffer, start: number, length: number): number => {
      const key = buf.toString('utf8', start, start + length);
      const id = keys.indexOf(key);
      if (id >= 0 || known) return id;
      keys.push(key);
      return keys.length - 1;
    },
  };
}

/** A lookup that knows `persons` and `units`, and numbers staff and professions. */
export function lookupOf(persons: readonly string[], units?: readonly string[]) {
  const [person, unit, staff, profession] = [numbering(persons), numbering(units), numbering(), numbering()];
  const lookup: VisitLookup = {
    person: person.of,
    unit: unit.of,
    staff: staff.of,
    profession: profession.of,
  };
  return { lookup, person, unit, staff, profession };
}
