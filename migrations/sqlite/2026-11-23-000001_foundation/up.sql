-- Foundation: inburgeraars, their audit trail, the processing log and idempotency records.
-- Identifiers are application-made UUID v7 text; timestamps are UTC, set by the application.
CREATE TABLE inburgeraars (
    id TEXT PRIMARY KEY NOT NULL,
    bsn TEXT,
    v_nummer TEXT,
    naam TEXT NOT NULL,
    geboortedatum DATE,
    gemeente TEXT NOT NULL,
    doelgroep TEXT NOT NULL,
    regime TEXT NOT NULL,
    datum_kennisgeving DATE,
    datum_vestiging DATE,
    status TEXT NOT NULL,
    versie BIGINT NOT NULL,
    aangemaakt_op TIMESTAMP NOT NULL,
    gewijzigd_op TIMESTAMP NOT NULL,
    CONSTRAINT inburgeraars_bsn_uniek UNIQUE (bsn),
    CONSTRAINT inburgeraars_v_nummer_uniek UNIQUE (v_nummer)
);
CREATE INDEX inburgeraars_gemeente_id ON inburgeraars (gemeente, id);

CREATE TABLE audit_entries (
    id TEXT PRIMARY KEY NOT NULL,
    inburgeraar_id TEXT NOT NULL REFERENCES inburgeraars (id),
    resource TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    actie TEXT NOT NULL,
    client TEXT NOT NULL,
    gebruiker TEXT,
    oude_waarde TEXT,
    nieuwe_waarde TEXT,
    tijdstip TIMESTAMP NOT NULL,
    request_id TEXT NOT NULL
);
CREATE INDEX audit_entries_inburgeraar_id ON audit_entries (inburgeraar_id, id);

CREATE TABLE verwerkingen (
    id TEXT PRIMARY KEY NOT NULL,
    trace_id TEXT NOT NULL,
    span_id TEXT NOT NULL,
    activiteit_id TEXT NOT NULL,
    activiteit_naam TEXT NOT NULL,
    betrokkene TEXT NOT NULL,
    status TEXT NOT NULL,
    client TEXT NOT NULL,
    gebruiker TEXT,
    organisatie TEXT,
    start_tijd TIMESTAMP NOT NULL,
    eind_tijd TIMESTAMP NOT NULL
);
CREATE INDEX verwerkingen_betrokkene_id ON verwerkingen (betrokkene, id);

CREATE TABLE idempotentie_sleutels (
    client TEXT NOT NULL,
    sleutel TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    location TEXT,
    body TEXT NOT NULL,
    aangemaakt_op TIMESTAMP NOT NULL,
    PRIMARY KEY (client, sleutel)
);
