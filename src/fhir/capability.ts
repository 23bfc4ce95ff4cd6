/**
 * What this FHIR server does: the CapabilityStatement at /fhir/metadata.
 * See: https://hl7.org/fhir/R4/capabilitystatement.html and docs/fhir.md
 */
import type { SmartResourceServerConfig } from '../config.ts';
import { PLAN_CHANGED_TOPIC } from '../domain/subscription.ts';
import { CONDITION_WRITE_MESSAGE } from './condition-routes.ts';
import { ENCOUNTER_WRITE_MESSAGE } from './encounter-routes.ts';
import { GOAL_WRITE_MESSAGE } from './goal-routes.ts';

type Interaction = 'read' | 'vread' | 'search-type' | 'create' | 'update' | 'delete' | 'history-instance';
type ParamType = 'token' | 'reference' | 'string' | 'date';

interface ResourceCapability {
  /** Subscription: the backport's topic canonical (capabilitystatement-subscriptiontopic-canonical). */
  extension?: { url: string; valueCanonical: string }[];
  type: string;
  profile?: string;
  supportedProfile?: string[];
  documentation: string;
  interaction: { code: Interaction; documentation?: string }[];
  versioning: 'no-version' | 'versioned' | 'versioned-update';
  readHistory: boolean;
  updateCreate: boolean;
  conditionalCreate: false;
  conditionalUpdate: false;
  conditionalDelete: 'not-supported';
  searchParam?: { name: string; type: ParamType; documentation: string }[];
  operation?: { name: string; definition: string; documentation: string }[];
}

/** The date this statement last changed (CapabilityStatement.date is required). */
const STATEMENT_DATE = '2026-12-07';

const patientParams: ResourceCapability['searchParam'] = [
  { name: 'patient', type: 'reference', documentation: 'Patient/<id> eller <id>; flera värden med komma.' },
  {
    name: 'patient.identifier',
    type: 'token',
    documentation:
      'Kedjad sökning på patientens personnummer, samordningsnummer eller reservnummer (system|värde).',
  },
];

const interactions = (...codes: Interaction[]) => codes.map((code) => ({ code }));

/** No resource takes a conditional create, update or delete. */
const NOT_CONDITIONAL = {
  conditionalCreate: false,
  conditionalUpdate: false,
  conditionalDelete: 'not-supported',
} as const;

