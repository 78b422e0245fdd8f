-- Every list back into the document, in volgorde order and in the form serde reads: camelCase keys,
-- numbers and booleans as JSON numbers and booleans, the lists of enums as arrays, NULL as null,
-- timestamps with the 'T' serde writes; `[]` for a person without items. (The subquery's ORDER BY
-- orders the aggregate: SQLite does not flatten an ordered subquery into an aggregate.)
UPDATE trajecten
SET data = json_set(data,
    '$.verlengingen', json((
        SELECT json_group_array(json_object(
            'id', id, 'maanden', maanden, 'grond', grond, 'datumBesluit', datum_besluit))
        FROM (SELECT * FROM verlengingen x
              WHERE x.inburgeraar_id = trajecten.inburgeraar_id ORDER BY volgorde))),
    '$.ontheffingen', json((
        SELECT json_group_array(json_object(
            'id', id, 'code', code, 'omvang', omvang, 'examenonderdelen', json(examenonderdelen),
            'datumBesluit', datum_besluit, 'datumEinde', datum_einde))
        FROM (SELECT * FROM besluiten x
              WHERE x.inburgeraar_id = trajecten.inburgeraar_id AND x.soort = 'ontheffing'
              ORDER BY volgorde))),
    '$.vrijstellingen', json((
        SELECT json_group_array(json_object(
            'id', id, 'code', code, 'omvang', omvang, 'examenonderdelen', json(examenonderdelen),
            'datumBesluit', datum_besluit, 'datumEinde', datum_einde))
        FROM (SELECT * FROM besluiten x
              WHERE x.inburgeraar_id = trajecten.inburgeraar_id AND x.soort = 'vrijstelling'
              ORDER BY volgorde))),
    '$.statushistorie', json((
        SELECT json_group_array(json_object(
            'gebeurtenis', gebeurtenis, 'van', van, 'naar', naar, 'datum', datum, 'reden', reden))
        FROM (SELECT * FROM statuswijzigingen x
              WHERE x.inburgeraar_id = trajecten.inburgeraar_id ORDER BY volgorde))),
    '$.inschrijvingen', json((
        SELECT json_group_array(json_object(
            'id', id, 'organisatieId', organisatie_id, 'soort', soort, 'omschrijving', omschrijving,
            'datumStart', datum_start, 'datumEinde', datum_einde, 'urenPerWeek', uren_per_week,
            'geregistreerdOp', replace(geregistreerd_op, ' ', 'T')))
        FROM (SELECT * FROM inschrijvingen x
              WHERE x.inburgeraar_id = trajecten.inburgeraar_id ORDER BY volgorde))),
    '$.gevolgdeUren', json((
        SELECT json_group_array(json_object(
            'id', id, 'organisatieId', organisatie_id, 'maand', maand, 'lesuren', lesuren,
            'lesurenBredeIntake', lesuren_brede_intake, 'participatieUren', participatie_uren,
            'verzuimUren', verzuim_uren, 'geregistreerdOp', replace(geregistreerd_op, ' ', 'T')))
        FROM (SELECT * FROM gevolgde_uren x
              WHERE x.inburgeraar_id = trajecten.inburgeraar_id ORDER BY volgorde))),
    '$.examenresultaten', json((
        SELECT json_group_array(json_object(
            'id', id, 'organisatieId', organisatie_id, 'onderdeel', onderdeel, 'niveau', niveau,
            'uitslag', uitslag, 'redenGeen', reden_geen, 'datumExamen', datum_examen, 'bron', bron,
            'conflictMetDuo', json(CASE WHEN conflict_met_duo THEN 'true' ELSE 'false' END),
            'geregistreerdOp', replace(geregistreerd_op, ' ', 'T')))
        FROM (SELECT * FROM examenresultaten x
              WHERE x.inburgeraar_id = trajecten.inburgeraar_id ORDER BY volgorde))),
    '$.voortgangsgesprekken', json((
        SELECT json_group_array(json_object(
            'id', id, 'datum', datum, 'deelnemers', json(deelnemers), 'uitkomst', uitkomst,
            'afspraken', afspraken, 'datumVolgendGepland', datum_volgend_gepland,
            'geregistreerdOp', replace(geregistreerd_op, ' ', 'T')))
        FROM (SELECT * FROM voortgangsgesprekken x
              WHERE x.inburgeraar_id = trajecten.inburgeraar_id ORDER BY volgorde))),
    '$.participatieladder', json((
        SELECT json_group_array(json_object(
            'id', id, 'datum', datum, 'trede', trede, 'toelichting', toelichting,
            'geregistreerdOp', replace(geregistreerd_op, ' ', 'T')))
        FROM (SELECT * FROM participatieladder_metingen x
              WHERE x.inburgeraar_id = trajecten.inburgeraar_id ORDER BY volgorde))));

ALTER TABLE trajecten DROP COLUMN vorm;

DROP TABLE participatieladder_metingen;
DROP TABLE voortgangsgesprekken;
DROP TABLE examenresultaten;
DROP TABLE gevolgde_uren;
DROP TABLE inschrijvingen;
DROP TABLE statuswijzigingen;
DROP TABLE besluiten;
DROP TABLE verlengingen;
