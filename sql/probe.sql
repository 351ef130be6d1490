-- pgadvisor: server, database and role facts that decide what else can be read.
-- Read-only; takes no relation locks.
SELECT current_setting('server_version_num')::int AS version_number,
       current_setting('server_version') AS version,
       version() AS version_detail,
       current_database() AS database,
       pg_is_in_recovery() AS in_recovery,
       pg_postmaster_start_time() AS started_at,
       current_setting('block_size')::int AS block_size,
       CASE WHEN has_function_privilege('pg_catalog.pg_control_system()', 'EXECUTE')
            THEN (SELECT system_identifier::text FROM pg_catalog.pg_control_system()) END AS system_identifier,
       now() AS collected_at,
       current_user AS role_name,
       r.rolsuper AS is_superuser,
       (SELECT pg_has_role(current_user, g.oid, 'MEMBER') FROM pg_roles g WHERE g.rolname = 'pg_monitor') AS pg_monitor,
       (SELECT pg_has_role(current_user, g.oid, 'MEMBER') FROM pg_roles g WHERE g.rolname = 'pg_read_all_stats') AS pg_read_all_stats,
       (SELECT pg_has_role(current_user, g.oid, 'MEMBER') FROM pg_roles g WHERE g.rolname = 'pg_read_all_data') AS pg_read_all_data,
       (SELECT pg_has_role(current_user, g.oid, 'MEMBER') FROM pg_roles g WHERE g.rolname = 'pg_stat_scan_tables') AS pg_stat_scan_tables
FROM pg_roles r
WHERE r.rolname = current_user;
