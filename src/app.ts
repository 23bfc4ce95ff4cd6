/**
 * The table of contents: builds the Fastify app from its dependencies and registers every
 * route prefix in one place. Only src/server.ts calls `listen`; tests call `app.inject()`.
 */
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { JWTVerifyGetKey } from 'jose';
import { randomUUID } from 'node:crypto';
import { authRoutes, SESSION_COOKIE } from './api/auth-routes.ts';
import { auditRoutes } from './api/audit-routes.ts';
import { careContactRoutes } from './api/care-contact-routes.ts';
import { blockRoutes } from './api/block-routes.ts';
import { careRelationshipRoutes } from './api/care-relationship-routes.ts';
import { consentRoutes } from './api/consent-routes.ts';
import { emergencyAccessRoutes } from './api/emergency-access-routes.ts';
import { contractRoutes } from './api/contract-routes.ts';
import { directoryRoutes } from './api/directory-routes.ts';
import { createDiagnosisService } from './services/diagnosis-service.ts';
import { createDirectoryService } from './services/directory-service.ts';
import { createLiveEventService } from './services/live-event-service.ts';
import { createNotificationService } from './services/notification-service.ts';
import { createProxyService } from './services/proxy-service.ts';
import { createFollowupService } from './services/followup-service.ts';
import { createImportService } from './services/import-service.ts';
import { createAdmissionService } from './services/admission-service.ts';
import { createEnrolmentStore } from './store/enrolment-store.ts';
import { createWorklistService } from './services/worklist-service.ts';
import { sendJsonError } from './api/error-handler.ts';
import { registerInputGuard, sendFrameworkError } from './api/input-guard.ts';
import { loggerOptions, type LogDestination } from './api/logging.ts';
import { notificationRoutes } from './api/notification-routes.ts';
import { eventRoutes } from './api/event-routes.ts';
import { akutbladRoutes } from './api/akutblad-routes.ts';
import { personStatusRoutes } from './api/person-status-routes.ts';
import { assessmentConfigRoutes } from './api/assessment-config-routes.ts';
import { assessmentRoutes } from './api/assessment-routes.ts';
import { careDirectiveRoutes } from './api/care-directive-routes.ts';
import { enrolmentRoutes } from './api/enrolment-routes.ts';
import { hospitalStayRoutes } from './api/hospital-stay-routes.ts';
import { escalationRoutes } from './api/escalation-routes.ts';
import { teamRoutes } from './api/team-routes.ts';
import { createMobileCareServices } from './services/mobile-care-services.ts';
import { devLoginAllowed, oidcRoutes } from './api/oidc-routes.ts';
import { ehrLaunchRoutes } from './api/ehr-launch-routes.ts';
import { createEhrLaunchService } from './services/ehr-launch-service.ts';
import { createSmartLaunchClient } from './services/smart-launch-client.ts';
import { createEhrLaunchStore } from './store/ehr-launch-store.ts';
import { createEhrSystemStore } from './store/ehr-system-store.ts';
import { patientActionRoutes } from './api/patient-action-routes.ts';
import { patientRoutes } from './api/patient-routes.ts';
import { prefetchPlugin } from './api/prefetch-plugin.ts';
import { proxyRoutes } from './api/proxy-routes.ts';
import { registerSecurity } from './api/security-plugin.ts';
import { webRoutes } from './api/web-routes.ts';
import { worklistRoutes } from './api/worklist-routes.ts';
import type { Config } from './config.ts';
import { fhirRoutes } from './fhir/fhir-routes.ts';
import { createSmartAuthService } from './services/smart-auth-service.ts';
import { createSmartClientStore } from './store/smart-client-store.ts';
import { followupRoutes } from './api/followup-routes.ts';
import { importRoutes } from './api/import-routes.ts';
import { directorySyncRoutes } from './api/directory-sync-routes.ts';
import { adminRoutes } from './api/admin-routes.ts';
import { createAdminService } from './services/admin-service.ts';
import { createEhrSystemService } from './services/ehr-system-service.ts';
import { createProductRoleService } from './services/product-role-service.ts';
import { createSmartClientService } from './services/smart-client-service.ts';
import { createAdminChangeStore } from './store/admin-change-store.ts';
import { createProductRoleStore } from './store/product-role-store.ts';
import { createDirectorySyncService } from './services/directory-sync-service.ts';
import { createDirectorySyncStore } from './store/directory-sync-store.ts';
import { createFollowupStore } from './store/followup-store.ts';
import { createImportStore } from './store/import-store.ts';
import { createAccessService } from './services/access-service.ts';
import { createAuditService } from './services/audit-service.ts';
import { createBlockService } from './services/block-service.ts';
import { createCareRelationshipService } from './services/care-relationship-service.ts';
import { createConsentService } from './services/consent-service.ts';
import { createEmergencyAccessService } from './services/emergency-access-service.ts';
import { createIdentifierLookup } from './services/identifier-lookup.ts';
import { createOidcLogin } from './services/oidc-login.ts';
import { createPatientRegistration } from './services/patient-registration.ts';
import { createPersonRegister } from './services/person-register.ts';
import { createPatientMergeService } from './services/patient-merge-service.ts';
import { createPatientMergeStore } from './store/patient-merge-store.ts';
import { createPatientService } from './services/patient-service.ts';
import { createPersonStatusService } from './services/person-status-service.ts';
import { createSessionService } from './services/session-service.ts';
import { createPrefetchService } from './services/prefetch-service.ts';
import { startCheckpoints } from './services/audit-checkpoint.ts';
import { deriveKey } from './services/audit-key.ts';
import { createMetrics, type Metrics } from './services/metrics.ts';
import { metricsRoutes } from './api/metrics-routes.ts';
import { createMetricsStore } from './store/metrics-store.ts';
import { createAccessFactsStore } from './store/access-facts-store.ts';
import { createPersonStatusStore } from './store/person-status-store.ts';
import { createAccessLogStore } from './store/access-log-store.ts';
import { createChangeFeed, type ChangeBus, type ChangeFeed } from './services/change-feed.ts';
import { createCareContactService } from './services/care-contact-service.ts';
import { createContractService } from './services/contract-service.ts';
import { createPatientActionService } from './services/patient-action-service.ts';
import { createCareContactStore } from './store/care-contact-store.ts';
import { createBlockStore } from './store/block-store.ts';
import { createCareRelationshipStore } from './store/care-relationship-store.ts';
import { createConsentStore } from './store/consent-store.ts';
import { createEmergencyAccessStore } from './store/emergency-access-store.ts';
import { createLogReviewStore } from './store/log-review-store.ts';
import { createOidcLoginStore } from './store/oidc-login-store.ts';
import { createContractStore } from './store/contract-store.ts';
import { ping, type Db } from './store/db.ts';
import { createDiagnosisStore } from './store/diagnosis-store.ts';
import { createDirectoryStore } from './store/directory-store.ts';
import { createPatientUpdateStore } from './store/patient-update-store.ts';
import { createNotificationStore } from './store/notification-store.ts';
import { createOverviewStore } from './store/overview-store.ts';
import { createPatientActionStore } from './store/patient-action-store.ts';
import { createPatientStore } from './store/patient-store.ts';
import { createPopulationPersonStore } from './store/population-person-store.ts';
import { createPrefetchStore } from './store/prefetch-store.ts';
import { createProxyStore } from './store/proxy-store.ts';
import { createQuestionSetStore } from './store/question-set-store.ts';
import { createSessionStore } from './store/session-store.ts';
import { createWorklistStore } from './store/worklist-store.ts';
import { createSubscriptionStore } from './store/subscription-store.ts';
import { createSubscriptionService } from './services/subscription-service.ts';
import { createHttpsSender } from './services/subscription-sender.ts';
import { notificationBundle } from './fhir/subscription-mapper.ts';

