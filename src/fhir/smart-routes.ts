/**
 * SMART discovery: `/.well-known/smart-configuration`, at the server root and under the FHIR
 * base (`/fhir/.well-known/smart-configuration`, where SMART App Launch 2.x looks for it). It
 * describes the region's authorization server, as configured (config.ts, SMART_*), and what this
 * resource server honours. Without that configuration both answer 404 as JSON, never the web
 * app's HTML. See: https://hl7.org/fhir/smart-app-launch/conformance.html
 */
import type { FastifyPluginAsync } from 'fastify';
import type { SmartResourceServerConfig } from '../config.ts';

/** The scopes a token may carry that this server reads (every resource type, v1 and v2 forms). */
export const SCOPES_SUPPORTED = [
  'openid',
  'fhirUser',
  'launch',
  'launch/patient',
  'patient/*.rs',
  'patient/*.read',
  'user/*.rs',
  'user/*.cruds',
  'user/*.read',
  'user/*.write',
  'system/*.rs',
  'system/*.read',
];

/**
 * What this resource server honours (SMART capabilities): asymmetric client authentication for
 * backend services, and scopes for a patient or a user in v1 and v2 syntax.
 */
export const CAPABILITIES = [
  'client-confidential-asymmetric',
  'permission-patient',
  'permission-user',
  'permission-v1',
  'permission-v2',
];

/** The smart-configuration document of the configured authorization server. */
export function smartConfiguration(config: SmartResourceServerConfig) {
  return {
    issuer: config.issuer,
    jwks_uri: config.jwksUri,
    authorization_endpoint: config.authorizationEndpoint,
    token_endpoint: config.tokenEndpoint,
    grant_types_supported: ['authorization_code', 'client_credentials'],
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: SCOPES_SUPPORTED,
    capabilities: CAPABILITIES,
    ...(config.revocationEndpoint ? { revocation_endpoint: config.revocationEndpoint } : {}),
    ...(config.introspectionEndpoint ? { introspection_endpoint: config.introspectionEndpoint } : {}),
    ...(config.managementEndpoint ? { management_endpoint: config.managementEndpoint } : {}),
  };
}

/**
 * Both discovery URLs; registered outside the FHIR plugin (public, plain JSON). A browser app of
 * a registered origin may read them across origins (`isAllowedOrigin`), as it may call /fhir.
 */
export function smartConfigurationRoutes(
  config: SmartResourceServerConfig | null,
  isAllowedOrigin: (origin: string) => Promise<boolean>,
): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', async (request, reply) => {
      const origin = request.headers.origin;
      void reply.header('vary', 'Origin');
      if (origin !== undefined && (await isAllowedOrigin(origin)))
        void reply.header('access-control-allow-origin', origin);
    });
    for (const url of ['/.well-known/smart-configuration', '/fhir/.well-known/smart-configuration']) {
      app.get(url, { schema: { hide: true } }, async (request, reply) => {
        if (config === null) {
          return reply.status(404).send({
            error: {
              code: 'not_found',
              message:
                'SMART på FHIR är inte konfigurerat här: FHIR-API:t tar bara emot inloggade sessioner.',
              requestId: request.id,
            },
          });
        }
        return reply.type('application/json; charset=utf-8').send(smartConfiguration(config));
      });
    }
  };
}
