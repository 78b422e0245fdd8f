//! The shapes of what partners push.

use chrono::NaiveDate;
use koers_domain::voortgang::{Examenresultaat, GevolgdeUren, Inschrijving};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Een inschrijving bij een taalaanbieder.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "documents the body; bodies are read field by field so that every invalid field is reported"
)]
#[schema(example = json!({"inburgeraarId": "019a6d2e-7c4b-7e3a-9d1f-2b3c4d5e6f70", "soort": "CURSUS", "omschrijving": "B1-route dagprogramma", "datumStart": "2026-11-02", "urenPerWeek": 12}))]
pub struct InschrijvingAanmaken {
    /// De persoon.
    pub inburgeraar_id: Uuid,
    /// De taalaanbieder; bij een partnertoken altijd de eigen organisatie.
    pub organisatie_id: Option<Uuid>,
    /// CURSUS of LEERWERKROUTE.
    #[schema(example = "CURSUS")]
    pub soort: String,
    /// Omschrijving van de cursus of leerwerkroute.
    pub omschrijving: String,
    /// Start.
    pub datum_start: NaiveDate,
    /// Einde.
    pub datum_einde: Option<NaiveDate>,
    /// Intensiteit in uren per week (1 tot en met 40).
    #[schema(minimum = 1, maximum = 40)]
    pub uren_per_week: u32,
}

/// Een vastgelegde inschrijving.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InschrijvingDto {
    /// Identificatie.
    pub id: Uuid,
    /// De taalaanbieder.
    pub organisatie_id: Option<Uuid>,
    /// Soort.
    pub soort: String,
    /// Omschrijving.
    pub omschrijving: String,
    /// Start.
    pub datum_start: NaiveDate,
    /// Einde.
    pub datum_einde: Option<NaiveDate>,
    /// Uren per week.
    pub uren_per_week: u32,
    /// Wachttijd in dagen van de dagtekening van de actuele PIP tot de start (voor statistiek).
    pub wachttijd_dagen: Option<i64>,
}

impl InschrijvingDto {
    pub fn from_domain(i: &Inschrijving, pip_dagtekening: Option<NaiveDate>) -> Self {
        Self {
            id: i.id,
            organisatie_id: i.organisatie_id,
            soort: i.soort.as_str().to_owned(),
            omschrijving: i.omschrijving.clone(),
            datum_start: i.datum_start,
            datum_einde: i.datum_einde,
            uren_per_week: i.uren_per_week,
            wachttijd_dagen: i.wachttijd_dagen(pip_dagtekening),
        }
    }
}

/// Gevolgde uren van een maand, in de categorieën van DUO's GevolgdeUren.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "documents the body; bodies are read field by field so that every invalid field is reported"
)]
#[schema(example = json!({"inburgeraarId": "019a6d2e-7c4b-7e3a-9d1f-2b3c4d5e6f70", "maand": "2026-10", "lesuren": 48, "verzuimUren": 4}))]
pub struct GevolgdeUrenAanmaken {
    /// De persoon.
    pub inburgeraar_id: Uuid,
    /// De taalaanbieder; bij een partnertoken altijd de eigen organisatie.
    pub organisatie_id: Option<Uuid>,
    /// De maand (JJJJ-MM), niet in de toekomst.
    #[schema(pattern = "^[0-9]{4}-[0-9]{2}$", example = "2026-10")]
    pub maand: String,
    /// Taalles Nederlands en KNM bij de cursusinstelling (DUO `ParticipatieAlsTaalles`).
    #[schema(minimum = 0, maximum = 744)]
    pub lesuren: Option<u32>,
    /// Taalles en KNM tijdens de brede intake (DUO `TaallesEnKnmBredeIntake`).
    #[schema(minimum = 0, maximum = 744)]
    pub lesuren_brede_intake: Option<u32>,
    /// Participatieactiviteiten (DUO `ParticipatieactiviteitenBredeIntake`, Z-route).
    #[schema(minimum = 0, maximum = 744)]
    pub participatie_uren: Option<u32>,
    /// Verzuim.
    #[schema(minimum = 0, maximum = 744)]
    pub verzuim_uren: Option<u32>,
}

/// Vastgelegde uren van een maand.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GevolgdeUrenDto {
    /// Identificatie.
    pub id: Uuid,
    /// De taalaanbieder.
    pub organisatie_id: Option<Uuid>,
    /// Eerste dag van de maand.
    pub maand: NaiveDate,
    /// Lesuren (DUO `ParticipatieAlsTaalles`).
    pub lesuren: u32,
    /// Lesuren brede intake.
    pub lesuren_brede_intake: u32,
    /// Participatie-uren.
    pub participatie_uren: u32,
    /// Verzuim.
    pub verzuim_uren: u32,
}

impl From<&GevolgdeUren> for GevolgdeUrenDto {
    fn from(u: &GevolgdeUren) -> Self {
        Self {
            id: u.id,
            organisatie_id: u.organisatie_id,
            maand: u.maand,
            lesuren: u.lesuren,
            lesuren_brede_intake: u.lesuren_brede_intake,
            participatie_uren: u.participatie_uren,
            verzuim_uren: u.verzuim_uren,
        }
    }
}