const resources: ResourceCapability[] = [
  {
    type: 'Patient',
    documentation:
      'Patienten. Namn och telefon kan ändras; identitet och listning inte. Sökningen delas i sidor: _count (högst 100) och länken next. Varje version sparas: Patient/<id>/_history (nyast först, _count högst 100, länken next) och Patient/<id>/_history/<version>; för patienter registrerade före versionshistoriken börjar den vid versionen de hade då. En tidigare version märks med den starkaste skyddsmarkeringen av då och nu; adressen finns aldrig med.',
    interaction: interactions('read', 'vread', 'history-instance', 'search-type', 'create', 'update'),
    versioning: 'versioned-update',
    readHistory: true,
    updateCreate: false,
    ...NOT_CONDITIONAL,
    operation: [
      {
        name: 'everything',
        definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything',
        documentation:
          'Patient/<id>/$everything: patienten, kontrakten med mål, vårdteam, nästa kontakt, samtycken och spärrar, diagnoser, vårdtillfällen, versionernas Provenance och mobila teamets uppgifter, med samma åtkomstregel som var del för sig. _count (högst 100) och länken next.',
      },
    ],
    searchParam: [
      {
        name: 'identifier',
        type: 'token',
        documentation:
          'system|värde eller bara värde; personnummer i alla vanliga format (ÅÅMMDD-NNNN, ÅÅÅÅMMDDNNNN …).',
      },
      { name: '_id', type: 'token', documentation: 'Patientens id.' },
      {
        name: 'name',
        type: 'string',
        documentation: 'Början av förnamn eller efternamn; alla ord ska träffa.',
      },
    ],
  },
  {
    type: 'CarePlan',
    documentation:
      'Patientkontraktet. Uppdatering kräver If-Match: W/"<version>". Mål och nästa kontakt skrivs som inbäddade Goal och Appointment.',
    interaction: interactions('read', 'vread', 'history-instance', 'search-type', 'create', 'update'),
    versioning: 'versioned-update',
    readHistory: true,
    updateCreate: false,
    ...NOT_CONDITIONAL,
    searchParam: [
      ...patientParams,
      { name: 'status', type: 'token', documentation: 'draft, active eller completed (avslutat).' },
      { name: '_id', type: 'token', documentation: 'Kontraktets id.' },
    ],
  },
  {
    type: 'Goal',
    documentation: `Kontraktets gemensamma mål, id <kontrakts-id>-<mål-id>. ${GOAL_WRITE_MESSAGE} POST och PUT på Goal svarar 405. Målets version är kontraktets: varje kontraktsversion som har målet är en version av det (vread, _history); versionen som tog bort målet står i historiken som DELETE och svarar 410 vid vread.`,
    interaction: interactions('read', 'vread', 'history-instance', 'search-type'),
    versioning: 'versioned',
    readHistory: true,
    updateCreate: false,
    ...NOT_CONDITIONAL,
    searchParam: patientParams,
  },
  {
    type: 'CareTeam',
    documentation:
      'Fasta kontakter och behandlande roller, ett vårdteam per patient (id = patientens id, kategori LA28865-6). POST lägger till en deltagare; PUT (If-Match) lägger till, avslutar (period.end) eller byter en deltagare. Varje version sparas: CareTeam/<patientens id>/_history (nyast först, _count högst 100, länken next) och CareTeam/<patientens id>/_history/<version>, som läsningen svarade vid den versionen (namn på personal och enheter som i katalogen i dag). Ett mobilt team läses som CareTeam/team-<teamets id> (kategori LA28866-4; bara teamets medlemmar, bara läsning, utan versioner och utan historik).',
    interaction: interactions('read', 'vread', 'history-instance', 'search-type', 'create', 'update'),
    versioning: 'versioned-update',
    readHistory: true,
    updateCreate: false,
    ...NOT_CONDITIONAL,
    searchParam: patientParams,
  },
  {
    type: 'Appointment',
    documentation:
      'Nästa överenskomna kontakt, id <kontrakts-id>-next. PUT (If-Match med kontraktets version) sätter, ändrar eller ställer in (cancelled) tiden. Versionen är kontraktets: varje kontraktsversion från den första med en nästa kontakt är en version av tiden (vread, _history).',
    interaction: interactions('read', 'vread', 'history-instance', 'search-type', 'update'),
    versioning: 'versioned-update',
    readHistory: true,
    updateCreate: true,
    ...NOT_CONDITIONAL,
    searchParam: patientParams,
  },
  ...mobileCareResources(),
  ...accessResources(),
  ...recordResources(),
  subscriptionResource(),
  subscriptionTopicResource(),
  ...(['Organization', 'Practitioner'] as const).map((type): ResourceCapability => ({
    type,
    documentation: `${type === 'Organization' ? 'Vårdenheter och vårdgivare' : 'Medarbetare'}, id = HSA-id. Bara läsning.`,
    interaction: interactions('read'),
    versioning: 'no-version',
    readHistory: false,
    updateCreate: false,
    ...NOT_CONDITIONAL,
  })),
];

/**
 * Topic-based Subscription (R4 Subscriptions Backport): the topic "a patient's plan changed",
 * rest-hook, id-only, for registered system clients (docs/fhir.md, "Subscribing to plan changes").
 */
