//! The shapes of organisaties and toestemmingen on the wire.

use chrono::{DateTime, NaiveDate, Utc};
use koers_domain::partner::{
    Doel, Gegevenscategorie, Grondslag, Kanaal, Organisatie, OrganisatieSoort, Toestemming,
    ToestemmingGebeurtenis,
};
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::RefOr;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::schemas::values;

fn soort() -> RefOr<Schema> {
    values(
        OrganisatieSoort::ALL.iter().map(|v| v.as_str()).collect(),
        "Soort organisatie.",
    )
}

fn grondslag() -> RefOr<Schema> {
    values(
        Grondslag::ALL.iter().map(|v| v.as_str()).collect(),
        "AVG-grondslag: art. 6 lid 1 onder a (TOESTEMMING), c (WETTELIJKE_VERPLICHTING), e (PUBLIEKE_TAAK), b (OVEREENKOMST); art. 9 lid 2 onder a (UITDRUKKELIJKE_TOESTEMMING_ART9), verplicht voor gezondheidsgegevens.",
    )
}

fn status() -> RefOr<Schema> {
    values(
        ToestemmingGebeurtenis::ALL.iter().map(|v| v.as_str()).collect(),
        "Stand van de toestemming: GEGEVEN (van kracht binnen de geldigheid), INGETROKKEN, VERLOPEN of GEWEIGERD.",
    )
}

fn enum_lijst(values: Vec<&'static str>, description: &str) -> RefOr<Schema> {
    let example = values.first().copied().unwrap_or_default();
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(SchemaType::Type(Type::String))
                .enum_values(Some(values)),
        )
        .min_items(Some(1))
        .unique_items(true)
        .description(Some(description))
        .examples([serde_json::json!([example])])
        .into()
}

fn doelen() -> RefOr<Schema> {
    enum_lijst(
        Doel::ALL.iter().map(|v| v.as_str()).collect(),
        "Doelen waarvoor gedeeld mag worden.",
    )
}

fn categorieen() -> RefOr<Schema> {
    enum_lijst(
        Gegevenscategorie::ALL.iter().map(|v| v.as_str()).collect(),
        "Gegevenscategorieën; GEZONDHEID alleen met UITDRUKKELIJKE_TOESTEMMING_ART9.",
    )
}

fn kanaal() -> RefOr<Schema> {
    values(
        Kanaal::ALL.iter().map(|v| v.as_str()).collect(),
        "Hoe de toestemming is vastgelegd.",
    )
}

/// Een partnerorganisatie registreren.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "documents the body; bodies are read field by field so that every invalid field is reported"
)]
#[schema(example = json!({"naam": "Taalschool West-Friesland", "soort": "TAALAANBIEDER", "kvkNummer": "12345678", "keurmerkNummer": "BOW-2024-0815", "keurmerkGeldigTot": "2027-06-30"}))]
pub struct OrganisatieAanmaken {
    /// Naam.
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub naam: String,
    #[schema(schema_with = soort)]
    pub soort: String,
    /// KvK-nummer (8 cijfers).
    #[schema(pattern = "^[0-9]{8}$")]
    pub kvk_nummer: Option<String>,
    /// Organisatie-identificatienummer (20 cijfers).
    #[schema(pattern = "^[0-9]{20}$")]
    pub oin: Option<String>,
    /// Nummer van het Blik op Werk keurmerk (verplicht voor taalaanbieders).
    #[schema(min_length = 1, max_length = 50, pattern = "\\S")]
    pub keurmerk_nummer: Option<String>,
    /// Geldigheid van het keurmerk (verplicht voor taalaanbieders).
    pub keurmerk_geldig_tot: Option<NaiveDate>,
    /// Actief (standaard `true`); tokens van de organisatie werken alleen zolang die actief is.
    pub actief: Option<bool>,
}

/// Een partnerorganisatie wijzigen: (de)activeren.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "documents the body; bodies are read field by field so that every invalid field is reported"
)]
#[schema(example = json!({"actief": false}))]
pub struct OrganisatieWijzigen {
    /// Actief; `false` laat de tokens van de organisatie meteen niets meer zien.
    pub actief: bool,
}

