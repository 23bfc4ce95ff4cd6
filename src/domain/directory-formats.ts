/**
 * The two file formats of the organisation directory (docs/imports.md, "The organisation
 * directory"): a FHIR R4 Bundle of Organization, Practitioner and PractitionerRole with HSA-ids,
 * and a flat CSV with one medarbetaruppdrag per row. Pure: both give a `Directory` and every
 * problem by line (CSV) or entry (FHIR: the entry's number, 1 = the first) and field, in Swedish.
 */
import {
  checkDirectory,
  HSA_ID_SYSTEM,
  isHsaId,
  normalisePurpose,
  normaliseProfession,
  normaliseProviderKind,
  normaliseRole,
  normaliseUnitKind,
  type Directory,
  type FieldNames,
} from './directory-sync.ts';
import { excerpt } from './import-bounds.ts';
import type { RowError } from './import-formats.ts';

export const directoryFormats = ['fhir', 'csv'] as const;
export type DirectoryFormat = (typeof directoryFormats)[number];

/** A parsed file: the directory, or the problems that stop it (then nothing may be written). */
export type ParsedDirectory = { ok: true; directory: Directory } | { ok: false; errors: RowError[] };

const fhirBase = 'https://patientkontrakt.se/fhir';
/** Product-local code systems and extensions of the directory Bundle (docs/fhir.md). */
export const directoryFhir = {
  /** PractitionerRole.code: the purpose (ändamål) of the medarbetaruppdrag. */
  purpose: `${fhirBase}/CodeSystem/medarbetaruppdrag-andamal`,
  /** PractitionerRole.code: the role at the unit (medarbetare or a product role). */
  role: `${fhirBase}/CodeSystem/medarbetaruppdrag-roll`,
  /** Organization.type of a care provider (region, kommun, privat) or unit (vardcentral …). */
  organisationType: `${fhirBase}/CodeSystem/organisation-type`,
  /** Organization (care provider): the huvudman, when it is not the provider itself. */
  huvudman: `${fhirBase}/StructureDefinition/huvudman`,
} as const;

const MAX_TEXT = 200;
/** C0 control characters and DEL: nothing a name holds. */
// A name with a control character is a broken export, and would corrupt the CSV we print back.
const CONTROL_RE = /\p{Cc}/u;

/** Collects the errors of one record and checks text fields. */
class RecordCheck {
  readonly errors: RowError[] = [];
  constructor(private readonly line: number) {}

  fail(field: string, message: string): null {
    this.errors.push({ line: this.line, field, message });
    return null;
  }

  text(field: string, value: unknown, required: boolean): string | null {
    const text = typeof value === 'string' ? value.trim() : '';
    if (value !== undefined && value !== null && typeof value !== 'string')
      return this.fail(field, 'Ska vara text.');
    if (text === '') return required ? this.fail(field, 'Saknas.') : null;
    if (text.length > MAX_TEXT) return this.fail(field, `Längre än ${MAX_TEXT} tecken.`);
    if (CONTROL_RE.test(text)) return this.fail(field, 'Innehåller styrtecken.');
    return text;
  }

  hsaId(field: string, value: unknown): string | null {
    const id = this.text(field, value, true);
    if (id === null) return null;
    return isHsaId(id) ? id : this.fail(field, `Inget HSA-id: "${excerpt(id)}".`);
  }

  coded<T>(field: string, value: unknown, normalise: (v: string) => T | null, allowed: string): T | null {
    const text = this.text(field, value, true);
    if (text === null) return null;
    return normalise(text) ?? this.fail(field, `"${excerpt(text)}" är inte en av ${allowed}.`);
  }
}

// ---------------------------------------------------------------------------------------------
// CSV

/** The CSV columns: name → required. One row per medarbetaruppdrag; a row without hsaid is a unit. */
export const directoryCsvColumns: Record<string, boolean> = {
  vardgivare: true,
  vardgivare_namn: true,
  vardgivare_typ: true,
  huvudman: false,
  enhet: true,
  enhet_namn: true,
  enhet_typ: true,
  kommun: false,
  hsaid: false,
  fornamn: false,
  efternamn: false,
  titel: false,
  yrke: false,
  andamal: false,
  roll: false,
};

