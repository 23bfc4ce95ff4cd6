/**
 * The served topic "a patient's plan changed", the R4 way of the Subscriptions Backport: R4 has
 * no SubscriptionTopic resource, so the topic is a Basic resource (code fhir-types
 * SubscriptionTopic) carrying the R5 SubscriptionTopic's elements as cross-version extensions,
 * read at `Basic/plan-changed` and found by `Basic?code=SubscriptionTopic`; the CapabilityStatement
 * names its canonical URL too (capabilitystatement-subscriptiontopic-canonical). Public, like
 * /fhir/metadata: it describes the server, no patient.
 * See: https://hl7.org/fhir/uv/subscriptions-backport/ (R4 server CapabilityStatement: Basic read,
 * search by code) and https://hl7.org/fhir/uv/xver-r5.r4/ (SubscriptionTopic in R4 as Basic).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PLAN_CHANGED_TOPIC } from '../domain/subscription.ts';
import { searchset } from './bundle.ts';
import { sendResource } from './http.ts';
import { FhirError } from './outcome.ts';
import { FormatParam, IdParams, listParam, Param, ReadQuery } from './search.ts';

export const TOPIC_ID = 'plan-changed';
const R5 = 'http://hl7.org/fhir/5.0/StructureDefinition/extension-SubscriptionTopic';
const R4B = 'http://hl7.org/fhir/4.3/StructureDefinition/extension-SubscriptionTopic';
const FHIR_TYPES = 'http://hl7.org/fhir/fhir-types';
/** The topic's version: raise it (and the date) when what it covers changes. */
const VERSION = 1;
const DATE = '2026-12-07';

/** The topic as an R4 Basic (cross-version extensions of R5 SubscriptionTopic). */
export function planChangedTopic() {
  return {
    resourceType: 'Basic' as const,
    id: TOPIC_ID,
    meta: { versionId: String(VERSION), lastUpdated: `${DATE}T00:00:00Z` },
    modifierExtension: [{ url: `${R5}.status`, valueCode: 'active' }],
    extension: [
      { url: `${R5}.url`, valueUri: PLAN_CHANGED_TOPIC },
      { url: `${R5}.version`, valueString: String(VERSION) },
      { url: `${R5}.name`, valueString: 'PlanChanged' },
      { url: `${R5}.title`, valueString: 'En patients plan har ändrats' },
      { url: `${R5}.date`, valueDateTime: DATE },
      {
        url: `${R5}.description`,
        valueMarkdown:
          'Patientens plan (CarePlan) har skapats, ändrats, aktiverats eller avslutats, eller planens fasta kontakter har ändrats, eller patienten har bett om en ändring. Aviseringen är id-only: planen läses med klientens egen token, och bara så länge klientens vårdgivare får se patienten (vårdrelation, samtycke, spärr).',
      },
      {
        url: `${R4B}.resourceTrigger`,
        extension: [
          { url: 'description', valueMarkdown: 'Planen skapas eller ändras.' },
          { url: 'resource', valueUri: 'http://hl7.org/fhir/StructureDefinition/CarePlan' },
          { url: 'supportedInteraction', valueCode: 'create' },
          { url: 'supportedInteraction', valueCode: 'update' },
        ],
      },
      {
        url: `${R4B}.canFilterBy`,
        extension: [
          {
            url: 'description',
            valueMarkdown:
              'Planens patient: CarePlan?patient=Patient/<id>. Utan filter gäller prenumerationen alla patienter klienten får se.',
          },
          { url: 'resource', valueUri: 'CarePlan' },
          { url: 'filterParameter', valueString: 'patient' },
        ],
      },
      { url: `${R4B}.notificationShape`, extension: [{ url: 'resource', valueUri: 'CarePlan' }] },
    ],
    code: { coding: [{ system: FHIR_TYPES, code: 'SubscriptionTopic' }] },
  };
}

/** Does a `code` token (`code`, `system|code` or `|code`) name the SubscriptionTopic type? */
function isTopicCode(token: string): boolean {
  const bar = token.indexOf('|');
  if (bar < 0) return token === 'SubscriptionTopic';
  const system = token.slice(0, bar);
  return (system === '' || system === FHIR_TYPES) && token.slice(bar + 1) === 'SubscriptionTopic';
}

const BasicQuery = Type.Object(
  { code: Param, _count: Param, _cursor: Param, ...FormatParam },
  { additionalProperties: false },
);

export function subscriptionTopicFhirRoutes(): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/Basic', { schema: { hide: true, querystring: BasicQuery } }, async (request) => {
      const code = request.query.code;
      const matches = code === undefined || listParam(code).some(isTopicCode);
      return searchset(request, matches ? [planChangedTopic()] : []);
    });

    app.get(
      '/Basic/:id',
      { schema: { hide: true, params: IdParams, querystring: ReadQuery } },
      async (request, reply) => {
        if (request.params.id !== TOPIC_ID) throw new FhirError(404, 'not-found', 'Resursen finns inte.');
        return sendResource(request, reply, planChangedTopic(), VERSION);
      },
    );
  };
}
