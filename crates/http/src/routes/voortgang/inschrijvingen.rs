//! `POST /inschrijvingen`, `POST /gevolgde-uren` and `GET /inburgeraars/{inburgeraarId}/voortgang`.

use super::dto::{
    ExamenresultaatDto, GevolgdeUrenAanmaken, GevolgdeUrenDto, InschrijvingAanmaken,
    InschrijvingDto, VoortgangDto,
};
use super::{organisatie, push_one, pushed};
use crate::auth::Caller;
use crate::body::Body;
use crate::idempotency;
use crate::problem::ApiError;
use crate::query::QueryParams;
use crate::state::AppState;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use koers_domain::commando::Opdracht;
use koers_domain::events::API_BASE;
use koers_domain::ports::Lijstvraag;
use koers_domain::principal::Scope;
use koers_domain::traject::{Delen, Lijst};
use koers_domain::voortgang::{GevolgdeUren, Inschrijving};

/// Een inschrijving aanleveren
///
/// Vereiste scope: `voortgang:aanleveren`. Een taalaanbieder meldt dat een persoon bij haar is
/// ingeschreven voor een cursus of leerwerkroute. Alleen voor personen waarvoor een actieve
/// toestemming (categorie VOORTGANG) haar organisatie noemt; anderen bestaan voor haar niet (404).
#[utoipa::path(
    tag = "Voortgang",
    operation_id = "leverInschrijvingAan",
    request_body(content = InschrijvingAanmaken, content_type = "application/json"),
    responses(
        (status = 201, description = "De inschrijving.", body = InschrijvingDto),
        (status = 200, description = "Dezelfde inschrijving (persoon, organisatie, soort en startdatum) bestond al en is bijgewerkt; er komt geen tweede bij.", body = InschrijvingDto),
    ),
)]
#[post("/inschrijvingen")]
pub async fn create_inschrijving(
    caller: Caller,
    req: HttpRequest,
    body: Body<InschrijvingAanmaken>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ctx = caller.require(Scope::VoortgangAanleveren)?.clone();
    QueryParams::parse(&req, &[])?.check()?;
    let key = idempotency::key(&req, &body)?;
    let now = ctx.now;
    let (person, organisatie_id, gegevens) = body.value.split();
    let (person, inschrijving) = pushed(
        &body.judged,
        person,
        Inschrijving::nieuw(gegevens, organisatie(&ctx, organisatie_id), now),
    )
    .map_err(ApiError::Invalid)?;
    push_one(
        &state,
        &ctx,
        person,
        Opdracht::Inschrijving(inschrijving),
        key,
    )
    .await
}

/// Gevolgde uren aanleveren
///
/// Vereiste scope: `voortgang:aanleveren`. Per maand de lesuren, lesuren in de brede intake,
/// participatie-uren en verzuim, in de categorieën van DUO's GevolgdeUren. Ze tellen mee voor de 600
/// lesuren van afschalen en de uren van de Z-route. Alleen met een actieve toestemming (VOORTGANG).
#[utoipa::path(
    tag = "Voortgang",
    operation_id = "leverGevolgdeUrenAan",
    request_body(content = GevolgdeUrenAanmaken, content_type = "application/json"),
    responses(
        (status = 201, description = "De uren van deze maand.", body = GevolgdeUrenDto),
        (status = 200, description = "De uren van deze maand van deze organisatie waren al aangeleverd en zijn vervangen (nooit opgeteld).", body = GevolgdeUrenDto),
    ),
)]
#[post("/gevolgde-uren")]
pub async fn create_gevolgde_uren(
    caller: Caller,
    req: HttpRequest,
    body: Body<GevolgdeUrenAanmaken>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ctx = caller.require(Scope::VoortgangAanleveren)?.clone();
    QueryParams::parse(&req, &[])?.check()?;
    let key = idempotency::key(&req, &body)?;
    let now = ctx.now;
    let (person, organisatie_id, gegevens) = body.value.split();
    let (person, uren) = pushed(
        &body.judged,
        person,
        GevolgdeUren::nieuw(gegevens, organisatie(&ctx, organisatie_id), now),
    )
    .map_err(ApiError::Invalid)?;
    push_one(&state, &ctx, person, Opdracht::GevolgdeUren(uren), key).await
}

/// De voortgang van een inburgeraar
///
/// Vereiste scope: `pip:lezen`. Inschrijvingen, gevolgde uren en examenresultaten zoals partners en
/// DUO ze aanleverden, met het totaal aan lesuren (voor afschalen). Elke lijst toont hooguit de nieuwste
/// 1.000; alle items staan per pagina onder `.../inschrijvingen`, `.../gevolgde-uren` en
/// `.../examenresultaten` van de inburgeraar, waar `inschrijvingenVolledig`, `gevolgdeUrenVolledig` en
/// `examenresultatenVolledig` naar wijzen als een lijst is ingekort.
#[utoipa::path(
    tag = "Voortgang",
    operation_id = "raadpleegVoortgang",
    params(("inburgeraarId" = uuid::Uuid, Path, description = "Identificatie van de inburgeraar.")),
    responses((status = 200, description = "De voortgang.", body = VoortgangDto)),
)]
#[get("/inburgeraars/{inburgeraarId}/voortgang")]
pub async fn get_voortgang(
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (ctx, id) = crate::routes::person_call(&caller, Scope::PipLezen, &req, &path)?;
    let vraag = Lijstvraag::Laatste {
        lijsten: Delen::VOORTGANG,
        n: VOORTGANG_MAX,
    };
    let found = crate::routes::traject::lijst(&state, ctx, id, vraag).await?;
    let traject = &found.traject;
    let dagtekening = traject.actuele_pip().and_then(|p| p.datum_dagtekening);
    let volledig = |lijst: Lijst, pad: &str| {
        found
            .afgekapt
            .bevat(lijst)
            .then(|| format!("{API_BASE}/inburgeraars/{id}/{pad}"))
    };
    Ok(HttpResponse::Ok().json(VoortgangDto {
        inschrijvingen: traject
            .inschrijvingen
            .iter()
            .map(|i| InschrijvingDto::from_domain(i, dagtekening))
            .collect(),
        gevolgde_uren: traject
            .gevolgde_uren
            .iter()
            .map(GevolgdeUrenDto::from)
            .collect(),
        examenresultaten: traject
            .examenresultaten
            .iter()
            .map(|r| ExamenresultaatDto::from_domain(id.0, r))
            .collect(),
        lesuren_totaal: traject.lesuren_bij(found.lesuren),
        inschrijvingen_volledig: volledig(Lijst::Inschrijvingen, "inschrijvingen"),
        gevolgde_uren_volledig: volledig(Lijst::GevolgdeUren, "gevolgde-uren"),
        examenresultaten_volledig: volledig(Lijst::Examenresultaten, "examenresultaten"),
    }))
}

/// The most items of each list `GET …/voortgang` shows: the contract's bound on a list.
pub const VOORTGANG_MAX: u32 = 1_000;
const _: () = assert!(VOORTGANG_MAX as usize == crate::openapi::MAX_ITEMS);
