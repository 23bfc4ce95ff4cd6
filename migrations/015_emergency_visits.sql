-- Follow-up of mobile care teams: emergency department visits among enrolled patients come from the
-- region's visit file, as the contact type `akutbesok`. They never count towards continuity (its
-- settings name the contact types that do).
--
-- The contact-type check is on `visit` and, under names of their own, on its partitions (made
-- "like visit including constraints" and attached): every such check goes, the parent's first
-- (a partition's inherited copy goes with it), then the new one is added to `visit` and so to
-- every partition.
do $$
declare
  c record;
begin
  for c in select con.conname::text as name, rel.relname::text as rel
             from pg_constraint con join pg_class rel on rel.oid = con.conrelid
            where con.contype = 'c' and pg_get_constraintdef(con.oid) like '%contact_type%'
              and (rel.oid = 'visit'::regclass
                   or rel.oid in (select inhrelid from pg_inherits where inhparent = 'visit'::regclass))
            order by (rel.oid = 'visit'::regclass) desc loop
    execute format('alter table %I drop constraint if exists %I', c.rel, c.name);
  end loop;
end $$;
alter table visit add constraint visit_contact_type_check
  check (contact_type in ('besok', 'telefon', 'video', 'hembesok', 'akutbesok'));
