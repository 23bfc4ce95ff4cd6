/**
 * HL7 FHIR R4 at /fhir: the table of contents of the FHIR server. Everything FHIR-specific is
 * scoped to this plugin: the `application/fhir+json` body parser, content negotiation, login,
 * and errors and unknown paths answered as OperationOutcome. See docs/fhir.md.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { requireActor } from '../api/http.ts';
import { DomainError } from '../domain/errors.ts';
import type { AuditService } from '../services/audit-service.ts';
import type { BlockService } from '../services/block-service.ts';
import type { ConsentService } from '../services/consent-service.ts';
import type { CareContactService } from '../services/care-contact-service.ts';
import type { ContractService } from '../services/contract-service.ts';
import type { DiagnosisService } from '../services/diagnosis-service.ts';
import type { DirectoryService } from '../services/directory-service.ts';
import type { HospitalStayService } from '../services/hospital-stay-service.ts';
import type { IdentifierLookup } from '../services/identifier-lookup.ts';
import type { MobileCareRecordService } from '../services/mobile-care-record-service.ts';
import type { PatientService } from '../services/patient-service.ts';
import type { SmartAuthService } from '../services/smart-auth-service.ts';
import type { SubscriptionService } from '../services/subscription-service.ts';
import { authenticateBearer, registerCors } from './bearer.ts';
import { smartConfigurationRoutes } from './smart-routes.ts';
import { appointmentFhirRoutes } from './appointment-routes.ts';
import { auditEventFhirRoutes } from './audit-event-routes.ts';
import { baseUrl } from './bundle.ts';
import { capabilityStatement } from './capability.ts';
import { carePlanFhirRoutes } from './careplan-routes.ts';
import { conditionFhirRoutes } from './condition-routes.ts';
import { consentFhirRoutes } from './consent-routes.ts';
import { careTeamFhirRoutes } from './careteam-routes.ts';
import { directoryFhirRoutes } from './directory-routes.ts';
import { encounterFhirRoutes } from './encounter-routes.ts';
import { everythingFhirRoutes } from './everything-routes.ts';
import { goalFhirRoutes } from './goal-routes.ts';
import { mobileCareFhirRoutes } from './mobile-care-routes.ts';
import { FHIR_JSON, negotiate } from './http.ts';
import { FhirError, sendOutcome, toOperationOutcome } from './outcome.ts';
import { patientFhirRoutes } from './patient-routes.ts';
import { provenanceFhirRoutes } from './provenance-routes.ts';
import { subscriptionTopicFhirRoutes } from './subscription-topic-routes.ts';
import { subscriptionFhirRoutes } from './subscription-routes.ts';
import { ReadQuery } from './search.ts';

export interface FhirDeps {
  /** Patient: read, search, register, change name and phone. */
  patientService: PatientService;
  /** The patient a search or a reference names by personnummer. */
  lookup: Pick<IdentifierLookup, 'find'>;
  /** CarePlan, Goal and Appointment: every read and write of a contract. */
  contractService: ContractService;
  /** CareTeam: every read and write of the fixed contacts and treating roles. */
  careContactService: CareContactService;
  /** Organization and Practitioner. */
  directory: DirectoryService;
  /** Mobile care teams (read only): enrolment, team, assessments, SBAR and escalations. */
  mobileCareRecords: MobileCareRecordService;
  /** Condition: the patient's diagnoses (read only). */
  diagnosisService: DiagnosisService;
  /** Encounter: the patient's stays in hospital (read only). */
  hospitalStayService: Pick<HospitalStayService, 'listForRecord' | 'readForRecord'>;
  /** Consent: the patient's consents (with the block service, their spärrar). */
  consentService: ConsentService;
  blockService: BlockService;
  /** AuditEvent: the access log, for the patient and for log review. */
  auditService: AuditService;
  clock: () => Date;
  /** Bearer tokens of the region's authorization server and CORS (null: the session cookie only). */
  smart?: SmartAuthService | null;
  /** Subscription: topic-based subscriptions of system clients to plan changes. */
  subscriptionService?: SubscriptionService;
}

const PREFIX = '/fhir';
/** Public: what the server offers (the CapabilityStatement, the served subscription topic). */
const PUBLIC_ROUTES = new Set([`${PREFIX}/metadata`, `${PREFIX}/Basic`, `${PREFIX}/Basic/:id`]);

/** The resource type a request is about (`/fhir/CarePlan/…` → CarePlan), for error expressions. */
function resourceTypeOf(request: FastifyRequest): string | undefined {
  return /^\/fhir\/([A-Z][A-Za-z]+)/.exec(request.routeOptions.url ?? '')?.[1];
}

