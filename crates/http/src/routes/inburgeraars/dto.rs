//! The shapes of inburgeraars on the wire, and how bodies are read into domain input.

use crate::body::Fields;
use crate::schemas;
use chrono::{DateTime, NaiveDate, Utc};
use koers_domain::inburgeraar::{Inburgeraar, InburgeraarInput};
use koers_domain::FieldErrors;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;
use uuid::Uuid;

/// Gegevens om een inburgeraar te registreren. Geef een `bsn`, een `vNummer` of beide.
#[derive(Debug, Deserialize, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the body; bodies are read field by field so that every invalid field is reported"
)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({
    "bsn": "123456782",
    "naam": "Amal Haddad",
    "geboortedatum": "1994-03-12",
    "gemeente": "0405",
    "doelgroep": "Asielstatushouder",
    "regime": "WI2021",
    "datumKennisgeving": "2026-09-01",
    "datumVestiging": "2026-09-15"
}))]
pub struct InburgeraarAanmaken {
    /// Burgerservicenummer: negen cijfers die aan de elfproef voldoen.
    #[schema(pattern = "^[0-9]{9}$", example = "123456782")]
    pub bsn: Option<String>,
    /// V-nummer (vreemdelingennummer) van tien cijfers. DUO voert dit als geheel getal; Koers als tekst,
    /// zodat voorloopnullen blijven staan.
    #[schema(pattern = "^[0-9]{10}$", example = "1234567890")]
    pub v_nummer: Option<String>,
    /// Naam van de inburgeraar.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = "\\S",
        example = "Amal Haddad"
    )]
    pub naam: String,
    /// Geboortedatum; niet in de toekomst.
    pub geboortedatum: Option<NaiveDate>,
    /// CBS-gemeentecode (vier cijfers) van een gemeente waarvoor het token optreedt.
    #[schema(pattern = "^[0-9]{4}$", example = "0405")]
    pub gemeente: String,
    #[schema(schema_with = schemas::doelgroep)]
    pub doelgroep: String,
    #[schema(schema_with = schemas::regime_of_null)]
    pub regime: Option<String>,
    /// Datum van de kennisgeving van DUO dat de inburgeringsplicht is gestart; niet in de toekomst.
    pub datum_kennisgeving: Option<NaiveDate>,
    /// Datum van vestiging in de gemeente (inschrijving in de BRP); niet in de toekomst.
    pub datum_vestiging: Option<NaiveDate>,
}

/// Wijzigingen aan een inburgeraar (JSON Merge Patch, RFC 7396): weggelaten velden blijven staan, `null`
/// maakt een optioneel veld leeg.
#[derive(Debug, Deserialize, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the body; bodies are read field by field so that every invalid field is reported"
)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"naam": "Amal Haddad-Saleh", "datumVestiging": "2026-10-01"}))]
pub struct InburgeraarWijzigen {
    /// Burgerservicenummer; `null` verwijdert het (er moet dan een V-nummer zijn).
    #[schema(pattern = "^[0-9]{9}$")]
    pub bsn: Option<String>,
    /// V-nummer; `null` verwijdert het (er moet dan een BSN zijn).
    #[schema(pattern = "^[0-9]{10}$")]
    pub v_nummer: Option<String>,
    /// Naam; kan niet leeg worden gemaakt.
    #[schema(min_length = 1, max_length = 200, pattern = "\\S", nullable = false)]
    pub naam: Option<String>,
    /// Geboortedatum.
    pub geboortedatum: Option<NaiveDate>,
    /// Nieuwe gemeente (verhuizing binnen de gemeenten van het token).
    #[schema(pattern = "^[0-9]{4}$", nullable = false)]
    pub gemeente: Option<String>,
    #[schema(schema_with = schemas::doelgroep)]
    pub doelgroep: Option<String>,
    #[schema(schema_with = schemas::regime)]
    pub regime: Option<String>,
    /// Datum van de kennisgeving van DUO.
    pub datum_kennisgeving: Option<NaiveDate>,
    /// Datum van vestiging in de gemeente.
    pub datum_vestiging: Option<NaiveDate>,
}

/// Een inburgeraar zoeken op BSN of V-nummer (precies een van beide). Persoonsnummers staan nooit in
/// een URL.
#[derive(Debug, Deserialize, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the body; bodies are read field by field so that every invalid field is reported"
)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"bsn": "123456782"}))]
pub struct InburgeraarZoekvraag {
    /// Burgerservicenummer.
    #[schema(pattern = "^[0-9]{9}$")]
    pub bsn: Option<String>,
    /// V-nummer.
    #[schema(pattern = "^[0-9]{10}$")]
    pub v_nummer: Option<String>,
}

