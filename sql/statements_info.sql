-- pgadvisor: pg_stat_statements_info (extension 1.9+): evictions and the last reset.
SELECT dealloc, stats_reset
FROM pg_stat_statements_info;
