/**
 * Login through OpenID Connect for staff (SITHS) and patients (BankID/Freja): starts a login as
 * a one-shot login transaction bound to the browser, completes it from the callback, and maps
 * the person the provider vouches for to the subject of a new session.
 *
 * Staff are named by their HSA-id claim, which must be an active `staff` row with at least one
 * unit; patients by their personnummer claim, which must be a registered patient.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config.ts';
import { DomainError } from '../domain/errors.ts';
import { parsePatientId } from '../domain/personnummer.ts';
import type { DirectoryStore, StaffUnit } from '../store/directory-store.ts';
import type { OidcLoginStore } from '../store/oidc-login-store.ts';
import type { PatientStore } from '../store/patient-store.ts';
import { createOidcClient, type OidcClient } from './oidc-client.ts';

export type OidcKind = 'staff' | 'patient';
export const oidcKinds: readonly OidcKind[] = ['staff', 'patient'];

/** How long a started login may take, in seconds (cookie and server-side row alike). */
export const LOGIN_TTL_SECONDS = 600;

/** The subject of the session a login creates. Staff with several units get `unitId: null`. */
export interface LoginSubject {
  kind: OidcKind;
  id: string;
  unitId: string | null;
}

export type { StaffUnit };

/** Swedish messages for the people who log in. */
export const loginMessages = {
  notEnabled: 'Den här inloggningen är inte aktiverad.',
  lostLogin:
    'Inloggningen kunde inte bekräftas i den här webbläsaren, eller tog för lång tid. Börja om inloggningen.',
  rejected: 'Inloggningen kunde inte genomföras. Försök igen.',
  unavailable: 'Inloggningstjänsten svarar inte just nu. Försök igen om en stund.',
  noHsaId:
    'Inloggningstjänsten lämnade inte ut något HSA-id. Kontakta den som ger behörigheter på din enhet.',
  unknownStaff:
    'Du finns inte som användare i Patientkontrakt. Kontakta den som ger behörigheter på din enhet.',
  noPersonnummer: 'Inloggningstjänsten lämnade inte ut något giltigt personnummer. Försök igen.',
  unknownPatient: 'Vi hittar ingen plan för dig. Kontakta din vårdcentral om du tror att det är fel.',
  notYourUnit: 'Du arbetar inte på den enheten.',
} as const;

const hash = (value: string): string => createHash('sha256').update(value).digest('hex');

/** Compares two secrets in constant time. */
function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface OidcLoginDeps {
  logins: OidcLoginStore;
  directory: DirectoryStore;
  patients: PatientStore;
  oidc: Config['oidc'];
  clock: () => Date;
}

export function createOidcLogin(deps: OidcLoginDeps) {
  const clients = new Map<OidcKind, OidcClient>();
  for (const kind of oidcKinds) {
    const settings = deps.oidc[kind];
    if (settings) clients.set(kind, createOidcClient(settings));
  }
  const clientOf = (kind: OidcKind): { client: OidcClient; claim: string } => {
    const client = clients.get(kind);
    const settings = deps.oidc[kind];
    if (!client || !settings) throw new DomainError('not_found', loginMessages.notEnabled);
    return { client, claim: settings.claim };
  };

  const unitsOf = (staffId: string): Promise<StaffUnit[]> => deps.directory.unitsOfStaff(staffId);

  const staffSubject = async (claim: unknown): Promise<LoginSubject> => {
    const hsaId = typeof claim === 'string' ? claim.trim() : '';
    if (!/^[A-Za-z0-9-]{3,64}$/.test(hsaId)) throw new DomainError('unauthenticated', loginMessages.noHsaId);
    const units = await unitsOf(hsaId);
    if (units.length === 0) throw new DomainError('forbidden', loginMessages.unknownStaff);
    // With several units the user chooses one first; until then the session reaches no data.
    return { kind: 'staff', id: hsaId, unitId: units.length === 1 ? units[0]!.unitId : null };
  };

  const patientSubject = async (claim: unknown): Promise<LoginSubject> => {
    const parsed = typeof claim === 'string' ? parsePatientId(claim.trim(), deps.clock()) : null;
    if (!parsed?.ok || parsed.id.kind === 'reservnummer') {
      throw new DomainError('unauthenticated', loginMessages.noPersonnummer);
    }
    const patient = await deps.patients.findByIdentifier(parsed.id.value);
    if (!patient) throw new DomainError('forbidden', loginMessages.unknownPatient);
    return { kind: 'patient', id: patient.id, unitId: null };
  };

  return {
    isEnabled: (kind: OidcKind): boolean => clients.has(kind),

    unitsOf,

    /**
     * Starts a login: the URL to send the browser to, and the value of the cookie that binds the
     * login to this browser (only its SHA-256 is stored, beside state, nonce and PKCE verifier).
     */
    async begin(kind: OidcKind): Promise<{ url: URL; browserKey: string }> {
      const { client } = clientOf(kind);
      const { url, checks } = await client.begin();
      const browserKey = randomBytes(32).toString('base64url');
      await deps.logins.start({
        id: hash(browserKey),
        kind,
        state: checks.state,
        nonce: checks.nonce,
        codeVerifier: checks.codeVerifier,
        ttlSeconds: LOGIN_TTL_SECONDS,
      });
      return { url, browserKey };
    },

    /**
     * Completes a login from the callback. The login transaction is used up whatever the
     * outcome; a missing, expired or foreign one, or a `state` that does not match it, ends
     * here with 400 before anything is sent to the provider.
     */
    async complete(kind: OidcKind, browserKey: string | undefined, rawQuery: string): Promise<LoginSubject> {
      const { client, claim } = clientOf(kind);
      const row = browserKey ? await deps.logins.take(hash(browserKey), kind) : null;
      const state = new URLSearchParams(rawQuery).get('state') ?? '';
      if (!row?.isLive || !sameSecret(state, row.state)) {
        throw new DomainError('invalid_input', loginMessages.lostLogin);
      }
      const claims = await client.complete(rawQuery, row, claim);
      return kind === 'staff' ? staffSubject(claims[claim]) : patientSubject(claims[claim]);
    },
  };
}

export type OidcLogin = ReturnType<typeof createOidcLogin>;
