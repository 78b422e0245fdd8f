//! The shapes of the trajectory on the wire. Enumerations come from the domain's own value lists.

use crate::body::{properties_of, RequestBody};
use crate::schemas;
use chrono::NaiveDate;
use koers_domain::inburgeraar::InburgeraarStatus;
use koers_domain::pip::{
    Alfabetisering, Examenonderdeel, Leerroute, Niveau, Pip, PipGegevens, PipStatus,
};
use koers_domain::status::{Gebeurtenis, Statuswijziging};
use koers_domain::termijn::{Waarschuwing, Z_ROUTE_DEFAULTS};
use koers_domain::traject::{
    Besluit, BesluitCode, BesluitGegevens, BredeIntake, BredeIntakeGegevens, LbtResultaat, Omvang,
    Onderdeel, OnderdeelGegevens, OnderdeelSoort, OntheffingCode, TermijnOverzicht, TermijnStand,
    Verlenging, VerlengingGegevens, Verwijtbaar, VrijstellingCode,
};
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{Schema, SchemaType, Type};
use utoipa::openapi::RefOr;
use utoipa::ToSchema;
use uuid::Uuid;

/// GEHEEL or GEDEELTELIJK: an ontheffing is never temporary. A named value list of the contract.
pub struct OntheffingOmvang;

impl utoipa::PartialSchema for OntheffingOmvang {
    fn schema() -> RefOr<Schema> {
        crate::schemas::values(
            vec![Omvang::Geheel.as_str(), Omvang::Gedeeltelijk.as_str()],
            "Reikwijdte van een ontheffing: GEHEEL of GEDEELTELIJK (dan met examenonderdelen).",
        )
    }
}

impl utoipa::ToSchema for OntheffingOmvang {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("OntheffingOmvang")
    }
}

/// The exam parts a partial decision or a scaling down names: distinct, or `null`.
pub fn examenonderdelen() -> RefOr<Schema> {
    utoipa::openapi::schema::ArrayBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
        .items(crate::schemas::of::<schemas::Examenonderdeel>())
        .unique_items(true)
        .description(Some("Examenonderdelen, elk hoogstens een keer."))
        .into()
}

/// De leerbaarheidstoets: een resultaat met score en datum, of een vastgelegde vrijstelling.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LeerbaarheidstoetsDto {
    #[schema(value_type = Option<schemas::LbtResultaat>)]
    pub resultaat: Option<LbtResultaat>,
    /// Score (0 tot en met 100).
    #[schema(minimum = 0, maximum = 100)]
    pub score: Option<i64>,
    /// Datum van de toets; verplicht bij een resultaat.
    pub datum: Option<NaiveDate>,
    /// Reden van vrijstelling van de toets (bijvoorbeeld visuele of auditieve beperking).
    #[schema(min_length = 1, max_length = 4000, pattern = r"\S")]
    pub vrijstelling_reden: Option<String>,
}

