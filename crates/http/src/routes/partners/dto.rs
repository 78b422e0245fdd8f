//! The shapes of organisaties and toestemmingen on the wire.

use crate::body::{properties_of, RequestBody};
use crate::schemas;
use chrono::{DateTime, NaiveDate, Utc};
use koers_domain::input::Input;
use koers_domain::partner::{
    Doel, Gegevenscategorie, Grondslag, Kanaal, Organisatie, OrganisatieGegevens, OrganisatieSoort,
    Toestemming, ToestemmingGebeurtenis, ToestemmingGegevens,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Een partnerorganisatie registreren.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"naam": "Taalschool West-Friesland", "soort": "TAALAANBIEDER", "kvkNummer": "12345678", "keurmerkNummer": "BOW-2024-0815", "keurmerkGeldigTot": "2027-06-30"}))]
pub struct OrganisatieAanmaken {
    /// Naam.
    #[schema(
        required = true,
        nullable = false,
        min_length = 1,
        max_length = 200,
        pattern = "\\S"
    )]
    pub naam: Option<String>,
    #[schema(value_type = schemas::OrganisatieSoort, required = true)]
    pub soort: Option<OrganisatieSoort>,
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

impl RequestBody for OrganisatieAanmaken {
    fn server_set() -> Vec<String> {
        properties_of::<OrganisatieDto>()
    }
}

impl From<OrganisatieAanmaken> for OrganisatieGegevens {
    fn from(body: OrganisatieAanmaken) -> Self {
        Self {
            naam: body.naam.into(),
            soort: body.soort.into(),
            kvk_nummer: body.kvk_nummer.into(),
            oin: body.oin.into(),
            keurmerk_nummer: body.keurmerk_nummer.into(),
            keurmerk_geldig_tot: body.keurmerk_geldig_tot.into(),
            actief: body.actief.into(),
        }
    }
}

/// Een partnerorganisatie wijzigen: (de)activeren.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"actief": false}))]
pub struct OrganisatieWijzigen {
    /// Actief; `false` laat de tokens van de organisatie meteen niets meer zien.
    pub actief: bool,
}

impl RequestBody for OrganisatieWijzigen {
    fn server_set() -> Vec<String> {
        properties_of::<OrganisatieDto>()
    }
}

/// Een partnerorganisatie.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrganisatieDto {
    /// Identificatie; de waarde van de claim `organisatie` in tokens van deze partner.
    pub id: Uuid,
    /// Naam.
    pub naam: String,
    #[schema(value_type = schemas::OrganisatieSoort)]
    pub soort: OrganisatieSoort,
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
            soort: o.soort,
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
pub struct BewijsAanmaken {
    #[schema(value_type = schemas::Kanaal, required = true)]
    pub kanaal: Option<Kanaal>,
    /// Verwijzing naar het getekende document.
    #[schema(min_length = 1, max_length = 500, pattern = "\\S")]
    pub documentverwijzing: Option<String>,
    /// SHA-256 van het document (64 kleine hexadecimale tekens).
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub document_hash: Option<String>,
    /// Taal van de kennisgeving aan de persoon (ISO 639-1).
    #[schema(
        required = true,
        nullable = false,
        pattern = "^[a-z]{2}$",
        example = "ar"
    )]
    pub taal_kennisgeving: Option<String>,
}

/// Het bewijs van een toestemming.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BewijsDto {
    #[schema(value_type = schemas::Kanaal)]
    pub kanaal: Kanaal,
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
    #[schema(required = true, nullable = false)]
    pub inburgeraar_id: Option<Uuid>,
    /// De ontvangende of aanleverende organisatie.
    #[schema(required = true, nullable = false)]
    pub organisatie_id: Option<Uuid>,
    #[schema(value_type = schemas::Grondslag, required = true)]
    pub grondslag: Option<Grondslag>,
    /// Doelen waarvoor gedeeld mag worden.
    #[schema(schema_with = schemas::set_of::<schemas::Doel>, required = true)]
    pub doelen: Option<Vec<Doel>>,
    /// Gegevenscategorieën; GEZONDHEID alleen met UITDRUKKELIJKE_TOESTEMMING_ART9.
    #[schema(schema_with = schemas::set_of::<schemas::Gegevenscategorie>, required = true)]
    pub gegevenscategorieen: Option<Vec<Gegevenscategorie>>,
    /// Eerste dag van de geldigheid.
    #[schema(required = true, nullable = false)]
    pub geldig_van: Option<NaiveDate>,
    /// Laatste dag van de geldigheid; `null` is onbepaald.
    pub geldig_tot: Option<NaiveDate>,
    /// `true` legt een weigering vast in plaats van een toestemming.
    pub geweigerd: Option<bool>,
    #[schema(required = true, nullable = false)]
    pub bewijs: Option<BewijsAanmaken>,
    /// Toelichting bij de gebeurtenis.
    #[schema(min_length = 1, max_length = 1000, pattern = "\\S")]
    pub toelichting: Option<String>,
}

