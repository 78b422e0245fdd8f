-- The appended history of a trajectory leaves the document: extensions, decisions (ontheffingen and
-- vrijstellingen in one table, told apart by `soort`), the status history, enrolments, hours per
-- month, exam results, voortgangsgesprekken and the participatieladder each get a table of their own.
-- The document was rewritten whole at every change and grew with every push; a push now adds a row.
--
-- Every row carries the person and `volgorde`, its position (from 0) in the person's list as the
-- document held it, so that ORDER BY volgorde gives the list back exactly (besluiten: the position in
-- the ontheffingen or the vrijstellingen). One real column per field of the item, named like the Rust
-- field; enums are the text of their serde form, a list of enums a JSON array as text, an Option a
-- NULL. Timestamps are stored as diesel stores them on SQLite: `YYYY-MM-DD HH:MM:SS.ffffff`, no 'T'.
--
-- `trajecten.vorm` is the form of the stored document: 1 = without the lists that moved here.
--
-- Not for a rolling update: nodes of the previous version cannot read a document without
-- `verlengingen`, `ontheffingen`, `vrijstellingen` and `statushistorie`. Stop them before migrating.
ALTER TABLE trajecten ADD COLUMN vorm INTEGER NOT NULL DEFAULT 1;

CREATE TABLE verlengingen (
    id TEXT PRIMARY KEY NOT NULL,
    inburgeraar_id TEXT NOT NULL REFERENCES inburgeraars (id),
    volgorde BIGINT NOT NULL,
    maanden BIGINT NOT NULL,
    grond TEXT NOT NULL,
    datum_besluit DATE NOT NULL
);
CREATE UNIQUE INDEX verlengingen_volgorde ON verlengingen (inburgeraar_id, volgorde);

CREATE TABLE besluiten (
    id TEXT PRIMARY KEY NOT NULL,
    inburgeraar_id TEXT NOT NULL REFERENCES inburgeraars (id),
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
    inburgeraar_id TEXT NOT NULL REFERENCES inburgeraars (id),
    volgorde BIGINT NOT NULL,
    gebeurtenis TEXT NOT NULL,
    van TEXT NOT NULL,
    naar TEXT NOT NULL,
    datum DATE NOT NULL,
    reden TEXT,
    PRIMARY KEY (inburgeraar_id, volgorde)
);

