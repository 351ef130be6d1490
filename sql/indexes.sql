-- pgadvisor: indexes of user tables with their definition, key columns and expressions,
-- flags, backing constraint and pg_stat_user_indexes counters. Definitions of indexes whose
-- table or index is locked ACCESS EXCLUSIVE by another session are not deparsed (NULL,
-- `deparsed` false): deparsing would wait for that lock.
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
SELECT ci.oid,
       ni.nspname AS schema,
       ci.relname AS name,
       nt.nspname AS table_schema,
       ct.relname AS table_name,
       ct.oid AS table_oid,
       am.amname AS method,
       NOT x.locked AS deparsed,
       CASE WHEN NOT x.locked THEN pg_get_indexdef(ci.oid) END AS definition,
       (SELECT json_agg(json_build_object(
                   'column', a.attname,
                   'expression', CASE WHEN k.attnum = 0 AND NOT x.locked THEN pg_get_indexdef(ci.oid, k.ord::int, true) END,
                   'isKey', k.ord <= x.indnkeyatts,
                   'opclass', CASE WHEN k.ord <= x.indnkeyatts THEN opc.opcname END,
                   'descending', k.ord <= x.indnkeyatts AND (x.indoption[k.ord - 1] & 1) = 1,
                   'nullsFirst', k.ord <= x.indnkeyatts AND (x.indoption[k.ord - 1] & 2) = 2,
                   'collation', CASE WHEN k.ord <= x.indnkeyatts AND x.indcollation[k.ord - 1] <> 0
                                      AND x.indcollation[k.ord - 1] <> COALESCE(a.attcollation, 100)
                                     THEN coll.collname END)
                 ORDER BY k.ord)
        FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
        LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum AND k.attnum > 0
        LEFT JOIN pg_opclass opc ON k.ord <= x.indnkeyatts AND opc.oid = x.indclass[k.ord - 1]
        LEFT JOIN pg_collation coll ON k.ord <= x.indnkeyatts AND coll.oid = x.indcollation[k.ord - 1]
       ) AS columns,
       x.indisunique AS is_unique,
       x.indisprimary AS is_primary,
       x.indisexclusion AS is_exclusion,
       x.indisvalid AS is_valid,
       x.indisready AS is_ready,
       x.indislive AS is_live,
       x.indisreplident AS is_replica_identity,
       CASE WHEN NOT x.locked THEN pg_get_expr(x.indpred, x.indrelid) END AS predicate,
       con.conname AS constraint_name,
       ci.relpages::bigint AS relpages,
       ci.reltuples::float8 AS reltuples,
       COALESCE(s.idx_scan, 0) AS idx_scan,
       COALESCE(s.idx_tup_read, 0) AS idx_tup_read,
       COALESCE(s.idx_tup_fetch, 0) AS idx_tup_fetch,
       (to_jsonb(s)->>'last_idx_scan')::timestamptz AS last_idx_scan
FROM (SELECT i.*, (i.indrelid IN (SELECT relation FROM locked) OR i.indexrelid IN (SELECT relation FROM locked)) AS locked
      FROM pg_index i) x
JOIN pg_class ci ON ci.oid = x.indexrelid
JOIN pg_namespace ni ON ni.oid = ci.relnamespace
JOIN pg_class ct ON ct.oid = x.indrelid
JOIN pg_namespace nt ON nt.oid = ct.relnamespace
JOIN pg_am am ON am.oid = ci.relam
LEFT JOIN pg_constraint con ON con.conindid = x.indexrelid AND con.contype IN ('p', 'u', 'x')
LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = x.indexrelid
WHERE ct.relkind IN ('r', 'p', 'm')
  AND ct.relpersistence <> 't'
  AND nt.nspname NOT IN ('pg_catalog', 'information_schema')
  AND nt.nspname !~ '^pg_toast'
ORDER BY nt.nspname, ct.relname, ci.relname;
