-- pgadvisor: pg_stat_statements entries of the current database, by total execution time.
--
-- Works with every extension version from 1.7 on: columns are read through to_jsonb() so
-- renamed ones (total_time -> total_exec_time in 1.8, blk_read_time -> shared_blk_read_time
-- in 1.11) and added ones (toplevel 1.9; temp_blk_read_time, jit_* 1.10; stats_since,
-- local_blk_read_time, jit_deform_* 1.11; wal_buffers_full, parallel_workers_* 1.12) resolve
-- without version branches: what the installed extension version lacks comes back NULL. The view must be on the search_path (pgadvisor sets it to the extension's schema).
-- pgadvisor's own statements are left out: pgadvisor puts "/* pgadvisor */" after the first
-- keyword of each (PostgreSQL 18 drops the leading "-- pgadvisor:" comment from the text,
-- older versions keep it). So is hypopg's lookup of a free OID, which what-if costing causes.
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
       (j->>'wal_bytes')::float8 AS wal_bytes,
       (j->>'local_blk_read_time')::float8 AS local_blk_read_time,
       (j->>'local_blk_write_time')::float8 AS local_blk_write_time,
       (j->>'jit_functions')::bigint AS jit_functions,
       CASE WHEN j ? 'jit_generation_time' THEN
           (j->>'jit_generation_time')::float8 + (j->>'jit_inlining_time')::float8
           + (j->>'jit_optimization_time')::float8 + (j->>'jit_emission_time')::float8
           + COALESCE((j->>'jit_deform_time')::float8, 0)
       END AS jit_time,
       (j->>'stats_since')::timestamptz AS stats_since,
       (j->>'minmax_stats_since')::timestamptz AS minmax_stats_since,
       (j->>'wal_buffers_full')::bigint AS wal_buffers_full,
       (j->>'parallel_workers_to_launch')::bigint AS parallel_workers_to_launch,
       (j->>'parallel_workers_launched')::bigint AS parallel_workers_launched,
       (j->>'generic_plan_calls')::bigint AS generic_plan_calls,
       (j->>'custom_plan_calls')::bigint AS custom_plan_calls
FROM (SELECT to_jsonb(s) AS j
      FROM pg_stat_statements s
      WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND s.query NOT LIKE '-- pgadvisor:%'
        AND s.query !~ '^\s*[A-Za-z]+ /\* pgadvisor \*/'
        AND s.query <> 'SELECT max(oid) FROM pg_catalog.pg_class WHERE oid < $1') AS entries
ORDER BY total_exec_time DESC, queryid;
