-- PostgreSQL only (lz4 compression of trajecten.data); SQLite stores text uncompressed. Kept so both backends have the same migrations.
SELECT 1;
