/**
 * Sessions and the development login. The development login lists demo users and logs in as
 * one of them; it exists for the embedded demo only and is refused in production.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DomainError } from '../domain/errors.ts';
import { parsePatientId } from '../domain/personnummer.ts';
import type { Queryable } from '../store/db.ts';
import type { SessionStore } from '../store/session-store.ts';
import { HsaId, Obj } from './schemas.ts';

export const SESSION_COOKIE = 'pk_session';

export interface AuthDeps {
  db: Queryable;
  sessions: SessionStore;
  isDevLoginEnabled: boolean;
  secureCookie: boolean;
  absoluteSeconds: number;
  demoStaffIds: readonly string[];
  demoPatientIds: readonly string[];
  clock: () => Date;
}

export function authRoutes(deps: AuthDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const cookieOptions = {
      path: '/',
      httpOnly: true,
      sameSite: 'strict' as const,
      secure: deps.secureCookie,
      maxAge: deps.absoluteSeconds,
    };

    app.get(
      '/auth/dev/users',
      { schema: { tags: ['auth'], summary: 'Demo users for the development login' } },
      async () => {
        if (!deps.isDevLoginEnabled) throw new DomainError('dev_login_disabled');
        const staff = await deps.db.query(
          `select s.id as "hsaId", s.given_name || ' ' || s.family_name as name, s.title, s.profession,
           json_agg(json_build_object('unitId', u.id, 'unitName', u.name) order by u.name) as units
         from staff s join staff_unit su on su.staff_id = s.id join care_unit u on u.id = su.unit_id
         where s.id = any($1::text[]) and s.is_active group by s.id order by array_position($1::text[], s.id)`,
          [deps.demoStaffIds],
        );
        const patients = await deps.db.query(
          `select identifier as personnummer, given_name || ' ' || family_name as name from patient
         where identifier = any($1::text[]) order by array_position($1::text[], identifier)`,
          [deps.demoPatientIds],
        );
        return { staff, patients };
      },
    );

    app.post(
      '/auth/dev/login',
      {
        schema: {
          tags: ['auth'],
          summary: 'Development login (demo only)',
          body: Type.Union([
            Obj({ hsaId: HsaId, unitId: Type.Optional(HsaId) }),
            Obj({ personnummer: Type.String({ maxLength: 20 }) }),
          ]),
        },
      },
      async (request, reply) => {
        if (!deps.isDevLoginEnabled) throw new DomainError('dev_login_disabled');
        const body = request.body;
        let subject: { kind: 'staff' | 'patient'; id: string; unitId: string | null };
        if ('hsaId' in body) {
          const units = await deps.db.query<{ unitId: string }>(
            `select su.unit_id as "unitId" from staff s join staff_unit su on su.staff_id = s.id
             where s.id = $1 and s.is_active order by su.unit_id`,
            [body.hsaId],
          );
          if (units.length === 0) throw new DomainError('unauthenticated', 'Okänd användare.');
          const unitId = body.unitId ?? units[0]!.unitId;
          if (!units.some((u) => u.unitId === unitId)) {
            throw new DomainError('forbidden', 'Du arbetar inte på den enheten.');
          }
          subject = { kind: 'staff', id: body.hsaId, unitId };
        } else {
          const parsed = parsePatientId(body.personnummer, deps.clock());
          if (!parsed.ok) throw new DomainError('invalid_patient_id', parsed.reason);
          const rows = await deps.db.query<{ id: string }>('select id from patient where identifier = $1', [
            parsed.id.value,
          ]);
          if (!rows[0]) throw new DomainError('unauthenticated', 'Okänd användare.');
          subject = { kind: 'patient', id: rows[0].id, unitId: null };
        }
        // A new token at every login (no session fixation).
        const old = request.cookies[SESSION_COOKIE];
        if (old) await deps.sessions.end(old);
        const token = await deps.sessions.create(subject);
        void reply.setCookie(SESSION_COOKIE, token, cookieOptions);
        return { kind: subject.kind, id: subject.id, unitId: subject.unitId };
      },
    );

    app.post(
      '/auth/logout',
      { schema: { tags: ['auth'], summary: 'Ends the session on the server' } },
      async (request, reply) => {
        const token = request.cookies[SESSION_COOKIE];
        if (token) await deps.sessions.end(token);
        void reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send();
      },
    );

    app.get('/api/me', { schema: { tags: ['auth'], summary: 'The logged-in user' } }, async (request) => {
      if (!request.actor) throw new DomainError('unauthenticated');
      return request.actor;
    });
  };
}
