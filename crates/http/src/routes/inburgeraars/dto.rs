//! The shapes of inburgeraars on the wire: each body one type, its schema, reader and judge at once.

use crate::body::{properties_of, RequestBody};
use crate::schemas;
use chrono::{DateTime, NaiveDate, Utc};
use koers_domain::inburgeraar::{
    Doelgroep, Inburgeraar, InburgeraarGegevens, InburgeraarStatus, Regime,
};
use koers_domain::input::Input;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Gegevens om een inburgeraar te registreren. Geef een `bsn`, een `vNummer` of beide (zonder een van
/// beide: 400 op `bsn`).
#[derive(Debug, Deserialize, ToSchema)]
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
        required = true,
        nullable = false,
        min_length = 1,
        max_length = 200,
        pattern = "\\S",
        example = "Amal Haddad"
    )]
    pub naam: Option<String>,
    /// Geboortedatum; niet in de toekomst.
    pub geboortedatum: Option<NaiveDate>,
    /// CBS-gemeentecode (vier cijfers) van een gemeente waarvoor het token optreedt.
    #[schema(
        required = true,
        nullable = false,
        pattern = "^[0-9]{4}$",
        example = "0405"
    )]
    pub gemeente: Option<String>,
    #[schema(value_type = schemas::Doelgroep, required = true)]
    pub doelgroep: Option<Doelgroep>,
    /// Wettelijk regime; zonder waarde `WI2021`.
    #[schema(value_type = Option<schemas::Regime>)]
    pub regime: Option<Regime>,
    /// Datum van de kennisgeving van DUO dat de inburgeringsplicht is gestart; niet in de toekomst.
    pub datum_kennisgeving: Option<NaiveDate>,
    /// Datum van vestiging in de gemeente (inschrijving in de BRP); niet in de toekomst.
    pub datum_vestiging: Option<NaiveDate>,
}

impl RequestBody for InburgeraarAanmaken {
    fn server_set() -> Vec<String> {
        properties_of::<InburgeraarResource>()
    }
}

impl From<InburgeraarAanmaken> for InburgeraarGegevens {
    fn from(body: InburgeraarAanmaken) -> Self {
        Self {
            bsn: body.bsn.into(),
            v_nummer: body.v_nummer.into(),
            naam: body.naam.into(),
            geboortedatum: body.geboortedatum.into(),
            gemeente: body.gemeente.into(),
            doelgroep: body.doelgroep.into(),
            regime: body.regime.into(),
            datum_kennisgeving: body.datum_kennisgeving.into(),
            datum_vestiging: body.datum_vestiging.into(),
        }
    }
}

/// Wijzigingen aan een inburgeraar (JSON Merge Patch, RFC 7396): weggelaten velden blijven staan, `null`
/// maakt een optioneel veld leeg.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"naam": "Amal Haddad-Saleh", "datumVestiging": "2026-10-01"}))]
pub struct InburgeraarWijzigen {
    /// Burgerservicenummer; `null` verwijdert het (er moet dan een V-nummer zijn).
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^[0-9]{9}$")]
    pub bsn: Input<String>,
    /// V-nummer; `null` verwijdert het (er moet dan een BSN zijn).
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^[0-9]{10}$")]
    pub v_nummer: Input<String>,
    /// Naam; kan niet leeg worden gemaakt.
    #[serde(default)]
    #[schema(value_type = String, required = false, min_length = 1, max_length = 200, pattern = "\\S")]
    pub naam: Input<String>,
    /// Geboortedatum.
    #[serde(default)]
    #[schema(value_type = Option<NaiveDate>)]
    pub geboortedatum: Input<NaiveDate>,
    /// Nieuwe gemeente (verhuizing binnen de gemeenten van het token).
    #[serde(default)]
    #[schema(value_type = String, required = false, pattern = "^[0-9]{4}$")]
    pub gemeente: Input<String>,
    #[serde(default)]
    #[schema(value_type = schemas::Doelgroep, required = false)]
    pub doelgroep: Input<Doelgroep>,
    #[serde(default)]
    #[schema(value_type = schemas::Regime, required = false)]
    pub regime: Input<Regime>,
    /// Datum van de kennisgeving van DUO.
    #[serde(default)]
    #[schema(value_type = Option<NaiveDate>)]
    pub datum_kennisgeving: Input<NaiveDate>,
    /// Datum van vestiging in de gemeente.
    #[serde(default)]
    #[schema(value_type = Option<NaiveDate>)]
    pub datum_vestiging: Input<NaiveDate>,
}

impl RequestBody for InburgeraarWijzigen {
    fn server_set() -> Vec<String> {
        properties_of::<InburgeraarResource>()
    }
}

impl From<InburgeraarWijzigen> for InburgeraarGegevens {
    fn from(body: InburgeraarWijzigen) -> Self {
        Self {
            bsn: body.bsn,
            v_nummer: body.v_nummer,
            naam: body.naam,
            geboortedatum: body.geboortedatum,
            gemeente: body.gemeente,
            doelgroep: body.doelgroep,
            regime: body.regime,
            datum_kennisgeving: body.datum_kennisgeving,
            datum_vestiging: body.datum_vestiging,
        }
    }
}

/// Een inburgeraar zoeken op BSN of V-nummer: precies een van beide (anders 400). Persoonsnummers
/// staan nooit in een URL.
#[derive(Debug, Deserialize, ToSchema)]
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

impl RequestBody for InburgeraarZoekvraag {}

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
    #[schema(value_type = schemas::Doelgroep)]
    pub doelgroep: Doelgroep,
    #[schema(value_type = schemas::Regime)]
    pub regime: Regime,
    /// Datum van de kennisgeving van DUO.
    pub datum_kennisgeving: Option<NaiveDate>,
    /// Datum van vestiging in de gemeente.
    pub datum_vestiging: Option<NaiveDate>,
    #[schema(value_type = schemas::InburgeraarStatus)]
    pub status: InburgeraarStatus,
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
            doelgroep: person.doelgroep,
            regime: person.regime,
            datum_kennisgeving: person.datum_kennisgeving,
            datum_vestiging: person.datum_vestiging,
            status: person.status,
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