/// De brede intake. `gezondheid` is een bijzondere persoonsgegeven: alleen met de scope
/// `gezondheid:lezen` te schrijven en te zien; in elke andere weergave ontbreekt het.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({
    "datumStart": "2026-09-20",
    "datumEinde": "2026-10-30",
    "leerbaarheidstoets": {"resultaat": "B1_HAALBAAR", "score": 72, "datum": "2026-10-02", "vrijstellingReden": null},
    "opleidingBuitenland": "Bachelor bedrijfskunde (Syrië)",
    "werkervaringBuitenland": "5 jaar administratief medewerker",
    "taalniveau": "A1 Nederlands, B2 Engels",
    "digitaleVaardigheden": "Goed",
    "financien": "Bijstand, geen schulden",
    "socialeContext": "Gehuwd, twee kinderen (4 en 7 jaar)",
    "datumOntvangstInformatieDerden": null
}))]
pub struct BredeIntakeDto {
    /// Start van de brede intake; niet in de toekomst.
    #[schema(required = true, nullable = false)]
    pub datum_start: Option<NaiveDate>,
    /// Einde van de brede intake; niet voor de start.
    pub datum_einde: Option<NaiveDate>,
    pub leerbaarheidstoets: Option<LeerbaarheidstoetsDto>,
    /// Opleiding in het buitenland.
    #[schema(min_length = 1, max_length = 4000, pattern = r"\S")]
    pub opleiding_buitenland: Option<String>,
    /// Werkervaring in het buitenland.
    #[schema(min_length = 1, max_length = 4000, pattern = r"\S")]
    pub werkervaring_buitenland: Option<String>,
    /// Taalniveau.
    #[schema(min_length = 1, max_length = 4000, pattern = r"\S")]
    pub taalniveau: Option<String>,
    /// Digitale vaardigheden.
    #[schema(min_length = 1, max_length = 4000, pattern = r"\S")]
    pub digitale_vaardigheden: Option<String>,
    /// Financiële situatie.
    #[schema(min_length = 1, max_length = 4000, pattern = r"\S")]
    pub financien: Option<String>,
    /// Sociale context.
    #[schema(min_length = 1, max_length = 4000, pattern = r"\S")]
    pub sociale_context: Option<String>,
    /// Gezondheid (bijzondere persoonsgegevens; alleen met `gezondheid:lezen`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 1, max_length = 4000, pattern = r"\S")]
    pub gezondheid: Option<String>,
    /// Datum waarop informatie van derden binnenkwam waarop de PIP wachtte; verlengt de PIP-termijn
    /// tot twee weken daarna.
    pub datum_ontvangst_informatie_derden: Option<NaiveDate>,
}

impl RequestBody for BredeIntakeDto {}

impl From<BredeIntakeDto> for BredeIntakeGegevens {
    fn from(body: BredeIntakeDto) -> Self {
        let lbt = body.leerbaarheidstoets;
        let (lbt_resultaat, lbt_score, lbt_datum, lbt_vrijstelling_reden) = match lbt {
            Some(l) => (
                l.resultaat.into(),
                l.score.into(),
                l.datum.into(),
                l.vrijstelling_reden.into(),
            ),
            None => Default::default(),
        };
        Self {
            datum_start: body.datum_start.into(),
            datum_einde: body.datum_einde.into(),
            lbt_resultaat,
            lbt_score,
            lbt_datum,
            lbt_vrijstelling_reden,
            opleiding_buitenland: body.opleiding_buitenland.into(),
            werkervaring_buitenland: body.werkervaring_buitenland.into(),
            taalniveau: body.taalniveau.into(),
            digitale_vaardigheden: body.digitale_vaardigheden.into(),
            financien: body.financien.into(),
            sociale_context: body.sociale_context.into(),
            gezondheid: body.gezondheid.into(),
            datum_ontvangst_informatie_derden: body.datum_ontvangst_informatie_derden.into(),
        }
    }
}

impl BredeIntakeDto {
    pub fn from_domain(intake: &BredeIntake, met_gezondheid: bool) -> Self {
        Self {
            datum_start: Some(intake.datum_start),
            datum_einde: intake.datum_einde,
            leerbaarheidstoets: intake
                .leerbaarheidstoets
                .as_ref()
                .map(|l| LeerbaarheidstoetsDto {
                    resultaat: l.resultaat,
                    score: l.score.map(i64::from),
                    datum: l.datum,
                    vrijstelling_reden: l.vrijstelling_reden.clone(),
                }),
            opleiding_buitenland: intake.opleiding_buitenland.clone(),
            werkervaring_buitenland: intake.werkervaring_buitenland.clone(),
            taalniveau: intake.taalniveau.clone(),
            digitale_vaardigheden: intake.digitale_vaardigheden.clone(),
            financien: intake.financien.clone(),
            sociale_context: intake.sociale_context.clone(),
            gezondheid: if met_gezondheid {
                intake.gezondheid.clone()
            } else {
                None
            },
            datum_ontvangst_informatie_derden: intake.datum_ontvangst_informatie_derden,
        }
    }
}

