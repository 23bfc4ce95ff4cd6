/**
 * SMART App Launch from a journal system (EHR launch): the pure rules. What a launch may name
 * (the journal system's FHIR base, `iss`), how the user and the patient are read from what the
 * journal system sends, and the outcomes a launch can end in, each with its page in Swedish.
 *
 * See: https://hl7.org/fhir/smart-app-launch/app-launch.html (SMART App Launch 2.x)
 */

/** HSA-id: Inera's OID for the HSA catalogue (as in our FHIR API), and its urn form without the prefix. */
export const hsaIdSystems: readonly string[] = ['urn:oid:1.2.752.29.4.19', '1.2.752.29.4.19'];

/**
 * Personnummer and samordningsnummer: the Swedish OIDs (Skatteverket's, as journal systems send
 * them) and the systems of our own FHIR API.
 */
export const personIdentifierSystems: readonly string[] = [
  'urn:oid:1.2.752.129.2.1.3.1',
  'urn:oid:1.2.752.129.2.1.3.3',
  'http://electronichealth.se/identifier/personnummer',
  'http://electronichealth.se/identifier/samordningsnummer',
];

/** The scopes asked for unless the region configures others (SMART_LAUNCH_SCOPE). */
export const DEFAULT_LAUNCH_SCOPE = 'openid fhirUser launch patient/Patient.rs';

/**
 * A journal system's FHIR base URL in one form: absolute http(s), no query, fragment or user
 * part, without a trailing slash. Null when `value` is none.
 */
export function normaliseIss(value: string): string | null {
  if (value.length > 2000 || !URL.canParse(value)) return null;
  const url = new URL(value);
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash) return null;
  if (url.username || url.password || value.includes('?') || value.includes('#')) return null;
  return url.href.replace(/\/+$/, '');
}

/** A FHIR logical id (https://hl7.org/fhir/R4/datatypes.html#id). */
export const isFhirId = (value: unknown): value is string =>
  typeof value === 'string' && /^[A-Za-z0-9.-]{1,64}$/.test(value);

/**
 * The URL of the resource a reference names on the journal system's FHIR server, when it is of
 * `type` and on that server (`Practitioner/123`, or an absolute URL under `iss`); null otherwise.
 * The access token is sent only to the journal system's own server, never to a URL a claim names
 * elsewhere.
 */
export function resourceUrlOn(iss: string, reference: unknown, type: string): string | null {
  if (typeof reference !== 'string' || reference.length > 2000) return null;
  const base = `${iss}/`;
  const relative = reference.startsWith(base) ? reference.slice(base.length) : reference;
  const match = /^([A-Za-z]+)\/([A-Za-z0-9.-]{1,64})$/.exec(relative);
  if (!match || match[1] !== type) return null;
  return `${base}${type}/${match[2]}`;
}

interface FhirIdentifier {
  system?: unknown;
  value?: unknown;
}

function identifiersOf(resource: unknown, resourceType: string): FhirIdentifier[] {
  if (resource === null || typeof resource !== 'object') return [];
  const r = resource as { resourceType?: unknown; identifier?: unknown };
  if (r.resourceType !== resourceType || !Array.isArray(r.identifier)) return [];
  return r.identifier.filter((i): i is FhirIdentifier => i !== null && typeof i === 'object');
}

const valueIn = (identifiers: FhirIdentifier[], systems: readonly string[]): string | null => {
  const found = identifiers.find(
    (i) => typeof i.system === 'string' && systems.includes(i.system) && typeof i.value === 'string',
  );
  return typeof found?.value === 'string' ? found.value.trim() : null;
};

/** The HSA-id of a Practitioner resource, or null. */
export const hsaIdOfPractitioner = (resource: unknown): string | null => {
  const value = valueIn(identifiersOf(resource, 'Practitioner'), hsaIdSystems);
  return value !== null && /^[A-Za-z0-9-]{3,64}$/.test(value) ? value : null;
};

/** The personnummer or samordningsnummer of a Patient resource, as written there, or null. */
export const personIdentifierOfPatient = (resource: unknown): string | null =>
  valueIn(identifiersOf(resource, 'Patient'), personIdentifierSystems);

/**
 * The unit a launch names: the first `fhirContext` entry of the token response that carries an
 * HSA-id identifier (SMART 2.1: `{ "type": "Organization", "identifier": {…} }`; a Reference with
 * an `identifier` alike). SMART has no unit parameter; null when the journal system sent none.
 */
export function unitOfFhirContext(fhirContext: unknown): string | null {
  if (!Array.isArray(fhirContext)) return null;
  for (const entry of fhirContext as unknown[]) {
    if (entry === null || typeof entry !== 'object') continue;
    const identifier = (entry as { identifier?: FhirIdentifier }).identifier;
    if (!identifier || typeof identifier !== 'object') continue;
    if (typeof identifier.system !== 'string' || !hsaIdSystems.includes(identifier.system)) continue;
    if (typeof identifier.value === 'string' && /^[A-Za-z0-9-]{3,64}$/.test(identifier.value))
      return identifier.value;
  }
  return null;
}

