-- pgadvisor: the function names of $1 (text[], lower case) that exist, and whether one of
-- their overloads is VOLATILE: a column DEFAULT calling one is evaluated for every existing
-- row, which rewrites the table. Read by 'review'.
SELECT p.proname AS name,
       bool_or(p.provolatile = 'v') AS volatile
FROM pg_proc p
WHERE p.proname = ANY ($1::text[])
GROUP BY p.proname
ORDER BY p.proname;
