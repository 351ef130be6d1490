-- pgadvisor: whether hypopg is installed in this database and usable by the current role: its
-- version, its schema (quoted by the server) and which of the functions the what-if session
-- calls are missing or not executable.
SELECT current_setting('server_version_num')::int AS server_version_num,
       current_database() AS database,
       current_user AS role_name,
       e.extversion AS version,
       quote_ident(n.nspname) AS schema,
       (SELECT string_agg(f.name, ', ' ORDER BY f.name)
        FROM unnest(ARRAY['hypopg', 'hypopg_create_index', 'hypopg_drop_index',
                          'hypopg_relation_size', 'hypopg_reset']) AS f(name)
        WHERE NOT EXISTS (SELECT FROM pg_proc p
                          WHERE p.pronamespace = e.extnamespace
                            AND p.proname = f.name
                            AND has_function_privilege(p.oid, 'EXECUTE'))) AS unusable
FROM (SELECT) AS one
LEFT JOIN pg_extension e ON e.extname = 'hypopg'
LEFT JOIN pg_namespace n ON n.oid = e.extnamespace;
