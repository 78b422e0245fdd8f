-- The appended history of a trajectory leaves the document: extensions, decisions (ontheffingen and
-- vrijstellingen in one table, told apart by `soort`), the status history, enrolments, hours per
-- month, exam results, voortgangsgesprekken and the participatieladder each get a table of their own.
-- The document was rewritten whole at every change and grew with every push; a push now adds a row.
--
-- Every row carries the person and `volgorde`, its position (from 0) in the person's list as the
-- document held it, so that ORDER BY volgorde gives the list back exactly (besluiten: the position in
-- the ontheffingen or the vrijstellingen). One real column per field of the item, named like the Rust
-- field; enums are the text of their serde form, a list of enums a JSON array as text, an Option a
-- NULL. PostgreSQL: the ids compare with the "C" collation, as everywhere.
--
-- `trajecten.vorm` is the form of the stored document: 1 = without the lists that moved here.
--
-- Not for a rolling update: nodes of the previous version cannot read a document without
-- `verlengingen`, `ontheffingen`, `vrijstellingen` and `statushistorie`. Stop them before migrating.
ALTER TABLE trajecten ADD COLUMN vorm INTEGER NOT NULL DEFAULT 1;

CREATE TABLE verlengingen (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    inburgeraar_id TEXT COLLATE "C" NOT NULL REFERENCES inburgeraars (id),
    volgorde BIGINT NOT NULL,
    maanden BIGINT NOT NULL,
    grond TEXT NOT NULL,
    datum_besluit DATE NOT NULL
);
CREATE UNIQUE INDEX verlengingen_volgorde ON verlengingen (inburgeraar_id, volgorde);

CREATE TABLE besluiten (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    inburgeraar_id TEXT COLLATE "C" NOT NULL REFERENCES inburgeraars (id),
    soort TEXT NOT NULL CHECK (soort IN ('ontheffing', 'vrijstelling')),
    volgorde BIGINT NOT NULL,
    code TEXT NOT NULL,
    omvang TEXT NOT NULL,
    examenonderdelen TEXT NOT NULL,
    datum_besluit DATE NOT NULL,
    datum_einde DATE
);
CREATE UNIQUE INDEX besluiten_volgorde ON besluiten (inburgeraar_id, soort, volgorde);

CREATE TABLE statuswijzigingen (
    inburgeraar_id TEXT COLLATE "C" NOT NULL REFERENCES inburgeraars (id),
    volgorde BIGINT NOT NULL,
    gebeurtenis TEXT NOT NULL,
    van TEXT NOT NULL,
    naar TEXT NOT NULL,
    datum DATE NOT NULL,
    reden TEXT,
    PRIMARY KEY (inburgeraar_id, volgorde)
);

