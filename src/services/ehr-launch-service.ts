/**
 * Opening the plan from a journal system (SMART App Launch 2.x, EHR launch). Patientkontrakt is
 * the SMART app; the journal system (EHR) has its own authorization server.
 *
 *   begin     `iss` must be an active journal system of the region's registry (else refused here,
 *             before any redirect) → discovery → the authorization URL; the launch is bound to the
 *             browser by a cookie (only its SHA-256 is stored, beside state, nonce and verifier)
 *   complete  the launch is used up whatever the outcome; state checked; code exchanged; ID token
 *             verified; the user is the `fhirUser` Practitioner's HSA-id, who must have a place with
 *             a care role in our directory; the patient is the token response's `patient`, read
 *             from the journal system's FHIR server and matched by personnummer/samordningsnummer;
 *             the unit comes from `fhirContext` (an HSA-id), is the user's only one, or is chosen
 *   resume    after the unit choice: the same decision from the chosen unit
 *
 * Every launch that ends is written to `ehr_launch_event`; a patient decision is also in the
 * access log (allowed or refused), and a patient who is missing answers exactly as one the user
 * may not see.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { careRoles } from '../domain/access.ts';
import type { Actor, StaffActor } from '../domain/actor.ts';
import {
  hsaIdOfPractitioner,
  isFhirId,
  normaliseIss,
  personIdentifierOfPatient,
  resourceUrlOn,
  unitOfFhirContext,
  type LaunchRefusal,
} from '../domain/ehr-launch.ts';
import { parsePatientId } from '../domain/personnummer.ts';
import type { ContractStore } from '../store/contract-store.ts';
import type { DirectoryStore, StaffUnit } from '../store/directory-store.ts';
import type { EhrLaunchStore } from '../store/ehr-launch-store.ts';
import type { EhrSystem, EhrSystemStore } from '../store/ehr-system-store.ts';
import type { PatientStore } from '../store/patient-store.ts';
import type { SessionStore } from '../store/session-store.ts';
import type { AccessService } from './access-service.ts';
import { OidcLoginError } from './oidc-client.ts';
import type { SessionService } from './session-service.ts';
import type { SmartLaunchClient } from './smart-launch-client.ts';

/** How long a launch may take, in seconds (cookie and row alike), at each of its two steps. */
export const LAUNCH_TTL_SECONDS = 600;

/** Where a launch whose user must choose a unit goes, and comes back to. */
export const UNIT_CHOICE_LOCATION = '/valj-enhet?nasta=%2Flaunch%2Fresume';

/** The request a launch step runs in. */
export interface LaunchContext {
  requestId: string;
  route: string;
  /** The browser's session token, ended when the launch starts a new session. */
  sessionToken: string | undefined;
}

/** The cookie of a launch waiting for the unit choice (one per browser). */
export const UNIT_CHOICE_COOKIE = 'pk_launch';

/**
 * The cookie that binds a launch to the browser, named after its `state`, so that launches in two
 * tabs (two patients opened from the journal at once) do not take each other's place.
 */
export function launchCookieName(state: string | undefined): string {
  return `pk_launch_${createHash('sha256')
    .update(state ?? '')
    .digest('hex')
    .slice(0, 16)}`;
}

/**
 * How a step ended: a redirect (to the journal system's authorization server, the patient, or the
 * unit choice) or a refusal page. `cookie` is a launch cookie to set, `sessionToken` a new
 * session to set.
 */
export type LaunchOutcome =
  | {
      kind: 'redirect';
      location: string;
      cookie: { name: string; value: string } | null;
      sessionToken?: string;
    }
  | { kind: 'refused'; refusal: LaunchRefusal; sessionToken?: string };