/// Een nieuwe PIP (concept). Velden en waarden volgen DUO's PIP-API.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"leerroute": "B1", "niveau": "B1", "geschatteIntensiteitB1Route": 900, "indicatorAlfabetiseringsonderwijs": "NVT", "intensiteitPvt": "12 uur in 2027", "intensiteitMap": "32 uur", "ontzorgen": true, "afspraken": "Taalles 3 dagdelen per week"}))]
pub struct PipAanmaken {
    #[schema(value_type = schemas::Leerroute, required = true)]
    pub leerroute: Option<Leerroute>,
    #[schema(value_type = Option<schemas::Niveau>)]
    pub niveau: Option<Niveau>,
    /// Geschatte uren voor de B1-route (1 tot en met 9999); alleen B1-route en asielstatushouders.
    #[schema(minimum = 1, maximum = 9999)]
    pub geschatte_intensiteit_b1_route: Option<i64>,
    /// De inburgeraar mag een lopende, niet-vrijstellende opleiding eerst afmaken.
    pub indicator_mag_opleiding_afmaken: Option<bool>,
    #[schema(value_type = Option<schemas::Alfabetisering>)]
    pub indicator_alfabetiseringsonderwijs: Option<Alfabetisering>,
    /// Afschalen per examenonderdeel: taalonderdelen (LEZEN, LUISTEREN, SCHRIJVEN, SPREKEN) die op A2
    /// worden afgesloten terwijl het niveau B1 blijft. Alleen B1-route, niet in de eerste PIP.
    #[schema(schema_with = examenonderdelen)]
    pub afgeschaalde_onderdelen: Option<Vec<Examenonderdeel>>,
    /// Intensiteit van het participatieverklaringstraject.
    #[schema(min_length = 1, max_length = 4000, pattern = r"\S")]
    pub intensiteit_pvt: Option<String>,
    /// Intensiteit van de MAP (niet in de onderwijsroute).
    #[schema(min_length = 1, max_length = 4000, pattern = r"\S")]
    pub intensiteit_map: Option<String>,
    /// Financieel ontzorgen maakt deel uit van het plan.
    pub ontzorgen: Option<bool>,
    /// Voorzieningen en randvoorwaarden (zoals kinderopvang).
    #[schema(min_length = 1, max_length = 4000, pattern = r"\S")]
    pub voorzieningen: Option<String>,
    /// Overige afspraken, zoals voortgangsgesprekken.
    #[schema(min_length = 1, max_length = 4000, pattern = r"\S")]
    pub afspraken: Option<String>,
}

impl RequestBody for PipAanmaken {
    fn server_set() -> Vec<String> {
        properties_of::<PipDto>()
    }
}

impl From<PipAanmaken> for PipGegevens {
    fn from(body: PipAanmaken) -> Self {
        Self {
            leerroute: body.leerroute.into(),
            niveau: body.niveau.into(),
            geschatte_intensiteit_b1_route: body.geschatte_intensiteit_b1_route.into(),
            indicator_mag_opleiding_afmaken: body.indicator_mag_opleiding_afmaken.into(),
            indicator_alfabetisering: body.indicator_alfabetiseringsonderwijs.into(),
            afgeschaalde_onderdelen: body.afgeschaalde_onderdelen.into(),
            intensiteit_pvt: body.intensiteit_pvt.into(),
            intensiteit_map: body.intensiteit_map.into(),
            ontzorgen: body.ontzorgen.into(),
            voorzieningen: body.voorzieningen.into(),
            afspraken: body.afspraken.into(),
        }
    }
}