/** The answer to a path that is no FHIR interaction here. */
function unknownPath(request: FastifyRequest): FhirError {
  const path = request.url.replace(/\?.*$/, '');
  return new FhirError(404, 'not-found', `Okänd sökväg: ${request.method} ${path}. Se /fhir/metadata.`);
}

/** The negotiated media type, or FHIR JSON when negotiation itself failed (406). */
function responseType(request: FastifyRequest): string {
  try {
    return negotiate(request);
  } catch {
    return FHIR_JSON;
  }
}

/** The FHIR server, registered once in src/app.ts. */
export function fhirRoutes(deps: FhirDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const smart = deps.smart ?? null;
    await app.register(
      smartConfigurationRoutes(smart?.config ?? null, (origin) =>
        smart ? smart.isAllowedOrigin(origin) : Promise.resolve(false),
      ),
    );
    await app.register(
      async (fhir) => {
        // See: https://hl7.org/fhir/R4/http.html#mime-type — application/json is accepted too.
        fhir.addContentTypeParser(
          'application/fhir+json',
          { parseAs: 'string' },
          fhir.getDefaultJsonParser('error', 'error'),
        );

        registerCors(fhir, deps.smart ?? null);
        fhir.addHook('onRequest', async (request, reply) => {
          void reply.type(negotiate(request));
          if (request.method === 'OPTIONS' || PUBLIC_ROUTES.has(request.routeOptions.url ?? '')) return;
          // A bearer token, when sent, is the only credential (a cookie beside it is ignored).
          await authenticateBearer(request, reply, deps.smart ?? null);
          requireActor(request);
        });
        // A resource of the wrong type is named as such, before the schema reports its fields.
        fhir.addHook('preValidation', async (request) => {
          const expected = resourceTypeOf(request);
          const body: unknown = request.body;
          const takesResource = request.routeOptions.schema?.body !== undefined;
          if (
            !takesResource ||
            expected === undefined ||
            typeof body !== 'object' ||
            body === null ||
            Array.isArray(body)
          )
            return;
          const given = (body as { resourceType?: unknown }).resourceType;
          if (given !== expected) {
            const message = `Resurstypen ska vara ${expected}${typeof given === 'string' ? `, inte ${given}` : ''}.`;
            throw new DomainError('invalid_input', message, [{ path: `${expected}.resourceType`, message }]);
          }
        });
        fhir.setErrorHandler((error, request, reply) => {
          void reply.type(responseType(request));
          return sendOutcome(error, request, reply, resourceTypeOf(request));
        });
        fhir.setNotFoundHandler((request, reply) => {
          void reply.type(responseType(request));
          const { status, outcome: body } = toOperationOutcome(unknownPath(request));
          return reply.status(status).send(body);
        });
        // Unknown paths under /fhir. The route (not only the not-found handler) is needed because
        // the web app's catch-all GET would otherwise claim them (src/api/web-routes.ts). Nothing
        // is deleted or patched through FHIR: ended contracts and contacts are history.
        fhir.route({
          method: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'],
          url: '/*',
          schema: { hide: true },
          handler: async (request) => {
            if (request.method === 'DELETE' || request.method === 'PATCH') {
              throw new FhirError(
                405,
                'not-supported',
                'Borttagning och PATCH stöds inte. Avsluta i stället (status eller period.end).',
              );
            }
            throw unknownPath(request);
          },
        });
        fhir.get('/', { schema: { hide: true } }, async (request) => {
          throw unknownPath(request);
        });

        fhir.get('/metadata', { schema: { hide: true, querystring: ReadQuery } }, async (request) =>
          capabilityStatement(baseUrl(request), deps.smart?.config ?? null),
        );

        await fhir.register(patientFhirRoutes(deps));
        await fhir.register(carePlanFhirRoutes(deps));
        await fhir.register(goalFhirRoutes(deps));
        await fhir.register(careTeamFhirRoutes(deps));
        await fhir.register(appointmentFhirRoutes(deps));
        await fhir.register(directoryFhirRoutes(deps));
        await fhir.register(mobileCareFhirRoutes(deps));
        await fhir.register(provenanceFhirRoutes(deps));
        await fhir.register(consentFhirRoutes(deps));
        await fhir.register(conditionFhirRoutes(deps));
        await fhir.register(encounterFhirRoutes(deps));
        await fhir.register(auditEventFhirRoutes(deps));
        await fhir.register(everythingFhirRoutes(deps));
        if (deps.subscriptionService) {
          await fhir.register(subscriptionFhirRoutes({ subscriptions: deps.subscriptionService }));
          await fhir.register(subscriptionTopicFhirRoutes());
        }
      },
      { prefix: PREFIX },
    );
  };
}