/// Een inburgeraar zoals Koers die vastlegt.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Inburgeraar, example = json!({
    "id": "019a6d2e-7c4b-7e3a-9d1f-2b3c4d5e6f70",
    "bsn": "123456782",
    "vNummer": null,
    "naam": "Amal Haddad",
    "geboortedatum": "1994-03-12",
    "gemeente": "0405",
    "doelgroep": "Asielstatushouder",
    "regime": "WI2021",
    "datumKennisgeving": "2026-09-01",
    "datumVestiging": "2026-09-15",
    "status": "aangemeld",
    "versie": 1,
    "tijdstipRegistratie": "2026-11-23T10:15:00Z",
    "tijdstipLaatsteWijziging": "2026-11-23T10:15:00Z"
}))]
pub struct InburgeraarResource {
    /// Unieke identificatie in Koers (UUID).
    pub id: Uuid,
    /// Burgerservicenummer.
    #[schema(pattern = "^[0-9]{9}$")]
    pub bsn: Option<String>,
    /// V-nummer.
    #[schema(pattern = "^[0-9]{10}$")]
    pub v_nummer: Option<String>,
    /// Naam.
    pub naam: String,
    /// Geboortedatum.
    pub geboortedatum: Option<NaiveDate>,
    /// CBS-gemeentecode van de gemeente die verantwoordelijk is.
    #[schema(pattern = "^[0-9]{4}$")]
    pub gemeente: String,
    #[schema(schema_with = schemas::doelgroep)]
    pub doelgroep: String,
    #[schema(schema_with = schemas::regime)]
    pub regime: String,
    /// Datum van de kennisgeving van DUO.
    pub datum_kennisgeving: Option<NaiveDate>,
    /// Datum van vestiging in de gemeente.
    pub datum_vestiging: Option<NaiveDate>,
    #[schema(schema_with = schemas::status)]
    pub status: String,
    /// Versienummer; ook de `ETag`. Stuur het mee in `If-Match` bij een wijziging.
    #[schema(minimum = 1)]
    pub versie: i64,
    /// Moment van registratie (UTC).
    pub tijdstip_registratie: DateTime<Utc>,
    /// Moment van de laatste wijziging (UTC).
    pub tijdstip_laatste_wijziging: DateTime<Utc>,
}

impl From<&Inburgeraar> for InburgeraarResource {
    fn from(person: &Inburgeraar) -> Self {
        Self {
            id: person.id.0,
            bsn: person.bsn.as_ref().map(|b| b.as_str().to_owned()),
            v_nummer: person.v_nummer.clone(),
            naam: person.naam.clone(),
            geboortedatum: person.geboortedatum,
            gemeente: person.gemeente.as_str().to_owned(),
            doelgroep: person.doelgroep.as_str().to_owned(),
            regime: person.regime.as_str().to_owned(),
            datum_kennisgeving: person.datum_kennisgeving,
            datum_vestiging: person.datum_vestiging,
            status: person.status.as_str().to_owned(),
            versie: person.versie,
            tijdstip_registratie: person.aangemaakt_op.and_utc(),
            tijdstip_laatste_wijziging: person.gewijzigd_op.and_utc(),
        }
    }
}

/// Een pagina inburgeraars.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InburgeraarLijst {
    /// De inburgeraars op deze pagina, in vaste volgorde (van oud naar nieuw geregistreerd).
    pub resultaten: Vec<InburgeraarResource>,
    /// URL van de volgende pagina (ook in de `Link`-header), of `null` op de laatste pagina.
    #[schema(format = "uri-reference")]
    pub volgende_pagina: Option<String>,
}

/// The ETag of a version.
pub fn etag(versie: i64) -> String {
    format!("\"{versie}\"")
}

/// Reads the fields of an inburgeraar body: for a registration and for a merge patch alike.
pub fn read_input(object: Map<String, Value>) -> (InburgeraarInput, FieldErrors) {
    let mut fields = Fields::new(object);
    fields.read_only(&[
        "id",
        "status",
        "versie",
        "tijdstipRegistratie",
        "tijdstipLaatsteWijziging",
    ]);
    let input = InburgeraarInput {
        bsn: fields.string("bsn"),
        v_nummer: fields.string("vNummer"),
        naam: fields.string("naam"),
        geboortedatum: fields.string("geboortedatum"),
        gemeente: fields.string("gemeente"),
        doelgroep: fields.string("doelgroep"),
        regime: fields.string("regime"),
        datum_kennisgeving: fields.string("datumKennisgeving"),
        datum_vestiging: fields.string("datumVestiging"),
    };
    (input, fields.finish())
}