/// Een versie van het PIP.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PipDto {
    /// Identificatie van deze PIP-versie.
    pub id: Uuid,
    #[schema(value_type = schemas::PipStatus)]
    pub status: PipStatus,
    /// Dagtekening (DUO `dagtekeningPip`); gezet bij de vaststelling.
    pub datum_dagtekening: Option<NaiveDate>,
    #[schema(value_type = schemas::Leerroute)]
    pub leerroute: Leerroute,
    /// De leerroute in DUO's codering (`B`, `O`, `Z`).
    pub leerroute_duo: String,
    #[schema(value_type = Option<schemas::Niveau>)]
    pub niveau: Option<Niveau>,
    /// Geschatte uren voor de B1-route.
    pub geschatte_intensiteit_b1_route: Option<u32>,
    /// De inburgeraar mag een lopende opleiding eerst afmaken.
    pub indicator_mag_opleiding_afmaken: bool,
    #[schema(value_type = schemas::Alfabetisering)]
    pub indicator_alfabetiseringsonderwijs: Alfabetisering,
    /// Taalonderdelen die naar A2 zijn afgeschaald.
    #[schema(value_type = Vec<schemas::Examenonderdeel>)]
    pub afgeschaalde_onderdelen: Vec<Examenonderdeel>,
    /// Intensiteit van het PVT.
    #[schema(min_length = 1, max_length = 4000, pattern = r"\S")]
    pub intensiteit_pvt: Option<String>,
    /// Intensiteit van de MAP.
    #[schema(min_length = 1, max_length = 4000, pattern = r"\S")]
    pub intensiteit_map: Option<String>,
    /// Financieel ontzorgen maakt deel uit van het plan.
    pub ontzorgen: bool,
    /// Voorzieningen.
    #[schema(min_length = 1, max_length = 4000, pattern = r"\S")]
    pub voorzieningen: Option<String>,
    /// Afspraken.
    #[schema(min_length = 1, max_length = 4000, pattern = r"\S")]
    pub afspraken: Option<String>,
}

impl From<&Pip> for PipDto {
    fn from(pip: &Pip) -> Self {
        Self {
            id: pip.id.0,
            status: pip.status,
            datum_dagtekening: pip.datum_dagtekening,
            leerroute: pip.leerroute,
            leerroute_duo: pip.leerroute.duo_code().to_owned(),
            niveau: pip.niveau,
            geschatte_intensiteit_b1_route: pip.geschatte_intensiteit_b1_route,
            indicator_mag_opleiding_afmaken: pip.indicator_mag_opleiding_afmaken,
            indicator_alfabetiseringsonderwijs: pip.indicator_alfabetisering,
            afgeschaalde_onderdelen: pip.afgeschaalde_onderdelen.clone(),
            intensiteit_pvt: pip.intensiteit_pvt.clone(),
            intensiteit_map: pip.intensiteit_map.clone(),
            ontzorgen: pip.ontzorgen,
            voorzieningen: pip.voorzieningen.clone(),
            afspraken: pip.afspraken.clone(),
        }
    }
}

/// Alle PIP-versies van een inburgeraar, oudste eerst.
#[derive(Debug, Serialize, ToSchema)]
pub struct PipLijst {
    /// De PIP-versies.
    pub resultaten: Vec<PipDto>,
}

/// De vaststelling van een PIP.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"datumDagtekening": "2026-11-02"}))]
pub struct PipVaststelling {
    /// Dagtekening: niet voor de start van de plicht, de vestiging of eerdere PIPs, niet in de toekomst.
    #[schema(required = true, nullable = false)]
    pub datum_dagtekening: Option<NaiveDate>,
}

impl RequestBody for PipVaststelling {}

/// Een waarschuwing bij de termijn.
#[derive(Debug, Serialize, ToSchema)]
pub struct WaarschuwingDto {
    /// Soort waarschuwing.
    #[schema(example = "termijnEindeNadert")]
    pub soort: String,
    /// De datum waar het om gaat.
    pub datum: NaiveDate,
    /// Uitleg.
    pub omschrijving: String,
}