function subscriptionResource(): ResourceCapability {
  const backport = 'http://hl7.org/fhir/uv/subscriptions-backport';
  return {
    extension: [
      {
        url: `${backport}/StructureDefinition/capabilitystatement-subscriptiontopic-canonical`,
        valueCanonical: PLAN_CHANGED_TOPIC,
      },
    ],
    type: 'Subscription',
    supportedProfile: [`${backport}/StructureDefinition/backport-subscription`],
    documentation: `Ämnesbaserad prenumeration (R4 Subscriptions Backport): criteria = ${PLAN_CHANGED_TOPIC} (en patients plan har ändrats; ämnet läses som Basic/plan-changed), filter CarePlan?patient=Patient/<id> (tillägget backport-filter-criteria) eller inget filter för alla patienter klienten får se. Kanal rest-hook till en av klientens registrerade https-adresser, payload application/fhir+json med innehållet id-only. En ny prenumeration är requested tills adressen svarat 2xx på handskakningen (då active, annars error); med backport-heartbeat-period (60–86400 s) skickas ett hjärtslag när inget annat skickats under perioden. Bara registrerade systemklienter; en klient ser bara sina egna. Aviseringen skickas bara så länge klientens vårdgivare får se patienten (prövas vid varje försök); när ett samtycke återkallas eller en spärr läggs stryks väntande aviseringar om patienten i samma transaktion, och en prenumeration med filter på patienten blir off med orsaken i error. Misslyckade försök görs om med ökande väntetid.`,
    // vread answers the current version only: earlier versions of a subscription are not kept.
    interaction: interactions('read', 'vread', 'search-type', 'create', 'delete'),
    versioning: 'versioned',
    readHistory: false,
    updateCreate: false,
    ...NOT_CONDITIONAL,
    searchParam: [
      {
        name: 'status',
        type: 'token',
        documentation: 'requested, active, error eller off; flera med komma.',
      },
      {
        name: 'patient',
        type: 'reference',
        documentation: 'Prenumerationer med filter på patienten (Patient/<id>).',
      },
    ],
    operation: [
      {
        name: 'status',
        definition: `${backport}/OperationDefinition/backport-subscription-status`,
        documentation:
          'SubscriptionStatus (Parameters) i en searchset-Bundle: status, händelser sedan start, senaste fel.',
      },
    ],
  };
}

/**
 * The served subscription topic, the backport's R4 way: a Basic (code SubscriptionTopic) with the
 * R5 SubscriptionTopic's elements as cross-version extensions (fhir/subscription-topic-routes.ts).
 */
function subscriptionTopicResource(): ResourceCapability {
  return {
    type: 'Basic',
    documentation:
      'Prenumerationsämnen (R4 Subscriptions Backport: SubscriptionTopic som Basic med code http://hl7.org/fhir/fhir-types|SubscriptionTopic). Basic/plan-changed är ämnet "en patients plan har ändrats". Öppet som /metadata: beskriver tjänsten, ingen patient.',
    interaction: interactions('read', 'search-type'),
    versioning: 'versioned',
    readHistory: false,
    updateCreate: false,
    ...NOT_CONDITIONAL,
    searchParam: [
      { name: 'code', type: 'token', documentation: 'SubscriptionTopic (med eller utan system).' },
    ],
  };
}

/**
 * What the region's data says of the patient, read only: the diagnoses (Condition) and the stays
 * in hospital (Encounter), under the access rule of reading the patient; what a spärr hides is
 * left out (docs/fhir.md, "Condition" and "Encounter").
 */
function recordResources(): ResourceCapability[] {
  const readOnly = {
    interaction: interactions('read', 'search-type'),
    versioning: 'no-version' as const,
    readHistory: false,
    updateCreate: false,
    ...NOT_CONDITIONAL,
  };
  return [
    {
      ...readOnly,
      type: 'Condition',
      documentation: `Patientens diagnoser (ICD-10-SE, system http://hl7.org/fhir/sid/icd-10), id <patientens id>-<kod>: clinicalStatus active eller resolved (när diagnosen har ett slut), onsetDateTime och recordedDate = sedan, abatementDateTime = sista dagen, tillägget diagnosing-unit = enheten som ställde diagnosen. En diagnos från en enhet som är spärrad för läsaren visas aldrig. ${CONDITION_WRITE_MESSAGE} POST och PUT svarar 405.`,
      searchParam: [
        ...(patientParams ?? []),
        { name: 'code', type: 'token', documentation: 'ICD-10-kod, system|kod eller kod (I50.9, I509).' },
        { name: 'clinical-status', type: 'token', documentation: 'active eller resolved.' },
      ],
    },
    {
      ...readOnly,
      type: 'Encounter',
      documentation: `Vårdtillfällen på sjukhus (class IMP), id = vårdtillfällets id: status in-progress eller finished, period inskrivning–utskrivning, serviceProvider = vårdenheten. Ett vårdtillfälle på en enhet som är spärrad för läsaren visas aldrig. ${ENCOUNTER_WRITE_MESSAGE} POST och PUT svarar 405.`,
      searchParam: [
        ...(patientParams ?? []),
        { name: 'status', type: 'token', documentation: 'in-progress eller finished.' },
        {
          name: 'date',
          type: 'date',
          documentation:
            '[eq|ge|gt|le|lt]<datum eller tidpunkt>, mot perioden; en dag är en svensk dag. Flera date: alla ska gälla.',
        },
      ],
    },
  ];
}

