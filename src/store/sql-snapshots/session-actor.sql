-- session-actor: every other request with a session cookie: the session, the person and their role (store/session-store.ts).
-- Generated from the store's code: src/store/sql-snapshots.test.ts checks it, `npm run sql:snapshots` rewrites it.
-- Parameters, as sent: $1 :tokenHash, $2 :idleSeconds.
select s.id, s.subject_kind as "subjectKind", s.subject_id as "subjectId", s.unit_id as "unitId",
  s.created_at as "createdAt", s.last_seen_at as "lastSeenAt", s.expires_at as "expiresAt",
  s.last_seen_at < now() - interval '60 seconds' as "isStale",
  coalesce(p.given_name || ' ' || p.family_name, st.given_name || ' ' || st.family_name) as name,
  st.profession, u.provider_id as "providerId", su.role from session s
  left join patient p
    on p.id = case when s.subject_kind = 'patient' then s.subject_id::uuid end
  left join staff_unit su
    on s.subject_kind = 'staff' and su.staff_id = s.subject_id and su.unit_id = s.unit_id and su.ended_at is null
  left join staff st on st.id = su.staff_id and st.is_active
  left join care_unit u on st.id is not null and u.id = su.unit_id where s.id = :tokenHash and s.expires_at > now()
  and s.last_seen_at > now() - make_interval(secs => :idleSeconds);