impl RequestBody for ToestemmingAanmaken {
    fn server_set() -> Vec<String> {
        properties_of::<ToestemmingDto>()
    }
}

impl From<ToestemmingAanmaken> for ToestemmingGegevens {
    fn from(body: ToestemmingAanmaken) -> Self {
        let bewijs = body.bewijs;
        let (kanaal, documentverwijzing, document_hash, taal_kennisgeving) = match bewijs {
            Some(b) => (
                b.kanaal.into(),
                b.documentverwijzing.into(),
                b.document_hash.into(),
                b.taal_kennisgeving.into(),
            ),
            // Absent or already reported: the rules of the domain skip what is not there.
            None => (Input::Invalid, Input::Absent, Input::Absent, Input::Invalid),
        };
        Self {
            inburgeraar_id: body.inburgeraar_id.into(),
            organisatie_id: body.organisatie_id.into(),
            grondslag: body.grondslag.into(),
            doelen: body.doelen.into(),
            gegevenscategorieen: body.gegevenscategorieen.into(),
            geldig_van: body.geldig_van.into(),
            geldig_tot: body.geldig_tot.into(),
            geweigerd: body.geweigerd.into(),
            kanaal,
            documentverwijzing,
            document_hash,
            taal_kennisgeving,
            toelichting: body.toelichting.into(),
        }
    }
}

/// Een gebeurtenis in de geschiedenis van een toestemming (alleen toevoegen, nooit herschrijven).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ToestemmingGebeurtenisDto {
    #[schema(value_type = schemas::ToestemmingStatus)]
    pub soort: ToestemmingGebeurtenis,
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
    #[schema(value_type = schemas::Grondslag)]
    pub grondslag: Grondslag,
    /// Doelen.
    #[schema(value_type = Vec<schemas::Doel>)]
    pub doelen: Vec<Doel>,
    /// Gegevenscategorieën.
    #[schema(value_type = Vec<schemas::Gegevenscategorie>)]
    pub gegevenscategorieen: Vec<Gegevenscategorie>,
    /// Eerste dag van de geldigheid.
    pub geldig_van: NaiveDate,
    /// Laatste dag van de geldigheid.
    pub geldig_tot: Option<NaiveDate>,
    #[schema(value_type = schemas::ToestemmingStatus)]
    pub status: ToestemmingGebeurtenis,
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
            grondslag: t.grondslag,
            doelen: t.doelen.clone(),
            gegevenscategorieen: t.gegevenscategorieen.clone(),
            geldig_van: t.geldig_van,
            geldig_tot: t.geldig_tot,
            status: t.status_op(today),
            bewijs: BewijsDto {
                kanaal: t.bewijs.kanaal,
                vastgelegd_door: t.bewijs.vastgelegd_door.clone(),
                documentverwijzing: t.bewijs.documentverwijzing.clone(),
                document_hash: t.bewijs.document_hash.clone(),
                taal_kennisgeving: t.bewijs.taal_kennisgeving.clone(),
            },
            gebeurtenissen: t
                .gebeurtenissen
                .iter()
                .map(|e| ToestemmingGebeurtenisDto {
                    soort: e.soort,
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
#[schema(example = json!({"toelichting": "Ingetrokken op verzoek van de inburgeraar"}))]
pub struct Intrekking {
    /// Toelichting.
    #[schema(min_length = 1, max_length = 1000, pattern = "\\S")]
    pub toelichting: Option<String>,
}

impl RequestBody for Intrekking {}