CREATE TABLE inschrijvingen (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    inburgeraar_id TEXT COLLATE "C" NOT NULL REFERENCES inburgeraars (id),
    volgorde BIGINT NOT NULL,
    organisatie_id TEXT COLLATE "C",
    soort TEXT NOT NULL,
    omschrijving TEXT NOT NULL,
    datum_start DATE NOT NULL,
    datum_einde DATE,
    uren_per_week BIGINT NOT NULL,
    geregistreerd_op TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX inschrijvingen_volgorde ON inschrijvingen (inburgeraar_id, volgorde);

-- DUO's GevolgdeUren are per person, organisatie and month: a second push for the month replaces the
-- first. The gemeente's own hours have no organisatie (NULL, compared as '').
CREATE TABLE gevolgde_uren (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    inburgeraar_id TEXT COLLATE "C" NOT NULL REFERENCES inburgeraars (id),
    volgorde BIGINT NOT NULL,
    organisatie_id TEXT COLLATE "C",
    maand DATE NOT NULL,
    lesuren BIGINT NOT NULL,
    lesuren_brede_intake BIGINT NOT NULL,
    participatie_uren BIGINT NOT NULL,
    verzuim_uren BIGINT NOT NULL,
    geregistreerd_op TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX gevolgde_uren_volgorde ON gevolgde_uren (inburgeraar_id, volgorde);
CREATE UNIQUE INDEX gevolgde_uren_maand ON gevolgde_uren (inburgeraar_id, COALESCE(organisatie_id, ''), maand);

-- The index on the exam finds the results of the same exam (part, level, date): a DUO result flags the
-- provider results it contradicts.
CREATE TABLE examenresultaten (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    inburgeraar_id TEXT COLLATE "C" NOT NULL REFERENCES inburgeraars (id),
    volgorde BIGINT NOT NULL,
    organisatie_id TEXT COLLATE "C",
    onderdeel TEXT NOT NULL,
    niveau TEXT NOT NULL,
    uitslag TEXT NOT NULL,
    reden_geen TEXT,
    datum_examen DATE NOT NULL,
    bron TEXT NOT NULL,
    conflict_met_duo BOOLEAN NOT NULL,
    geregistreerd_op TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX examenresultaten_volgorde ON examenresultaten (inburgeraar_id, volgorde);
CREATE INDEX examenresultaten_examen ON examenresultaten (inburgeraar_id, onderdeel, niveau, datum_examen);

CREATE TABLE voortgangsgesprekken (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    inburgeraar_id TEXT COLLATE "C" NOT NULL REFERENCES inburgeraars (id),
    volgorde BIGINT NOT NULL,
    datum DATE NOT NULL,
    deelnemers TEXT NOT NULL,
    uitkomst TEXT NOT NULL,
    afspraken TEXT,
    datum_volgend_gepland DATE,
    geregistreerd_op TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX voortgangsgesprekken_volgorde ON voortgangsgesprekken (inburgeraar_id, volgorde);

CREATE TABLE participatieladder_metingen (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    inburgeraar_id TEXT COLLATE "C" NOT NULL REFERENCES inburgeraars (id),
    volgorde BIGINT NOT NULL,
    datum DATE NOT NULL,
    trede BIGINT NOT NULL,
    toelichting TEXT,
    geregistreerd_op TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX participatieladder_metingen_volgorde ON participatieladder_metingen (inburgeraar_id, volgorde);

-- The data: every item of every stored document into its table, `volgorde` from 0 as on SQLite. A key
-- that older documents lack (those with a serde default) gives NULL, and jsonb_array_elements(NULL)
-- no rows. A list of enums is stored as compact JSON text, as serde_json writes it (array_to_json has no
-- spaces, jsonb's text has).
INSERT INTO verlengingen (id, inburgeraar_id, volgorde, maanden, grond, datum_besluit)
SELECT e.value ->> 'id', t.inburgeraar_id, e.n - 1,
       (e.value ->> 'maanden')::bigint, e.value ->> 'grond', (e.value ->> 'datumBesluit')::date
FROM trajecten t
CROSS JOIN LATERAL jsonb_array_elements(t.data::jsonb -> 'verlengingen') WITH ORDINALITY AS e (value, n);

INSERT INTO besluiten (id, inburgeraar_id, soort, volgorde, code, omvang, examenonderdelen,
                       datum_besluit, datum_einde)
SELECT e.value ->> 'id', t.inburgeraar_id, l.soort, e.n - 1,
       e.value ->> 'code', e.value ->> 'omvang',
       array_to_json(ARRAY(SELECT jsonb_array_elements_text(e.value -> 'examenonderdelen')))::text,
       (e.value ->> 'datumBesluit')::date, (e.value ->> 'datumEinde')::date
FROM trajecten t
CROSS JOIN (VALUES ('ontheffing', 'ontheffingen'), ('vrijstelling', 'vrijstellingen')) AS l (soort, sleutel)
CROSS JOIN LATERAL jsonb_array_elements(t.data::jsonb -> l.sleutel) WITH ORDINALITY AS e (value, n);

INSERT INTO statuswijzigingen (inburgeraar_id, volgorde, gebeurtenis, van, naar, datum, reden)
SELECT t.inburgeraar_id, e.n - 1,
       e.value ->> 'gebeurtenis', e.value ->> 'van', e.value ->> 'naar',
       (e.value ->> 'datum')::date, e.value ->> 'reden'
FROM trajecten t
CROSS JOIN LATERAL jsonb_array_elements(t.data::jsonb -> 'statushistorie') WITH ORDINALITY AS e (value, n);

INSERT INTO inschrijvingen (id, inburgeraar_id, volgorde, organisatie_id, soort, omschrijving,
                            datum_start, datum_einde, uren_per_week, geregistreerd_op)
SELECT e.value ->> 'id', t.inburgeraar_id, e.n - 1,
       e.value ->> 'organisatieId', e.value ->> 'soort', e.value ->> 'omschrijving',
       (e.value ->> 'datumStart')::date, (e.value ->> 'datumEinde')::date,
       (e.value ->> 'urenPerWeek')::bigint, (e.value ->> 'geregistreerdOp')::timestamp
FROM trajecten t
CROSS JOIN LATERAL jsonb_array_elements(t.data::jsonb -> 'inschrijvingen') WITH ORDINALITY AS e (value, n);

INSERT INTO gevolgde_uren (id, inburgeraar_id, volgorde, organisatie_id, maand, lesuren,
                           lesuren_brede_intake, participatie_uren, verzuim_uren, geregistreerd_op)
SELECT e.value ->> 'id', t.inburgeraar_id, e.n - 1,
       e.value ->> 'organisatieId', (e.value ->> 'maand')::date,
       (e.value ->> 'lesuren')::bigint, (e.value ->> 'lesurenBredeIntake')::bigint,
       (e.value ->> 'participatieUren')::bigint, (e.value ->> 'verzuimUren')::bigint,
       (e.value ->> 'geregistreerdOp')::timestamp
FROM trajecten t
CROSS JOIN LATERAL jsonb_array_elements(t.data::jsonb -> 'gevolgdeUren') WITH ORDINALITY AS e (value, n);

INSERT INTO examenresultaten (id, inburgeraar_id, volgorde, organisatie_id, onderdeel, niveau, uitslag,
                              reden_geen, datum_examen, bron, conflict_met_duo, geregistreerd_op)
SELECT e.value ->> 'id', t.inburgeraar_id, e.n - 1,
       e.value ->> 'organisatieId', e.value ->> 'onderdeel', e.value ->> 'niveau',
       e.value ->> 'uitslag', e.value ->> 'redenGeen', (e.value ->> 'datumExamen')::date,
       e.value ->> 'bron', (e.value ->> 'conflictMetDuo')::boolean,
       (e.value ->> 'geregistreerdOp')::timestamp
FROM trajecten t
CROSS JOIN LATERAL jsonb_array_elements(t.data::jsonb -> 'examenresultaten') WITH ORDINALITY AS e (value, n);

INSERT INTO voortgangsgesprekken (id, inburgeraar_id, volgorde, datum, deelnemers, uitkomst, afspraken,
                                  datum_volgend_gepland, geregistreerd_op)
SELECT e.value ->> 'id', t.inburgeraar_id, e.n - 1,
       (e.value ->> 'datum')::date,
       array_to_json(ARRAY(SELECT jsonb_array_elements_text(e.value -> 'deelnemers')))::text,
       e.value ->> 'uitkomst',
       e.value ->> 'afspraken', (e.value ->> 'datumVolgendGepland')::date,
       (e.value ->> 'geregistreerdOp')::timestamp
FROM trajecten t
CROSS JOIN LATERAL jsonb_array_elements(t.data::jsonb -> 'voortgangsgesprekken') WITH ORDINALITY AS e (value, n);

INSERT INTO participatieladder_metingen (id, inburgeraar_id, volgorde, datum, trede, toelichting,
                                         geregistreerd_op)
SELECT e.value ->> 'id', t.inburgeraar_id, e.n - 1,
       (e.value ->> 'datum')::date, (e.value ->> 'trede')::bigint, e.value ->> 'toelichting',
       (e.value ->> 'geregistreerdOp')::timestamp
FROM trajecten t
CROSS JOIN LATERAL jsonb_array_elements(t.data::jsonb -> 'participatieladder') WITH ORDINALITY AS e (value, n);

-- The moved lists leave the document (which PostgreSQL writes back in jsonb's own key order).
UPDATE trajecten
SET data = (data::jsonb - ARRAY['verlengingen', 'ontheffingen', 'vrijstellingen', 'statushistorie',
                                'inschrijvingen', 'gevolgdeUren', 'examenresultaten',
                                'voortgangsgesprekken', 'participatieladder'])::text,
    vorm = 1;
