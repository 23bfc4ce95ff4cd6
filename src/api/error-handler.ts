/**
 * Maps every error to a response: DomainErrors by the catalogue, schema failures as 400 with
 * the failing fields, anything unexpected as a generic 500 without internals (security.md 16).
 * FHIR routes answer with an OperationOutcome instead (see fhir/outcome.ts).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, errorCatalogue } from '../domain/errors.ts';
import { SESSION_COOKIE } from './auth-routes.ts';

export interface ErrorBody {
  status: number;
  /** A catalogue code (ErrorCode) or Fastify's own code for protocol errors. */
  code: string;
  message: string;
  details: { path: string; message: string }[];
}

/** Turns any thrown value into a status, a stable code and a Swedish message. */
export function describeError(error: unknown): ErrorBody {
  if (error instanceof DomainError) {
    return {
      status: errorCatalogue[error.code].status,
      code: error.code,
      message: error.message,
      details: [...error.details],
    };
  }
  const e = error as FastifyError & {
    validation?: { instancePath?: string; message?: string; params?: Record<string, unknown> }[];
  };
  if (e.validation) {
    return {
      status: 400,
      code: 'invalid_input',
      message: 'Uppgifterna är inte giltiga. Kontrollera de markerade fälten.',
      details: e.validation.map((v) => ({
        path: `${e.validationContext ?? ''}${v.instancePath ?? ''}${
          v.params && 'additionalProperty' in v.params ? `/${String(v.params.additionalProperty)}` : ''
        }`,
        message: translateAjv(v.message ?? '', v.params),
      })),
    };
  }
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    const byStatus: Record<number, string> = {
      400: 'Förfrågan är felaktig.',
      404: 'Sidan eller uppgiften finns inte.',
      405: 'Metoden stöds inte här.',
      406: 'Formatet stöds inte.',
      413: 'Förfrågan är för stor.',
      415: 'Innehållstypen stöds inte. Skicka JSON.',
      429: errorCatalogue.rate_limited.message,
    };
    return {
      status: e.statusCode,
      code: e.code ?? 'bad_request',
      message: byStatus[e.statusCode] ?? 'Förfrågan är felaktig.',
      details: [],
    };
  }
  return { status: 500, code: 'internal', message: errorCatalogue.internal.message, details: [] };
}

function translateAjv(message: string, params: Record<string, unknown> | undefined): string {
  if (params && 'additionalProperty' in params) return 'Okänt fält.';
  if (params && 'missingProperty' in params) return `Fältet ${String(params.missingProperty)} saknas.`;
  if (message.startsWith('must be'))
    return `Fel typ eller format (${message.replace('must be', 'ska vara')}).`;
  if (message.startsWith('must match format'))
    return `Fel format (${typeof params?.format === 'string' ? params.format : ''}).`;
  if (message.startsWith('must be equal to one of')) return 'Värdet är inte ett av de tillåtna.';
  if (message.startsWith('must NOT have more')) return 'För långt eller för många.';
  if (message.startsWith('must NOT have fewer')) return 'För kort eller för få.';
  if (message.startsWith('must match pattern')) return 'Fel format.';
  return message;
}

/**
 * The challenge every 401 carries, on the JSON API and on FHIR alike: RFC 9110 §15.5.2 (formerly
 * RFC 7235 §3.1) requires one. Login is the session cookie the /auth routes set, not a token in
 * Authorization, so the scheme names the cookie (the "Cookie" scheme of the expired Internet-Draft
 * draft-broyer-http-cookie-auth) rather than Bearer, which no route here accepts.
 */
export const AUTH_CHALLENGE = `Cookie realm="patientkontrakt", cookie-name="${SESSION_COOKIE}"`;

/** Adds the login challenge when `status` is 401. Both error handlers call it. */
export function challengeIfUnauthenticated(reply: FastifyReply, status: number): void {
  if (status === 401) void reply.header('www-authenticate', AUTH_CHALLENGE);
}

/** The JSON API's error handler. */
export function sendJsonError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const body = describeError(error);
  if (body.status >= 500) request.log.error({ err: error }, 'request failed');
  challengeIfUnauthenticated(reply, body.status);
  return reply.status(body.status).send({
    error: {
      code: body.code,
      message: body.message,
      ...(body.details.length ? { details: body.details } : {}),
      requestId: request.id,
    },
  });
}
