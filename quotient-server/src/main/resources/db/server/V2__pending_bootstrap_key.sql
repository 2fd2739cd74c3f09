-- A generated bootstrap admin key is "pending" until a start has shown it to the operator. A start
-- that finds no confirmed admin key (the first start failed or was killed before printing its key)
-- creates and shows another one, so that a failed first start never locks the operator out.
ALTER TABLE server_api_keys ADD COLUMN bootstrap_pending boolean NOT NULL DEFAULT false;
