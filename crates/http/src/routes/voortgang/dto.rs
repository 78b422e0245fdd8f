//! The shapes of what partners push.

use crate::body::{properties_of, RequestBody};
use crate::schemas;
use chrono::NaiveDate;
use koers_domain::voortgang::{
    Bron, ExamenNiveau, ExamenOnderdeel, ExamenUitslag, Examenresultaat, ExamenresultaatGegevens,
    GevolgdeUren, GevolgdeUrenGegevens, Inschrijving, InschrijvingGegevens, InschrijvingSoort,
    RedenGeenUitslag,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Een inschrijving bij een taalaanbieder.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"inburgeraarId": "019a6d2e-7c4b-7e3a-9d1f-2b3c4d5e6f70", "soort": "CURSUS", "omschrijving": "B1-route dagprogramma", "datumStart": "2026-11-02", "urenPerWeek": 12}))]
pub struct InschrijvingAanmaken {
    /// De persoon.
    #[schema(required = true, nullable = false)]
    pub inburgeraar_id: Option<Uuid>,
    /// De taalaanbieder; bij een partnertoken altijd de eigen organisatie.
    pub organisatie_id: Option<Uuid>,
    #[schema(value_type = schemas::InschrijvingSoort, required = true)]
    pub soort: Option<InschrijvingSoort>,
    /// Omschrijving van de cursus of leerwerkroute.
    #[schema(
        required = true,
        nullable = false,
        min_length = 1,
        max_length = 200,
        pattern = "\\S"
    )]
    pub omschrijving: Option<String>,
    /// Start.
    #[schema(required = true, nullable = false)]
    pub datum_start: Option<NaiveDate>,
    /// Einde.
    pub datum_einde: Option<NaiveDate>,
    /// Intensiteit in uren per week (1 tot en met 40).
    #[schema(required = true, nullable = false, minimum = 1, maximum = 40)]
    pub uren_per_week: Option<i64>,
}

impl RequestBody for InschrijvingAanmaken {
    fn server_set() -> Vec<String> {
        properties_of::<InschrijvingDto>()
    }
}

impl InschrijvingAanmaken {
    /// The person, the organisatie named and what the domain judges.
    pub fn split(self) -> (Option<Uuid>, Option<Uuid>, InschrijvingGegevens) {
        let gegevens = InschrijvingGegevens {
            soort: self.soort.into(),
            omschrijving: self.omschrijving.into(),
            datum_start: self.datum_start.into(),
            datum_einde: self.datum_einde.into(),
            uren_per_week: self.uren_per_week.into(),
        };
        (self.inburgeraar_id, self.organisatie_id, gegevens)
    }
}

/// Een vastgelegde inschrijving.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InschrijvingDto {
    /// Identificatie.
    pub id: Uuid,
    /// De taalaanbieder.
    pub organisatie_id: Option<Uuid>,
    #[schema(value_type = schemas::InschrijvingSoort)]
    pub soort: InschrijvingSoort,
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
            soort: i.soort,
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
#[schema(example = json!({"inburgeraarId": "019a6d2e-7c4b-7e3a-9d1f-2b3c4d5e6f70", "maand": "2026-10", "lesuren": 48, "verzuimUren": 4}))]
pub struct GevolgdeUrenAanmaken {
    /// De persoon.
    #[schema(required = true, nullable = false)]
    pub inburgeraar_id: Option<Uuid>,
    /// De taalaanbieder; bij een partnertoken altijd de eigen organisatie.
    pub organisatie_id: Option<Uuid>,
    /// De maand (JJJJ-MM), niet in de toekomst.
    #[schema(
        required = true,
        nullable = false,
        pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$",
        example = "2026-10"
    )]
    pub maand: Option<String>,
    /// Taalles Nederlands en KNM bij de cursusinstelling (DUO `ParticipatieAlsTaalles`).
    #[schema(minimum = 0, maximum = 744)]
    pub lesuren: Option<i64>,
    /// Taalles en KNM tijdens de brede intake (DUO `TaallesEnKnmBredeIntake`).
    #[schema(minimum = 0, maximum = 744)]
    pub lesuren_brede_intake: Option<i64>,
    /// Participatieactiviteiten (DUO `ParticipatieactiviteitenBredeIntake`, Z-route).
    #[schema(minimum = 0, maximum = 744)]
    pub participatie_uren: Option<i64>,
    /// Verzuim.
    #[schema(minimum = 0, maximum = 744)]
    pub verzuim_uren: Option<i64>,
}

