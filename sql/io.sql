-- pgadvisor: I/O by backend type, object and context (pg_stat_io, PostgreSQL 16 and newer),
-- rows with any activity. Impossible combinations are NULL, not 0. Times need track_io_timing.
-- Only columns of every version from 16 on (18 replaced op_bytes by read_bytes/write_bytes).
SELECT backend_type,
       object,
       context,
       reads,
       writes,
       writebacks,
       extends,
       hits,
       evictions,
       reuses,
       fsyncs,
       read_time::float8 AS read_time,
       write_time::float8 AS write_time,
       fsync_time::float8 AS fsync_time,
       stats_reset
FROM pg_stat_io
WHERE COALESCE(reads, 0) + COALESCE(writes, 0) + COALESCE(extends, 0) + COALESCE(hits, 0)
      + COALESCE(evictions, 0) + COALESCE(fsyncs, 0) > 0
ORDER BY backend_type, object, context;
