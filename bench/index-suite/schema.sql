-- pgadvisor index-advisor suite: tables whose right index is known, for the tests and
-- bench/index-quality. Each table needs exactly the index named in its comment (and
-- nothing more); the statements are in workload.pgbench. Deterministic data (setseed).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS suite CASCADE;
CREATE SCHEMA suite;
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
CREATE EXTENSION IF NOT EXISTS hypopg;
SELECT setseed(0.42);

-- lower(email): an expression index ((lower(email))).
CREATE TABLE suite.customers (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    name text NOT NULL,
    created_at timestamptz NOT NULL
);
INSERT INTO suite.customers
SELECT i, 'User' || i || '@Example.com', 'customer ' || i, timestamptz '2024-01-01' + i * interval '5 minutes'
FROM generate_series(1::bigint, 100000) AS i;

-- Two statements, one composite index: customer_id alone, and customer_id with a date range.
-- (customer_id, created_at) serves both; a second index on (customer_id) would be a near-duplicate.
CREATE TABLE suite.orders (
    id bigint PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES suite.customers,
    status text NOT NULL,
    created_at timestamptz NOT NULL,
    total numeric(10, 2) NOT NULL
);
INSERT INTO suite.orders
SELECT i, 1 + (i * 7919) % 2000, (ARRAY['done', 'done', 'done', 'shipped', 'open'])[1 + i % 5],
       timestamptz '2024-01-01' + (random() * 700) * interval '1 day', round((random() * 500)::numeric, 2)
FROM generate_series(1::bigint, 300000) AS i;

-- A foreign-key join: order lines fetched for a customer's orders: (order_id).
CREATE TABLE suite.order_items (
    id bigint PRIMARY KEY,
    order_id bigint NOT NULL REFERENCES suite.orders,
    product_id bigint NOT NULL,
    quantity int NOT NULL
);
INSERT INTO suite.order_items
SELECT i, 1 + (i * 104729) % 300000, 1 + i % 5000, 1 + i % 4
FROM generate_series(1::bigint, 600000) AS i;

-- Single equality: (sku).
CREATE TABLE suite.products (
    id bigint PRIMARY KEY,
    sku text NOT NULL,
    title text NOT NULL,
    price numeric(10, 2) NOT NULL
);
INSERT INTO suite.products
SELECT i, 'SKU-' || lpad(((i * 48271) % 1000003)::text, 7, '0'), 'product ' || i, (i % 1000) / 10.0
FROM generate_series(1::bigint, 100000) AS i;

-- Equality then range: (account_id, created_at), in that order.
CREATE TABLE suite.events (
    id bigint PRIMARY KEY,
    account_id int NOT NULL,
    kind text NOT NULL,
    created_at timestamptz NOT NULL,
    payload text
);
INSERT INTO suite.events
SELECT i, 1 + (i * 31) % 500, (ARRAY['login', 'view', 'click', 'buy'])[1 + i % 4],
       timestamptz '2024-01-01' + (random() * 365) * interval '1 day', md5(i::text)
FROM generate_series(1::bigint, 300000) AS i;

-- Equality, then ORDER BY ... DESC with a LIMIT: (thread_id, posted_at), read backwards.
CREATE TABLE suite.messages (
    id bigint PRIMARY KEY,
    thread_id int NOT NULL,
    posted_at timestamptz NOT NULL,
    body text NOT NULL
);
INSERT INTO suite.messages
SELECT i, 1 + (i * 17) % 300, timestamptz '2024-01-01' + (random() * 365) * interval '1 day', repeat('m', 40)
FROM generate_series(1::bigint, 300000) AS i;

-- IN list: (assignee_id).
CREATE TABLE suite.tickets (
    id bigint PRIMARY KEY,
    assignee_id int NOT NULL,
    state text NOT NULL,
    opened_at timestamptz NOT NULL
);
INSERT INTO suite.tickets
SELECT i, 1 + (i * 13) % 10000, (ARRAY['new', 'open', 'closed'])[1 + i % 3],
       timestamptz '2024-01-01' + i * interval '1 minute'
FROM generate_series(1::bigint, 200000) AS i;

-- A partial index: 0.5 % of the jobs are unfinished, read oldest first:
-- (run_at) WHERE finished_at IS NULL.
CREATE TABLE suite.jobs (
    id bigint PRIMARY KEY,
    queue text NOT NULL,
    run_at timestamptz NOT NULL,
    finished_at timestamptz
);
INSERT INTO suite.jobs
SELECT i, (ARRAY['mail', 'billing', 'export'])[1 + i % 3], timestamptz '2024-01-01' + i * interval '1 minute',
       CASE WHEN i % 200 = 0 THEN NULL ELSE timestamptz '2024-01-01' + i * interval '1 minute' + interval '5 seconds' END
FROM generate_series(1::bigint, 300000) AS i;

-- Served already: lookups by primary key and by an existing index need nothing new.
CREATE TABLE suite.accounts (
    id bigint PRIMARY KEY,
    code text NOT NULL,
    balance numeric NOT NULL
);
INSERT INTO suite.accounts SELECT i, 'A' || i, 0 FROM generate_series(1::bigint, 100000) AS i;
CREATE INDEX accounts_code_idx ON suite.accounts (code);

-- A small table: a sequential scan is right.
CREATE TABLE suite.countries (
    code text PRIMARY KEY,
    name text NOT NULL,
    region text NOT NULL
);
INSERT INTO suite.countries SELECT 'C' || i, 'country ' || i, 'region ' || (i % 7) FROM generate_series(1::bigint, 200) AS i;

VACUUM ANALYZE;
-- Steady state: the bulk load above is not the workload's writes (their index overhead is
-- weighed against the time an index saves), so the counters start after it.
SELECT pg_stat_reset();
-- Only this database's entries: other databases on the server keep theirs.
SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0);