/// Een partnerorganisatie.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrganisatieDto {
    /// Identificatie; de waarde van de claim `organisatie` in tokens van deze partner.
    pub id: Uuid,
    /// Naam.
    pub naam: String,
    #[schema(schema_with = soort)]
    pub soort: String,
    /// KvK-nummer.
    pub kvk_nummer: Option<String>,
    /// OIN.
    pub oin: Option<String>,
    /// Blik op Werk keurmerk.
    pub keurmerk_nummer: Option<String>,
    /// Geldigheid van het keurmerk.
    pub keurmerk_geldig_tot: Option<NaiveDate>,
    /// Actief.
    pub actief: bool,
}

impl From<&Organisatie> for OrganisatieDto {
    fn from(o: &Organisatie) -> Self {
        Self {
            id: o.id,
            naam: o.naam.clone(),
            soort: o.soort.as_str().to_owned(),
            kvk_nummer: o.kvk_nummer.clone(),
            oin: o.oin.clone(),
            keurmerk_nummer: o.keurmerk_nummer.clone(),
            keurmerk_geldig_tot: o.keurmerk_geldig_tot,
            actief: o.actief,
        }
    }
}

/// Een pagina organisaties.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrganisatieLijst {
    /// De organisaties.
    pub resultaten: Vec<OrganisatieDto>,
    /// URL van de volgende pagina, of `null`.
    #[schema(format = "uri-reference")]
    pub volgende_pagina: Option<String>,
}

/// Het bewijs bij het vastleggen van een toestemming.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "documents the body; bodies are read field by field so that every invalid field is reported"
)]
pub struct BewijsAanmaken {
    #[schema(schema_with = kanaal)]
    pub kanaal: String,
    /// Verwijzing naar het getekende document.
    #[schema(min_length = 1, max_length = 500, pattern = "\\S")]
    pub documentverwijzing: Option<String>,
    /// SHA-256 van het document (64 kleine hexadecimale tekens).
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub document_hash: Option<String>,
    /// Taal van de kennisgeving aan de persoon (ISO 639-1).
    #[schema(pattern = "^[a-z]{2}$", example = "ar")]
    pub taal_kennisgeving: String,
}

/// Het bewijs van een toestemming.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BewijsDto {
    #[schema(schema_with = kanaal)]
    pub kanaal: String,
    /// Wie de toestemming vastlegde (gebruiker of client); door Koers ingevuld.
    pub vastgelegd_door: String,
    /// Verwijzing naar het getekende document.
    #[schema(min_length = 1, max_length = 500, pattern = "\\S")]
    pub documentverwijzing: Option<String>,
    /// SHA-256 van het document (64 kleine hexadecimale tekens).
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub document_hash: Option<String>,
    /// Taal van de kennisgeving aan de persoon (ISO 639-1).
    #[schema(pattern = "^[a-z]{2}$", example = "ar")]
    pub taal_kennisgeving: String,
}

/// Een toestemming of andere grondslag vastleggen (naar ISO/IEC TS 27560: partijen, verwerking,
/// bewijs, gebeurtenissen).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "documents the body; bodies are read field by field so that every invalid field is reported"
)]
#[schema(example = json!({
    "inburgeraarId": "019a6d2e-7c4b-7e3a-9d1f-2b3c4d5e6f70",
    "organisatieId": "019a6d2e-7c4b-7e3a-9d1f-2b3c4d5e6f71",
    "grondslag": "TOESTEMMING",
    "doelen": ["TAALONDERWIJS"],
    "gegevenscategorieen": ["PERSOONSGEGEVENS", "VOORTGANG"],
    "geldigVan": "2026-11-01",
    "geldigTot": "2027-10-31",
    "bewijs": {"kanaal": "SCHRIFTELIJK", "taalKennisgeving": "ar", "documentverwijzing": "zaak-2026-0042/toestemming.pdf"}
}))]
pub struct ToestemmingAanmaken {
    /// De persoon.
    pub inburgeraar_id: Uuid,
    /// De ontvangende of aanleverende organisatie.
    pub organisatie_id: Uuid,
    #[schema(schema_with = grondslag)]
    pub grondslag: String,
    #[schema(schema_with = doelen)]
    pub doelen: Vec<String>,
    #[schema(schema_with = categorieen)]
    pub gegevenscategorieen: Vec<String>,
    /// Eerste dag van de geldigheid.
    pub geldig_van: NaiveDate,
    /// Laatste dag van de geldigheid; `null` is onbepaald.
    pub geldig_tot: Option<NaiveDate>,
    /// `true` legt een weigering vast in plaats van een toestemming.
    pub geweigerd: Option<bool>,
    pub bewijs: BewijsAanmaken,
    /// Toelichting bij de gebeurtenis.
    #[schema(min_length = 1, max_length = 1000, pattern = "\\S")]
    pub toelichting: Option<String>,
}