impl From<&Waarschuwing> for WaarschuwingDto {
    fn from(w: &Waarschuwing) -> Self {
        Self {
            soort: w.soort.to_owned(),
            datum: w.datum,
            omschrijving: w.omschrijving.to_owned(),
        }
    }
}

/// De berekende inburgeringstermijn met de PIP-termijn, de laatste schakeldatum en waarschuwingen.
/// Alles wordt berekend, niets ingetypt.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TermijnDto {
    #[schema(value_type = schemas::TermijnStand)]
    pub stand: TermijnStand,
    /// Start van de termijn: de dag na de dagtekening van de eerste PIP (`null` zolang er geen is).
    pub datum_start: Option<NaiveDate>,
    /// Laatste dag van de termijn: start + 3 jaar + verlengingen.
    pub datum_einde: Option<NaiveDate>,
    /// Totaal aantal maanden verlenging.
    pub verlengd_maanden: u32,
    /// Laatste dag waarop van leerroute kan worden gewisseld (start + 18 maanden; niet voor onderwijsroute naar B1-route).
    pub laatste_schakeldatum: Option<NaiveDate>,
    /// Uiterste datum voor de PIP: 10 weken na de kennisgeving of de latere vestiging, of 2 weken na ontvangst van informatie van derden.
    pub pip_deadline: Option<NaiveDate>,
    /// Datum waarop de AOW-leeftijd (67 jaar) wordt bereikt.
    pub datum_aow: Option<NaiveDate>,
    /// Waarschuwingen op de dag van vandaag.
    pub waarschuwingen: Vec<WaarschuwingDto>,
}

impl From<&TermijnOverzicht> for TermijnDto {
    fn from(o: &TermijnOverzicht) -> Self {
        Self {
            stand: o.stand,
            datum_start: o.termijn.as_ref().map(|t| t.datum_start),
            datum_einde: o.termijn.as_ref().map(|t| t.datum_einde),
            verlengd_maanden: o.termijn.as_ref().map_or(0, |t| t.verlengd_maanden),
            laatste_schakeldatum: o.termijn.as_ref().map(|t| t.laatste_schakeldatum),
            pip_deadline: o.pip_deadline,
            datum_aow: o.datum_aow,
            waarschuwingen: o.waarschuwingen.iter().map(WaarschuwingDto::from).collect(),
        }
    }
}

/// Een verlenging van de termijn, door DUO besloten.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"maanden": 6, "grond": "Aantoonbaar voldoende inspanning", "datumBesluit": "2026-10-01"}))]
pub struct VerlengingAanmaken {
    /// Aantal maanden (1 tot en met 24).
    #[schema(required = true, nullable = false, minimum = 1, maximum = 24)]
    pub maanden: Option<i64>,
    /// Grond van de verlenging (DUO `verlengingsgronden`).
    #[schema(
        required = true,
        nullable = false,
        min_length = 1,
        max_length = 4000,
        pattern = "\\S"
    )]
    pub grond: Option<String>,
    /// Datum van het besluit; niet in de toekomst.
    #[schema(required = true, nullable = false)]
    pub datum_besluit: Option<NaiveDate>,
}

impl RequestBody for VerlengingAanmaken {
    fn server_set() -> Vec<String> {
        properties_of::<VerlengingDto>()
    }
}

impl From<VerlengingAanmaken> for VerlengingGegevens {
    fn from(body: VerlengingAanmaken) -> Self {
        Self {
            maanden: body.maanden.into(),
            grond: body.grond.into(),
            datum_besluit: body.datum_besluit.into(),
        }
    }
}

/// Een vastgelegde verlenging.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VerlengingDto {
    /// Identificatie.
    pub id: String,
    /// Aantal maanden.
    pub maanden: u32,
    /// Grond.
    pub grond: String,
    /// Datum van het besluit.
    pub datum_besluit: NaiveDate,
}

