-- pgadvisor: lock requests that are waiting, who blocks them (pg_blocking_pids), and which
-- modes the blockers hold on the same object. pg_blocking_pids is called for waiters only.
SELECT l.pid,
       l.locktype AS lock_type,
       l.mode,
       CASE WHEN l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            THEN n.nspname END AS relation_schema,
       CASE WHEN l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            THEN c.relname END AS relation_name,
       (to_jsonb(l)->>'waitstart')::timestamptz AS wait_start,
       array_to_json(pg_blocking_pids(l.pid)) AS blocking_pids,
       (SELECT json_agg(DISTINCT h.mode)
        FROM pg_locks h
        WHERE h.granted
          AND h.pid = ANY (pg_blocking_pids(l.pid))
          AND h.locktype = l.locktype
          AND h.database IS NOT DISTINCT FROM l.database
          AND h.relation IS NOT DISTINCT FROM l.relation
          AND h.page IS NOT DISTINCT FROM l.page
          AND h.tuple IS NOT DISTINCT FROM l.tuple
          AND h.virtualxid IS NOT DISTINCT FROM l.virtualxid
          AND h.transactionid IS NOT DISTINCT FROM l.transactionid
          AND h.classid IS NOT DISTINCT FROM l.classid
          AND h.objid IS NOT DISTINCT FROM l.objid
          AND h.objsubid IS NOT DISTINCT FROM l.objsubid) AS blocker_modes
FROM pg_locks l
LEFT JOIN pg_class c ON c.oid = l.relation
LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE NOT l.granted
  AND l.pid IS DISTINCT FROM pg_backend_pid()
ORDER BY l.pid, l.locktype;
