-- pgadvisor: columns of user tables with a validated CHECK (column IS NOT NULL) constraint,
-- which lets ALTER COLUMN ... SET NOT NULL skip its full-table scan (PostgreSQL 12+).
-- Read by 'review'. Tables locked ACCESS EXCLUSIVE by another session are left out: the
-- deparse function would wait on them.
WITH locked AS (
    SELECT DISTINCT l.relation
    FROM pg_locks l
    WHERE l.locktype = 'relation'
      AND l.mode = 'AccessExclusiveLock'
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND l.pid IS DISTINCT FROM pg_backend_pid()
)
SELECT n.nspname AS schema,
       c.relname AS table_name,
       a.attname AS column_name
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
WHERE con.contype = 'c'
  AND con.convalidated
  AND cardinality(con.conkey) = 1
  AND con.conrelid NOT IN (SELECT relation FROM locked)
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_toast'
  AND pg_get_constraintdef(con.oid) = format('CHECK ((%s IS NOT NULL))', quote_ident(a.attname))
ORDER BY n.nspname, c.relname, a.attname;
