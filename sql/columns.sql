-- pgadvisor: columns of user tables, partitioned tables and materialized views. Default
-- expressions of tables locked ACCESS EXCLUSIVE by another session are not deparsed.
WITH locked AS (
    -- Relations another session holds (or awaits) in ACCESS EXCLUSIVE mode: the deparse
    -- functions (pg_get_indexdef, pg_get_expr, pg_get_constraintdef) would wait on them.
    SELECT DISTINCT l.relation
    FROM pg_locks l
    WHERE l.locktype = 'relation'
      AND l.mode = 'AccessExclusiveLock'
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND l.pid IS DISTINCT FROM pg_backend_pid()
)
SELECT c.oid AS table_oid,
       a.attname AS name,
       a.attnum AS position,
       format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null,
       c.oid IN (SELECT relation FROM locked) AS locked,
       CASE WHEN c.oid NOT IN (SELECT relation FROM locked) THEN pg_get_expr(d.adbin, d.adrelid) END AS default_expression,
       CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' END AS identity
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
WHERE c.relkind IN ('r', 'p', 'm')
  AND c.relpersistence <> 't'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_toast'
ORDER BY c.oid, a.attnum;
