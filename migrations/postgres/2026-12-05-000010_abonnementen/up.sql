-- Readers of the outbox (the change feed, webhook delivery) follow `volgnummer`, and must never pass a
-- number below which a transaction may still commit an event. A writer draws its number inside the
-- trigger below, after taking a shared advisory lock (7358066700042161, "outbox") that it holds until its
-- transaction ends. A reader notes the last number drawn (the sequence's `last_value`, which shows numbers
-- of transactions still running) and then tries to take the same lock exclusively, without waiting: when
-- it gets it, no writer that had drawn a number is still running, so every event up to the noted number
-- is final, and the reader records that in `gebeurtenissen_stand`. When writers hold the lock the reader
-- tries again for a moment and otherwise goes by the last number recorded there. Writers never wait, for
-- each other or for readers.
CREATE SEQUENCE gebeurtenissen_volgnummer AS BIGINT;
SELECT setval('gebeurtenissen_volgnummer', COALESCE((SELECT max(volgnummer) FROM gebeurtenissen), 0) + 1, false);
ALTER TABLE gebeurtenissen ALTER COLUMN volgnummer DROP IDENTITY;

CREATE FUNCTION gebeurtenissen_volgnummer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(7358066700042161);
    NEW.volgnummer := nextval('gebeurtenissen_volgnummer');
    RETURN NEW;
END
$$;

CREATE TRIGGER gebeurtenissen_volgnummer BEFORE INSERT ON gebeurtenissen
    FOR EACH ROW EXECUTE FUNCTION gebeurtenissen_volgnummer();

-- The last number below which every event is known to be final (one row).
CREATE TABLE gebeurtenissen_stand (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    volgnummer BIGINT NOT NULL
);
INSERT INTO gebeurtenissen_stand (id, volgnummer)
    SELECT 1, COALESCE(max(volgnummer), 0) FROM gebeurtenissen;

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