export interface EhrLaunchDeps {
  systems: EhrSystemStore;
  launches: EhrLaunchStore;
  directory: DirectoryStore;
  patients: PatientStore;
  contracts: Pick<ContractStore, 'findCurrent'>;
  sessions: SessionService;
  sessionStore: Pick<SessionStore, 'resolveActor'>;
  access: AccessService;
  client: SmartLaunchClient;
  /** Is a redirect URI configured (SMART_LAUNCH_REDIRECT_URI or PUBLIC_BASE_URL)? */
  isEnabled: boolean;
  clock: () => Date;
  /** Told why a step with the journal system failed (the page says less). */
  onFailure: (detail: string) => void;
}

const hash = (value: string): string => createHash('sha256').update(value).digest('hex');

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Thrown inside a step to end it with a refusal page; `detail` goes to the launch log only. */
class Refusal extends Error {
  constructor(
    readonly refusal: LaunchRefusal,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** The messages of an error and its causes, for the launch log. */
function reasonsOf(error: unknown): string {
  const messages: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    messages.push(e.message);
  }
  return messages.join(' ← ');
}

const fromClientError = (error: unknown, what: string): unknown =>
  error instanceof OidcLoginError
    ? new Refusal(error.reason === 'rejected' ? 'rejected' : 'unavailable', `${what}: ${reasonsOf(error)}`)
    : error;

export function createEhrLaunchService(deps: EhrLaunchDeps) {
  /** What the launch log knows of a step so far. */
  interface Trail {
    system: EhrSystem | null;
    iss: string | null;
    staffId: string | null;
    unitId: string | null;
    patientId: string | null;
  }
  const emptyTrail = (): Trail => ({ system: null, iss: null, staffId: null, unitId: null, patientId: null });

  const logEvent = (ctx: LaunchContext, trail: Trail, outcome: string, detail: string | null) =>
    deps.launches.logEvent({
      ehrSystemId: trail.system?.id ?? null,
      iss: trail.system?.iss ?? trail.iss,
      outcome,
      staffId: trail.staffId,
      unitId: trail.unitId,
      patientId: trail.patientId,
      requestId: ctx.requestId,
      detail,
    });

  /** Runs a step; a Refusal becomes its page, logged with the trail. */
  async function step(
    ctx: LaunchContext,
    trail: Trail,
    run: () => Promise<LaunchOutcome>,
  ): Promise<LaunchOutcome> {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      deps.onFailure(`${error.refusal}: ${error.detail}`);
      await logEvent(ctx, trail, error.refusal, error.detail);
      return { kind: 'refused', refusal: error.refusal };
    }
  }

  /** The units where the user's role is a care role: the ones a launch may act from. */
  const careUnitsOf = async (staffId: string): Promise<StaffUnit[]> =>
    (await deps.directory.unitsOfStaff(staffId)).filter((u) => careRoles.includes(u.role));

  /** Our patient for the journal system's patient: id, or null with why (for the log). */
  async function matchPatient(
    system: EhrSystem,
    patientRef: unknown,
    accessToken: string,
  ): Promise<{ patientId: string | null; note: string | null }> {
    if (!isFhirId(patientRef)) throw new Refusal('no-patient', 'no patient in the token response');
    let resource: unknown;
    try {
      resource = await deps.client.read(`${system.iss}/Patient/${patientRef}`, accessToken);
    } catch (error) {
      throw fromClientError(error, 'Patient');
    }
    if (resource === null) throw new Refusal('no-patient', 'the journal system has no such Patient');
    const identifier = personIdentifierOfPatient(resource);
    const parsed = identifier === null ? null : parsePatientId(identifier, deps.clock());
    if (!parsed?.ok || parsed.id.kind === 'reservnummer') {
      throw new Refusal('no-patient-identifier', 'no personnummer or samordningsnummer on the Patient');
    }
    const patient = await deps.patients.findByIdentifier(parsed.id.value);
    return patient ? { patientId: patient.id, note: null } : { patientId: null, note: 'okänt personnummer' };
  }

