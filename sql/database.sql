-- pgadvisor: pg_stat_database counters and size of the current database.
SELECT d.datname AS name,
       pg_database_size(d.datid) AS size_bytes,
       d.numbackends,
       d.xact_commit, d.xact_rollback,
       d.blks_read, d.blks_hit,
       d.tup_returned, d.tup_fetched, d.tup_inserted, d.tup_updated, d.tup_deleted,
       d.conflicts, d.temp_files, d.temp_bytes, d.deadlocks,
       d.blk_read_time::float8 AS blk_read_time,
       d.blk_write_time::float8 AS blk_write_time,
       d.stats_reset
FROM pg_stat_database d
WHERE d.datname = current_database();
