-- Partners and the recorded basis for sharing with them. A toestemming keeps its full record (with its
-- append-only events) as JSON; the columns the visibility predicate needs are real columns, indexed.
CREATE TABLE organisaties (
    id TEXT PRIMARY KEY NOT NULL,
    naam TEXT NOT NULL,
    soort TEXT NOT NULL,
    actief BOOLEAN NOT NULL,
    data TEXT NOT NULL,
    aangemaakt_op TIMESTAMP NOT NULL,
    gewijzigd_op TIMESTAMP NOT NULL
);

CREATE TABLE toestemmingen (
    id TEXT PRIMARY KEY NOT NULL,
    inburgeraar_id TEXT NOT NULL REFERENCES inburgeraars (id),
    organisatie_id TEXT NOT NULL REFERENCES organisaties (id),
    grondslag TEXT NOT NULL,
    van_kracht BOOLEAN NOT NULL,
    geldig_van DATE NOT NULL,
    geldig_tot DATE,
    data TEXT NOT NULL,
    aangemaakt_op TIMESTAMP NOT NULL,
    gewijzigd_op TIMESTAMP NOT NULL
);
CREATE INDEX toestemmingen_organisatie ON toestemmingen (organisatie_id, inburgeraar_id);
CREATE INDEX toestemmingen_inburgeraar ON toestemmingen (inburgeraar_id, id);

CREATE TABLE toestemming_categorieen (
    toestemming_id TEXT NOT NULL REFERENCES toestemmingen (id),
    categorie TEXT NOT NULL,
    PRIMARY KEY (toestemming_id, categorie)
);

CREATE TABLE toestemming_doelen (
    toestemming_id TEXT NOT NULL REFERENCES toestemmingen (id),
    doel TEXT NOT NULL,
    PRIMARY KEY (toestemming_id, doel)
);

ALTER TABLE verwerkingen ADD COLUMN toestemming_id TEXT;
