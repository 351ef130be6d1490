-- pgadvisor: extensions installed in this database or available on the server.
SELECT COALESCE(a.name, e.extname) AS name,
       a.default_version,
       e.extversion AS installed_version,
       n.nspname AS schema
FROM pg_available_extensions a
FULL JOIN pg_extension e ON e.extname = a.name
LEFT JOIN pg_namespace n ON n.oid = e.extnamespace
ORDER BY 1;
