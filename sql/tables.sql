-- pgadvisor: user tables, partitioned tables and materialized views with their catalog facts
-- and pg_stat_user_tables counters. The toast.* storage parameters are read from the TOAST
-- table's own reloptions, where PostgreSQL keeps them (without the prefix). Sizes are read
-- separately (relation_sizes.sql) because the size functions lock the relation; nothing here
-- takes a relation lock.
SELECT c.oid,
       n.nspname AS schema,
       c.relname AS name,
       c.relkind AS kind,
       c.relpersistence = 'u' AS unlogged,
       pn.nspname AS parent_schema,
       pc.relname AS parent_name,
       (SELECT e.extname FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
          AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' LIMIT 1) AS extension,
       c.reltuples::float8 AS reltuples,
       c.relpages::bigint AS relpages,
       c.relallvisible::bigint AS relallvisible,
       array_to_json(COALESCE(c.reloptions, '{}')) AS options,
       CASE WHEN t.oid IS NOT NULL THEN array_to_json(COALESCE(t.reloptions, '{}')) END AS toast_options,
       COALESCE(t.relpages, 0)::bigint AS toast_pages,
       COALESCE(t.reltuples, 0)::float8 AS toast_rows,
       CASE WHEN c.relkind IN ('r', 'm') THEN age(c.relfrozenxid) END AS frozen_xid_age,
       CASE WHEN t.oid IS NOT NULL THEN age(t.relfrozenxid) END AS toast_frozen_xid_age,
       CASE WHEN c.relkind IN ('r', 'm') THEN mxid_age(c.relminmxid) END AS min_mxid_age,
       s.relid IS NOT NULL AS has_stats,
       s.seq_scan, s.seq_tup_read, s.idx_scan, s.idx_tup_fetch,
       s.n_tup_ins, s.n_tup_upd, s.n_tup_del, s.n_tup_hot_upd,
       s.n_live_tup, s.n_dead_tup, s.n_mod_since_analyze,
       (to_jsonb(s)->>'n_ins_since_vacuum')::bigint AS n_ins_since_vacuum,
       s.last_vacuum, s.last_autovacuum, s.last_analyze, s.last_autoanalyze,
       s.vacuum_count, s.autovacuum_count, s.analyze_count, s.autoanalyze_count,
       (to_jsonb(s)->>'last_seq_scan')::timestamptz AS last_seq_scan
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
LEFT JOIN pg_inherits i ON i.inhrelid = c.oid AND c.relispartition
LEFT JOIN pg_class pc ON pc.oid = i.inhparent
LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace
WHERE c.relkind IN ('r', 'p', 'm')
  AND c.relpersistence <> 't'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_toast'
ORDER BY n.nspname, c.relname;