/**
 * The patient's say over access and what was done with their plan: Consent (consents and
 * spärrar), Provenance (who wrote each version of the plan) and AuditEvent (the access log).
 */
function accessResources(): ResourceCapability[] {
  const base = {
    updateCreate: false,
    ...NOT_CONDITIONAL,
    readHistory: false,
  };
  return [
    {
      ...base,
      type: 'Consent',
      documentation:
        'Patientens samtycken (provision permit till en enhet eller person, HSA-id) och spärrar (provision deny av en enhets eller vårdgivares information), id samtycke-<id> eller sparr-<id>. POST registrerar, PUT med status inactive och If-Match (version 1 = gällande, 2 = avslutad: återkallad, hävd eller efter sista giltighetsdagen) återkallar eller häver; samma regler som JSON-API:t. vread och _history visar båda versionerna.',
      interaction: interactions('read', 'vread', 'history-instance', 'search-type', 'create', 'update'),
      versioning: 'versioned-update',
      readHistory: true,
      searchParam: [
        ...(patientParams ?? []),
        { name: 'status', type: 'token', documentation: 'active eller inactive.' },
      ],
    },
    {
      ...base,
      type: 'Provenance',
      documentation:
        'Vem som skrev varje version av kontraktet, när och från vilken enhet (id <kontrakts-id>-v<version>, target CarePlan/<id>/_history/<version>). Bara läsning.',
      interaction: interactions('read', 'search-type'),
      versioning: 'no-version',
      searchParam: [{ name: 'target', type: 'reference', documentation: 'CarePlan/<id> (krävs).' }],
    },
    {
      ...base,
      type: 'AuditEvent',
      profile: 'https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientRead',
      documentation:
        'Åtkomstloggen enligt IHE Basic Audit Log Patterns: patienten söker och läser sin egen logg (patient = sig själv); loggansvarig söker och läser sin vårdgivares logg per patient, användare och period (sökning och läsning loggas som loggkontroll). Andra: 403 vid sökning; läsning av ett id som läsaren inte får se ger samma 404 som ett id som inte finns. Id är postens plats i loggen. Högst 1000 händelser djupt.',
      interaction: interactions('read', 'search-type'),
      versioning: 'no-version',
      searchParam: [
        ...(patientParams ?? []),
        {
          name: 'agent',
          type: 'reference',
          documentation: 'Practitioner/<HSA-id>: användaren (loggansvarig).',
        },
        { name: 'date', type: 'date', documentation: 'ge<datum> och lt<datum> (loggansvarig).' },
      ],
    },
  ];
}

/** Mobile care teams: read and search by patient, under the same access rule and log (docs/mobile-teams.md). */
function mobileCareResources(): ResourceCapability[] {
  const readOnly = (type: string, documentation: string, extra: ResourceCapability['searchParam'] = []) => ({
    type,
    documentation,
    interaction: interactions('read', 'search-type'),
    versioning: 'no-version' as const,
    readHistory: false,
    updateCreate: false,
    ...NOT_CONDITIONAL,
    searchParam: [...(patientParams ?? []), ...extra],
  });
  return [
    readOnly(
      'EpisodeOfCare',
      'Inskrivning i mobilt team (id = inskrivningens id): målgrupp, status, period, uppföljningsdatum, stödjande kriterier och teamet (CareTeam/team-<id>). Bara läsning; inskrivning görs i JSON-API:t.',
    ),
    {
      ...readOnly(
        'Observation',
        'Vitalparametrar från en bedömning vid patientens sida (LOINC, HL7:s vital-signs-profiler), medvetandegrad (ACVPU) och NEWS2-summan, id <bedömningens id>-<rr|spo2|pulse|bp|temp|acvpu|news2>. Bara läsning.',
        [
          {
            name: 'code',
            type: 'token',
            documentation: 'system|kod eller kod, t.ex. http://loinc.org|9279-1.',
          },
          { name: 'category', type: 'token', documentation: 'vital-signs eller survey.' },
        ],
      ),
    },
    readOnly(
      'Communication',
      'SBAR-rapporten till läkaren (id = eskaleringens id): Situation, Bakgrund, Aktuellt tillstånd, Rekommendation. Bara läsning.',
    ),
    readOnly(
      'Task',
      'Eskaleringen till läkaren med status (requested = skickad, accepted = mottagen, completed = besvarad, cancelled = avslutad utan svar) och läkarens beslut som output. Bara läsning.',
    ),
  ];
}

