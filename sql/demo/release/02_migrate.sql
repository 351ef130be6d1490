-- The release's migration.
CREATE INDEX orders_status_idx ON shop.orders (status);
SET lock_timeout = '5s';
ALTER TABLE shop.orders ADD COLUMN token uuid DEFAULT gen_random_uuid();
ALTER TABLE shop.orders ADD COLUMN flag boolean DEFAULT false;
ALTER TABLE shop.orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;
CREATE INDEX CONCURRENTLY orders_created_idx ON shop.orders (created_at);