impl RequestBody for GevolgdeUrenAanmaken {
    fn server_set() -> Vec<String> {
        properties_of::<GevolgdeUrenDto>()
    }
}

impl GevolgdeUrenAanmaken {
    /// The person, the organisatie named and what the domain judges.
    pub fn split(self) -> (Option<Uuid>, Option<Uuid>, GevolgdeUrenGegevens) {
        let gegevens = GevolgdeUrenGegevens {
            maand: self.maand.into(),
            lesuren: self.lesuren.into(),
            lesuren_brede_intake: self.lesuren_brede_intake.into(),
            participatie_uren: self.participatie_uren.into(),
            verzuim_uren: self.verzuim_uren.into(),
        };
        (self.inburgeraar_id, self.organisatie_id, gegevens)
    }
}

/// Vastgelegde uren van een maand.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GevolgdeUrenDto {
    /// Identificatie.
    pub id: Uuid,
    /// De taalaanbieder.
    pub organisatie_id: Option<Uuid>,
    /// De maand (JJJJ-MM), zoals aangeleverd.
    #[schema(pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$", example = "2026-10")]
    pub maand: String,
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
            maand: u.maand.format("%Y-%m").to_string(),
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
#[schema(example = json!({"inburgeraarId": "019a6d2e-7c4b-7e3a-9d1f-2b3c4d5e6f70", "onderdeel": "LEZEN", "niveau": "B1", "uitslag": "GESLAAGD", "datumExamen": "2026-10-14", "bron": "AANBIEDER"}))]
pub struct ExamenresultaatAanmaken {
    /// De persoon.
    #[schema(required = true, nullable = false)]
    pub inburgeraar_id: Option<Uuid>,
    #[schema(value_type = schemas::ExamenresultaatOnderdeel, required = true)]
    pub onderdeel: Option<ExamenOnderdeel>,
    #[schema(value_type = schemas::ExamenNiveau, required = true)]
    pub niveau: Option<ExamenNiveau>,
    #[schema(value_type = schemas::ExamenUitslag, required = true)]
    pub uitslag: Option<ExamenUitslag>,
    #[schema(value_type = Option<schemas::RedenGeenUitslag>)]
    pub reden_geen: Option<RedenGeenUitslag>,
    /// Datum van het examen; niet in de toekomst.
    #[schema(required = true, nullable = false)]
    pub datum_examen: Option<NaiveDate>,
    #[schema(value_type = schemas::Bron, required = true)]
    pub bron: Option<Bron>,
}

impl RequestBody for ExamenresultaatAanmaken {
    fn server_set() -> Vec<String> {
        properties_of::<ExamenresultaatDto>()
    }
}

impl ExamenresultaatAanmaken {
    /// The person and what the domain judges.
    pub fn split(self) -> (Option<Uuid>, ExamenresultaatGegevens) {
        let gegevens = ExamenresultaatGegevens {
            onderdeel: self.onderdeel.into(),
            niveau: self.niveau.into(),
            uitslag: self.uitslag.into(),
            reden_geen: self.reden_geen.into(),
            datum_examen: self.datum_examen.into(),
            bron: self.bron.into(),
        };
        (self.inburgeraar_id, gegevens)
    }
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
    #[schema(value_type = schemas::ExamenresultaatOnderdeel)]
    pub onderdeel: ExamenOnderdeel,
    #[schema(value_type = schemas::ExamenNiveau)]
    pub niveau: ExamenNiveau,
    #[schema(value_type = schemas::ExamenUitslag)]
    pub uitslag: ExamenUitslag,
    #[schema(value_type = Option<schemas::RedenGeenUitslag>)]
    pub reden_geen: Option<RedenGeenUitslag>,
    /// Datum van het examen.
    pub datum_examen: NaiveDate,
    #[schema(value_type = schemas::Bron)]
    pub bron: Bron,
    /// `true` als DUO's resultaat voor hetzelfde examen dit resultaat tegenspreekt (een signaal; DUO is leidend).
    pub conflict_met_duo: bool,
}

