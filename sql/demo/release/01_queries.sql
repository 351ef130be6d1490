-- The queries a release adds: reviewed with 'pgadvisor review --queries sql/demo/release'.
SELECT id, total FROM shop.orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 20;
SELECT * FROM shop.customers WHERE id = $1;
SELECT id FROM shop.orders WHERE status = 'paid' AND FROM;
