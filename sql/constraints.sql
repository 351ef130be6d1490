-- pgadvisor: primary key, unique, foreign key and exclusion constraints of user tables,
-- with their columns in constraint order. Definitions on tables locked ACCESS EXCLUSIVE by
-- another session are not deparsed (NULL).
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
SELECT n.nspname AS schema,
       con.conname AS name,
       con.contype AS kind,
       tn.nspname AS table_schema,
       tc.relname AS table_name,
       (SELECT json_agg(a.attname ORDER BY k.ord)
        FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
       rn.nspname AS referenced_schema,
       rc.relname AS referenced_table,
       (SELECT json_agg(a.attname ORDER BY k.ord)
        FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS referenced_columns,
       CASE WHEN con.contype = 'f' THEN con.confupdtype END AS on_update,
       CASE WHEN con.contype = 'f' THEN con.confdeltype END AS on_delete,
       con.convalidated AS validated,
       con.condeferrable AS deferrable,
       CASE WHEN con.contype <> 'f' THEN ci.relname END AS index_name,
       CASE WHEN con.conrelid NOT IN (SELECT relation FROM locked)
             AND con.confrelid NOT IN (SELECT relation FROM locked)
            THEN pg_get_constraintdef(con.oid) END AS definition
FROM pg_constraint con
JOIN pg_namespace n ON n.oid = con.connamespace
JOIN pg_class tc ON tc.oid = con.conrelid
JOIN pg_namespace tn ON tn.oid = tc.relnamespace
LEFT JOIN pg_class rc ON rc.oid = con.confrelid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
LEFT JOIN pg_class ci ON ci.oid = con.conindid
WHERE con.contype IN ('p', 'u', 'f', 'x')
  AND tc.relpersistence <> 't'
  AND tn.nspname NOT IN ('pg_catalog', 'information_schema')
  AND tn.nspname !~ '^pg_toast'
ORDER BY tn.nspname, tc.relname, con.conname;