impl ExamenresultaatDto {
    pub fn from_domain(inburgeraar_id: Uuid, r: &Examenresultaat) -> Self {
        Self {
            id: r.id,
            inburgeraar_id,
            organisatie_id: r.organisatie_id,
            onderdeel: r.onderdeel,
            niveau: r.niveau,
            uitslag: r.uitslag,
            reden_geen: r.reden_geen,
            datum_examen: r.datum_examen,
            bron: r.bron,
            conflict_met_duo: r.conflict_met_duo,
        }
    }
}

/// Tot 1.000 examenresultaten tegelijk.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExamenresultatenBulk {
    /// De resultaten (1 tot en met 1.000). Een item dat niet aan `ExamenresultaatAanmaken` voldoet,
    /// maakt het verzoek ongeldig (400, met het veld genoemd als `resultaten[3].niveau`); een item dat
    /// een regel breekt (een datum in de toekomst, een reden bij een uitslag) krijgt zijn eigen
    /// uitkomst 400 met zijn velden, en de andere items worden opgeslagen.
    #[schema(min_items = 1, max_items = 1000, value_type = Vec<ExamenresultaatAanmaken>)]
    pub resultaten: Vec<serde_json::Map<String, serde_json::Value>>,
}

impl RequestBody for ExamenresultatenBulk {}

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

/// De voortgang van een inburgeraar zoals partners die aanleverden. Elke lijst toont hooguit de nieuwste
/// 1.000, in de volgorde van aanleveren; is een lijst ingekort, dan noemt het bijbehorende veld
/// `...Volledig` de lijst met alle items, per pagina.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VoortgangDto {
    /// Inschrijvingen: de nieuwste 1.000, oudste eerst.
    pub inschrijvingen: Vec<InschrijvingDto>,
    /// Gevolgde uren per maand: de nieuwste 1.000, oudste eerst.
    pub gevolgde_uren: Vec<GevolgdeUrenDto>,
    /// Examenresultaten: de nieuwste 1.000, oudste eerst.
    pub examenresultaten: Vec<ExamenresultaatDto>,
    /// Lesuren bij de taalaanbieder tot nu toe (telt voor de 600 uur van afschalen); altijd over alle
    /// gevolgde uren.
    pub lesuren_totaal: u32,
    /// Als `inschrijvingen` is ingekort: URL van alle inschrijvingen, per pagina; anders `null`.
    #[schema(format = "uri-reference")]
    pub inschrijvingen_volledig: Option<String>,
    /// Als `gevolgdeUren` is ingekort: URL van alle gevolgde uren, per pagina; anders `null`.
    #[schema(format = "uri-reference")]
    pub gevolgde_uren_volledig: Option<String>,
    /// Als `examenresultaten` is ingekort: URL van alle examenresultaten, per pagina; anders `null`.
    #[schema(format = "uri-reference")]
    pub examenresultaten_volledig: Option<String>,
}

/// Een pagina van de inschrijvingen van een inburgeraar, oudste eerst.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InschrijvingLijst {
    /// De inschrijvingen op deze pagina, in de volgorde van aanleveren.
    pub resultaten: Vec<InschrijvingDto>,
    /// URL van de volgende pagina, of `null`.
    #[schema(format = "uri-reference")]
    pub volgende_pagina: Option<String>,
}

/// Een pagina van de gevolgde uren van een inburgeraar, oudste eerst.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GevolgdeUrenLijst {
    /// De gevolgde uren op deze pagina (per organisatie en maand), in de volgorde van aanleveren.
    pub resultaten: Vec<GevolgdeUrenDto>,
    /// URL van de volgende pagina, of `null`.
    #[schema(format = "uri-reference")]
    pub volgende_pagina: Option<String>,
}

/// Een pagina van de examenresultaten van een inburgeraar, oudste eerst.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExamenresultaatLijst {
    /// De examenresultaten op deze pagina, in de volgorde van aanleveren.
    pub resultaten: Vec<ExamenresultaatDto>,
    /// URL van de volgende pagina, of `null`.
    #[schema(format = "uri-reference")]
    pub volgende_pagina: Option<String>,
}
