//! The shapes of the trajectory on the wire. Enumerations come from the domain's own value lists.

use chrono::NaiveDate;
use koers_domain::pip::{Alfabetisering, Leerroute, Niveau, Pip, PipStatus};
use koers_domain::status::{Gebeurtenis, Statuswijziging};
use koers_domain::termijn::{Waarschuwing, Z_ROUTE_DEFAULTS};
use koers_domain::traject::{
    Besluit, BredeIntake, LbtResultaat, Omvang, Onderdeel, OnderdeelSoort, OntheffingCode,
    TermijnOverzicht, TermijnStand, Verlenging, Verwijtbaar, VrijstellingCode,
};
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::RefOr;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::schemas::values;

macro_rules! nullable_schema {
    ($fn:ident, $of:ident) => {
        pub fn $fn() -> RefOr<Schema> {
            crate::schemas::nullable($of())
        }
    };
}

/// GEHEEL or GEDEELTELIJK: an ontheffing is never temporary.
pub fn ontheffing_omvang() -> RefOr<Schema> {
    values(
        vec![Omvang::Geheel.as_str(), Omvang::Gedeeltelijk.as_str()],
        "GEHEEL of GEDEELTELIJK (dan met examenonderdelen).",
    )
}

/// The exam parts a partial decision names (nullable: optional in the body).
pub fn examenonderdelen() -> RefOr<Schema> {
    utoipa::openapi::schema::ArrayBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
        .items(
            ObjectBuilder::new()
                .schema_type(SchemaType::Type(Type::String))
                .enum_values(Some(
                    koers_domain::traject::Examenonderdeel::ALL
                        .iter()
                        .map(|e| e.as_str()),
                )),
        )
        .unique_items(true)
        .description(Some("Examenonderdelen van een gedeeltelijk besluit."))
        .into()
}

nullable_schema!(niveau_of_null, niveau);
nullable_schema!(alfabetisering_of_null, alfabetisering);
nullable_schema!(lbt_resultaat_of_null, lbt_resultaat);
nullable_schema!(verwijtbaar_of_null, verwijtbaar);
nullable_schema!(omvang_of_null, omvang);

macro_rules! enum_schema {
    ($fn:ident, $ty:ty, $description:literal) => {
        pub fn $fn() -> RefOr<Schema> {
            values(
                <$ty>::ALL.iter().map(|v| v.as_str()).collect(),
                $description,
            )
        }
    };
}

enum_schema!(leerroute, Leerroute, "Leerroute: `B1` (B1-route, DUO `B`), `ONDERWIJS` (onderwijsroute, DUO `O`) of `Z` (zelfredzaamheidsroute, DUO `Z`).");
enum_schema!(niveau, Niveau, "DUO `NiveauPip`: het minimaal te behalen niveau van de taalexamens. Standaard B1 in de B1-route en de onderwijsroute.");
enum_schema!(
    alfabetisering,
    Alfabetisering,
    "DUO `Alfabetiseringsonderwijs`: A (analfabeet), AA (anders-gealfabetiseerd) of NVT."
);
enum_schema!(
    pip_status,
    PipStatus,
    "`concept` tot de vaststelling, daarna `vastgesteld` (een beschikking)."
);
enum_schema!(
    lbt_resultaat,
    LbtResultaat,
    "Uitkomst van de leerbaarheidstoets."
);
enum_schema!(
    verwijtbaar,
    Verwijtbaar,
    "DUO `Verwijtbaar` bij overschrijding van de termijn (alleen MAP en PVT)."
);
enum_schema!(omvang, Omvang, "Reikwijdte van het besluit.");
enum_schema!(
    ontheffing_code,
    OntheffingCode,
    "DUO-code van de ontheffing."
);
enum_schema!(
    vrijstelling_code,
    VrijstellingCode,
    "DUO-code van de vrijstelling: de omvang volgt uit de code."
);
enum_schema!(gebeurtenis, Gebeurtenis, "Gebeurtenis in het traject.");
enum_schema!(
    termijn_stand,
    TermijnStand,
    "Stand van de termijn: `nietGestart` (nog geen PIP), `loopt`, `opgeschort` (tijdelijke vrijstelling) of `beeindigd` (plicht voldaan, ontheven, vrijgesteld of beëindigd)."
);
enum_schema!(
    onderdeel_soort,
    OnderdeelSoort,
    "Onderdeel van het traject."
);

