//! The tables, mirrored by hand from `migrations/{sqlite,postgres}`. Only types that both backends share
//! through `MultiConnection` are used: Text, BigInt, Integer, Bool, Date, Timestamp.

diesel::table! {
    inburgeraars (id) {
        id -> Text,
        bsn -> Nullable<Text>,
        v_nummer -> Nullable<Text>,
        naam -> Text,
        geboortedatum -> Nullable<Date>,
        gemeente -> Text,
        doelgroep -> Text,
        regime -> Text,
        datum_kennisgeving -> Nullable<Date>,
        datum_vestiging -> Nullable<Date>,
        status -> Text,
        versie -> BigInt,
        aangemaakt_op -> Timestamp,
        gewijzigd_op -> Timestamp,
    }
}

diesel::table! {
    audit_entries (id) {
        id -> Text,
        inburgeraar_id -> Text,
        resource -> Text,
        resource_id -> Text,
        actie -> Text,
        client -> Text,
        gebruiker -> Nullable<Text>,
        oude_waarde -> Nullable<Text>,
        nieuwe_waarde -> Nullable<Text>,
        tijdstip -> Timestamp,
        request_id -> Text,
    }
}

diesel::table! {
    verwerkingen (id) {
        id -> Text,
        trace_id -> Text,
        span_id -> Text,
        activiteit_id -> Text,
        activiteit_naam -> Text,
        betrokkene -> Text,
        status -> Text,
        client -> Text,
        gebruiker -> Nullable<Text>,
        organisatie -> Nullable<Text>,
        start_tijd -> Timestamp,
        eind_tijd -> Timestamp,
        toestemming_id -> Nullable<Text>,
    }
}

diesel::table! {
    idempotentie_sleutels (client, sleutel) {
        client -> Text,
        sleutel -> Text,
        request_hash -> Text,
        status -> Integer,
        location -> Nullable<Text>,
        body -> Text,
        aangemaakt_op -> Timestamp,
    }
}

diesel::table! {
    idempotente_antwoorden (client, bevoegdheid, sleutel) {
        client -> Text,
        bevoegdheid -> Text,
        sleutel -> Text,
        request_hash -> Text,
        inburgeraar_id -> Nullable<Text>,
        activiteit -> Nullable<Text>,
        status -> Integer,
        location -> Nullable<Text>,
        body -> Text,
        aangemaakt_op -> Timestamp,
    }
}

diesel::joinable!(audit_entries -> inburgeraars (inburgeraar_id));
diesel::table! {
    trajecten (inburgeraar_id) {
        inburgeraar_id -> Text,
        versie -> BigInt,
        data -> Text,
        gewijzigd_op -> Timestamp,
        /// The form of the stored document: 1 = without the lists kept in the tables below.
        vorm -> Integer,
    }
}

diesel::joinable!(trajecten -> inburgeraars (inburgeraar_id));

diesel::table! {
    gemeente_instellingen (gemeente) {
        gemeente -> Text,
        data -> Text,
        gewijzigd_op -> Timestamp,
    }
}

diesel::table! {
    organisaties (id) {
        id -> Text,
        naam -> Text,
        soort -> Text,
        actief -> Bool,
        data -> Text,
        aangemaakt_op -> Timestamp,
        gewijzigd_op -> Timestamp,
    }
}

diesel::table! {
    toestemmingen (id) {
        id -> Text,
        inburgeraar_id -> Text,
        organisatie_id -> Text,
        grondslag -> Text,
        van_kracht -> Bool,
        geldig_van -> Date,
        geldig_tot -> Nullable<Date>,
        data -> Text,
        aangemaakt_op -> Timestamp,
        gewijzigd_op -> Timestamp,
    }
}

diesel::table! {
    toestemming_categorieen (toestemming_id, categorie) {
        toestemming_id -> Text,
        categorie -> Text,
    }
}

diesel::joinable!(toestemmingen -> organisaties (organisatie_id));
diesel::table! {
    toestemming_doelen (toestemming_id, doel) {
        toestemming_id -> Text,
        doel -> Text,
    }
}

diesel::joinable!(toestemming_categorieen -> toestemmingen (toestemming_id));
diesel::joinable!(toestemming_doelen -> toestemmingen (toestemming_id));

diesel::table! {
    gebeurtenissen (volgnummer) {
        volgnummer -> BigInt,
        id -> Text,
        soort -> Text,
        url -> Text,
        inburgeraar_id -> Nullable<Text>,
        gemeente -> Nullable<Text>,
        organisatie_id -> Nullable<Text>,
        tijdstip -> Timestamp,
        request_id -> Text,
    }
}

// The appended history of a trajectory, one table per list of `Traject`; `volgorde` is the item's
// position in the person's list (from 0), so ORDER BY volgorde gives the list back.

diesel::table! {
    verlengingen (id) {
        id -> Text,
        inburgeraar_id -> Text,
        volgorde -> BigInt,
        maanden -> BigInt,
        grond -> Text,
        datum_besluit -> Date,
    }
}

diesel::table! {
    /// Ontheffingen and vrijstellingen, told apart by `soort`; `volgorde` counts within the soort.
    besluiten (id) {
        id -> Text,
        inburgeraar_id -> Text,
        soort -> Text,
        volgorde -> BigInt,
        code -> Text,
        omvang -> Text,
        /// A JSON array of examenonderdelen.
        examenonderdelen -> Text,
        datum_besluit -> Date,
        datum_einde -> Nullable<Date>,
    }
}