/**
 * `rest.security`: the session cookie always; with SMART configured also bearer tokens of the
 * region's authorization server, told as the SMART-on-FHIR service with its OAuth URIs.
 * See: https://hl7.org/fhir/smart-app-launch/conformance.html#using-cors
 */
function securityOf(smart: SmartResourceServerConfig | null) {
  const description =
    'Sessionscookie från inloggningen. Spärrad information utelämnas och märks med meta.security REDACTED.';
  if (smart === null) return { cors: false, description };
  return {
    cors: true,
    service: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
            code: 'SMART-on-FHIR',
            display: 'SMART-on-FHIR',
          },
        ],
        text: 'OAuth2 med SMART-scope (v1 och v2); bearer-token från regionens auktorisationsserver. Se /.well-known/smart-configuration.',
      },
    ],
    extension: [
      {
        url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
        extension: [
          { url: 'authorize', valueUri: smart.authorizationEndpoint },
          { url: 'token', valueUri: smart.tokenEndpoint },
          ...(smart.revocationEndpoint ? [{ url: 'revoke', valueUri: smart.revocationEndpoint }] : []),
          ...(smart.managementEndpoint ? [{ url: 'manage', valueUri: smart.managementEndpoint }] : []),
          ...(smart.introspectionEndpoint
            ? [{ url: 'introspect', valueUri: smart.introspectionEndpoint }]
            : []),
        ],
      },
    ],
    description: `${description} Eller bearer-token (Authorization: Bearer) från regionens auktorisationsserver; scope avgränsar vad token får, aldrig mer än åtkomstregeln. CORS bara för registrerade ursprung.`,
  };
}

/** The CapabilityStatement of the server at `base` (e.g. https://host/fhir). */
export function capabilityStatement(base: string, smart: SmartResourceServerConfig | null = null) {
  return {
    resourceType: 'CapabilityStatement' as const,
    id: 'patientkontrakt',
    name: 'PatientkontraktFhirServer',
    title: 'Patientkontrakt FHIR R4',
    status: 'active' as const,
    experimental: false,
    date: STATEMENT_DATE,
    publisher: 'Patientkontrakt',
    description:
      'Patientkontraktet som FHIR R4: Patient, CarePlan (kontraktet), Goal, CareTeam (fasta kontakter och mobila team), Appointment (nästa kontakt), EpisodeOfCare (inskrivning i mobilt team), Observation (vitalparametrar och NEWS2), Communication (SBAR), Task (eskalering) och Subscription (avisering när en patients plan ändras). Se docs/fhir.md.',
    kind: 'instance' as const,
    software: { name: 'Patientkontrakt', version: '0.1.0' },
    implementation: { description: 'Patientkontrakt', url: base },
    fhirVersion: '4.0.1',
    format: ['json', 'application/fhir+json'],
    rest: [
      {
        mode: 'server' as const,
        documentation:
          'Alla anrop utom /metadata kräver inloggning (sessionscookie; skrivningar även X-CSRF-Token) eller, när SMART är konfigurerat, ett bearer-token (som då gäller ensamt). Behörighet prövas per patient och per sökträff; det som inte får visas svarar som om det inte fanns.',
        security: securityOf(smart),
        resource: resources,
        // Every search is paged the same way (src/fhir/bundle.ts#searchset).
        searchParam: [
          {
            name: '_count',
            type: 'number' as const,
            documentation:
              'Träffar per sida, 1–100 (standard 100, Patient 50); större svarar 400. Nästa sida: länken next.',
          },
        ],
      },
    ],
  };
}
