-- pgadvisor: checkpoint and background writer counters, PostgreSQL 16 and older.
SELECT 'pg_stat_bgwriter' AS source,
       checkpoints_timed AS timed,
       checkpoints_req AS requested,
       checkpoint_write_time::float8 AS write_time,
       checkpoint_sync_time::float8 AS sync_time,
       buffers_checkpoint AS buffers_written,
       buffers_clean,
       maxwritten_clean,
       buffers_backend,
       buffers_alloc,
       stats_reset
FROM pg_stat_bgwriter;