  /**
   * Decides about the patient from the actor's unit (logged in the access log either way) and
   * answers with the patient's page, or the one page for a patient who is missing or not visible.
   */
  async function openPatient(
    ctx: LaunchContext,
    actor: StaffActor,
    system: EhrSystem,
    patientId: string | null,
    trail: Trail,
  ): Promise<{ location: string } | { refusal: 'no-patient' }> {
    const requestContext = { actor, requestId: ctx.requestId, route: ctx.route };
    const detail = `SMART-start från ${system.name}`;
    if (patientId === null) {
      await deps.access.logDenied(
        requestContext,
        null,
        'read',
        'no-patient',
        `${detail}: okänt personnummer`,
      );
      await logEvent(ctx, trail, 'no-patient', 'no patient with the number');
      return { refusal: 'no-patient' };
    }
    const granted = await deps.access.check(requestContext, patientId, 'read', detail);
    if (!granted) {
      await logEvent(ctx, trail, 'no-patient', 'access refused');
      return { refusal: 'no-patient' };
    }
    await logEvent(ctx, trail, 'opened', null);
    const contract = await deps.contracts.findCurrent(patientId);
    return { location: contract ? `/patient/${patientId}` : `/patient/${patientId}/nytt-kontrakt` };
  }

  const staffActorOf = async (token: string): Promise<StaffActor> => {
    const resolved = await deps.sessionStore.resolveActor(token);
    const actor: Actor | undefined = resolved?.actor;
    if (actor?.kind !== 'staff') throw new Error('the session just started does not resolve to staff');
    return actor;
  };