/// De leerbaarheidstoets: een resultaat met score en datum, of een vastgelegde vrijstelling.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LeerbaarheidstoetsDto {
    #[schema(schema_with = lbt_resultaat_of_null)]
    pub resultaat: Option<String>,
    /// Score (0 tot en met 100).
    #[schema(minimum = 0, maximum = 100)]
    pub score: Option<u32>,
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
    pub datum_start: NaiveDate,
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

impl BredeIntakeDto {
    pub fn from_domain(intake: &BredeIntake, met_gezondheid: bool) -> Self {
        Self {
            datum_start: intake.datum_start,
            datum_einde: intake.datum_einde,
            leerbaarheidstoets: intake
                .leerbaarheidstoets
                .as_ref()
                .map(|l| LeerbaarheidstoetsDto {
                    resultaat: l.resultaat.map(|r| r.as_str().to_owned()),
                    score: l.score,
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
#[expect(
    dead_code,
    reason = "documents the body; bodies are read field by field so that every invalid field is reported"
)]
#[schema(example = json!({"leerroute": "B1", "niveau": "B1", "geschatteIntensiteitB1Route": 900, "indicatorAlfabetiseringsonderwijs": "NVT", "intensiteitPvt": "12 uur in 2027", "intensiteitMap": "32 uur", "ontzorgen": true, "afspraken": "Taalles 3 dagdelen per week"}))]
pub struct PipAanmaken {
    #[schema(schema_with = leerroute)]
    pub leerroute: String,
    #[schema(schema_with = niveau_of_null)]
    pub niveau: Option<String>,
    /// Geschatte uren voor de B1-route (1 tot en met 9999); alleen B1-route en asielstatushouders.
    #[schema(minimum = 1, maximum = 9999)]
    pub geschatte_intensiteit_b1_route: Option<u32>,
    /// De inburgeraar mag een lopende, niet-vrijstellende opleiding eerst afmaken.
    pub indicator_mag_opleiding_afmaken: Option<bool>,
    #[schema(schema_with = alfabetisering_of_null)]
    pub indicator_alfabetiseringsonderwijs: Option<String>,
    /// Afschalen per examenonderdeel: taalonderdelen (LEZEN, LUISTEREN, SCHRIJVEN, SPREKEN) die op A2
    /// worden afgesloten terwijl het niveau B1 blijft. Alleen B1-route, niet in de eerste PIP.
    pub afgeschaalde_onderdelen: Option<Vec<String>>,
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

/// Een versie van het PIP.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PipDto {
    /// Identificatie van deze PIP-versie.
    pub id: Uuid,
    #[schema(schema_with = pip_status)]
    pub status: String,
    /// Dagtekening (DUO `dagtekeningPip`); gezet bij de vaststelling.
    pub datum_dagtekening: Option<NaiveDate>,
    #[schema(schema_with = leerroute)]
    pub leerroute: String,
    /// De leerroute in DUO's codering (`B`, `O`, `Z`).
    pub leerroute_duo: String,
    #[schema(schema_with = niveau_of_null)]
    pub niveau: Option<String>,
    /// Geschatte uren voor de B1-route.
    pub geschatte_intensiteit_b1_route: Option<u32>,
    /// De inburgeraar mag een lopende opleiding eerst afmaken.
    pub indicator_mag_opleiding_afmaken: bool,
    #[schema(schema_with = alfabetisering)]
    pub indicator_alfabetiseringsonderwijs: String,
    /// Taalonderdelen die naar A2 zijn afgeschaald.
    pub afgeschaalde_onderdelen: Vec<String>,
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
            status: pip.status.as_str().to_owned(),
            datum_dagtekening: pip.datum_dagtekening,
            leerroute: pip.leerroute.as_str().to_owned(),
            leerroute_duo: pip.leerroute.duo_code().to_owned(),
            niveau: pip.niveau.map(|n| n.as_str().to_owned()),
            geschatte_intensiteit_b1_route: pip.geschatte_intensiteit_b1_route,
            indicator_mag_opleiding_afmaken: pip.indicator_mag_opleiding_afmaken,
            indicator_alfabetiseringsonderwijs: pip.indicator_alfabetisering.as_str().to_owned(),
            afgeschaalde_onderdelen: pip
                .afgeschaalde_onderdelen
                .iter()
                .map(|p| p.as_str().to_owned())
                .collect(),
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
#[expect(
    dead_code,
    reason = "documents the body; bodies are read field by field so that every invalid field is reported"
)]
#[schema(example = json!({"datumDagtekening": "2026-11-02"}))]
pub struct PipVaststelling {
    /// Dagtekening: niet voor de start van de plicht, de vestiging of eerdere PIPs, niet in de toekomst.
    pub datum_dagtekening: NaiveDate,
}

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
    #[schema(schema_with = termijn_stand)]
    pub stand: String,
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
            stand: o.stand.as_str().to_owned(),
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
    #[schema(minimum = 1, maximum = 24)]
    pub maanden: u32,
    /// Grond van de verlenging (DUO `verlengingsgronden`).
    #[schema(min_length = 1, max_length = 4000, pattern = "\\S")]
    pub grond: String,
    /// Datum van het besluit; niet in de toekomst.
    pub datum_besluit: NaiveDate,
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

/// De verlengingen van de termijn.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerlengingLijst {
    /// De verlengingen, oudste eerst.
    pub resultaten: Vec<VerlengingDto>,
}

/// De registratie van een onderdeel (PUT vervangt alles: wat ontbreekt, wordt ingetrokken).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "documents the body; bodies are read field by field so that every invalid field is reported"
)]
#[schema(example = json!({"datumAfronding": "2026-11-10"}))]
pub struct OnderdeelWijzigen {
    /// Afronding: eindgesprek (MAP), ondertekening (PVT), afronding (KNM, Z-route). Niet voor de start
    /// van de termijn, niet in de toekomst, niet na de afronding van de Z-route.
    pub datum_afronding: Option<NaiveDate>,
    #[schema(schema_with = verwijtbaar_of_null)]
    pub verwijtbaar: Option<String>,
    /// Z-route: gevolgde lesuren.
    #[schema(minimum = 0, maximum = 10000)]
    pub lesuren: Option<u32>,
    /// Z-route: gevolgde participatie-uren (norm alleen voor asielstatushouders).
    #[schema(minimum = 0, maximum = 10000)]
    pub participatie_uren: Option<u32>,
}