const csvNames: FieldNames = {
  providerId: 'vardgivare',
  unitId: 'enhet',
  unitProvider: 'vardgivare',
  staffId: 'hsaid',
  assignmentUnit: 'enhet',
  assignmentStaff: 'hsaid',
};

const personColumns = ['fornamn', 'efternamn', 'titel', 'yrke', 'andamal', 'roll'] as const;

/** A CSV record with the line it starts on (1 = the header). */
export interface CsvRecord {
  line: number;
  values: readonly string[];
}

/** The directory in a CSV file, from its header and records (as csv-parse reads them). */
export function directoryFromCsv(header: readonly string[], records: readonly CsvRecord[]): ParsedDirectory {
  const errors: RowError[] = [];
  const seen = new Set<string>();
  for (const name of header) {
    if (!(name in directoryCsvColumns))
      errors.push({
        line: 1,
        field: excerpt(name),
        message: `Okänd kolumn. Tillåtna: ${Object.keys(directoryCsvColumns).join(', ')}.`,
      });
    else if (seen.has(name)) errors.push({ line: 1, field: name, message: 'Kolumnen finns två gånger.' });
    seen.add(name);
  }
  for (const [name, required] of Object.entries(directoryCsvColumns))
    if (required && !seen.has(name)) errors.push({ line: 1, field: name, message: 'Kolumnen saknas.' });
  if (errors.length > 0) return { ok: false, errors };

  const directory: Directory = { providers: [], units: [], staff: [], assignments: [] };
  for (const { line, values } of records) {
    if (values.length !== header.length) {
      errors.push({
        line,
        field: null,
        message: `Raden har ${values.length} fält, rubriken ${header.length}.`,
      });
      continue;
    }
    const row = Object.fromEntries(header.map((name, i) => [name, values[i]!]));
    const check = new RecordCheck(line);
    const providerId = check.hsaId('vardgivare', row.vardgivare);
    const providerName = check.text('vardgivare_namn', row.vardgivare_namn, true);
    const providerKind = check.coded(
      'vardgivare_typ',
      row.vardgivare_typ,
      normaliseProviderKind,
      'region, kommun, privat',
    );
    const huvudman = check.text('huvudman', row.huvudman, false);
    const unitId = check.hsaId('enhet', row.enhet);
    const unitName = check.text('enhet_namn', row.enhet_namn, true);
    const unitKind = check.coded(
      'enhet_typ',
      row.enhet_typ,
      normaliseUnitKind,
      'vårdcentral, sjukhus(klinik), specialistmottagning, hemsjukvård, SÄBO, hemtjänst, annan',
    );
    const municipality = check.text('kommun', row.kommun, false);
    const hasPerson = (row.hsaid ?? '').trim() !== '';
    let person = null;
    if (hasPerson) {
      person = {
        id: check.hsaId('hsaid', row.hsaid),
        givenName: check.text('fornamn', row.fornamn, true),
        familyName: check.text('efternamn', row.efternamn, true),
        title: check.text('titel', row.titel, false),
        profession: check.coded(
          'yrke',
          row.yrke,
          normaliseProfession,
          'yrkeskoder som lakare, sjukskoterska',
        ),
        purpose: check.coded(
          'andamal',
          row.andamal,
          normalisePurpose,
          'vård och behandling, administration, kvalitetssäkring, uppföljning, forskning, statistik',
        ),
        role:
          normaliseRole(row.roll ?? '') ??
          check.fail(
            'roll',
            'Ska vara tom, medarbetare eller en av produktens roller (verksamhetschef, loggansvarig, uppfoljning, systemforvaltare).',
          ),
      };
    } else {
      for (const column of personColumns)
        if ((row[column] ?? '').trim() !== '')
          check.fail(column, 'En rad utan hsaid beskriver bara enheten; personens fält ska vara tomma.');
    }
    if (check.errors.length > 0) {
      errors.push(...check.errors);
      continue;
    }
    directory.providers.push({
      line,
      id: providerId!,
      name: providerName!,
      kind: providerKind!,
      huvudman: huvudman ?? providerName!,
    });
    directory.units.push({
      line,
      id: unitId!,
      providerId: providerId!,
      name: unitName!,
      kind: unitKind!,
      municipality,
    });
    if (person) {
      directory.staff.push({
        line,
        id: person.id!,
        givenName: person.givenName!,
        familyName: person.familyName!,
        title: person.title,
        profession: person.profession!,
      });
      directory.assignments.push({
        line,
        staffId: person.id!,
        unitId: unitId!,
        purpose: person.purpose!,
        role: person.role!,
      });
    }
  }
  return finish(directory, errors, csvNames);
}

