-- The outbox: one row per change (two when a change moves the person's status), written in the change's
-- own transaction, so that an event exists exactly when its change does. Thin: the kind, the resource's
-- URL, the person's id, the gemeente, the partner organisatie that acted, the time and the request;
-- never a BSN, a name or content. Readers (change feed, webhooks, DUO link, statistics) keep their own
-- position in `volgnummer`.
--
-- PostgreSQL hands out `volgnummer` at insert, not at commit: a reader that follows the sequence must
-- not pass a number whose transaction may still commit. `transactie` records the writing transaction,
-- so that a reader can stop before the oldest transaction still running
-- (`transactie < pg_snapshot_xmin(pg_current_snapshot())`).
CREATE TABLE gebeurtenissen (
    volgnummer BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id TEXT COLLATE "C" NOT NULL,
    soort TEXT NOT NULL,
    url TEXT NOT NULL,
    inburgeraar_id TEXT COLLATE "C",
    gemeente TEXT COLLATE "C",
    organisatie_id TEXT,
    tijdstip TIMESTAMP NOT NULL,
    request_id TEXT NOT NULL,
    transactie xid8 NOT NULL DEFAULT pg_current_xact_id(),
    CONSTRAINT gebeurtenissen_id_uniek UNIQUE (id)
);
CREATE INDEX gebeurtenissen_inburgeraar ON gebeurtenissen (inburgeraar_id, volgnummer);
CREATE INDEX gebeurtenissen_gemeente ON gebeurtenissen (gemeente, volgnummer);
