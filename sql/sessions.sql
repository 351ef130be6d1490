-- pgadvisor: every backend of the cluster except pgadvisor's own session.
-- Without pg_read_all_stats, other roles' rows show no query text (NULL here).
SELECT a.pid,
       a.datname AS database,
       a.usename AS user_name,
       a.application_name,
       host(a.client_addr) AS client_address,
       a.backend_type,
       a.state,
       a.backend_start,
       a.xact_start,
       a.query_start,
       a.state_change,
       a.wait_event_type,
       a.wait_event,
       age(a.backend_xid) AS xid_age,
       age(a.backend_xmin) AS xmin_age,
       a.leader_pid,
       (to_jsonb(a)->>'query_id')::bigint AS query_id,
       CASE WHEN a.query = '<insufficient privilege>' THEN NULL ELSE a.query END AS query
FROM pg_stat_activity a
WHERE a.pid <> pg_backend_pid()
ORDER BY a.pid;
