-- Every list back into the document, in volgorde order and in the form serde reads: camelCase keys,
-- numbers and booleans as JSON numbers and booleans, the lists of enums as arrays, NULL as null, dates
-- as YYYY-MM-DD; `[]` for a person without items. Timestamps as chrono writes them: no fraction when it
-- is zero, else milliseconds or microseconds, whichever is exact (PostgreSQL's own JSON form of a
-- timestamp drops trailing zeros, which chrono reads but does not write).
UPDATE trajecten t
SET data = (t.data::jsonb || jsonb_build_object(
        'verlengingen', COALESCE((
            SELECT jsonb_agg(jsonb_build_object(
                'id', x.id,
                'maanden', x.maanden,
                'grond', x.grond,
                'datumBesluit', x.datum_besluit) ORDER BY x.volgorde)
            FROM verlengingen x WHERE x.inburgeraar_id = t.inburgeraar_id), '[]'::jsonb),
        'ontheffingen', COALESCE((
            SELECT jsonb_agg(jsonb_build_object(
                'id', x.id,
                'code', x.code,
                'omvang', x.omvang,
                'examenonderdelen', x.examenonderdelen::jsonb,
                'datumBesluit', x.datum_besluit,
                'datumEinde', x.datum_einde) ORDER BY x.volgorde)
            FROM besluiten x WHERE x.inburgeraar_id = t.inburgeraar_id AND x.soort = 'ontheffing'), '[]'::jsonb),
        'vrijstellingen', COALESCE((
            SELECT jsonb_agg(jsonb_build_object(
                'id', x.id,
                'code', x.code,
                'omvang', x.omvang,
                'examenonderdelen', x.examenonderdelen::jsonb,
                'datumBesluit', x.datum_besluit,
                'datumEinde', x.datum_einde) ORDER BY x.volgorde)
            FROM besluiten x WHERE x.inburgeraar_id = t.inburgeraar_id AND x.soort = 'vrijstelling'), '[]'::jsonb),
        'statushistorie', COALESCE((
            SELECT jsonb_agg(jsonb_build_object(
                'gebeurtenis', x.gebeurtenis,
                'van', x.van,
                'naar', x.naar,
                'datum', x.datum,
                'reden', x.reden) ORDER BY x.volgorde)
            FROM statuswijzigingen x WHERE x.inburgeraar_id = t.inburgeraar_id), '[]'::jsonb),
        'inschrijvingen', COALESCE((
            SELECT jsonb_agg(jsonb_build_object(
                'id', x.id,
                'organisatieId', x.organisatie_id,
                'soort', x.soort,
                'omschrijving', x.omschrijving,
                'datumStart', x.datum_start,
                'datumEinde', x.datum_einde,
                'urenPerWeek', x.uren_per_week,
                'geregistreerdOp', to_char(x.geregistreerd_op, CASE
                    WHEN extract(microseconds FROM x.geregistreerd_op)::bigint % 1000000 = 0 THEN 'YYYY-MM-DD"T"HH24:MI:SS'
                    WHEN extract(microseconds FROM x.geregistreerd_op)::bigint % 1000 = 0 THEN 'YYYY-MM-DD"T"HH24:MI:SS.MS'
                    ELSE 'YYYY-MM-DD"T"HH24:MI:SS.US' END)) ORDER BY x.volgorde)
            FROM inschrijvingen x WHERE x.inburgeraar_id = t.inburgeraar_id), '[]'::jsonb),
        'gevolgdeUren', COALESCE((
            SELECT jsonb_agg(jsonb_build_object(
                'id', x.id,
                'organisatieId', x.organisatie_id,
                'maand', x.maand,
                'lesuren', x.lesuren,
                'lesurenBredeIntake', x.lesuren_brede_intake,
                'participatieUren', x.participatie_uren,
                'verzuimUren', x.verzuim_uren,
                'geregistreerdOp', to_char(x.geregistreerd_op, CASE
                    WHEN extract(microseconds FROM x.geregistreerd_op)::bigint % 1000000 = 0 THEN 'YYYY-MM-DD"T"HH24:MI:SS'
                    WHEN extract(microseconds FROM x.geregistreerd_op)::bigint % 1000 = 0 THEN 'YYYY-MM-DD"T"HH24:MI:SS.MS'
                    ELSE 'YYYY-MM-DD"T"HH24:MI:SS.US' END)) ORDER BY x.volgorde)
            FROM gevolgde_uren x WHERE x.inburgeraar_id = t.inburgeraar_id), '[]'::jsonb),
        'examenresultaten', COALESCE((
            SELECT jsonb_agg(jsonb_build_object(
                'id', x.id,
                'organisatieId', x.organisatie_id,
                'onderdeel', x.onderdeel,
                'niveau', x.niveau,
                'uitslag', x.uitslag,
                'redenGeen', x.reden_geen,
                'datumExamen', x.datum_examen,
                'bron', x.bron,
                'conflictMetDuo', x.conflict_met_duo,
                'geregistreerdOp', to_char(x.geregistreerd_op, CASE
                    WHEN extract(microseconds FROM x.geregistreerd_op)::bigint % 1000000 = 0 THEN 'YYYY-MM-DD"T"HH24:MI:SS'
                    WHEN extract(microseconds FROM x.geregistreerd_op)::bigint % 1000 = 0 THEN 'YYYY-MM-DD"T"HH24:MI:SS.MS'
                    ELSE 'YYYY-MM-DD"T"HH24:MI:SS.US' END)) ORDER BY x.volgorde)
            FROM examenresultaten x WHERE x.inburgeraar_id = t.inburgeraar_id), '[]'::jsonb),
        'voortgangsgesprekken', COALESCE((
            SELECT jsonb_agg(jsonb_build_object(
                'id', x.id,
                'datum', x.datum,
                'deelnemers', x.deelnemers::jsonb,
                'uitkomst', x.uitkomst,
                'afspraken', x.afspraken,
                'datumVolgendGepland', x.datum_volgend_gepland,
                'geregistreerdOp', to_char(x.geregistreerd_op, CASE
                    WHEN extract(microseconds FROM x.geregistreerd_op)::bigint % 1000000 = 0 THEN 'YYYY-MM-DD"T"HH24:MI:SS'
                    WHEN extract(microseconds FROM x.geregistreerd_op)::bigint % 1000 = 0 THEN 'YYYY-MM-DD"T"HH24:MI:SS.MS'
                    ELSE 'YYYY-MM-DD"T"HH24:MI:SS.US' END)) ORDER BY x.volgorde)
            FROM voortgangsgesprekken x WHERE x.inburgeraar_id = t.inburgeraar_id), '[]'::jsonb),
        'participatieladder', COALESCE((
            SELECT jsonb_agg(jsonb_build_object(
                'id', x.id,
                'datum', x.datum,
                'trede', x.trede,
                'toelichting', x.toelichting,
                'geregistreerdOp', to_char(x.geregistreerd_op, CASE
                    WHEN extract(microseconds FROM x.geregistreerd_op)::bigint % 1000000 = 0 THEN 'YYYY-MM-DD"T"HH24:MI:SS'
                    WHEN extract(microseconds FROM x.geregistreerd_op)::bigint % 1000 = 0 THEN 'YYYY-MM-DD"T"HH24:MI:SS.MS'
                    ELSE 'YYYY-MM-DD"T"HH24:MI:SS.US' END)) ORDER BY x.volgorde)
            FROM participatieladder_metingen x WHERE x.inburgeraar_id = t.inburgeraar_id), '[]'::jsonb)
    ))::text;

ALTER TABLE trajecten DROP COLUMN vorm;

DROP TABLE participatieladder_metingen;
DROP TABLE voortgangsgesprekken;
DROP TABLE examenresultaten;
DROP TABLE gevolgde_uren;
DROP TABLE inschrijvingen;
DROP TABLE statuswijzigingen;
DROP TABLE besluiten;
DROP TABLE verlengingen;
