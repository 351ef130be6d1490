-- pgadvisor: per-role and per-database settings (ALTER ROLE / ALTER DATABASE ... SET) that
-- apply in this database: the pg_db_role_setting rows of this database or of every database.
-- Readable by every role. At login the most specific row wins for each parameter: (database,
-- role), then (every database, role), then (database, every role), then (every database,
-- every role); NULL database or role means "every".
SELECT d.datname AS database,
       r.rolname AS role,
       split_part(c, '=', 1) AS name,
       substr(c, strpos(c, '=') + 1) AS value
FROM pg_db_role_setting s
LEFT JOIN pg_database d ON d.oid = s.setdatabase
LEFT JOIN pg_roles r ON r.oid = s.setrole
CROSS JOIN LATERAL unnest(s.setconfig) AS c
WHERE s.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))
  AND (s.setrole = 0 OR r.oid IS NOT NULL)
ORDER BY r.rolname NULLS FIRST, d.datname NULLS FIRST, name;
