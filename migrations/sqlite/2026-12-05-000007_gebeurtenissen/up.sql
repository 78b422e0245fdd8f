-- The outbox: one row per change (two when a change moves the person's status), written in the change's
-- own transaction, so that an event exists exactly when its change does. Thin: the kind, the resource's
-- URL, the person's id, the gemeente, the partner organisatie that acted, the time and the request;
-- never a BSN, a name or content. Readers (change feed, webhooks, DUO link, statistics) keep their own
-- position in `volgnummer`. SQLite has one writer at a time, so `volgnummer` follows commit order;
-- AUTOINCREMENT never hands out a number twice, even after the newest rows are deleted.
CREATE TABLE gebeurtenissen (
    volgnummer INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    id TEXT NOT NULL,
    soort TEXT NOT NULL,
    url TEXT NOT NULL,
    inburgeraar_id TEXT,
    gemeente TEXT,
    organisatie_id TEXT,
    tijdstip TIMESTAMP NOT NULL,
    request_id TEXT NOT NULL,
    CONSTRAINT gebeurtenissen_id_uniek UNIQUE (id)
);
CREATE INDEX gebeurtenissen_inburgeraar ON gebeurtenissen (inburgeraar_id, volgnummer);
CREATE INDEX gebeurtenissen_gemeente ON gebeurtenissen (gemeente, volgnummer);