/// Een examenresultaat.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "documents the body; bodies are read field by field so that every invalid field is reported"
)]
#[schema(example = json!({"inburgeraarId": "019a6d2e-7c4b-7e3a-9d1f-2b3c4d5e6f70", "onderdeel": "LEZEN", "niveau": "B1", "uitslag": "GESLAAGD", "datumExamen": "2026-10-14", "bron": "AANBIEDER"}))]
pub struct ExamenresultaatAanmaken {
    /// De persoon.
    pub inburgeraar_id: Uuid,
    /// LEZEN, LUISTEREN, SCHRIJVEN, SPREKEN, KNM, STAATSEXAMEN_NT2_I of STAATSEXAMEN_NT2_II.
    #[schema(example = "LEZEN")]
    pub onderdeel: String,
    /// A1, A2, B1 of B2.
    #[schema(example = "B1")]
    pub niveau: String,
    /// GESLAAGD, GEZAKT of GEEN.
    #[schema(example = "GESLAAGD")]
    pub uitslag: String,
    /// Bij GEEN: VERWIJTBAAR, NIET_VERWIJTBAAR, AFGEMELD of ABSENT.
    pub reden_geen: Option<String>,
    /// Datum van het examen; niet in de toekomst.
    pub datum_examen: NaiveDate,
    /// AANBIEDER, of DUO (alleen via de gemeente). DUO's resultaat is leidend.
    #[schema(example = "AANBIEDER")]
    pub bron: String,
}

/// Een vastgelegd examenresultaat.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExamenresultaatDto {
    /// Identificatie.
    pub id: Uuid,
    /// De persoon.
    pub inburgeraar_id: Uuid,
    /// De aanleverende organisatie.
    pub organisatie_id: Option<Uuid>,
    /// Onderdeel.
    pub onderdeel: String,
    /// Niveau.
    pub niveau: String,
    /// Uitslag.
    pub uitslag: String,
    /// Reden bij GEEN.
    pub reden_geen: Option<String>,
    /// Datum van het examen.
    pub datum_examen: NaiveDate,
    /// Bron.
    pub bron: String,
    /// `true` als DUO's resultaat voor hetzelfde examen dit resultaat tegenspreekt (een signaal; DUO is leidend).
    pub conflict_met_duo: bool,
}

impl ExamenresultaatDto {
    pub fn from_domain(inburgeraar_id: Uuid, r: &Examenresultaat) -> Self {
        Self {
            id: r.id,
            inburgeraar_id,
            organisatie_id: r.organisatie_id,
            onderdeel: r.onderdeel.as_str().to_owned(),
            niveau: r.niveau.as_str().to_owned(),
            uitslag: r.uitslag.as_str().to_owned(),
            reden_geen: r.reden_geen.map(|g| g.as_str().to_owned()),
            datum_examen: r.datum_examen,
            bron: r.bron.as_str().to_owned(),
            conflict_met_duo: r.conflict_met_duo,
        }
    }
}

/// Tot 1.000 examenresultaten tegelijk.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "documents the body; bodies are read field by field so that every invalid field is reported"
)]
pub struct ExamenresultatenBulk {
    /// De resultaten (1 tot en met 1.000), elk in de vorm van `ExamenresultaatAanmaken`. Een ongeldig
    /// item maakt de aanlevering niet ongeldig: het krijgt zijn eigen uitkomst 400 met zijn velden.
    #[schema(min_items = 1, max_items = 1000, value_type = Vec<Object>)]
    pub resultaten: Vec<serde_json::Value>,
}

/// De uitkomst van een item in een bulkaanlevering.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkUitkomst {
    /// Positie in de aanlevering (vanaf 0).
    pub index: usize,
    /// 201 (opgeslagen), 400 (ongeldig), 404 (persoon onbekend voor de aanroeper) of 409.
    pub status: u16,
    /// Het opgeslagen resultaat.
    pub resultaat: Option<ExamenresultaatDto>,
    /// De ongeldige velden van dit item.
    pub invalid_params: Vec<crate::problem::InvalidParam>,
}

/// De uitkomst van een bulkaanlevering: elk geldig item is opgeslagen, elk ongeldig genoemd.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkResultaat {
    /// Aantal opgeslagen items.
    pub opgeslagen: usize,
    /// Aantal afgewezen items.
    pub afgewezen: usize,
    /// Een uitkomst per item, in volgorde.
    pub uitkomsten: Vec<BulkUitkomst>,
}

/// De voortgang van een inburgeraar zoals partners die aanleverden.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VoortgangDto {
    /// Inschrijvingen.
    pub inschrijvingen: Vec<InschrijvingDto>,
    /// Gevolgde uren per maand.
    pub gevolgde_uren: Vec<GevolgdeUrenDto>,
    /// Examenresultaten.
    pub examenresultaten: Vec<ExamenresultaatDto>,
    /// Lesuren bij de taalaanbieder tot nu toe (telt voor de 600 uur van afschalen).
    pub lesuren_totaal: u32,
}