/// Een onderdeel van het traject met zijn voortgang.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OnderdeelDto {
    #[schema(schema_with = onderdeel_soort)]
    pub onderdeel: String,
    /// `open` of `afgerond`.
    #[schema(example = "afgerond")]
    pub status: String,
    /// Datum van afronding.
    pub datum_afronding: Option<NaiveDate>,
    #[schema(schema_with = verwijtbaar_of_null)]
    pub verwijtbaar: Option<String>,
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
            onderdeel: soort.as_str().to_owned(),
            status: if o.datum_afronding.is_some() {
                "afgerond"
            } else {
                "open"
            }
            .to_owned(),
            datum_afronding: o.datum_afronding,
            verwijtbaar: o.verwijtbaar.map(|v| v.as_str().to_owned()),
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
#[expect(
    dead_code,
    reason = "documents the body; bodies are read field by field so that every invalid field is reported"
)]
#[schema(example = json!({"code": "MED", "omvang": "GEDEELTELIJK", "examenonderdelen": ["SPREKEN"], "datumBesluit": "2026-10-15"}))]
pub struct OntheffingAanmaken {
    #[schema(schema_with = ontheffing_code)]
    pub code: String,
    #[schema(schema_with = ontheffing_omvang)]
    pub omvang: String,
    #[schema(schema_with = examenonderdelen)]
    pub examenonderdelen: Option<Vec<String>>,
    /// Datum van het besluit; niet in de toekomst.
    pub datum_besluit: NaiveDate,
    /// Niet voor ontheffingen.
    pub datum_einde: Option<NaiveDate>,
}

