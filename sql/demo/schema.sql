-- pgadvisor demo database: a small shop with problems planted for the advisor
-- to find. Run into an empty database named "demo":
--
--   psql -X -v ON_ERROR_STOP=1 -d demo -f sql/demo/schema.sql
--
-- Plain SQL only (no psql meta-commands, no VACUUM), so the file can also be
-- sent as one batch through libpq. Rerunnable: it drops schema "shop" first.
-- Data is deterministic (setseed + random() in a single session, or arithmetic
-- on generate_series).
--
-- Planted problems (see the numbered comments below):
--   1. shop.customers: hot lookup by email, no index on email
--   2. shop.orders: unindexed foreign key customer_id, hot query on
--      (customer_id, status) with no index
--   3. shop.customers_created_at_idx: index the workload never uses
--   4. shop.products_sku_idx duplicates the unique index products_sku_key;
--      shop.orders_created_at_idx is a prefix of orders_created_at_total_idx
--   5. shop.sessions: bloated (70 % deleted, more updated, autovacuum off)
--   6. shop.audit_log: no primary key nor unique key
--   7. shop.tickets_id_seq: integer sequence at about 93 % of its maximum
--   8. shop."Order Notes"."Note ""Text""": identifiers that need quoting

SET client_min_messages = warning;

CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
CREATE EXTENSION IF NOT EXISTS hypopg;
CREATE EXTENSION IF NOT EXISTS pgstattuple;

DROP SCHEMA IF EXISTS shop CASCADE;
CREATE SCHEMA shop;

SELECT setseed(0.42);

-- 1. Customers. The workload looks customers up by email, but there is no
--    index on email: a single-column index on (email) is missing.
--    3. customers_created_at_idx is never used by the workload.
CREATE TABLE shop.customers (
    id          serial PRIMARY KEY,
    email       text NOT NULL,
    full_name   text NOT NULL,
    country     char(2) NOT NULL,
    created_at  timestamptz NOT NULL,
    marketing_opt_in boolean NOT NULL DEFAULT false
);

INSERT INTO shop.customers (id, email, full_name, country, created_at, marketing_opt_in)
SELECT i,
       'user' || i || '@example.com',
       (ARRAY['Anna','Bruno','Chloé','Dmitri','Emma','Farid','Greta','Hiro','Ines','Jonas'])[1 + i % 10]
           || ' ' ||
       (ARRAY['Martin','Schmidt','Rossi','García','Dubois','Novak','Silva','Kowalski','Jensen','Murphy','Sato'])[1 + (i * 7) % 11],
       (ARRAY['FR','DE','IT','ES','US','GB','NL','PL','SE','JP'])[1 + floor(random() * 10)::int],
       timestamptz '2019-01-01 00:00:00+00' + (i * interval '45 minutes') + random() * interval '30 minutes',
       random() < 0.3
FROM generate_series(1, 50000) AS g(i);
SELECT setval('shop.customers_id_seq', (SELECT max(id) FROM shop.customers));

-- 3. Unused index: nothing in the workload filters or sorts customers by
--    created_at.
CREATE INDEX customers_created_at_idx ON shop.customers (created_at);

-- 2. Orders. customer_id references customers but has no index (unindexed
--    foreign key); the hot query filters on customer_id AND status and needs
--    an index on (customer_id, status). Status values are skewed: delivered
--    about 85 %, shipped 8 %, cancelled 5 %, pending 2 %.
CREATE TABLE shop.orders (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id int NOT NULL,
    status      text NOT NULL,
    created_at  timestamptz NOT NULL,
    total       numeric(10,2) NOT NULL
);

INSERT INTO shop.orders (customer_id, status, created_at, total)
SELECT 1 + floor(random() * 50000)::int,
       CASE WHEN r < 0.02 THEN 'pending'
            WHEN r < 0.07 THEN 'cancelled'
            WHEN r < 0.15 THEN 'shipped'
            ELSE 'delivered' END,
       timestamptz '2020-01-01 00:00:00+00' + i * interval '7 minutes',
       round((5 + random() * 495)::numeric, 2)
FROM (SELECT i, random() AS r FROM generate_series(1, 300000) AS g(i)) AS s;

-- Added after the load (one validating join instead of 300k trigger checks);
-- the result is the same as declaring it in CREATE TABLE.
ALTER TABLE shop.orders
    ADD CONSTRAINT orders_customer_id_fkey
    FOREIGN KEY (customer_id) REFERENCES shop.customers (id);

-- 4b. Redundant prefix pair: orders_created_at_idx is a leading prefix of
--     orders_created_at_total_idx.
CREATE INDEX orders_created_at_idx ON shop.orders (created_at);
CREATE INDEX orders_created_at_total_idx ON shop.orders (created_at, total);

-- 4. Products. The UNIQUE constraint already creates products_sku_key;
--    products_sku_idx is an exact duplicate of it.
CREATE TABLE shop.products (
    id     serial PRIMARY KEY,
    sku    text NOT NULL UNIQUE,
    name   text NOT NULL,
    price  numeric(10,2) NOT NULL
);

