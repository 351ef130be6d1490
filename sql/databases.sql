-- pgadvisor: transaction ID and multixact age of every database (wraparound is cluster-wide).
SELECT datname AS name,
       age(datfrozenxid) AS frozen_xid_age,
       mxid_age(datminmxid) AS min_mxid_age,
       datallowconn AS allows_connections,
       datistemplate AS is_template
FROM pg_database
ORDER BY datname;