  return {
    /** Starts a launch: the journal system's authorization URL and the launch cookie's value. */
    async begin(ctx: LaunchContext, query: { iss?: string | undefined; launch?: string | undefined }) {
      const trail = emptyTrail();
      return step(ctx, trail, async () => {
        trail.iss = query.iss ?? null;
        if (!deps.isEnabled)
          throw new Refusal('not-enabled', 'no SMART_LAUNCH_REDIRECT_URI or PUBLIC_BASE_URL');
        const iss = query.iss === undefined ? null : normaliseIss(query.iss);
        if (!query.launch || !query.iss) throw new Refusal('bad-request', 'iss or launch missing');
        const system = iss === null ? null : await deps.systems.findActiveByIss(iss);
        if (!system) throw new Refusal('unknown-system', 'iss is not in the registry');
        trail.system = system;
        let started;
        try {
          started = await deps.client.begin(system, query.launch);
        } catch (error) {
          throw fromClientError(error, 'discovery');
        }
        const launchKey = randomBytes(32).toString('base64url');
        await deps.launches.startAuthorize({
          id: hash(launchKey),
          ehrSystemId: system.id,
          state: started.checks.state,
          nonce: started.checks.nonce,
          codeVerifier: started.checks.codeVerifier,
          ttlSeconds: LAUNCH_TTL_SECONDS,
        });
        return {
          kind: 'redirect',
          location: started.url.href,
          cookie: { name: launchCookieName(started.checks.state), value: launchKey },
        };
      });
    },

    /** The callback from the journal system's authorization server. */
    async complete(
      ctx: LaunchContext,
      launchKey: string | undefined,
      rawQuery: string,
    ): Promise<LaunchOutcome> {
      const trail = emptyTrail();
      return step(ctx, trail, async () => {
        const row = launchKey ? await deps.launches.take(hash(launchKey)) : null;
        const state = new URLSearchParams(rawQuery).get('state') ?? '';
        if (row?.stage !== 'authorize' || !row.isLive || !sameSecret(state, row.state)) {
          throw new Refusal(
            'lost-launch',
            row ? 'state does not match, or the launch expired' : 'no launch for this browser',
          );
        }
        const system = await deps.systems.findById(row.ehrSystemId);
        if (!system?.active)
          throw new Refusal('unknown-system', 'the registration was turned off during the launch');
        trail.system = system;
        let tokens;
        try {
          tokens = await deps.client.complete(system, rawQuery, row);
        } catch (error) {
          throw fromClientError(error, 'code exchange');
        }

        // The user: the fhirUser claim of the verified ID token, a Practitioner on this server.
        const practitionerUrl = resourceUrlOn(system.iss, tokens.claims.fhirUser, 'Practitioner');
        if (!practitionerUrl) throw new Refusal('unknown-user', 'fhirUser is no Practitioner of this server');
        let practitioner: unknown;
        try {
          practitioner = await deps.client.read(practitionerUrl, tokens.accessToken);
        } catch (error) {
          throw fromClientError(error, 'Practitioner');
        }
        const hsaId = hsaIdOfPractitioner(practitioner);
        if (!hsaId) throw new Refusal('unknown-user', 'the Practitioner has no HSA-id');
        trail.staffId = hsaId;
        const units = await careUnitsOf(hsaId);
        if (units.length === 0)
          throw new Refusal('unknown-user', 'no place with a care role in the directory');

        const { patientId, note } = await matchPatient(system, tokens.patient, tokens.accessToken);
        trail.patientId = patientId;

        const contextUnit = unitOfFhirContext(tokens.fhirContext);
        const unit =
          units.find((u) => u.unitId === contextUnit) ?? (units.length === 1 ? units[0] : undefined);
        if (!unit) {
          // The user chooses among their units; the decision waits for their choice.
          const sessionToken = await deps.sessions.start(
            { kind: 'staff', id: hsaId, unitId: null },
            ctx.sessionToken,
          );
          const nextKey = randomBytes(32).toString('base64url');
          await deps.launches.startUnitChoice({
            id: hash(nextKey),
            ehrSystemId: system.id,
            staffId: hsaId,
            patientId,
            patientNote: note,
            ttlSeconds: LAUNCH_TTL_SECONDS,
          });
          await logEvent(
            ctx,
            trail,
            'choose-unit',
            contextUnit ? `fhirContext unit ${contextUnit} is not theirs` : null,
          );
          return {
            kind: 'redirect',
            location: UNIT_CHOICE_LOCATION,
            cookie: { name: UNIT_CHOICE_COOKIE, value: nextKey },
            sessionToken,
          };
        }
        trail.unitId = unit.unitId;
        const sessionToken = await deps.sessions.start(
          { kind: 'staff', id: hsaId, unitId: unit.unitId },
          ctx.sessionToken,
        );
        const actor = await staffActorOf(sessionToken);
        const opened = await openPatient(ctx, actor, system, patientId, trail);
        return 'location' in opened
          ? { kind: 'redirect', location: opened.location, cookie: null, sessionToken }
          : { kind: 'refused', refusal: opened.refusal, sessionToken };
      });
    },

    /** Back from the unit choice: the launch waiting in this browser, decided from the chosen unit. */
    async resume(
      ctx: LaunchContext,
      launchKey: string | undefined,
      actor: Actor | null,
    ): Promise<LaunchOutcome> {
      const trail = emptyTrail();
      return step(ctx, trail, async () => {
        const row = launchKey ? await deps.launches.take(hash(launchKey)) : null;
        if (row?.stage !== 'choose-unit' || !row.isLive)
          throw new Refusal('lost-launch', 'no launch waits for a unit');
        trail.staffId = row.staffId;
        trail.patientId = row.patientId;
        if (actor?.kind !== 'staff' || actor.staffId !== row.staffId) {
          throw new Refusal('lost-launch', 'the session is not the launched user’s, or has no unit');
        }
        trail.unitId = actor.unitId;
        const system = await deps.systems.findById(row.ehrSystemId);
        if (!system?.active)
          throw new Refusal('unknown-system', 'the registration was turned off during the launch');
        trail.system = system;
        const opened = await openPatient(ctx, actor, system, row.patientId, trail);
        return 'location' in opened
          ? { kind: 'redirect', location: opened.location, cookie: null }
          : { kind: 'refused', refusal: opened.refusal };
      });
    },
  };
}

export type EhrLaunchService = ReturnType<typeof createEhrLaunchService>;