INSERT INTO shop.products (id, sku, name, price)
SELECT i,
       'SKU-' || (100000 + i),
       (ARRAY['Mug','Lamp','Chair','Desk','Pen','Notebook','Backpack','Kettle'])[1 + i % 8] || ' model ' || i,
       round((1 + random() * 299)::numeric, 2)
FROM generate_series(1, 5000) AS g(i);
SELECT setval('shop.products_id_seq', (SELECT max(id) FROM shop.products));

CREATE INDEX products_sku_idx ON shop.products (sku);

-- 5. Bloated table: autovacuum is off, 70 % of the rows are deleted and a
--    tenth more are updated, then only ANALYZE runs (no VACUUM), so the
--    statistics are fresh but the space stays wasted.
CREATE TABLE shop.sessions (
    id          bigint PRIMARY KEY,
    customer_id int NOT NULL,
    token       text NOT NULL,
    user_agent  text NOT NULL,
    started_at  timestamptz NOT NULL,
    last_seen   timestamptz NOT NULL,
    hits        int NOT NULL DEFAULT 0,
    payload     text NOT NULL
) WITH (autovacuum_enabled = false);

INSERT INTO shop.sessions (id, customer_id, token, user_agent, started_at, last_seen, hits, payload)
SELECT i,
       1 + (i * 37) % 50000,
       md5(i::text),
       (ARRAY['Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
              'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15',
              'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0'])[1 + i % 3],
       timestamptz '2024-01-01 00:00:00+00' + i * interval '1 minute',
       timestamptz '2024-01-01 00:00:00+00' + i * interval '1 minute' + interval '20 minutes',
       i % 50,
       repeat(md5((i * 17)::text), 4)
FROM generate_series(1, 200000) AS g(i);

DELETE FROM shop.sessions WHERE id % 10 < 7;
UPDATE shop.sessions
   SET hits = hits + 1, last_seen = last_seen + interval '5 minutes'
 WHERE id % 10 = 7;
ANALYZE shop.sessions;

-- 6. Table without a primary key or any unique key.
CREATE TABLE shop.audit_log (
    logged_at  timestamptz NOT NULL,
    actor      text NOT NULL,
    action     text NOT NULL,
    detail     jsonb
);

INSERT INTO shop.audit_log (logged_at, actor, action, detail)
SELECT timestamptz '2024-06-01 00:00:00+00' + i * interval '13 seconds',
       'user' || (1 + (i * 101) % 50000),
       (ARRAY['login','logout','view_orders','update_profile'])[1 + i % 4],
       jsonb_build_object('source', (ARRAY['web','app'])[1 + i % 2], 'n', i)
FROM generate_series(1, 10000) AS g(i);

-- 7. Sequence near exhaustion: tickets.id is an integer (serial) and
--    tickets_id_seq is moved to 2,000,000,000, about 93 % of 2,147,483,647.
CREATE TABLE shop.tickets (
    id          serial PRIMARY KEY,
    customer_id int NOT NULL,
    subject     text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

SELECT setval('shop.tickets_id_seq', 2000000000);
INSERT INTO shop.tickets (customer_id, subject, created_at)
SELECT 1 + (i * 97) % 50000,
       (ARRAY['Where is my order?','Refund request','Damaged item','Change address'])[1 + i % 4],
       timestamptz '2024-06-01 00:00:00+00' + i * interval '1 hour'
FROM generate_series(1, 10) AS g(i);

-- 8. Identifiers with capitals, a space and a double quote, to check that
--    every generated statement quotes them: table shop."Order Notes", column
--    "Note ""Text""" (that is: Note "Text"), index "Order Notes ""Text"" idx".
CREATE TABLE shop."Order Notes" (
    id          serial PRIMARY KEY,
    "OrderId"   bigint NOT NULL,
    "Note ""Text""" text NOT NULL
);

INSERT INTO shop."Order Notes" ("OrderId", "Note ""Text""")
SELECT 1 + (i * 131) % 300000,
       'Please leave it at the "back door" #' || i
FROM generate_series(1, 3000) AS g(i);

CREATE INDEX "Order Notes ""Text"" idx" ON shop."Order Notes" ("Note ""Text""");

-- Fresh planner statistics for the other tables (shop.sessions was analyzed
-- above and must not be vacuumed).
ANALYZE shop.customers;
ANALYZE shop.orders;
ANALYZE shop.products;
ANALYZE shop.audit_log;
ANALYZE shop.tickets;
ANALYZE shop."Order Notes";

-- Start the workload from clean statistics. This session's pending
-- activity counters are flushed first, or they would reach the shared
-- statistics after the reset and leave leftovers of the load there.
DO $$
BEGIN
    IF to_regproc('pg_catalog.pg_stat_force_next_flush') IS NOT NULL THEN
        PERFORM pg_catalog.pg_stat_force_next_flush();
    END IF;
END
$$;
-- Only this database's entries: other databases on the server keep theirs.
SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0);
SELECT pg_stat_reset();

-- 6 (continued). A retention job purges the oldest audit entries. It runs
-- after the reset so that the statistics show shop.audit_log receiving
-- DELETEs: logical replication would need a replica identity for them.
DELETE FROM shop.audit_log WHERE logged_at < timestamptz '2024-06-01 01:00:00+00';