diesel::table! {
    statuswijzigingen (inburgeraar_id, volgorde) {
        inburgeraar_id -> Text,
        volgorde -> BigInt,
        gebeurtenis -> Text,
        van -> Text,
        naar -> Text,
        datum -> Date,
        reden -> Nullable<Text>,
    }
}

diesel::table! {
    inschrijvingen (id) {
        id -> Text,
        inburgeraar_id -> Text,
        volgorde -> BigInt,
        organisatie_id -> Nullable<Text>,
        soort -> Text,
        omschrijving -> Text,
        datum_start -> Date,
        datum_einde -> Nullable<Date>,
        uren_per_week -> BigInt,
        geregistreerd_op -> Timestamp,
    }
}

diesel::table! {
    gevolgde_uren (id) {
        id -> Text,
        inburgeraar_id -> Text,
        volgorde -> BigInt,
        organisatie_id -> Nullable<Text>,
        maand -> Date,
        lesuren -> BigInt,
        lesuren_brede_intake -> BigInt,
        participatie_uren -> BigInt,
        verzuim_uren -> BigInt,
        geregistreerd_op -> Timestamp,
    }
}

diesel::table! {
    examenresultaten (id) {
        id -> Text,
        inburgeraar_id -> Text,
        volgorde -> BigInt,
        organisatie_id -> Nullable<Text>,
        onderdeel -> Text,
        niveau -> Text,
        uitslag -> Text,
        reden_geen -> Nullable<Text>,
        datum_examen -> Date,
        bron -> Text,
        conflict_met_duo -> Bool,
        geregistreerd_op -> Timestamp,
    }
}

diesel::table! {
    voortgangsgesprekken (id) {
        id -> Text,
        inburgeraar_id -> Text,
        volgorde -> BigInt,
        datum -> Date,
        /// A JSON array of deelnemers.
        deelnemers -> Text,
        uitkomst -> Text,
        afspraken -> Nullable<Text>,
        datum_volgend_gepland -> Nullable<Date>,
        geregistreerd_op -> Timestamp,
    }
}

diesel::table! {
    participatieladder_metingen (id) {
        id -> Text,
        inburgeraar_id -> Text,
        volgorde -> BigInt,
        datum -> Date,
        trede -> BigInt,
        toelichting -> Nullable<Text>,
        geregistreerd_op -> Timestamp,
    }
}

diesel::joinable!(verlengingen -> inburgeraars (inburgeraar_id));
diesel::joinable!(besluiten -> inburgeraars (inburgeraar_id));
diesel::joinable!(statuswijzigingen -> inburgeraars (inburgeraar_id));
diesel::joinable!(inschrijvingen -> inburgeraars (inburgeraar_id));
diesel::joinable!(gevolgde_uren -> inburgeraars (inburgeraar_id));
diesel::joinable!(examenresultaten -> inburgeraars (inburgeraar_id));
diesel::joinable!(voortgangsgesprekken -> inburgeraars (inburgeraar_id));
diesel::joinable!(participatieladder_metingen -> inburgeraars (inburgeraar_id));

diesel::table! {
    /// The worklist's due-date projection (migration 9).
    signaleringsdatums (inburgeraar_id, nummer) {
        inburgeraar_id -> Text,
        nummer -> Integer,
        gemeente -> Text,
        soort -> Text,
        rang -> Integer,
        datum -> Nullable<Date>,
        hooguit_vandaag -> Bool,
        vanaf -> Nullable<Date>,
        tot -> Nullable<Date>,
    }
}

diesel::joinable!(signaleringsdatums -> inburgeraars (inburgeraar_id));

diesel::table! {
    abonnementen (id) {
        id -> Text,
        callback_url -> Text,
        soorten -> Text,
        gemeenten -> Text,
        eigenaar -> Text,
        bevoegdheid -> Text,
        geheimen -> Text,
        status -> Text,
        positie -> BigInt,
        pogingen -> Integer,
        volgende_poging -> Nullable<Timestamp>,
        laatste_fout -> Nullable<Text>,
        geclaimd_door -> Nullable<Text>,
        geclaimd_tot -> Nullable<Timestamp>,
        aangemaakt_op -> Timestamp,
        gewijzigd_op -> Timestamp,
    }
}

diesel::table! {
    afleveringen (id) {
        id -> Text,
        abonnement_id -> Text,
        volgnummer -> BigInt,
        gebeurtenis_id -> Text,
        tijdstip -> Timestamp,
        statuscode -> Nullable<Integer>,
        fout -> Nullable<Text>,
        duur_ms -> Integer,
        geslaagd -> Bool,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    signaleringsdatums,
    gebeurtenissen,
    inburgeraars,
    audit_entries,
    verwerkingen,
    idempotentie_sleutels,
    idempotente_antwoorden,
    trajecten,
    organisaties,
    toestemmingen,
    toestemming_categorieen,
    toestemming_doelen,
    gemeente_instellingen,
    verlengingen,
    besluiten,
    statuswijzigingen,
    inschrijvingen,
    gevolgde_uren,
    examenresultaten,
    voortgangsgesprekken,
    participatieladder_metingen,
);
