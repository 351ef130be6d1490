-- pgadvisor: pg_stat_statements entries of the current database, by total execution time.
--
-- Works with every extension version from 1.7 on: columns are read through to_jsonb() so
-- renamed ones (total_time -> total_exec_time in 1.8, blk_read_time -> shared_blk_read_time
-- in 1.11) and added ones (toplevel 1.9, temp_blk_read_time 1.10) resolve without version
-- branches. The view must be on the search_path (pgadvisor sets it to the extension's schema).
-- pgadvisor's own statements (they all start with "-- pgadvisor:") are left out, and so is
-- hypopg's lookup of a free OID, which pgadvisor's what-if costing causes.
SELECT (j->>'queryid')::bigint AS queryid,
       pg_get_userbyid((j->>'userid')::oid) AS user_name,
       j->>'query' AS query,
       (j->>'toplevel')::boolean AS toplevel,
       (j->>'calls')::bigint AS calls,
       COALESCE(j->>'total_exec_time', j->>'total_time')::float8 AS total_exec_time,
       COALESCE(j->>'mean_exec_time', j->>'mean_time')::float8 AS mean_exec_time,
       COALESCE(j->>'min_exec_time', j->>'min_time')::float8 AS min_exec_time,
       COALESCE(j->>'max_exec_time', j->>'max_time')::float8 AS max_exec_time,
       COALESCE(j->>'stddev_exec_time', j->>'stddev_time')::float8 AS stddev_exec_time,
       (j->>'plans')::bigint AS plans,
       (j->>'total_plan_time')::float8 AS total_plan_time,
       (j->>'rows')::bigint AS rows,
       (j->>'shared_blks_hit')::bigint AS shared_blks_hit,
       (j->>'shared_blks_read')::bigint AS shared_blks_read,
       (j->>'shared_blks_dirtied')::bigint AS shared_blks_dirtied,
       (j->>'shared_blks_written')::bigint AS shared_blks_written,
       (j->>'local_blks_hit')::bigint AS local_blks_hit,
       (j->>'local_blks_read')::bigint AS local_blks_read,
       (j->>'local_blks_dirtied')::bigint AS local_blks_dirtied,
       (j->>'local_blks_written')::bigint AS local_blks_written,
       (j->>'temp_blks_read')::bigint AS temp_blks_read,
       (j->>'temp_blks_written')::bigint AS temp_blks_written,
       COALESCE(j->>'shared_blk_read_time', j->>'blk_read_time')::float8 AS shared_blk_read_time,
       COALESCE(j->>'shared_blk_write_time', j->>'blk_write_time')::float8 AS shared_blk_write_time,
       (j->>'temp_blk_read_time')::float8 AS temp_blk_read_time,
       (j->>'temp_blk_write_time')::float8 AS temp_blk_write_time,
       (j->>'wal_bytes')::float8 AS wal_bytes
FROM (SELECT to_jsonb(s) AS j
      FROM pg_stat_statements s
      WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND s.query NOT LIKE '-- pgadvisor:%'
        AND s.query <> 'SELECT max(oid) FROM pg_catalog.pg_class WHERE oid < $1') AS entries
ORDER BY total_exec_time DESC, queryid;
