DROP TABLE afleveringen;
DROP TABLE abonnementen;
DROP TRIGGER gebeurtenissen_horizon ON gebeurtenissen;
DROP FUNCTION gebeurtenissen_horizon();
ALTER TABLE gebeurtenissen DROP COLUMN horizon;