/// Een vrijstelling zoals DUO die besloot: AVI, DIP, DOC, INB (geheel), GED (gedeeltelijk, per
/// examenonderdeel), INS, OPL (tijdelijk, met einddatum).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "documents the body; bodies are read field by field so that every invalid field is reported"
)]
#[schema(example = json!({"code": "GED", "examenonderdelen": ["SCHRIJVEN"], "datumBesluit": "2026-10-15"}))]
pub struct BesluitAanmaken {
    #[schema(schema_with = vrijstelling_code)]
    pub code: String,
    #[schema(schema_with = omvang_of_null)]
    pub omvang: Option<String>,
    #[schema(schema_with = examenonderdelen)]
    pub examenonderdelen: Option<Vec<String>>,
    /// Datum van het besluit; niet in de toekomst.
    pub datum_besluit: NaiveDate,
    /// Einddatum van een tijdelijke vrijstelling.
    pub datum_einde: Option<NaiveDate>,
}

/// Een vastgelegd besluit.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BesluitDto {
    /// Identificatie.
    pub id: String,
    /// DUO-code.
    pub code: String,
    #[schema(schema_with = omvang)]
    pub omvang: String,
    /// Examenonderdelen (bij een gedeeltelijk besluit): LEZEN, LUISTEREN, SCHRIJVEN, SPREKEN, KNM.
    pub examenonderdelen: Vec<String>,
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
            omvang: b.omvang.as_str().to_owned(),
            examenonderdelen: b
                .examenonderdelen
                .iter()
                .map(|e| e.as_str().to_owned())
                .collect(),
            datum_besluit: b.datum_besluit,
            datum_einde: b.datum_einde,
        }
    }
}

/// Besluiten (ontheffingen of vrijstellingen).
#[derive(Debug, Serialize, ToSchema)]
pub struct BesluitLijst {
    /// De besluiten, oudste eerst.
    pub resultaten: Vec<BesluitDto>,
}

/// Een statuswijziging die DUO of de gemeente besluit: `voldaan` (diploma), `beeindigd` (met reden),
/// `termijnOverschreden`, `tijdelijkVrijgesteld`, `hervat`, `verhuisd`, `doelgroepGewijzigd`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "documents the body; bodies are read field by field so that every invalid field is reported"
)]
#[schema(example = json!({"gebeurtenis": "voldaan", "datum": "2026-11-01", "reden": "Diploma inburgering (DUO SS106)"}))]
pub struct StatuswijzigingAanmaken {
    #[schema(schema_with = super::statuswijzigingen::directe_gebeurtenis)]
    pub gebeurtenis: String,
    /// Datum van de gebeurtenis; niet in de toekomst.
    pub datum: NaiveDate,
    /// Toelichting; bij `beeindigd` een waarde van DUO's `RedenGeenInburgeringsplicht`:
    /// VERBLIJFSDOEL_GEWIJZIGD, BUITENLAND, OVERLEDEN, NATURALISATIE, AOW_LEEFTIJD of OVERIG.
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub reden: Option<String>,
}

/// Een wijziging van de status.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatuswijzigingDto {
    #[schema(schema_with = gebeurtenis)]
    pub gebeurtenis: String,
    /// Status ervoor.
    pub van: String,
    /// Status erna.
    pub naar: String,
    /// Datum van de gebeurtenis.
    pub datum: NaiveDate,
    /// Toelichting.
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub reden: Option<String>,
}

impl From<&Statuswijziging> for StatuswijzigingDto {
    fn from(s: &Statuswijziging) -> Self {
        Self {
            gebeurtenis: s.gebeurtenis.as_str().to_owned(),
            van: s.van.as_str().to_owned(),
            naar: s.naar.as_str().to_owned(),
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
    pub status: String,
    /// Gebeurtenissen die vanuit deze status mogelijk zijn.
    pub toegestane_gebeurtenissen: Vec<String>,
    /// Alle statuswijzigingen, oudste eerst.
    pub resultaten: Vec<StatuswijzigingDto>,
}
