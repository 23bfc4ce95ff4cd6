-- access-log-append: a batch of access-log entries appended after the head this writer last wrote, in one statement (store/access-log-store.ts).
-- Generated from the store's code: src/store/sql-snapshots.test.ts checks it, `npm run sql:snapshots` rewrites it.
-- Parameters, as sent: $1 :lastSeq, $2 :lastHash, $3 :headSeq, $4 :headHash, $5 :entries.
with head as (
  update access_log_head set seq = :lastSeq, hash = :lastHash
  where id = 1 and seq = :headSeq and hash = :headHash returning id)
insert into access_log (seq, at, action, actor_kind, actor_id, unit_id, provider_id, patient_id, outcome,
  legal_basis, is_emergency, request_id, route, detail, prev_hash, hash, client_id)
select seq, at, action, "actorKind", "actorId", "unitId", "providerId", "patientId", outcome,
    "legalBasis", "isEmergency", "requestId", route, detail, "prevHash", hash, "clientId"
  from json_to_recordset(:entries::json) as x(seq bigint, at timestamptz, action text, "actorKind" text,
    "actorId" text, "unitId" text, "providerId" text, "patientId" uuid, outcome text, "legalBasis" text,
    "isEmergency" boolean, "requestId" text, route text, detail text, "prevHash" text, hash text,
    "clientId" text)
where exists (select 1 from head)
returning 1;