CREATE TABLE inschrijvingen (
    id TEXT PRIMARY KEY NOT NULL,
    inburgeraar_id TEXT NOT NULL REFERENCES inburgeraars (id),
    volgorde BIGINT NOT NULL,
    organisatie_id TEXT,
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
    id TEXT PRIMARY KEY NOT NULL,
    inburgeraar_id TEXT NOT NULL REFERENCES inburgeraars (id),
    volgorde BIGINT NOT NULL,
    organisatie_id TEXT,
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
    id TEXT PRIMARY KEY NOT NULL,
    inburgeraar_id TEXT NOT NULL REFERENCES inburgeraars (id),
    volgorde BIGINT NOT NULL,
    organisatie_id TEXT,
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
    id TEXT PRIMARY KEY NOT NULL,
    inburgeraar_id TEXT NOT NULL REFERENCES inburgeraars (id),
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
    id TEXT PRIMARY KEY NOT NULL,
    inburgeraar_id TEXT NOT NULL REFERENCES inburgeraars (id),
    volgorde BIGINT NOT NULL,
    datum DATE NOT NULL,
    trede BIGINT NOT NULL,
    toelichting TEXT,
    geregistreerd_op TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX participatieladder_metingen_volgorde ON participatieladder_metingen (inburgeraar_id, volgorde);

-- The data: every item of every stored document into its table. A key that older documents lack
-- (those with a serde default) yields no rows. json_extract gives JSON numbers as integers, true and
-- false as 1 and 0, and a nested array as its JSON text.
INSERT INTO verlengingen (id, inburgeraar_id, volgorde, maanden, grond, datum_besluit)
SELECT json_extract(e.value, '$.id'), t.inburgeraar_id, e.key,
       json_extract(e.value, '$.maanden'), json_extract(e.value, '$.grond'),
       json_extract(e.value, '$.datumBesluit')
FROM trajecten t, json_each(t.data, '$.verlengingen') e;

INSERT INTO besluiten (id, inburgeraar_id, soort, volgorde, code, omvang, examenonderdelen,
                       datum_besluit, datum_einde)
SELECT json_extract(e.value, '$.id'), t.inburgeraar_id, 'ontheffing', e.key,
       json_extract(e.value, '$.code'), json_extract(e.value, '$.omvang'),
       json_extract(e.value, '$.examenonderdelen'), json_extract(e.value, '$.datumBesluit'),
       json_extract(e.value, '$.datumEinde')
FROM trajecten t, json_each(t.data, '$.ontheffingen') e
UNION ALL
SELECT json_extract(e.value, '$.id'), t.inburgeraar_id, 'vrijstelling', e.key,
       json_extract(e.value, '$.code'), json_extract(e.value, '$.omvang'),
       json_extract(e.value, '$.examenonderdelen'), json_extract(e.value, '$.datumBesluit'),
       json_extract(e.value, '$.datumEinde')
FROM trajecten t, json_each(t.data, '$.vrijstellingen') e;

INSERT INTO statuswijzigingen (inburgeraar_id, volgorde, gebeurtenis, van, naar, datum, reden)
SELECT t.inburgeraar_id, e.key,
       json_extract(e.value, '$.gebeurtenis'), json_extract(e.value, '$.van'),
       json_extract(e.value, '$.naar'), json_extract(e.value, '$.datum'),
       json_extract(e.value, '$.reden')
FROM trajecten t, json_each(t.data, '$.statushistorie') e;

INSERT INTO inschrijvingen (id, inburgeraar_id, volgorde, organisatie_id, soort, omschrijving,
                            datum_start, datum_einde, uren_per_week, geregistreerd_op)
SELECT json_extract(e.value, '$.id'), t.inburgeraar_id, e.key,
       json_extract(e.value, '$.organisatieId'), json_extract(e.value, '$.soort'),
       json_extract(e.value, '$.omschrijving'), json_extract(e.value, '$.datumStart'),
       json_extract(e.value, '$.datumEinde'), json_extract(e.value, '$.urenPerWeek'),
       replace(json_extract(e.value, '$.geregistreerdOp'), 'T', ' ')
FROM trajecten t, json_each(t.data, '$.inschrijvingen') e;

INSERT INTO gevolgde_uren (id, inburgeraar_id, volgorde, organisatie_id, maand, lesuren,
                           lesuren_brede_intake, participatie_uren, verzuim_uren, geregistreerd_op)
SELECT json_extract(e.value, '$.id'), t.inburgeraar_id, e.key,
       json_extract(e.value, '$.organisatieId'), json_extract(e.value, '$.maand'),
       json_extract(e.value, '$.lesuren'), json_extract(e.value, '$.lesurenBredeIntake'),
       json_extract(e.value, '$.participatieUren'), json_extract(e.value, '$.verzuimUren'),
       replace(json_extract(e.value, '$.geregistreerdOp'), 'T', ' ')
FROM trajecten t, json_each(t.data, '$.gevolgdeUren') e;

INSERT INTO examenresultaten (id, inburgeraar_id, volgorde, organisatie_id, onderdeel, niveau, uitslag,
                              reden_geen, datum_examen, bron, conflict_met_duo, geregistreerd_op)
SELECT json_extract(e.value, '$.id'), t.inburgeraar_id, e.key,
       json_extract(e.value, '$.organisatieId'), json_extract(e.value, '$.onderdeel'),
       json_extract(e.value, '$.niveau'), json_extract(e.value, '$.uitslag'),
       json_extract(e.value, '$.redenGeen'), json_extract(e.value, '$.datumExamen'),
       json_extract(e.value, '$.bron'), json_extract(e.value, '$.conflictMetDuo'),
       replace(json_extract(e.value, '$.geregistreerdOp'), 'T', ' ')
FROM trajecten t, json_each(t.data, '$.examenresultaten') e;

INSERT INTO voortgangsgesprekken (id, inburgeraar_id, volgorde, datum, deelnemers, uitkomst, afspraken,
                                  datum_volgend_gepland, geregistreerd_op)
SELECT json_extract(e.value, '$.id'), t.inburgeraar_id, e.key,
       json_extract(e.value, '$.datum'), json_extract(e.value, '$.deelnemers'),
       json_extract(e.value, '$.uitkomst'), json_extract(e.value, '$.afspraken'),
       json_extract(e.value, '$.datumVolgendGepland'),
       replace(json_extract(e.value, '$.geregistreerdOp'), 'T', ' ')
FROM trajecten t, json_each(t.data, '$.voortgangsgesprekken') e;

INSERT INTO participatieladder_metingen (id, inburgeraar_id, volgorde, datum, trede, toelichting,
                                         geregistreerd_op)
SELECT json_extract(e.value, '$.id'), t.inburgeraar_id, e.key,
       json_extract(e.value, '$.datum'), json_extract(e.value, '$.trede'),
       json_extract(e.value, '$.toelichting'),
       replace(json_extract(e.value, '$.geregistreerdOp'), 'T', ' ')
FROM trajecten t, json_each(t.data, '$.participatieladder') e;

-- The moved lists leave the document.
UPDATE trajecten
SET data = json_remove(data, '$.verlengingen', '$.ontheffingen', '$.vrijstellingen', '$.statushistorie',
                       '$.inschrijvingen', '$.gevolgdeUren', '$.examenresultaten',
                       '$.voortgangsgesprekken', '$.participatieladder'),
    vorm = 1;
