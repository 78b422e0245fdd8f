-- Idempotent answers kept per client AND the authority it acted with (a digest of its gemeenten or
-- organisatie), with the person the answer is about and the activity that decides whether the caller
-- may still see it on a replay. Expand/contract: the old table `idempotentie_sleutels` stays until a
-- later release drops it; nodes of this version neither read nor write it.
CREATE TABLE idempotente_antwoorden (
    client TEXT NOT NULL,
    bevoegdheid TEXT NOT NULL,
    sleutel TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    inburgeraar_id TEXT,
    activiteit TEXT,
    status INTEGER NOT NULL,
    location TEXT,
    body TEXT NOT NULL,
    aangemaakt_op TIMESTAMP NOT NULL,
    CONSTRAINT idempotente_antwoorden_pk PRIMARY KEY (client, bevoegdheid, sleutel)
);
