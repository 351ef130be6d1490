-- pgadvisor: measured free and dead space of the largest tables (pgadvisor audit --exact).
--
-- pgstattuple_approx() reads every page that is not all-visible and takes the free space of
-- the others from the free space map; it holds an ACCESS SHARE lock while it runs, so tables
-- another session holds (or awaits) in ACCESS EXCLUSIVE mode are left out instead of waited
-- for. Only the 50 largest tables of at least 1 MB are measured, to bound the I/O; needs the
-- pgstattuple extension (its schema on the search_path) and EXECUTE on its functions
-- (superuser or pg_stat_scan_tables).
WITH locked AS (
    SELECT DISTINCT l.relation
    FROM pg_locks l
    WHERE l.locktype = 'relation'
      AND l.mode = 'AccessExclusiveLock'
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND l.pid IS DISTINCT FROM pg_backend_pid()
),
largest AS (
    SELECT c.oid
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'm')
      AND c.relpersistence = 'p'
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname !~ '^pg_toast'
      AND c.relpages >= 128
      AND c.oid NOT IN (SELECT relation FROM locked)
    ORDER BY c.relpages DESC, c.oid
    LIMIT 50
)
SELECT l.oid,
       s.table_len,
       s.scanned_percent,
       s.approx_free_space,
       s.approx_free_percent,
       s.dead_tuple_len,
       s.dead_tuple_percent
FROM largest l
CROSS JOIN LATERAL pgstattuple_approx(l.oid::regclass) s
ORDER BY l.oid;
