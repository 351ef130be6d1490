-- pgadvisor: planner statistics of user table columns, kept lean (no histograms; at most ten
-- most common values). pg_stats shows only columns the role may SELECT.
SELECT s.schemaname AS schema,
       s.tablename AS table_name,
       s.attname AS column_name,
       s.inherited,
       s.null_frac::float8 AS null_frac,
       s.avg_width,
       s.n_distinct::float8 AS n_distinct,
       s.correlation::float8 AS correlation,
       array_to_json((s.most_common_vals::text::text[])[1:10]) AS most_common_vals,
       array_to_json((s.most_common_freqs)[1:10]) AS most_common_freqs
FROM pg_stats s
WHERE s.schemaname NOT IN ('pg_catalog', 'information_schema')
  AND s.schemaname !~ '^pg_toast'
  AND s.schemaname !~ '^pg_temp_'
ORDER BY s.schemaname, s.tablename, s.attname, s.inherited;