export interface AppDeps {
  db: Db;
  config: Config;
  /** The current time; tests pass a fixed clock. */
  clock?: () => Date;
  /** Users the development login lists. */
  demoUsers?: { staffIds: readonly string[]; patientIdentifiers: readonly string[] };
  /** The access log's HMAC key (see services/audit-key.ts). */
  auditKey: string;
  /** The emergency-access confirmation's key (default: derived from `auditKey`, never it). */
  emergencyTokenKey?: string;
  /**
   * Checkpoints of the log outside the database (services/audit-checkpoint.ts): the file and
   * the seconds between two. src/server.ts passes them; tests that need them do too.
   */
  auditCheckpoint?: { file: string; intervalSeconds: number };
  /**
   * The log (api/logging.ts: JSON lines without patient data) at this level, to `stream` when
   * given (tests collect it), else standard output; off when absent (most tests).
   */
  logger?: { level: string; stream?: LogDestination };
  /** Folder of the built web app (default web/dist). */
  webRoot?: string;
  /**
   * Benchmark only (bench/server.ts, `npm run bench`): access decisions are still made, but
   * their access-log entries are not written, so that the benchmark can measure what the log
   * costs. Never a setting: no environment variable or Config field reaches it, src/server.ts
   * never passes it, and buildApp refuses it when NODE_ENV=production.
   */
  benchOnlyUnaudited?: boolean;
  /**
   * Carries change events to and from the other server processes (WORKERS > 1 on PostgreSQL:
   * store/change-bus.ts); without it the change feed is in-process.
   */
  changeBus?: ChangeBus;
  /**
   * The app's metrics (services/metrics.ts); default a registry of its own without the process
   * metrics, which src/server.ts adds.
   */
  metrics?: Metrics;
  /**
   * The keys SMART access tokens are verified with, in place of fetching SMART_JWKS_URI (tests
   * that hold the keys themselves).
   */
  smartKeys?: JWTVerifyGetKey;
}