/// Een gebeurtenis in de geschiedenis van een toestemming (alleen toevoegen, nooit herschrijven).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ToestemmingGebeurtenisDto {
    #[schema(schema_with = status)]
    pub soort: String,
    /// Moment (UTC).
    pub tijdstip: DateTime<Utc>,
    /// Door wie.
    pub door: String,
    /// Toelichting.
    pub toelichting: Option<String>,
}

/// Een vastgelegde toestemming.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ToestemmingDto {
    /// Identificatie.
    pub id: Uuid,
    /// De persoon.
    pub inburgeraar_id: Uuid,
    /// De organisatie.
    pub organisatie_id: Uuid,
    #[schema(schema_with = grondslag)]
    pub grondslag: String,
    /// Doelen.
    pub doelen: Vec<String>,
    /// Gegevenscategorieën.
    pub gegevenscategorieen: Vec<String>,
    /// Eerste dag van de geldigheid.
    pub geldig_van: NaiveDate,
    /// Laatste dag van de geldigheid.
    pub geldig_tot: Option<NaiveDate>,
    #[schema(schema_with = status)]
    pub status: String,
    pub bewijs: BewijsDto,
    /// De geschiedenis, oudste eerst.
    pub gebeurtenissen: Vec<ToestemmingGebeurtenisDto>,
}

impl ToestemmingDto {
    pub fn from_domain(t: &Toestemming, today: NaiveDate) -> Self {
        Self {
            id: t.id,
            inburgeraar_id: t.inburgeraar_id.0,
            organisatie_id: t.organisatie_id,
            grondslag: t.grondslag.as_str().to_owned(),
            doelen: t
                .doelen
                .iter()
                .map(|d: &Doel| d.as_str().to_owned())
                .collect(),
            gegevenscategorieen: t
                .gegevenscategorieen
                .iter()
                .map(|c: &Gegevenscategorie| c.as_str().to_owned())
                .collect(),
            geldig_van: t.geldig_van,
            geldig_tot: t.geldig_tot,
            status: t.status_op(today).as_str().to_owned(),
            bewijs: BewijsDto {
                kanaal: t.bewijs.kanaal.as_str().to_owned(),
                vastgelegd_door: t.bewijs.vastgelegd_door.clone(),
                documentverwijzing: t.bewijs.documentverwijzing.clone(),
                document_hash: t.bewijs.document_hash.clone(),
                taal_kennisgeving: t.bewijs.taal_kennisgeving.clone(),
            },
            gebeurtenissen: t
                .gebeurtenissen
                .iter()
                .map(|e| ToestemmingGebeurtenisDto {
                    soort: e.soort.as_str().to_owned(),
                    tijdstip: e.tijdstip.and_utc(),
                    door: e.door.clone(),
                    toelichting: e.toelichting.clone(),
                })
                .collect(),
        }
    }
}

/// De toestemmingen van een persoon.
#[derive(Debug, Serialize, ToSchema)]
pub struct ToestemmingLijst {
    /// De toestemmingen, oudste eerst.
    pub resultaten: Vec<ToestemmingDto>,
}

/// Een toestemming intrekken: net zo eenvoudig als geven.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "documents the body; bodies are read field by field so that every invalid field is reported"
)]
#[schema(example = json!({"toelichting": "Ingetrokken op verzoek van de inburgeraar"}))]
pub struct Intrekking {
    /// Toelichting.
    #[schema(min_length = 1, max_length = 1000, pattern = "\\S")]
    pub toelichting: Option<String>,
}
