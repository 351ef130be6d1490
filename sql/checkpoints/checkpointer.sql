-- pgadvisor: checkpoint and background writer counters, PostgreSQL 17 and newer
-- (checkpoint counters moved to pg_stat_checkpointer; buffers_backend is gone).
SELECT 'pg_stat_checkpointer' AS source,
       c.num_timed AS timed,
       c.num_requested AS requested,
       c.write_time::float8 AS write_time,
       c.sync_time::float8 AS sync_time,
       c.buffers_written,
       b.buffers_clean,
       b.maxwritten_clean,
       NULL::bigint AS buffers_backend,
       b.buffers_alloc,
       c.stats_reset
FROM pg_stat_checkpointer c, pg_stat_bgwriter b;