/** How a launch ended when it did not open a patient. */
export type LaunchRefusal =
  | 'not-enabled'
  | 'bad-request'
  | 'unknown-system'
  | 'unavailable'
  | 'lost-launch'
  | 'rejected'
  | 'unknown-user'
  | 'no-patient-identifier'
  | 'no-patient';

/** The page of each refusal: HTTP status, title and text in Swedish, and a line in English. */
export const launchRefusals: Record<
  LaunchRefusal,
  { status: number; title: string; message: string; english: string }
> = {
  'not-enabled': {
    status: 404,
    title: 'Start från journalen är inte aktiverad',
    message: 'Den här installationen av Patientkontrakt tar inte emot start från journalsystem.',
    english: 'Launching from an EHR is not enabled in this installation.',
  },
  'bad-request': {
    status: 400,
    title: 'Starten saknar uppgifter',
    message:
      'Journalsystemet skickade inte med vilken server och vilken start det gäller. Öppna Patientkontrakt igen från journalen.',
    english: 'The launch did not name its server (iss) and launch. Open Patientkontrakt again from the EHR.',
  },
  'unknown-system': {
    status: 400,
    title: 'Journalsystemet är inte anslutet',
    message:
      'Patientkontrakt känner inte igen journalsystemet som försökte öppna planen. Kontakta systemförvaltaren om systemet ska anslutas.',
    english: 'Patientkontrakt does not know the EHR that tried to open it; ask the system administrator.',
  },
  unavailable: {
    status: 502,
    title: 'Journalsystemet svarar inte',
    message: 'Journalsystemets inloggning eller server svarar inte just nu. Försök igen om en stund.',
    english: "The EHR's authorization server or FHIR server does not answer. Try again later.",
  },
  'lost-launch': {
    status: 400,
    title: 'Starten kunde inte bekräftas',
    message:
      'Starten kunde inte bekräftas i den här webbläsaren, har redan använts eller tog för lång tid. Öppna Patientkontrakt igen från journalen.',
    english: 'The launch could not be confirmed in this browser, was already used, or took too long.',
  },
  rejected: {
    // 403, not 401: the page is no challenge a client could answer (a 401 needs WWW-Authenticate).
    status: 403,
    title: 'Inloggningen kunde inte genomföras',
    message:
      'Journalsystemet gav inte Patientkontrakt en giltig inloggning. Öppna Patientkontrakt igen från journalen.',
    english: 'The EHR did not give a valid login. Open Patientkontrakt again from the EHR.',
  },
  'unknown-user': {
    status: 403,
    title: 'Du finns inte som användare',
    message:
      'Du finns inte som användare med ett uppdrag för vård och behandling i Patientkontrakt. Kontakta den som ger behörigheter på din enhet.',
    english:
      'You are not a user of Patientkontrakt with an assignment for care. Ask who grants access at your unit.',
  },
  'no-patient-identifier': {
    status: 404,
    title: 'Patienten saknar personnummer',
    message:
      'Patienten som är öppen i journalen har inget personnummer eller samordningsnummer, så Patientkontrakt kan inte hitta patientens plan.',
    english: 'The patient open in the EHR has no personnummer or samordningsnummer.',
  },
  'no-patient': {
    status: 404,
    title: 'Patienten kan inte visas',
    message:
      'Patienten som är öppen i journalen finns inte i Patientkontrakt, eller så ger din enhet inte åtkomst till patientens plan. Sök patienten i Patientkontrakt för att se vilka vägar till åtkomst som finns.',
    english:
      'The patient open in the EHR is not in Patientkontrakt, or your unit has no access to their plan.',
  },
};

/** How Patientkontrakt authenticates as a client at a journal system's authorization server. */
export type EhrClientAuth = 'none' | 'client_secret_basic' | 'private_key_jwt';

/** A journal system of the region's registry (`ehr_system`), as the store reads it and Administration lists it. */
export interface EhrSystem {
  id: string;
  name: string;
  /** The journal system's FHIR base URL, in the form of `normaliseIss`. */
  iss: string;
  clientId: string;
  clientAuth: EhrClientAuth;
  /** Names SMART_SECRET_<secretRef>, which holds the client secret or the private key. */
  secretRef: string | null;
  keyId: string | null;
  active: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** A launch that ended, as log review lists it (store/ehr-launch-store.ts, GET /api/audit/launches). */
export interface LoggedLaunch {
  id: string;
  at: string;
  ehrSystemId: string | null;
  ehrSystemName: string | null;
  iss: string | null;
  outcome: string;
  staffId: string | null;
  staffName: string | null;
  unitId: string | null;
  unitName: string | null;
  patientId: string | null;
  requestId: string;
  detail: string | null;
}
