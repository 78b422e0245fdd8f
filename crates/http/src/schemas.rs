//! Named schemas for the domain's closed value lists: one component per list, built from the domain's
//! own values, used by requests and answers alike. A field holding a domain enum declares its schema
//! with `#[schema(value_type = schemas::Doelgroep)]` (or `Option<…>` for a nullable one, which the
//! contract writes as a reference plus `null`, so that generators make one type).

use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::RefOr;

/// A string enumeration with its description; the first value is the example.
pub fn values(list: Vec<&'static str>, description: &str) -> RefOr<Schema> {
    let example = list.first().copied().unwrap_or_default();
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .enum_values(Some(list))
        .description(Some(description))
        .examples([serde_json::json!(example)])
        .into()
}

/// The CBS code of a gemeente: four digits.
pub struct Gemeentecode;

impl utoipa::PartialSchema for Gemeentecode {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::String))
            .pattern(Some("^[0-9]{4}$"))
            .description(Some("CBS-code van een gemeente: vier cijfers."))
            .examples([serde_json::json!("0405")])
            .into()
    }
}

impl utoipa::ToSchema for Gemeentecode {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("Gemeentecode")
    }
}

/// Declares the named schemas of the domain's value lists (`text_enum!` in the domain), and [`all`],
/// which the contract registers as components.
macro_rules! value_lists {
    ($($(#[doc = $doc:literal])+ $name:ident => $domain:ty;)+) => {
        $(
            $(#[doc = $doc])+
            pub struct $name;

            impl utoipa::PartialSchema for $name {
                fn schema() -> RefOr<Schema> {
                    values(
                        <$domain>::ALL.iter().map(|value| value.as_str()).collect(),
                        concat!($($doc, "\n"),+).trim(),
                    )
                }
            }

            impl utoipa::ToSchema for $name {
                fn name() -> std::borrow::Cow<'static, str> {
                    std::borrow::Cow::Borrowed(stringify!($name))
                }
            }
        )+

        /// Every value list, and the gemeentecode, as (component name, schema).
        pub fn all() -> Vec<(String, RefOr<Schema>)> {
            vec![
                $((stringify!($name).to_owned(), <$name as utoipa::PartialSchema>::schema()),)+
                ("Gemeentecode".to_owned(), <Gemeentecode as utoipa::PartialSchema>::schema()),
            ]
        }
    };
}

value_lists! {
    /// Doelgroep, de waarden van DUO's `GedetailleerdeDoelgroep` (API Inburgeringsplicht).
    Doelgroep => koers_domain::inburgeraar::Doelgroep;
    /// Wettelijk regime: `WI2021` voor een inburgeringsplicht vanaf 1 januari 2022, `WI2013` daarvoor.
    Regime => koers_domain::inburgeraar::Regime;
    /// Fase van het inburgeringstraject; afgeleid door Koers, niet te schrijven.
    InburgeraarStatus => koers_domain::inburgeraar::InburgeraarStatus;
    /// Soort organisatie.
    OrganisatieSoort => koers_domain::partner::OrganisatieSoort;
    /// AVG-grondslag: art. 6 lid 1 onder a (TOESTEMMING), c (WETTELIJKE_VERPLICHTING), e (PUBLIEKE_TAAK),
    /// b (OVEREENKOMST); art. 9 lid 2 onder a (UITDRUKKELIJKE_TOESTEMMING_ART9), verplicht voor
    /// gezondheidsgegevens.
    Grondslag => koers_domain::partner::Grondslag;
    /// Stand van de toestemming: GEGEVEN (van kracht binnen de geldigheid), INGETROKKEN, VERLOPEN of
    /// GEWEIGERD.
    ToestemmingStatus => koers_domain::partner::ToestemmingGebeurtenis;
    /// Doel waarvoor gedeeld mag worden.
    Doel => koers_domain::partner::Doel;
    /// Gegevenscategorie; GEZONDHEID alleen met UITDRUKKELIJKE_TOESTEMMING_ART9.
    Gegevenscategorie => koers_domain::partner::Gegevenscategorie;
    /// Hoe de toestemming is vastgelegd.
    Kanaal => koers_domain::partner::Kanaal;
    /// Waarvoor iemand is ingeschreven: een cursus of een leerwerkroute.
    InschrijvingSoort => koers_domain::voortgang::InschrijvingSoort;
    /// Onderdeel van een examenresultaat: een taalexamen, KNM of een staatsexamen NT2.
    ExamenresultaatOnderdeel => koers_domain::voortgang::ExamenOnderdeel;
    /// Niveau van een examen.
    ExamenNiveau => koers_domain::voortgang::ExamenNiveau;
    /// Uitslag van een examen; bij GEEN hoort een reden.
    ExamenUitslag => koers_domain::voortgang::ExamenUitslag;
    /// Reden dat een examen geen uitslag heeft (alleen bij uitslag GEEN).
    RedenGeenUitslag => koers_domain::voortgang::RedenGeenUitslag;
    /// Wie het resultaat aanlevert: AANBIEDER, of DUO (alleen via de gemeente). DUO's resultaat is leidend.
    Bron => koers_domain::voortgang::Bron;
    /// Leerroute: `B1` (B1-route, DUO `B`), `ONDERWIJS` (onderwijsroute, DUO `O`) of `Z`
    /// (zelfredzaamheidsroute, DUO `Z`).
    Leerroute => koers_domain::pip::Leerroute;
    /// DUO `NiveauPip`: het minimaal te behalen niveau van de taalexamens. Standaard B1 in de B1-route
    /// en de onderwijsroute.
    Niveau => koers_domain::pip::Niveau;
    /// DUO `Alfabetiseringsonderwijs`: A (analfabeet), AA (anders-gealfabetiseerd) of NVT.
    Alfabetisering => koers_domain::pip::Alfabetisering;
    /// `concept` tot de vaststelling, daarna `vastgesteld` (een beschikking).
    PipStatus => koers_domain::pip::PipStatus;
    /// Examenonderdeel van de inburgering: de vier taalvaardigheden en KNM.
    Examenonderdeel => koers_domain::pip::Examenonderdeel;
    /// Uitkomst van de leerbaarheidstoets.
    LbtResultaat => koers_domain::traject::LbtResultaat;
    /// DUO `Verwijtbaar` bij overschrijding van de termijn (alleen MAP en PVT).
    Verwijtbaar => koers_domain::traject::Verwijtbaar;
    /// Reikwijdte van een besluit.
    Omvang => koers_domain::traject::Omvang;
    /// DUO-code van een ontheffing: MED (medisch) of BIO (bijzondere individuele omstandigheden).
    OntheffingCode => koers_domain::traject::OntheffingCode;
    /// DUO-code van een vrijstelling; de omvang volgt uit de code: AVI, DIP, DOC, INB (geheel), GED
    /// (gedeeltelijk), INS, OPL (tijdelijk).
    VrijstellingCode => koers_domain::traject::VrijstellingCode;
    /// Gebeurtenis in het traject.
    Gebeurtenis => koers_domain::status::Gebeurtenis;
    /// Stand van de termijn: `nietGestart` (nog geen PIP), `loopt`, `opgeschort` (tijdelijke
    /// vrijstelling) of `beeindigd` (plicht voldaan, ontheven, vrijgesteld of beëindigd).
    TermijnStand => koers_domain::traject::TermijnStand;
    /// Onderdeel van het traject.
    OnderdeelSoort => koers_domain::traject::OnderdeelSoort;
    /// Deelnemer aan een voortgangsgesprek.
    Deelnemer => koers_domain::gesprekken::Deelnemer;
    /// Beweging op de participatieladder ten opzichte van de vorige meting.
    Beweging => koers_domain::participatieladder::Beweging;
    /// Status van de ontzorging: `NIET_VAN_TOEPASSING`, `ACTIEF`, `AFBOUW` (begeleiding naar financiële
    /// zelfredzaamheid, de gemeente betaalt nog) of `BEEINDIGD`. Toegestane overgangen: van niets of
    /// `NIET_VAN_TOEPASSING` naar `ACTIEF`; van `ACTIEF` naar `AFBOUW` of `BEEINDIGD`; van `AFBOUW` terug
    /// naar `ACTIEF` of naar `BEEINDIGD`; `BEEINDIGD` is eindstand.
    OntzorgingStatus => koers_domain::ontzorging::OntzorgingStatus;
    /// Soort vaste last. Bij verplicht ontzorgen zijn `HUUR`, `ENERGIE`, `WATER` en `ZORGVERZEKERING`
    /// vereist; `OVERIG` vraagt een omschrijving.
    PostSoort => koers_domain::ontzorging::PostSoort;
    /// Soort signalering: `PIP_TERMIJN` (PIP binnen tien weken), `TERMIJN_EINDE` (inburgeringstermijn
    /// eindigt), `SCHAKELDATUM` (laatste datum voor een routewissel), `ONTZORGING_MINIMAAL_EINDE`
    /// (minimale duur van het ontzorgen bereikt), `VOORTGANGSGESPREK` (gesprek nadert of is te laat),
    /// `AOW_LEEFTIJD` (AOW-leeftijd binnen zes maanden), `Z_ROUTE_UREN` (urennorm Z-route bereikt, of
    /// achter op schema), `EXAMEN_CONFLICT` (uitslag van de taalaanbieder spreekt DUO tegen).
    SignaleringSoort => koers_domain::signalering::SignaleringSoort;
    /// Soort gebeurtenis: `resource.verleden-tijd`, stabiel (abonnees filteren erop).
    GebeurtenisSoort => koers_domain::events::EventKind;
    /// Status van een abonnement: `actief` (er wordt afgeleverd) of `opgeschort` (gepauzeerd, of na
    /// aanhoudend mislukte afleveringen; hervatten gaat verder waar het stopte).
    AbonnementStatus => koers_domain::abonnement::AbonnementStatus;
}

/// A reference to the named schema of a value list, for parameters.
pub fn of<T: utoipa::ToSchema>() -> RefOr<Schema> {
    RefOr::Ref(utoipa::openapi::Ref::from_schema_name(T::name()))
}

/// A non-empty set of values of a value list (an array of distinct references).
pub fn set_of<T: utoipa::ToSchema>() -> RefOr<Schema> {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(of::<T>())
        .min_items(Some(1))
        .unique_items(true)
        .into()
}
