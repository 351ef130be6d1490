-- pgadvisor: sequences, how far they have advanced, and the column each feeds.
--
-- pg_sequence_last_value() locks the sequence (ROW EXCLUSIVE). Sequences on which another
-- session holds or awaits a conflicting lock are reported as 'locked' instead of read, and
-- sequences the role may not read as 'not permitted'.
WITH contended AS (
    SELECT DISTINCT l.relation
    FROM pg_locks l
    WHERE l.locktype = 'relation'
      AND l.mode IN ('ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock')
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND l.pid IS DISTINCT FROM pg_backend_pid()
),
seqs AS (
    SELECT c.oid, n.nspname AS schema, c.relname AS name, s.*,
           CASE WHEN c.oid IN (SELECT relation FROM contended) THEN 'locked'
                WHEN NOT has_sequence_privilege(c.oid, 'SELECT,USAGE') THEN 'not permitted'
                ELSE 'read' END AS state
    FROM pg_sequence s
    JOIN pg_class c ON c.oid = s.seqrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relpersistence <> 't'
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
)
SELECT q.schema,
       q.name,
       format_type(q.seqtypid, NULL) AS data_type,
       q.seqstart AS start_value,
       q.seqmin AS min_value,
       q.seqmax AS max_value,
       q.seqincrement AS increment,
       q.seqcycle AS cycles,
       q.state,
       CASE WHEN q.state = 'read' THEN pg_sequence_last_value(q.oid) END AS last_value,
       tn.nspname AS table_schema,
       t.relname AS table_name,
       a.attname AS column_name,
       format_type(a.atttypid, a.atttypmod) AS column_type,
       d.deptype = 'i' AS is_identity
FROM seqs q
LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = q.oid
                     AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0
                     AND d.deptype IN ('a', 'i')
LEFT JOIN pg_class t ON t.oid = d.refobjid
LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
ORDER BY q.schema, q.name;
