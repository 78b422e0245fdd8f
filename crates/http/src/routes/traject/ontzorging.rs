//! `GET` and `PUT /inburgeraars/{inburgeraarId}/ontzorging`: financieel ontzorgen (Participatiewet
//! art. 56a).

use crate::auth::Caller;
use crate::body::{properties_of, Body, RequestBody};
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::{get, put, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use koers_domain::commando::Opdracht;
use koers_domain::ontzorging::{
    Ontzorging, OntzorgingGegevens, OntzorgingStatus, Post, PostGegevens, PostSoort,
};
use koers_domain::principal::Scope;
use koers_domain::traject::Delen;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Een vaste last die de gemeente uit de uitkering betaalt.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PostDto {
    #[schema(value_type = crate::schemas::PostSoort, required = true)]
    pub soort: Option<PostSoort>,
    /// Omschrijving; verplicht bij `OVERIG`.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"\S",
        example = "Gas en elektra"
    )]
    pub omschrijving: Option<String>,
    /// Aan wie betaald wordt (verhuurder, energieleverancier, zorgverzekeraar).
    #[schema(
        required = true,
        nullable = false,
        min_length = 1,
        max_length = 200,
        pattern = r"\S",
        example = "Woningstichting De Linie"
    )]
    pub begunstigde: Option<String>,
    /// Bedrag per maand in eurocent.
    #[schema(
        required = true,
        nullable = false,
        minimum = 1,
        maximum = 1_000_000,
        example = 65000
    )]
    pub bedrag_per_maand_cent: Option<i64>,
}

impl From<PostDto> for PostGegevens {
    fn from(post: PostDto) -> Self {
        Self {
            soort: post.soort.into(),
            omschrijving: post.omschrijving.into(),
            begunstigde: post.begunstigde.into(),
            bedrag_per_maand_cent: post.bedrag_per_maand_cent.into(),
        }
    }
}

impl From<&Post> for PostDto {
    fn from(post: &Post) -> Self {
        Self {
            soort: Some(post.soort),
            omschrijving: post.omschrijving.clone(),
            begunstigde: Some(post.begunstigde.clone()),
            bedrag_per_maand_cent: Some(i64::from(post.bedrag_per_maand_cent)),
        }
    }
}

/// Financieel ontzorgen (Participatiewet art. 56a): verplicht voor een inburgeringsplichtige
/// asielstatushouder (of nareiziger met een afhankelijke asielvergunning) in de bijstand, gedurende ten
/// minste zes maanden (of de langere termijn uit de gemeente-instellingen); voor anderen lokaal beleid.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OntzorgingDto {
    #[schema(value_type = crate::schemas::OntzorgingStatus)]
    pub status: OntzorgingStatus,
    /// Artikel 56a is van toepassing (bijstand, asielvergunning en een asiel-doelgroep); berekend.
    #[schema(read_only)]
    pub verplicht: bool,
    /// De inburgeraar ontvangt bijstand (Participatiewet).
    pub uitkering_participatiewet: bool,
    /// De inburgeraar heeft een (afhankelijke) verblijfsvergunning asiel.
    pub verblijfsvergunning_asiel: bool,
    /// Start van het ontzorgen; verplicht vanaf `ACTIEF`.
    #[schema(example = "2026-01-31")]
    pub datum_start: Option<NaiveDate>,
    /// Vroegste einddatum: start plus de minimale duur uit de gemeente-instellingen (standaard zes
    /// maanden); berekend. Een verplicht ontzorgen eindigt niet eerder.
    #[schema(read_only, example = "2026-07-31")]
    pub datum_minimaal_einde: Option<NaiveDate>,
    /// De vaste lasten die de gemeente betaalt.
    pub posten: Vec<PostDto>,
    /// Start van de begeleiding naar financiële zelfredzaamheid.
    pub datum_start_begeleiding: Option<NaiveDate>,
    /// Einde; alleen en verplicht bij `BEEINDIGD`.
    pub datum_einde: Option<NaiveDate>,
    /// Reden van beëindiging; alleen en verplicht bij `BEEINDIGD`.
    #[schema(min_length = 1, max_length = 4000, pattern = r"\S")]
    pub reden_einde: Option<String>,
}

impl From<&Ontzorging> for OntzorgingDto {
    fn from(o: &Ontzorging) -> Self {
        Self {
            status: o.status,
            verplicht: o.verplicht,
            uitkering_participatiewet: o.uitkering_participatiewet,
            verblijfsvergunning_asiel: o.verblijfsvergunning_asiel,
            datum_start: o.datum_start,
            datum_minimaal_einde: o.datum_minimaal_einde,
            posten: o.posten.iter().map(PostDto::from).collect(),
            datum_start_begeleiding: o.datum_start_begeleiding,
            datum_einde: o.datum_einde,
            reden_einde: o.reden_einde.clone(),
        }
    }
}