impl From<&Verlenging> for VerlengingDto {
    fn from(v: &Verlenging) -> Self {
        Self {
            id: v.id.clone(),
            maanden: v.maanden,
            grond: v.grond.clone(),
            datum_besluit: v.datum_besluit,
        }
    }
}

/// Een pagina van de verlengingen van de termijn, oudste eerst.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VerlengingLijst {
    /// De verlengingen op deze pagina, oudste eerst.
    pub resultaten: Vec<VerlengingDto>,
    /// URL van de volgende pagina, of `null`.
    #[schema(format = "uri-reference")]
    pub volgende_pagina: Option<String>,
}

/// De registratie van een onderdeel (PUT vervangt alles: wat ontbreekt, wordt ingetrokken).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"datumAfronding": "2026-11-10"}))]
pub struct OnderdeelWijzigen {
    /// Afronding: eindgesprek (MAP), ondertekening (PVT), afronding (KNM, Z-route). Niet voor de start
    /// van de termijn, niet in de toekomst, niet na de afronding van de Z-route.
    pub datum_afronding: Option<NaiveDate>,
    #[schema(value_type = Option<schemas::Verwijtbaar>)]
    pub verwijtbaar: Option<Verwijtbaar>,
    /// Z-route: gevolgde lesuren.
    #[schema(minimum = 0, maximum = 10000)]
    pub lesuren: Option<i64>,
    /// Z-route: gevolgde participatie-uren (norm alleen voor asielstatushouders).
    #[schema(minimum = 0, maximum = 10000)]
    pub participatie_uren: Option<i64>,
}

impl RequestBody for OnderdeelWijzigen {
    fn server_set() -> Vec<String> {
        properties_of::<OnderdeelDto>()
    }
}

impl From<OnderdeelWijzigen> for OnderdeelGegevens {
    fn from(body: OnderdeelWijzigen) -> Self {
        Self {
            datum_afronding: body.datum_afronding.into(),
            verwijtbaar: body.verwijtbaar.into(),
            lesuren: body.lesuren.into(),
            participatie_uren: body.participatie_uren.into(),
        }
    }
}

/// Een onderdeel van het traject met zijn voortgang.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OnderdeelDto {
    #[schema(value_type = schemas::OnderdeelSoort)]
    pub onderdeel: OnderdeelSoort,
    /// `open` of `afgerond`.
    #[schema(example = "afgerond")]
    pub status: String,
    /// Datum van afronding.
    pub datum_afronding: Option<NaiveDate>,
    #[schema(value_type = Option<schemas::Verwijtbaar>)]
    pub verwijtbaar: Option<Verwijtbaar>,
    /// Z-route: gevolgde lesuren.
    pub lesuren: u32,
    /// Z-route: norm voor lesuren (800).
    pub lesuren_norm: Option<u32>,
    /// Z-route: gevolgde participatie-uren.
    pub participatie_uren: u32,
    /// Z-route: norm voor participatie-uren (800 voor asielstatushouders, anders 0).
    pub participatie_uren_norm: Option<u32>,
}

impl OnderdeelDto {
    pub fn from_domain(soort: OnderdeelSoort, onderdeel: Option<&Onderdeel>, asiel: bool) -> Self {
        let empty = Onderdeel::default();
        let o = onderdeel.unwrap_or(&empty);
        let z = soort == OnderdeelSoort::ZRoute;
        let (lesuren_norm, participatie_norm) = Z_ROUTE_DEFAULTS;
        Self {
            onderdeel: soort,
            status: if o.datum_afronding.is_some() {
                "afgerond"
            } else {
                "open"
            }
            .to_owned(),
            datum_afronding: o.datum_afronding,
            verwijtbaar: o.verwijtbaar,
            lesuren: o.lesuren,
            lesuren_norm: z.then_some(lesuren_norm),
            participatie_uren: o.participatie_uren,
            participatie_uren_norm: z.then_some(if asiel { participatie_norm } else { 0 }),
        }
    }
}

