-- pgadvisor: on-disk sizes of user tables and indexes, without waiting on anyone's locks.
--
-- pg_table_size(), pg_indexes_size() and pg_relation_size() take an ACCESS SHARE lock, which
-- queues behind an ACCESS EXCLUSIVE lock held or requested by another session (ALTER TABLE,
-- TRUNCATE, VACUUM FULL, LOCK TABLE). Such relations are not measured: their size is
-- estimated from pg_class.relpages and `measured` is false. A lock taken between this check
-- and the call is caught by lock_timeout.
WITH contended AS (
    SELECT l.relation, string_agg(DISTINCT COALESCE(l.pid::text, 'prepared transaction'), ', ') AS holders
    FROM pg_locks l
    WHERE l.locktype = 'relation'
      AND l.mode = 'AccessExclusiveLock'
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND l.pid IS DISTINCT FROM pg_backend_pid()
    GROUP BY l.relation
),
rels AS (
    SELECT c.oid, c.relkind, c.relpages, c.reltoastrelid, t.relpages AS toast_pages,
           (SELECT string_agg(k.holders, ', ')
            FROM contended k
            WHERE k.relation = c.oid
               OR k.relation = c.reltoastrelid
               OR (c.relkind IN ('r', 'm', 'p')
                   AND k.relation IN (SELECT x.indexrelid FROM pg_index x WHERE x.indrelid = c.oid))) AS locked_by
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
    WHERE c.relkind IN ('r', 'p', 'm', 'i', 'I')
      AND c.relpersistence <> 't'
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname !~ '^pg_toast'
)
SELECT r.oid,
       r.locked_by IS NULL AS measured,
       r.locked_by,
       CASE WHEN r.locked_by IS NOT NULL
            THEN (r.relpages + COALESCE(r.toast_pages, 0))::bigint * current_setting('block_size')::bigint
            WHEN r.relkind IN ('i', 'I') THEN pg_relation_size(r.oid)
            ELSE pg_table_size(r.oid) END AS bytes,
       CASE WHEN r.relkind IN ('i', 'I') OR r.reltoastrelid = 0 THEN 0
            WHEN r.locked_by IS NOT NULL THEN COALESCE(r.toast_pages, 0)::bigint * current_setting('block_size')::bigint
            ELSE pg_total_relation_size(r.reltoastrelid) END AS toast_bytes,
       CASE WHEN r.relkind IN ('i', 'I') THEN 0
            WHEN r.locked_by IS NOT NULL
            THEN (SELECT COALESCE(sum(ic.relpages), 0)::bigint * current_setting('block_size')::bigint
                  FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid WHERE x.indrelid = r.oid)
            ELSE pg_indexes_size(r.oid) END AS index_bytes
FROM rels r
ORDER BY r.oid;
