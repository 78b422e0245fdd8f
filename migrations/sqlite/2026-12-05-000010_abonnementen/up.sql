-- SQLite has one writer at a time: `volgnummer` follows commit order, and readers of the outbox need no
-- horizon.
-- Abonnementen on events: where they go, which, with whose authority (the token that made it, checked
-- again for every event), the signing secret (and the previous one during its grace period after a
-- rotation), and where delivery stands.
CREATE TABLE abonnementen (
    id TEXT PRIMARY KEY,
    callback_url TEXT NOT NULL,
    -- Space-separated event kinds; empty for all.
    soorten TEXT NOT NULL,
    -- Space-separated CBS codes; empty for all of the creator's.
    gemeenten TEXT NOT NULL,
    -- Whose it is: the client that made it with the authority it acted with (its gemeenten or
    -- organisatie, as an idempotency key is kept), and that authority as JSON (client, gebruiker, scopes,
    -- gemeenten, organisatie), checked again for every event.
    eigenaar TEXT NOT NULL,
    bevoegdheid TEXT NOT NULL,
    -- The signing secrets as JSON, newest first: after a rotation the previous one stays valid (and
    -- is signed with too) until its `geldigTot`.
    geheimen TEXT NOT NULL,
    status TEXT NOT NULL,
    positie BIGINT NOT NULL,
    pogingen INTEGER NOT NULL,
    volgende_poging TIMESTAMP,
    laatste_fout TEXT,
    geclaimd_door TEXT,
    geclaimd_tot TIMESTAMP,
    aangemaakt_op TIMESTAMP NOT NULL,
    gewijzigd_op TIMESTAMP NOT NULL
);
CREATE INDEX abonnementen_eigenaar ON abonnementen (eigenaar, id);

-- Every attempt to deliver an event to an abonnement.
CREATE TABLE afleveringen (
    id TEXT PRIMARY KEY,
    abonnement_id TEXT NOT NULL REFERENCES abonnementen (id) ON DELETE CASCADE,
    volgnummer BIGINT NOT NULL,
    gebeurtenis_id TEXT NOT NULL,
    tijdstip TIMESTAMP NOT NULL,
    statuscode INTEGER,
    fout TEXT,
    duur_ms INTEGER NOT NULL,
    geslaagd BOOLEAN NOT NULL
);
CREATE INDEX afleveringen_abonnement ON afleveringen (abonnement_id, id);
