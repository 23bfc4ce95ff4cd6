-- Subscriptions (migration 026): the handshake and heartbeats of the R4 Subscriptions Backport
-- (docs/fhir.md, "Subscribing to plan changes"). A new subscription is `requested` until its
-- endpoint has answered the handshake; a heartbeat goes out when nothing else was sent to the
-- endpoint for `heartbeat_period` seconds.
alter table subscription add column heartbeat_period integer check (heartbeat_period between 60 and 86400);
-- The last time anything (handshake, heartbeat, notification) was sent or tried: the heartbeat's clock.
alter table subscription add column last_sent_at timestamptz;
-- When the handshake is to be sent (null: sent, or none due); moved past a lease while it is sent.
alter table subscription add column handshake_due_at timestamptz;
create index subscription_handshake_idx on subscription (handshake_due_at)
  where status = 'requested' and deleted_at is null;
create index subscription_heartbeat_idx on subscription (last_sent_at)
  where heartbeat_period is not null and deleted_at is null;
