//! The tables, mirrored by hand from `migrations/{sqlite,postgres}`. Only types that both backends share
//! through `MultiConnection` are used: Text, BigInt, Integer, Date, Timestamp.

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

diesel::allow_tables_to_appear_in_same_query!(
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
);
