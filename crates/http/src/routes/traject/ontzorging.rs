//! `GET` and `PUT /inburgeraars/{inburgeraarId}/ontzorging`: financieel ontzorgen (Participatiewet
//! art. 56a).

use crate::auth::Caller;
use crate::body::{Fields, JsonBody};
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::{get, put, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use koers_domain::input::Input;
use koers_domain::ontzorging::{
    Ontzorging, OntzorgingInput, OntzorgingStatus, Post, PostInput, PostSoort,
};
use koers_domain::principal::Scope;
use koers_domain::FieldErrors;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

fn status_schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    crate::schemas::values(
        OntzorgingStatus::ALL.iter().map(|s| s.as_str()).collect(),
        "Status: `NIET_VAN_TOEPASSING`, `ACTIEF`, `AFBOUW` (begeleiding naar financiële zelfredzaamheid, de gemeente betaalt nog) of `BEEINDIGD`. Toegestane overgangen: van niets of `NIET_VAN_TOEPASSING` naar `ACTIEF`; van `ACTIEF` naar `AFBOUW` of `BEEINDIGD`; van `AFBOUW` terug naar `ACTIEF` of naar `BEEINDIGD`; `BEEINDIGD` is eindstand.",
    )
}

fn post_soort() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    crate::schemas::values(
        PostSoort::ALL.iter().map(|s| s.as_str()).collect(),
        "Soort vaste last. Bij verplicht ontzorgen zijn `HUUR`, `ENERGIE`, `WATER` en `ZORGVERZEKERING` vereist; `OVERIG` vraagt een omschrijving.",
    )
}

/// Een vaste last die de gemeente uit de uitkering betaalt.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PostDto {
    #[schema(schema_with = post_soort)]
    pub soort: String,
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
        min_length = 1,
        max_length = 200,
        pattern = r"\S",
        example = "Woningstichting De Linie"
    )]
    pub begunstigde: String,
    /// Bedrag per maand in eurocent.
    #[schema(minimum = 1, maximum = 1_000_000, example = 65000)]
    pub bedrag_per_maand_cent: u32,
}

impl From<&Post> for PostDto {
    fn from(post: &Post) -> Self {
        Self {
            soort: post.soort.as_str().to_owned(),
            omschrijving: post.omschrijving.clone(),
            begunstigde: post.begunstigde.clone(),
            bedrag_per_maand_cent: post.bedrag_per_maand_cent,
        }
    }
}

/// Financieel ontzorgen (Participatiewet art. 56a): verplicht voor een inburgeringsplichtige
/// asielstatushouder (of nareiziger met een afhankelijke asielvergunning) in de bijstand, gedurende ten
/// minste zes maanden (of de langere termijn uit de gemeente-instellingen); voor anderen lokaal beleid.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OntzorgingDto {
    #[schema(schema_with = status_schema)]
    pub status: String,
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
            status: o.status.as_str().to_owned(),
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
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OntzorgingVastleggen {
    #[schema(schema_with = status_schema)]
    pub status: String,
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

fn read(body: JsonBody) -> (OntzorgingInput, FieldErrors) {
    let mut fields = Fields::new(body.object);
    fields.read_only(&["verplicht", "datumMinimaalEinde"]);
    let posten = match fields.objects("posten") {
        None => Input::Absent,
        Some(items) => Input::Value(
            items
                .into_iter()
                .enumerate()
                .map(|(index, item)| match item {
                    Err(error) => {
                        fields.errors.push(error);
                        Input::Invalid
                    }
                    Ok(object) => {
                        let mut post = Fields::nested(object, format!("posten[{index}]"));
                        let input = PostInput {
                            soort: post.string("soort"),
                            omschrijving: post.string("omschrijving"),
                            begunstigde: post.string("begunstigde"),
                            bedrag_per_maand_cent: post.integer("bedragPerMaandCent"),
                        };
                        fields.absorb(post);
                        Input::Value(input)
                    }
                })
                .collect(),
        ),
    };
    let input = OntzorgingInput {
        status: fields.string("status"),
        uitkering_participatiewet: fields.boolean("uitkeringParticipatiewet"),
        verblijfsvergunning_asiel: fields.boolean("verblijfsvergunningAsiel"),
        datum_start: fields.string("datumStart"),
        posten,
        datum_start_begeleiding: fields.string("datumStartBegeleiding"),
        datum_einde: fields.string("datumEinde"),
        reden_einde: fields.string("redenEinde"),
    };
    (input, fields.finish())
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
    let (_, traject) = super::load(&state, ctx, id).await?;
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
    body: JsonBody,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id) = crate::routes::person_call(&caller, Scope::PipVaststellen, &req, &path)?;
    let (input, reader_errors) = read(body);
    let instellingen = super::instellingen_van(&state, ctx).await?;
    let (_, traject, _) = super::change(&state, ctx, id, "ontzorging", move |person, traject| {
        let settings = instellingen
            .get(&person.gemeente)
            .cloned()
            .unwrap_or_default();
        let result = traject.zet_ontzorging(input.clone(), person.doelgroep, &settings);
        super::with_reader_errors(&reader_errors, result).map(|_| (person.status, ()))
    })
    .await?;
    let ontzorging = traject.ontzorging.as_ref().ok_or(ApiError::Internal)?;
    Ok(HttpResponse::Ok().json(OntzorgingDto::from(ontzorging)))
}
