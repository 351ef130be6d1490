-- pgadvisor demo workload: a pgbench custom script over the shop schema
-- created by sql/demo/schema.sql. Run it as:
--
--   pgbench -n -f sql/demo/workload.sql -c 2 -j 2 -t 200 demo
--
-- Each transaction is one storefront visit. No statement filters or sorts
-- customers by created_at, so customers_created_at_idx stays unused.
\set cid random(1, 50000)
\set pid random(100001, 105000)
\set sid 10 * random(0, 19999) + 8

-- Log-in: customer by email (no index on email).
SELECT id, full_name, country FROM shop.customers WHERE email = 'user' || :cid || '@example.com';

-- "My pending orders": needs an index on (customer_id, status).
SELECT id, created_at, total FROM shop.orders WHERE customer_id = :cid AND status = 'pending';

-- Product page by SKU (served by the unique index).
SELECT id, name, price FROM shop.products WHERE sku = 'SKU-' || :pid;

-- Latest orders of one customer.
SELECT o.id, o.created_at, o.status, o.total, c.full_name FROM shop.customers c JOIN shop.orders o ON o.customer_id = c.id WHERE c.id = :cid ORDER BY o.created_at DESC LIMIT 10;

-- Audit trail (table without a primary key).
INSERT INTO shop.audit_log (logged_at, actor, action, detail) VALUES (now(), 'user' || :cid, 'view_orders', '{"source": "web"}');

-- Support ticket (draws from the nearly exhausted tickets_id_seq).
INSERT INTO shop.tickets (customer_id, subject) VALUES (:cid, 'Where is my order?');

-- Session heartbeat on the bloated table (ids ending in 8 survive the purge).
UPDATE shop.sessions SET last_seen = now(), hits = hits + 1 WHERE id = :sid;