/// Een ontheffing zoals DUO die besloot: MED (medisch) of BIO (bijzondere individuele omstandigheden),
/// GEHEEL of GEDEELTELIJK.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"code": "MED", "omvang": "GEDEELTELIJK", "examenonderdelen": ["SPREKEN"], "datumBesluit": "2026-10-15"}))]
pub struct OntheffingAanmaken {
    #[schema(value_type = schemas::OntheffingCode, required = true)]
    pub code: Option<OntheffingCode>,
    #[schema(value_type = OntheffingOmvang, required = true)]
    pub omvang: Option<Omvang>,
    #[schema(schema_with = examenonderdelen)]
    pub examenonderdelen: Option<Vec<Examenonderdeel>>,
    /// Datum van het besluit; niet in de toekomst.
    #[schema(required = true, nullable = false)]
    pub datum_besluit: Option<NaiveDate>,
    /// Niet voor ontheffingen.
    pub datum_einde: Option<NaiveDate>,
}

impl RequestBody for OntheffingAanmaken {
    fn server_set() -> Vec<String> {
        properties_of::<BesluitDto>()
    }
}

impl From<OntheffingAanmaken> for BesluitGegevens {
    fn from(body: OntheffingAanmaken) -> Self {
        let code = body.code.map(BesluitCode::Ontheffing);
        besluit(
            code,
            body.omvang,
            body.examenonderdelen,
            body.datum_besluit,
            body.datum_einde,
        )
    }
}

/// What the domain judges of a decision, ontheffing or vrijstelling alike.
fn besluit(
    code: Option<BesluitCode>,
    omvang: Option<Omvang>,
    examenonderdelen: Option<Vec<Examenonderdeel>>,
    datum_besluit: Option<NaiveDate>,
    datum_einde: Option<NaiveDate>,
) -> BesluitGegevens {
    BesluitGegevens {
        code: code.into(),
        omvang: omvang.into(),
        examenonderdelen: examenonderdelen.into(),
        datum_besluit: datum_besluit.into(),
        datum_einde: datum_einde.into(),
    }
}

/// Een vrijstelling zoals DUO die besloot: AVI, DIP, DOC, INB (geheel), GED (gedeeltelijk, per
/// examenonderdeel), INS, OPL (tijdelijk, met einddatum).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"code": "GED", "examenonderdelen": ["SCHRIJVEN"], "datumBesluit": "2026-10-15"}))]
pub struct BesluitAanmaken {
    #[schema(value_type = schemas::VrijstellingCode, required = true)]
    pub code: Option<VrijstellingCode>,
    #[schema(value_type = Option<schemas::Omvang>)]
    pub omvang: Option<Omvang>,
    #[schema(schema_with = examenonderdelen)]
    pub examenonderdelen: Option<Vec<Examenonderdeel>>,
    /// Datum van het besluit; niet in de toekomst.
    #[schema(required = true, nullable = false)]
    pub datum_besluit: Option<NaiveDate>,
    /// Einddatum van een tijdelijke vrijstelling.
    pub datum_einde: Option<NaiveDate>,
}

impl RequestBody for BesluitAanmaken {
    fn server_set() -> Vec<String> {
        properties_of::<BesluitDto>()
    }
}

impl From<BesluitAanmaken> for BesluitGegevens {
    fn from(body: BesluitAanmaken) -> Self {
        let code = body.code.map(BesluitCode::Vrijstelling);
        besluit(
            code,
            body.omvang,
            body.examenonderdelen,
            body.datum_besluit,
            body.datum_einde,
        )
    }
}

/// Een vastgelegd besluit.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BesluitDto {
    /// Identificatie.
    pub id: String,
    /// DUO-code.
    pub code: String,
    #[schema(value_type = schemas::Omvang)]
    pub omvang: Omvang,
    /// Examenonderdelen (bij een gedeeltelijk besluit).
    #[schema(value_type = Vec<schemas::Examenonderdeel>)]
    pub examenonderdelen: Vec<Examenonderdeel>,
    /// Datum van het besluit.
    pub datum_besluit: NaiveDate,
    /// Einddatum (tijdelijke vrijstelling).
    pub datum_einde: Option<NaiveDate>,
}