function finish(directory: Directory, errors: RowError[], names: FieldNames): ParsedDirectory {
  const all = [...errors, ...(errors.length === 0 ? checkDirectory(directory, names) : [])];
  if (directory.providers.length === 0 && all.length === 0)
    all.push({ line: 1, field: null, message: 'Filen anger ingen vårdgivare.' });
  return all.length > 0
    ? { ok: false, errors: all.sort((a, b) => a.line - b.line) }
    : { ok: true, directory };
}

// ---------------------------------------------------------------------------------------------
// FHIR R4 Bundle

const fhirNames: FieldNames = {
  providerId: 'Organization.identifier',
  unitId: 'Organization.identifier',
  unitProvider: 'Organization.partOf',
  staffId: 'Practitioner.identifier',
  assignmentUnit: 'PractitionerRole.organization',
  assignmentStaff: 'PractitionerRole.practitioner',
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The value of the HSA-id among a resource's identifiers. */
function hsaIdOf(resource: Json): unknown {
  const identifier = list(resource.identifier).find((i) => isObject(i) && i.system === HSA_ID_SYSTEM);
  return isObject(identifier) ? identifier.value : undefined;
}

/** The code of a CodeableConcept list in `system`, else the first text. */
function codeOf(concepts: unknown, system: string | null): string | undefined {
  for (const concept of list(concepts)) {
    if (!isObject(concept)) continue;
    const coding = list(concept.coding).find((c) => isObject(c) && (system === null || c.system === system));
    if (isObject(coding) && typeof coding.code === 'string') return coding.code;
  }
  const text = list(concepts).find((c) => isObject(c) && typeof c.text === 'string');
  return system === null && isObject(text) ? (text.text as string) : undefined;
}

/**
 * The directory in a FHIR R4 Bundle: Organization without partOf is a care provider, with partOf
 * a unit of it; Practitioner a person; PractitionerRole an assignment (practitioner,
 * organization: the unit; code: purpose and role). References name the HSA-id (identifier) or a
 * resource in the Bundle (`Organization/<id>`, or the entry's fullUrl). A resource with
 * `active: false` is not in the directory (it is ended like one the file does not hold).
 */
export function directoryFromFhirBundle(bundle: unknown): ParsedDirectory {
  if (!isObject(bundle) || bundle.resourceType !== 'Bundle')
    return {
      ok: false,
      errors: [{ line: 1, field: 'resourceType', message: 'Filen är ingen FHIR Bundle.' }],
    };
  const entries = list(bundle.entry);
  const errors: RowError[] = [];
  // Every way an entry can be referred to → its HSA-id.
  const hsaOf = new Map<string, string>();
  entries.forEach((entry) => {
    if (!isObject(entry) || !isObject(entry.resource)) return;
    const resource = entry.resource;
    const id = hsaIdOf(resource);
    if (typeof id !== 'string') return;
    if (typeof entry.fullUrl === 'string') hsaOf.set(entry.fullUrl, id);
    if (typeof resource.id === 'string') hsaOf.set(`${String(resource.resourceType)}/${resource.id}`, id);
  });
  const referenced = (ref: unknown, type: string): unknown => {
    if (!isObject(ref)) return undefined;
    if (isObject(ref.identifier) && ref.identifier.system === HSA_ID_SYSTEM) return ref.identifier.value;
    if (typeof ref.reference === 'string')
      return (
        hsaOf.get(ref.reference) ??
        (ref.reference.startsWith(`${type}/`) ? ref.reference.slice(type.length + 1) : ref.reference)
      );
    return undefined;
  };

  const directory: Directory = { providers: [], units: [], staff: [], assignments: [] };
  const providers = new Map<string, string>();
  entries.forEach((entry, index) => {
    const line = index + 1;
    const check = new RecordCheck(line);
    if (!isObject(entry) || !isObject(entry.resource)) {
      errors.push({ line, field: 'resource', message: 'Posten saknar resurs.' });
      return;
    }
    const r = entry.resource;
    if (r.active === false) return;
    switch (r.resourceType) {
      case 'Organization': {
        const id = check.hsaId(fhirNames.providerId, hsaIdOf(r));
        const name = check.text('Organization.name', r.name, true);
        const type = codeOf(r.type, directoryFhir.organisationType) ?? codeOf(r.type, null);
        if (r.partOf === undefined) {
          const kind = check.coded(
            'Organization.type',
            type,
            normaliseProviderKind,
            'region, kommun, privat',
          );
          const huvudman = list(r.extension).find((e) => isObject(e) && e.url === directoryFhir.huvudman) as
            Json | undefined;
          const owner = check.text('Organization.extension(huvudman)', huvudman?.valueString, false);
          if (check.errors.length === 0) {
            directory.providers.push({ line, id: id!, name: name!, kind: kind!, huvudman: owner ?? name! });
            providers.set(id!, name!);
          }
        } else {
          const providerId = check.hsaId(fhirNames.unitProvider, referenced(r.partOf, 'Organization'));
          const kind = check.coded(
            'Organization.type',
            type,
            normaliseUnitKind,
            'vardcentral, sjukhus(klinik), specialistmottagning, hemsjukvard, sabo, hemtjanst, annan',
          );
          const address = list(r.address)[0];
          const municipality = check.text(
            'Organization.address.district',
            isObject(address) ? address.district : undefined,
            false,
          );
          if (check.errors.length === 0)
            directory.units.push({
              line,
              id: id!,
              providerId: providerId!,
              name: name!,
              kind: kind!,
              municipality,
            });
        }
        break;
      }
      case 'Practitioner': {
        const id = check.hsaId(fhirNames.staffId, hsaIdOf(r));
        const name = list(r.name).find(isObject);
        const given = isObject(name)
          ? list(name.given)
              .filter((g) => typeof g === 'string')
              .join(' ')
          : undefined;
        const givenName = check.text('Practitioner.name.given', given, true);
        const familyName = check.text(
          'Practitioner.name.family',
          isObject(name) ? name.family : undefined,
          true,
        );
        const qualification = list(r.qualification).find(isObject);
        const code = isObject(qualification) ? qualification.code : undefined;
        const profession = check.coded(
          'Practitioner.qualification.code',
          codeOf([code], null),
          normaliseProfession,
          'yrkeskoder som lakare, sjukskoterska',
        );
        const title = check.text(
          'Practitioner.qualification.code.text',
          isObject(code) ? code.text : undefined,
          false,
        );
        if (check.errors.length === 0)
          directory.staff.push({
            line,
            id: id!,
            givenName: givenName!,
            familyName: familyName!,
            title,
            profession: profession!,
          });
        break;
      }
      case 'PractitionerRole': {
        const staffId = check.hsaId(fhirNames.assignmentStaff, referenced(r.practitioner, 'Practitioner'));
        const unitId = check.hsaId(fhirNames.assignmentUnit, referenced(r.organization, 'Organization'));
        const purpose = check.coded(
          'PractitionerRole.code(ändamål)',
          codeOf(r.code, directoryFhir.purpose),
          normalisePurpose,
          'vard-och-behandling, administration, kvalitetssakring, uppfoljning, forskning, statistik',
        );
        const role =
          normaliseRole(codeOf(r.code, directoryFhir.role) ?? '') ??
          check.fail(
            'PractitionerRole.code(roll)',
            'Ska saknas, vara medarbetare eller en av produktens roller (verksamhetschef, loggansvarig, uppfoljning, systemforvaltare).',
          );
        if (check.errors.length === 0)
          directory.assignments.push({
            line,
            staffId: staffId!,
            unitId: unitId!,
            purpose: purpose!,
            role: role!,
          });
        break;
      }
      default:
        check.fail('resourceType', 'Ska vara Organization, Practitioner eller PractitionerRole.');
    }
    errors.push(...check.errors);
  });
  return finish(directory, errors, fhirNames);
}
