-- A trajectory document is rewritten whole at every change and grows with every push (tens of KB for
-- an active person). pglz compression of it took more CPU than the rest of the write; lz4 is several
-- times cheaper. Servers built without lz4 keep pglz.
DO $$
BEGIN
    ALTER TABLE trajecten ALTER COLUMN data SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 not available: trajecten.data stays pglz-compressed';
END
$$;
