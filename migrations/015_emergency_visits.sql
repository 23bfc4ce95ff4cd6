-- Follow-up of mobile care teams: emergency department visits among enrolled patients come from the
-- region's visit file, as the contact type `akutbesok`. They never count towards continuity (its
-- settings name the contact types that do).
--
-- The contact-type check is on `visit` and, under names of their own, on its partitions (made
-- "like visit including constraints" and attached): every such check goes, the parent's first
-- (a partition's inherited copy goes with it), then the new one is added to `visit` and so to
-- every partition.
-- Only this schema's `visit` and its partitions are read (the materialized step), and their
-- definitions only then: the catalogue holds every schema's constraints, and the definition of one
-- whose table another session is dropping cannot be read. The statements are all made before the
-- first drop.
do $$
declare
  drops text[];
  statement text;
begin
  with mine as materialized (
    select con.oid, con.conname::text as name, rel.relname::text as rel,
           rel.oid = 'visit'::regclass as is_parent
      from pg_constraint con join pg_class rel on rel.oid = con.conrelid
     where con.contype = 'c'
       and con.conrelid in (select 'visit'::regclass
                            union all
                            select inhrelid from pg_inherits where inhparent = 'visit'::regclass)
  )
  select array_agg(format('alter table %I drop constraint if exists %I', rel, name) order by is_parent desc)
    into drops
    from mine
   where pg_get_constraintdef(oid) like '%contact_type%';
  foreach statement in array coalesce(drops, '{}') loop
    execute statement;
  end loop;
end $$;
alter table visit add constraint visit_contact_type_check
  check (contact_type in ('besok', 'telefon', 'video', 'hembesok', 'akutbesok'));
