-- Readers of the outbox (the change feed, webhook delivery) follow `volgnummer`. PostgreSQL hands the
-- numbers out at insert, not at commit, so a reader must not pass a number below which a transaction may
-- still commit an event. `horizon` is the first transaction id not yet assigned just after this row got its
-- number (taken by the trigger, after the number: a statement inside a volatile function sees a fresh
-- snapshot). Every event with a lower number was written by a transaction with an id below `horizon`; once
-- the oldest running transaction (`pg_snapshot_xmin`) is at or past `horizon`, all of them have ended, and
-- the events up to this one are final. Rows from before this migration are final already (NULL).
ALTER TABLE gebeurtenissen ADD COLUMN horizon xid8;

CREATE FUNCTION gebeurtenissen_horizon() RETURNS trigger LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    NEW.horizon := pg_snapshot_xmax(pg_current_snapshot());
    RETURN NEW;
END
$$;

CREATE TRIGGER gebeurtenissen_horizon BEFORE INSERT ON gebeurtenissen
    FOR EACH ROW EXECUTE FUNCTION gebeurtenissen_horizon();

-- Abonnementen on events: where they go, which, with whose authority (the token that made it, checked
-- again for every event), the signing secret (and the previous one during its grace period after a
-- rotation), and where delivery stands.
CREATE TABLE abonnementen (
    id TEXT COLLATE "C" PRIMARY KEY,
    callback_url TEXT NOT NULL,
    -- Space-separated event kinds; empty for all.
    soorten TEXT NOT NULL,
    -- Space-separated CBS codes; empty for all of the creator's.
    gemeenten TEXT NOT NULL,
    -- The client that made it, and its authority as JSON (client, gebruiker, scopes, gemeenten,
    -- organisatie), checked again for every event.
    client TEXT NOT NULL,
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
CREATE INDEX abonnementen_client ON abonnementen (client, id);

-- Every attempt to deliver an event to an abonnement.
CREATE TABLE afleveringen (
    id TEXT COLLATE "C" PRIMARY KEY,
    abonnement_id TEXT COLLATE "C" NOT NULL REFERENCES abonnementen (id) ON DELETE CASCADE,
    volgnummer BIGINT NOT NULL,
    gebeurtenis_id TEXT NOT NULL,
    tijdstip TIMESTAMP NOT NULL,
    statuscode INTEGER,
    fout TEXT,
    duur_ms INTEGER NOT NULL,
    geslaagd BOOLEAN NOT NULL
);
CREATE INDEX afleveringen_abonnement ON afleveringen (abonnement_id, id);
