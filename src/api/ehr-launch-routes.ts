/**
 * SMART App Launch from a journal system (docs/fhir.md, "Opening the plan from a journal system";
 * security.md 20). Patientkontrakt is the SMART app: the journal system opens
 *
 *   GET /launch?iss=<its FHIR base>&launch=<opaque>   → its authorization server (or a refusal page)
 *   GET /launch/callback                              ← its authorization server; → the patient's page
 *   GET /launch/resume                                ← the unit choice (/valj-enhet); → the patient's page
 *
 * A refusal is one page in Swedish (with a line in English), answered before any redirect; the
 * session it may start is the same session cookie the OIDC login sets.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { Config } from '../config.ts';
import { launchRefusals, type LaunchRefusal } from '../domain/ehr-launch.ts';
import {
  launchCookieName,
  LAUNCH_TTL_SECONDS,
  UNIT_CHOICE_COOKIE,
  type EhrLaunchService,
  type LaunchContext,
  type LaunchOutcome,
} from '../services/ehr-launch-service.ts';
import { SESSION_COOKIE } from './auth-routes.ts';
import { CallbackQuery, sessionCookieOptions } from './oidc-routes.ts';
import { Obj } from './schemas.ts';

export interface EhrLaunchRouteDeps {
  launches: EhrLaunchService;
  config: Pick<Config, 'session'>;
}

/** Launch cookies are Lax (they return with the callback) and sent to /launch/ only. */
const LAUNCH_COOKIE_PATH = '/launch/';

const Param = Type.String({ maxLength: 4096 });
const LaunchQuery = Obj({ iss: Type.Optional(Param), launch: Type.Optional(Param) });

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page of a refusal: plain HTML under the app's CSP (its stylesheet is /launch/sida.css). */
export function refusalPage(refusal: LaunchRefusal): string {
  const page = launchRefusals[refusal];
  return `<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} – Patientkontrakt</title>
<link rel="stylesheet" href="/launch/sida.css">
</head>
<body>
<header class="bar"><span class="brand">Patientkontrakt</span></header>
<main id="innehall">
<h1>${escapeHtml(page.title)}</h1>
<p class="lead">${escapeHtml(page.message)}</p>
<p lang="en" class="english">${escapeHtml(page.english)}</p>
<p><a class="button" href="/">Till Patientkontrakt</a></p>
<p class="code">Felkod: ${escapeHtml(refusal)}</p>
</main>
</body>
</html>
`;
}

const STYLESHEET = `:root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:#1a1a1a;background:#f6f7f9}
body{margin:0}
.bar{background:#00365d;color:#fff;padding:.75rem 1rem}
.brand{font-weight:700;font-size:1.125rem}
main{max-width:40rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.625rem;line-height:1.25;margin:0 0 1rem}
.lead{font-size:1.125rem}
.english{color:#4a4f55}
.code{color:#4a4f55;font-size:.875rem}
.button{display:inline-block;background:#00558c;color:#fff;padding:.625rem 1rem;border-radius:.25rem;text-decoration:none;font-weight:600;min-height:44px;box-sizing:border-box}
.button:hover,.button:focus-visible{background:#003d66}
a:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
`;

export function ehrLaunchRoutes(deps: EhrLaunchRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const sessionCookie = sessionCookieOptions(deps.config.session);
    const launchCookie = {
      path: LAUNCH_COOKIE_PATH,
      httpOnly: true,
      sameSite: 'lax' as const,
      secure: deps.config.session.secureCookie,
      maxAge: LAUNCH_TTL_SECONDS,
    };

    const contextOf = (request: {
      id: string;
      routeOptions: { url?: string };
      cookies: Record<string, string | undefined>;
    }): LaunchContext => ({
      requestId: request.id,
      route: request.routeOptions.url ?? '',
      sessionToken: request.cookies[SESSION_COOKIE],
    });

    const answer = (reply: FastifyReply, outcome: LaunchOutcome) => {
      if (outcome.sessionToken) void reply.setCookie(SESSION_COOKIE, outcome.sessionToken, sessionCookie);
      if (outcome.kind === 'redirect') {
        if (outcome.cookie) void reply.setCookie(outcome.cookie.name, outcome.cookie.value, launchCookie);
        return reply.redirect(outcome.location, 302);
      }
      return reply
        .status(launchRefusals[outcome.refusal].status)
        .type('text/html; charset=utf-8')
        .send(refusalPage(outcome.refusal));
    };

    app.get(
      '/launch',
      {
        schema: {
          tags: ['auth'],
          summary:
            'SMART EHR launch: a registered journal system opens Patientkontrakt (redirect or refusal page)',
          querystring: LaunchQuery,
        },
      },
      async (request, reply) => answer(reply, await deps.launches.begin(contextOf(request), request.query)),
    );

    app.get(
      '/launch/callback',
      {
        schema: {
          tags: ['auth'],
          summary: "Completes a SMART launch (the journal system's authorization server redirects here)",
          querystring: CallbackQuery,
        },
      },
      async (request, reply) => {
        // The launch is single-use: its cookie goes whatever the outcome.
        const cookieName = launchCookieName(request.query.state);
        void reply.clearCookie(cookieName, { path: LAUNCH_COOKIE_PATH });
        const url = request.raw.url ?? '';
        const rawQuery = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
        const outcome = await deps.launches.complete(
          contextOf(request),
          request.cookies[cookieName],
          rawQuery,
        );
        return answer(reply, outcome);
      },
    );

    app.get(
      '/launch/resume',
      {
        schema: {
          tags: ['auth'],
          summary: 'Completes a SMART launch once the user has chosen their unit (from /valj-enhet)',
        },
      },
      async (request, reply) => {
        void reply.clearCookie(UNIT_CHOICE_COOKIE, { path: LAUNCH_COOKIE_PATH });
        const outcome = await deps.launches.resume(
          contextOf(request),
          request.cookies[UNIT_CHOICE_COOKIE],
          request.actor,
        );
        return answer(reply, outcome);
      },
    );

    app.get('/launch/sida.css', { schema: { hide: true } }, async (_request, reply) =>
      reply.type('text/css; charset=utf-8').send(STYLESHEET),
    );
  };
}