/// Het financieel ontzorgen zoals het wordt vastgelegd: de hele nieuwe stand.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OntzorgingVastleggen {
    #[schema(value_type = crate::schemas::OntzorgingStatus, required = true)]
    pub status: Option<OntzorgingStatus>,
    /// De inburgeraar ontvangt bijstand (Participatiewet); ontbreekt: nee.
    pub uitkering_participatiewet: Option<bool>,
    /// De inburgeraar heeft een (afhankelijke) verblijfsvergunning asiel; ontbreekt: nee.
    pub verblijfsvergunning_asiel: Option<bool>,
    /// Start van het ontzorgen; verplicht vanaf `ACTIEF`.
    pub datum_start: Option<NaiveDate>,
    /// De vaste lasten die de gemeente betaalt.
    #[schema(example = json!([
        {"soort": "HUUR", "begunstigde": "Woningstichting De Linie", "bedragPerMaandCent": 65000},
        {"soort": "ENERGIE", "begunstigde": "Energieleverancier", "bedragPerMaandCent": 12000},
        {"soort": "WATER", "begunstigde": "Waterbedrijf", "bedragPerMaandCent": 2500},
        {"soort": "ZORGVERZEKERING", "begunstigde": "Zorgverzekeraar", "bedragPerMaandCent": 14000}]))]
    pub posten: Option<Vec<PostDto>>,
    /// Start van de begeleiding naar financiële zelfredzaamheid; niet voor `datumStart`.
    pub datum_start_begeleiding: Option<NaiveDate>,
    /// Einde; alleen en verplicht bij `BEEINDIGD`.
    pub datum_einde: Option<NaiveDate>,
    /// Reden van beëindiging; alleen en verplicht bij `BEEINDIGD`.
    #[schema(min_length = 1, max_length = 4000, pattern = r"\S")]
    pub reden_einde: Option<String>,
}

impl RequestBody for OntzorgingVastleggen {
    fn server_set() -> Vec<String> {
        properties_of::<OntzorgingDto>()
    }
}

impl From<OntzorgingVastleggen> for OntzorgingGegevens {
    fn from(body: OntzorgingVastleggen) -> Self {
        Self {
            status: body.status.into(),
            uitkering_participatiewet: body.uitkering_participatiewet.into(),
            verblijfsvergunning_asiel: body.verblijfsvergunning_asiel.into(),
            datum_start: body.datum_start.into(),
            posten: body
                .posten
                .map(|posten| posten.into_iter().map(PostGegevens::from).collect())
                .into(),
            datum_start_begeleiding: body.datum_start_begeleiding.into(),
            datum_einde: body.datum_einde.into(),
            reden_einde: body.reden_einde.into(),
        }
    }
}

/// Het financieel ontzorgen raadplegen
///
/// Vereiste scope: `pip:lezen`. 404 als er voor de inburgeraar geen ontzorgen is vastgelegd.
#[utoipa::path(
    tag = "Ontzorging en voortgang",
    operation_id = "raadpleegOntzorging",
    params(("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar.")),
    responses((status = 200, description = "Het financieel ontzorgen.", body = OntzorgingDto)),
)]
#[get("/inburgeraars/{inburgeraarId}/ontzorging")]
pub async fn get_ontzorging(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id) = crate::routes::person_call(&caller, Scope::PipLezen, &req, &path)?;
    let (_, traject) = super::load(&state, ctx, id, Delen::GEEN).await?;
    let ontzorging = traject.ontzorging.as_ref().ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(OntzorgingDto::from(ontzorging)))
}

/// Het financieel ontzorgen vastleggen
///
/// Vereiste scope: `pip:vaststellen`. Vervangt het hele ontzorgen (wat ontbreekt, vervalt). De status
/// volgt de toegestane overgangen (anders 409). Verplicht ontzorgen vraagt de posten huur, energie,
/// water en zorgverzekering en eindigt niet voor `datumMinimaalEinde` (400 op `datumEinde`). Ook na het
/// einde van de inburgeringsplicht te wijzigen: ontzorgen volgt de Participatiewet. Elke wijziging staat
/// in de audittrail.
#[utoipa::path(
    tag = "Ontzorging en voortgang",
    operation_id = "legOntzorgingVast",
    params(("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar.")),
    request_body(content = OntzorgingVastleggen, content_type = "application/json"),
    responses((status = 200, description = "Het vastgelegde ontzorgen.", body = OntzorgingDto)),
)]
#[put("/inburgeraars/{inburgeraarId}/ontzorging")]
pub async fn put_ontzorging(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    body: Body<OntzorgingVastleggen>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id) = crate::routes::person_call(&caller, Scope::PipVaststellen, &req, &path)?;
    let (input, judged) = (OntzorgingGegevens::from(body.value), body.judged);
    let instellingen = super::instellingen_van(&state, ctx).await?;
    let opdracht = Opdracht::Ontzorging {
        gegevens: input,
        instellingen,
    };
    let (_, traject) = super::change(&state, ctx, id, super::commando(opdracht, &judged)).await?;
    let ontzorging = traject.ontzorging.as_ref().ok_or(ApiError::Internal)?;
    Ok(HttpResponse::Ok().json(OntzorgingDto::from(ontzorging)))
}