impl From<&Besluit> for BesluitDto {
    fn from(b: &Besluit) -> Self {
        Self {
            id: b.id.clone(),
            code: b.code.clone(),
            omvang: b.omvang,
            examenonderdelen: b.examenonderdelen.clone(),
            datum_besluit: b.datum_besluit,
            datum_einde: b.datum_einde,
        }
    }
}

/// Een pagina van de besluiten (ontheffingen of vrijstellingen), oudste eerst.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BesluitLijst {
    /// De besluiten op deze pagina, oudste eerst.
    pub resultaten: Vec<BesluitDto>,
    /// URL van de volgende pagina, of `null`.
    #[schema(format = "uri-reference")]
    pub volgende_pagina: Option<String>,
}

/// Een statuswijziging die DUO of de gemeente besluit: `voldaan` (diploma), `beeindigd` (met reden),
/// `termijnOverschreden`, `tijdelijkVrijgesteld`, `hervat`, `verhuisd`, `doelgroepGewijzigd`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"gebeurtenis": "voldaan", "datum": "2026-11-01", "reden": "Diploma inburgering (DUO SS106)"}))]
pub struct StatuswijzigingAanmaken {
    #[schema(value_type = super::statuswijzigingen::DirecteGebeurtenis, required = true)]
    pub gebeurtenis: Option<Gebeurtenis>,
    /// Datum van de gebeurtenis; niet in de toekomst.
    #[schema(required = true, nullable = false)]
    pub datum: Option<NaiveDate>,
    /// Toelichting; bij `beeindigd` een waarde van DUO's `RedenGeenInburgeringsplicht`:
    /// VERBLIJFSDOEL_GEWIJZIGD, BUITENLAND, OVERLEDEN, NATURALISATIE, AOW_LEEFTIJD of OVERIG.
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub reden: Option<String>,
}

impl RequestBody for StatuswijzigingAanmaken {
    fn server_set() -> Vec<String> {
        properties_of::<StatuswijzigingDto>()
    }
}

/// Een wijziging van de status.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatuswijzigingDto {
    #[schema(value_type = schemas::Gebeurtenis)]
    pub gebeurtenis: Gebeurtenis,
    /// Status ervoor.
    #[schema(value_type = schemas::InburgeraarStatus)]
    pub van: InburgeraarStatus,
    /// Status erna.
    #[schema(value_type = schemas::InburgeraarStatus)]
    pub naar: InburgeraarStatus,
    /// Datum van de gebeurtenis.
    pub datum: NaiveDate,
    /// Toelichting.
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub reden: Option<String>,
}

impl From<&Statuswijziging> for StatuswijzigingDto {
    fn from(s: &Statuswijziging) -> Self {
        Self {
            gebeurtenis: s.gebeurtenis,
            van: s.van,
            naar: s.naar,
            datum: s.datum,
            reden: s.reden.clone(),
        }
    }
}

/// De status van een inburgeraar, wat vanuit daar kan, en de geschiedenis.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusOverzicht {
    /// Huidige status.
    #[schema(value_type = schemas::InburgeraarStatus)]
    pub status: InburgeraarStatus,
    /// Gebeurtenissen die vanuit deze status mogelijk zijn.
    #[schema(value_type = Vec<schemas::Gebeurtenis>)]
    pub toegestane_gebeurtenissen: Vec<Gebeurtenis>,
    /// De statuswijzigingen, oudste eerst: bij opvragen die op deze pagina, na een nieuwe
    /// statuswijziging alle.
    pub resultaten: Vec<StatuswijzigingDto>,
    /// URL van de volgende pagina, of `null`.
    #[schema(format = "uri-reference")]
    pub volgende_pagina: Option<String>,
}