export interface App {
  app: FastifyInstance;
  feed: ChangeFeed;
  metrics: Metrics;
}

/** Builds the whole application. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const { db, config } = deps;
  const clock = deps.clock ?? (() => new Date());
  const app = Fastify({
    logger: deps.logger ? loggerOptions(deps.logger.level, deps.logger.stream) : false,
    genReqId: () => randomUUID(),
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    frameworkErrors: (error, request, reply) => {
      sendFrameworkError(error, request, reply);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const metrics = deps.metrics ?? createMetrics({ defaultMetrics: false });
  // Every answer, by its route pattern (`/api/patients/:patientId`), never its URL.
  app.addHook('onResponse', async (request, reply) => {
    metrics.observeRequest(
      request.method,
      request.routeOptions.url ?? null,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });
  const feed = createChangeFeed(deps.changeBus);
  const sessions = createSessionStore(db, config.session, {
    onCleanupError: (error) => app.log.warn({ err: error }, 'deleting ended sessions failed'),
  });
  const stores = {
    patients: createPatientStore(db),
    contracts: createContractStore(db),
    careContacts: createCareContactStore(db),
    notifications: createNotificationStore(db),
    directory: createDirectoryStore(db),
    questionSets: createQuestionSetStore(db),
    overview: createOverviewStore(db),
  };
  const accessLog = createAccessLogStore(db, deps.auditKey, { observer: metrics.accessLog });
  if (deps.auditCheckpoint) {
    const checkpoints = startCheckpoints({
      ...deps.auditCheckpoint,
      key: deriveKey(deps.auditKey, 'access-log-checkpoint'),
      lastWritten: () => accessLog.lastWritten(),
      clock,
      onError: (error) => app.log.error({ err: error }, 'writing an access-log checkpoint failed'),
    });
    app.addHook('onClose', () => checkpoints.stop());
  }
  if (deps.benchOnlyUnaudited && (config.isProduction || process.env.NODE_ENV === 'production')) {
    throw new Error('benchOnlyUnaudited is for the benchmark only and refused in production.');
  }
  const log = deps.benchOnlyUnaudited
    ? {
        ...accessLog,
        write: () => Promise.resolve(),
        reserve: () => ({ write: () => Promise.resolve(), cancel: () => undefined }),
      }
    : accessLog;
  const access = createAccessService({
    facts: createAccessFactsStore(db),
    log,
    unitsOfProviders: (ids) => stores.directory.unitIdsOfProviders(ids),
    clock,
  });

  await app.register(cookie);
  // Refused characters answer 400 and ids take one form before anything else reads them.
  registerInputGuard(app);
  // Headers, CSRF and rate limits; its per-user limit and CSRF check run after the session
  // lookup below (preValidation), its IP limits before it.
  const security = await registerSecurity(app, {
    sessionSecret: config.sessionSecret,
    publicBaseUrl: config.publicBaseUrl,
    secureCookie: config.session.secureCookie,
    rateLimit: config.rateLimit,
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Patientkontrakt API',
        version: '0.1.0',
        description: 'JSON API for the Patientkontrakt screens. FHIR R4 is served at /fhir.',
      },
    },
  });

  // The session of every request; on the hot patient routes (`config.prefetch`) read in one
  // statement with the access facts and the route's own read.
  await app.register(prefetchPlugin, {
    cookieName: SESSION_COOKIE,
    prefetch: createPrefetchService({
      sessions,
      prefetch: createPrefetchStore(db, { sessions, idleSeconds: config.session.idleSeconds }),
      reserveLog: () => log.reserve(),
    }),
  });
  app.addHook('onSend', async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    // The same id is in every access-log entry the request wrote.
    void reply.header('x-request-id', request.id);
  });

  app.setErrorHandler((error, request, reply) => sendJsonError(error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: { code: 'not_found', message: 'Sidan eller uppgiften finns inte.', requestId: request.id },
    }),
  );

  app.get(
    '/api/health',
    {
      schema: { tags: ['system'], summary: 'Liveness and database check, answered within HEALTH_TIMEOUT_MS' },
    },
    async (request, reply) => {
      // Its own bound: a database that accepts connections but never answers must not hold the
      // check (load balancers give up and mark the server dead for the wrong reason).
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), config.healthTimeoutMs);
      });
      const answer = await Promise.race([
        ping(db).then(
          () => 'ok' as const,
          (error: unknown) => error,
        ),
        timedOut,
      ]).finally(() => clearTimeout(timer));
      if (answer === 'ok') return { status: 'ok', engine: db.engine };
      if (answer !== 'timeout') request.log.warn({ err: answer }, 'health check: database failed');
      return reply.status(503).send({
        status: 'unavailable',
        engine: db.engine,
        error: { code: 'database_unavailable', message: 'Databasen svarar inte.', requestId: request.id },
      });
    },
  );
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const sessionService = createSessionService({
    sessions,
    directory: stores.directory,
    patients: stores.patients,
    clock,
  });
  await app.register(
    authRoutes({
      sessions: sessionService,
      isDevLoginEnabled: devLoginAllowed(config),
      secureCookie: config.session.secureCookie,
      absoluteSeconds: config.session.absoluteSeconds,
      demoStaffIds: deps.demoUsers?.staffIds ?? [],
      demoPatientIds: deps.demoUsers?.patientIdentifiers ?? [],
    }),
  );
  const login = createOidcLogin({
    logins: createOidcLoginStore(db),
    directory: stores.directory,
    patients: stores.patients,
    oidc: config.oidc,
    clock,
  });
  await app.register(oidcRoutes({ login, sessions: sessionService, config, clock }));
  // SMART App Launch from the region's registered journal systems (we are the SMART app).
  await app.register(
    ehrLaunchRoutes({
      launches: createEhrLaunchService({
        systems: createEhrSystemStore(db),
        launches: createEhrLaunchStore(db),
        directory: stores.directory,
        patients: stores.patients,
        contracts: stores.contracts,
        sessions: sessionService,
        sessionStore: sessions,
        access,
        client: createSmartLaunchClient({
          redirectUri: config.smartLaunch.redirectUri ?? '',
          scope: config.smartLaunch.scope,
          secrets: config.smartLaunch.secrets,
        }),
        isEnabled: config.smartLaunch.redirectUri !== undefined,
        clock,
        onFailure: (detail) => app.log.warn({ detail }, 'SMART launch refused'),
      }),
      config,
    }),
  );
  // Who a personnummer belongs to: the imported register, or the national person service.
  const personRegister = createPersonRegister(config.personService, createPopulationPersonStore(db));
  // What the register's facts change (a death, a move): for registrations, refreshes and imports.
  const registerFacts = createPersonStatusService({
    db,
    feed,
    clock,
    regionMunicipalities: config.regionMunicipalities,
  });
  const patientService = createPatientService({
    patients: stores.patients,
    updates: createPatientUpdateStore(db),
    directory: stores.directory,
    contracts: stores.contracts,
    overview: stores.overview,
    registration: createPatientRegistration({
      db,
      patients: stores.patients,
      access,
      register: personRegister,
      personStatus: registerFacts,
      reservnummerPrefix: config.reservnummerPrefix,
      clock,
    }),
    access,
    clock,
  });
  await app.register(
    patientRoutes({
      patients: patientService,
      merges: createPatientMergeService({
        db,
        patients: stores.patients,
        merges: createPatientMergeStore(),
        register: personRegister,
        access,
        feed,
        clock,
      }),
    }),
  );
  const contractService = createContractService({ contracts: stores.contracts, access, feed });
  await app.register(contractRoutes({ contracts: contractService }));
  const careContactService = createCareContactService({
    careContacts: stores.careContacts,
    access,
    feed,
    clock,
  });
  await app.register(careContactRoutes({ careContacts: careContactService }));
  await app.register(
    notificationRoutes({
      notifications: createNotificationService({ notifications: stores.notifications, access }),
    }),
  );
  await app.register(security.routes);
  // The patient's say over access: consent, spärr, registered care relationships, nödåtkomst.
  const lookup = createIdentifierLookup({ patients: stores.patients, access, clock });
  const emergencies = createEmergencyAccessStore(db);
  // FHIR Subscription: plan changes on the feed queued for the system clients' subscriptions and
  // sent as id-only notifications by a timer on the app's clock (services/subscription-service.ts;
  // started below). A consent revoked or a spärr added strikes the pending notifications about
  // the patient in its own transaction (narrowAccess).
  const fhirBase =
    config.smart?.audience ??
    (config.publicBaseUrl ? `${config.publicBaseUrl}/fhir` : 'http://localhost/fhir');
  const subscriptionService = createSubscriptionService({
    subscriptions: createSubscriptionStore(db),
    clients: createSmartClientStore(db),
    access,
    factsIn: createAccessFactsStore,
    feed,
    render: (notification) => JSON.stringify(notificationBundle(fhirBase, notification)),
    send: createHttpsSender({ timeoutMs: config.subscriptions.timeoutMs, ca: config.subscriptions.ca }),
    settings: {
      retry: {
        maxAttempts: config.subscriptions.maxAttempts,
        firstDelayMs: config.subscriptions.firstDelayMs,
        maxDelayMs: config.subscriptions.maxDelayMs,
      },
      checkMs: config.subscriptions.checkMs,
      timeoutMs: config.subscriptions.timeoutMs,
      batch: 50,
    },
    clock,
    onError: (error, what) => app.log.error({ err: error }, what),
  });
  // One service each for the JSON API and FHIR (Consent, AuditEvent).
  const consentService = createConsentService({
    db,
    consents: createConsentStore(db),
    consentsIn: createConsentStore,
    access,
    lookup,
    clock,
    narrowAccess: (tx, patientId) => subscriptionService.narrowAccess(tx, patientId),
  });
  const blockService = createBlockService({
    db,
    blocks: createBlockStore(db),
    blocksIn: createBlockStore,
    access,
    narrowAccess: (tx, patientId) => subscriptionService.narrowAccess(tx, patientId),
  });
  await app.register(consentRoutes({ consents: consentService }));
  await app.register(blockRoutes({ blocks: blockService }));
  await app.register(
    careRelationshipRoutes({
      relationships: createCareRelationshipService({
        relationships: createCareRelationshipStore(db),
        access,
        lookup,
        clock,
      }),
    }),
  );
  await app.register(
    emergencyAccessRoutes({
      emergencies: createEmergencyAccessService({
        emergencies,
        access,
        lookup,
        clock,
        minutes: config.emergencyMinutes,
        secret: deps.emergencyTokenKey ?? deriveKey(deps.auditKey, 'emergency-token'),
      }),
    }),
  );

  // The patient's own view: their actions in the plan, and närstående/ombud.
  await app.register(
    patientActionRoutes({
      actions: createPatientActionService({
        actions: createPatientActionStore(db),
        questionSets: stores.questionSets,
        access,
        feed,
        clock,
      }),
    }),
  );
  await app.register(
    proxyRoutes({
      proxies: createProxyService({
        proxies: createProxyStore(db),
        statuses: createPersonStatusStore(db),
        access,
        clock,
      }),
    }),
  );
  const auditService = createAuditService({
    access,
    accessLog,
    emergencies,
    reviews: createLogReviewStore(db),
    launches: createEhrLaunchStore(db),
    ehrSystems: createEhrSystemStore(db),
  });
  await app.register(auditRoutes({ audit: auditService }));
  // Follow-up: imports of visits and the population register, and the figures.
  await app.register(
    importRoutes({
      imports: createImportService({
        imports: createImportStore(db),
        access,
        clock,
        personStatus: registerFacts,
        admissions: createAdmissionService({
          imports: createImportStore(db),
          enrolments: createEnrolmentStore(db),
          feed,
        }),
        onRun: (kind, result) => metrics.importRun(kind, result),
      }),
      maxBytes: config.importMaxBytes,
    }),
  );
  await app.register(
    followupRoutes({
      followup: createFollowupService({
        directory: stores.directory,
        followup: createFollowupStore(db),
        access,
        clock,
        settings: config.followup,
      }),
      clock,
    }),
  );
  const directoryService = createDirectoryService({
    directory: stores.directory,
    questionSets: stores.questionSets,
  });
  await app.register(directoryRoutes({ directory: directoryService }));
  await app.register(
    directorySyncRoutes({
      directorySync: createDirectorySyncService({
        store: createDirectorySyncStore(db),
        access,
        onSync: (result) => metrics.directorySync(result),
      }),
      maxBytes: config.importMaxBytes,
    }),
  );
  // Administration: the systemförvaltare's registries, through the CLIs' services.
  await app.register(
    adminRoutes({
      admin: createAdminService({
        ehrSystems: createEhrSystemService({
          systems: createEhrSystemStore(db),
          directory: stores.directory,
        }),
        smartClients: createSmartClientService({
          clients: createSmartClientStore(db),
          directory: stores.directory,
        }),
        productRoles: createProductRoleService({
          roles: createProductRoleStore(db),
          directory: stores.directory,
        }),
        changes: createAdminChangeStore(db),
        access,
      }),
    }),
  );
  // The staff web app: its worklist, live updates, and the built files (web/).
  const worklist = createWorklistStore(db);
  await app.register(worklistRoutes({ worklist: createWorklistService({ worklist, access, clock }) }));
  const liveEvents = createLiveEventService({ feed, access, worklist });
  await app.register(eventRoutes({ liveEvents }));
  const metricsStore = createMetricsStore(db);
  metrics.watch({
    pool: db.poolStats ? () => db.poolStats!() : undefined,
    liveStreams: () => liveEvents.openStreams(),
    lastRuns: () => metricsStore.lastRuns(),
  });
  await app.register(metricsRoutes({ metrics, token: config.metricsToken }));
  // Mobile care teams: teams, enrolment, assessment, SBAR escalation, directives, akutblad.
  const mobileCare = createMobileCareServices({
    db,
    access,
    feed,
    clock,
    contracts: contractService,
    patients: stores.patients,
    careContacts: stores.careContacts,
    directory: stores.directory,
    settings: config.mobileCare,
    onError: (error, what) => app.log.error({ err: error }, what),
  });
  await app.register(teamRoutes({ teams: mobileCare.teams }));
  await app.register(enrolmentRoutes({ enrolments: mobileCare.enrolments }));
  await app.register(assessmentRoutes({ assessments: mobileCare.assessments }));
  await app.register(assessmentConfigRoutes({ configs: mobileCare.assessmentConfigs }));
  await app.register(escalationRoutes({ escalations: mobileCare.escalations }));
  await app.register(careDirectiveRoutes({ directives: mobileCare.directives }));
  await app.register(akutbladRoutes({ akutblad: mobileCare.akutblad }));
  // What follows from the register's facts about a person (a death, a move, protection).
  const personStatus = createPersonStatusService({
    db,
    feed,
    access,
    clock,
    regionMunicipalities: config.regionMunicipalities,
  });
  await app.register(personStatusRoutes({ personStatus }));
  await app.register(hospitalStayRoutes({ stays: mobileCare.hospitalStays }));
  const stopBackupTimer = mobileCare.startBackupTimer();
  app.addHook('onClose', () => stopBackupTimer());
  const stopSubscriptions = subscriptionService.start();
  app.addHook('onClose', () => stopSubscriptions());
  await app.register(webRoutes(deps.webRoot ? { root: deps.webRoot } : {}));
  await app.register(
    fhirRoutes({
      patientService,
      lookup,
      contractService,
      careContactService,
      directory: directoryService,
      mobileCareRecords: mobileCare.records,
      diagnosisService: createDiagnosisService({ diagnoses: createDiagnosisStore(db), access }),
      hospitalStayService: mobileCare.hospitalStays,
      consentService,
      blockService,
      auditService,
      subscriptionService,
      clock,
      smart: config.smart
        ? createSmartAuthService({
            config: config.smart,
            clients: createSmartClientStore(db),
            log,
            clock,
            ...(deps.smartKeys ? { keys: deps.smartKeys } : {}),
          })
        : null,
    }),
  );

  await app.ready();
  return { app, feed, metrics };
}
