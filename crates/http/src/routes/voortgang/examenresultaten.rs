//! `POST /examenresultaten` (with `Idempotency-Key`) and `POST /examenresultaten/_bulk`.

use super::dto::{
    BulkResultaat, BulkUitkomst, ExamenresultaatAanmaken, ExamenresultaatDto, ExamenresultatenBulk,
};
use super::{organisatie, push, push_one, pushed, Push};
use crate::auth::Caller;
use crate::body::{judge, Body, Judged};
use crate::idempotency;
use crate::problem::{ApiError, InvalidParam};
use crate::query::QueryParams;
use crate::state::{run_blocking, AppState};
use actix_web::{post, web, HttpRequest, HttpResponse};
use koers_domain::commando::{Opdracht, TrajectCommando};
use koers_domain::inburgeraar::InburgeraarId;
use koers_domain::ports::{Replay, Store, StoreError};
use koers_domain::principal::Scope;
use koers_domain::records::{Antwoord, IdempotencyKey, IdempotencyRecord, RequestContext};
use koers_domain::traject::Weigering;
use koers_domain::voortgang::Examenresultaat;
use koers_domain::FieldErrors;

/// Reads one result; every invalid field is named.
fn read(
    ctx: &RequestContext,
    body: ExamenresultaatAanmaken,
    judged: &Judged,
) -> Result<(InburgeraarId, Examenresultaat), FieldErrors> {
    let (person, gegevens) = body.split();
    pushed(
        judged,
        person,
        Examenresultaat::nieuw(gegevens, organisatie(ctx, None), ctx.now),
    )
}

/// Een examenresultaat aanleveren
///
/// Vereiste scope: `voortgang:aanleveren`. Een partner levert aan als `AANBIEDER`, alleen voor personen
/// waarvoor een actieve toestemming (EXAMENRESULTATEN) haar organisatie noemt. DUO's resultaat is
/// leidend: een tegenstrijdig resultaat van een aanbieder wordt bewaard en gemarkeerd
/// (`conflictMetDuo`). Met een `Idempotency-Key` slaat een herhaald verzoek niets dubbel op.
#[utoipa::path(
    tag = "Voortgang",
    operation_id = "leverExamenresultaatAan",
    request_body(content = ExamenresultaatAanmaken, content_type = "application/json"),
    responses((status = 201, description = "Het examenresultaat.", body = ExamenresultaatDto,
        headers(("Location" = String, description = "De voortgang van de persoon.")))),
)]
#[post("/examenresultaten")]
pub async fn create_examenresultaat(
    caller: Caller,
    req: HttpRequest,
    body: Body<ExamenresultaatAanmaken>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ctx = caller.require(Scope::VoortgangAanleveren)?.clone();
    QueryParams::parse(&req, &[])?.check()?;
    let key = idempotency::key(&req, &body)?;
    let (person, resultaat) = read(&ctx, body.value, &body.judged).map_err(ApiError::Invalid)?;
    push_one(
        &state,
        &ctx,
        person,
        Opdracht::Examenresultaat(resultaat),
        key,
    )
    .await
}

/// Examenresultaten in bulk
///
/// Vereiste scope: `voortgang:aanleveren`. Tot 1.000 resultaten tegelijk, met een uitkomst per item:
/// elk geldig item wordt opgeslagen (201), elk item dat een regel breekt genoemd met zijn velden (400), een persoon
/// zonder toestemming bestaat niet (404). De geldige items van een persoon worden in een transactie
/// opgeslagen: geen item wordt half opgeslagen. Een item dat niet aan het schema voldoet, maakt het verzoek
/// ongeldig (400).
/// Met een `Idempotency-Key` is de aanroep als geheel en per item idempotent: een herhaling na een
/// onderbreking maakt af wat nog niet was opgeslagen, slaat geen item dubbel op en geeft de uitkomst van
/// elk item.
#[utoipa::path(
    tag = "Voortgang",
    operation_id = "leverExamenresultatenAanInBulk",
    request_body(content = ExamenresultatenBulk, content_type = "application/json"),
    responses((status = 200, description = "De uitkomst per item.", body = BulkResultaat)),
)]
#[post("/examenresultaten/_bulk")]
pub async fn bulk_examenresultaten(
    caller: Caller,
    req: HttpRequest,
    body: Body<ExamenresultatenBulk>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let ctx = caller.require(Scope::VoortgangAanleveren)?.clone();
    QueryParams::parse(&req, &[])?.check()?;
    let key = idempotency::key(&req, &body)?;
    // The list itself (its size, each item an object) is judged by the schema; each item is then
    // judged on its own and gets its own outcome.
    let objects = body.valid()?.resultaten;
    let repeated = match &key {
        Some(key) => claim(&state, &ctx, key).await?,
        None => false,
    };
    // Each item's own text, so that a person's part of the call has a fingerprint of its own.
    let texts: Vec<String> = objects
        .iter()
        .map(|object| serde_json::to_string(object).unwrap_or_default())
        .collect();
    let parsed: Vec<Result<(InburgeraarId, Examenresultaat), FieldErrors>> = objects
        .iter()
        .map(|object| {
            let (item, judged) = judge::<ExamenresultaatAanmaken>(object)?;
            read(&ctx, item, &judged)
        })
        .collect();
    // Valid items are stored per person, in one transaction each: all of a person's items or none,
    // never half of one; invalid items are reported and never touch storage.
    let total = parsed.len();
    let mut outcomes: Vec<Option<BulkUitkomst>> = (0..total).map(|_| None).collect();
    let mut per_person: Vec<PersonItems> = Vec::new();
    for (index, item) in parsed.into_iter().enumerate() {
        match item {
            Err(errors) => outcomes[index] = Some(uitkomst(index, 400, None, errors)),
            Ok((person, resultaat)) => match per_person.iter_mut().find(|p| p.person == person) {
                Some(group) => group.items.push((index, resultaat)),
                None => per_person.push(PersonItems {
                    person,
                    items: vec![(index, resultaat)],
                    key: None,
                }),
            },
        }
    }
    // Under a key, each person's part is kept under a key of its own, stored with that person's
    // results: a retry after a crash stores only the parts that were not stored yet.
    if let Some(key) = &key {
        for group in &mut per_person {
            let own: Vec<&str> = group
                .items
                .iter()
                .map(|(i, _)| texts[*i].as_str())
                .collect();
            let fingerprint = idempotency::fingerprint(&req, &own);
            group.key = Some(key.part(&group.person.to_string(), fingerprint));
        }
    }
    // People are independent: several are stored at once (on the blocking pool's threads), so that
    // their changes share commits.
    let per_task = per_person.len().div_ceil(BULK_TASKS).max(1);
    let mut chunks = Vec::new();
    let mut rest = per_person;
    while !rest.is_empty() {
        let tail = rest.split_off(per_task.min(rest.len()));
        chunks.push(std::mem::replace(&mut rest, tail));
    }
    let tasks: Vec<_> = chunks
        .into_iter()
        .map(|chunk| {
            let (state, ctx) = (state.clone(), ctx.clone());
            actix_web::rt::spawn(async move {
                run_blocking(&state, move |store| store_results(store, &ctx, &chunk)).await
            })
        })
        .collect();
    let mut stored = Vec::new();
    for task in tasks {
        stored.extend(task.await.map_err(|_| ApiError::Internal)??);
    }
    for (indices, outcome) in stored {
        match outcome {
            Push::Stored(antwoord) => {
                let dtos: Vec<ExamenresultaatDto> =
                    serde_json::from_value(antwoord.body).map_err(|_| ApiError::Internal)?;
                for (index, dto) in indices.into_iter().zip(
                    dtos.into_iter()
                        .map(Some)
                        .chain(std::iter::repeat_with(|| None)),
                ) {
                    outcomes[index] = Some(uitkomst(index, 201, dto, FieldErrors::new()));
                }
            }
            Push::NotFound => {
                for index in indices {
                    outcomes[index] = Some(uitkomst(index, 404, None, FieldErrors::new()));
                }
            }
            Push::Refused(refusal) => {
                let (status, errors) = match refusal {
                    Weigering::Ongeldig(errors) => (400, errors),
                    _ => (409, FieldErrors::new()),
                };
                for index in indices {
                    outcomes[index] = Some(uitkomst(index, status, None, errors.clone()));
                }
            }
        }
    }
    let outcomes: Vec<BulkUitkomst> = outcomes.into_iter().flatten().collect();
    let opgeslagen = outcomes.iter().filter(|o| o.status == 201).count();
    let mut response = HttpResponse::Ok();
    if repeated {
        response.insert_header((idempotency::REPLAYED, "true"));
    }
    Ok(response.json(BulkResultaat {
        opgeslagen,
        afgewezen: outcomes.len() - opgeslagen,
        uitkomsten: outcomes,
    }))
}

/// Claims the key of a bulk call for this request: refuses it when it was used for another request,
/// and lets a retry of the same request through (`true`) to complete what was not stored yet and
/// answer every item as it was stored.
async fn claim(
    state: &AppState,
    ctx: &RequestContext,
    key: &IdempotencyKey,
) -> Result<bool, ApiError> {
    let record =
        IdempotencyRecord::new(ctx, key, None, None, Antwoord::ok(serde_json::Value::Null));
    let (stored, text, fingerprint) = (ctx.clone(), key.key.clone(), key.fingerprint.clone());
    let claimed = run_blocking(state, move |store| {
        match store.claim_idempotency(&record) {
            Err(StoreError::IdempotencyKeyTaken) => {}
            other => return other.map(|()| Some(false)),
        }
        Ok(match store.find_idempotency(&stored, &text)? {
            Replay::Stored(first) if first.request_hash == fingerprint => Some(true),
            _ => None,
        })
    })
    .await?;
    claimed.ok_or_else(idempotency::reused)
}

/// How many groups of people of one bulk call are stored at the same time.
const BULK_TASKS: usize = 8;

/// The valid items of one person in a bulk call, by index, and the key its part is kept under.
struct PersonItems {
    person: InburgeraarId,
    items: Vec<(usize, Examenresultaat)>,
    key: Option<IdempotencyKey>,
}

/// Stores each person's results in one change: all of them or none. A person's part that a previous
/// attempt under the same key already stored is answered as it was then, and not stored again.
fn store_results(
    store: &dyn Store,
    ctx: &RequestContext,
    per_person: &[PersonItems],
) -> Result<Vec<(Vec<usize>, Push)>, StoreError> {
    let mut results = Vec::with_capacity(per_person.len());
    for group in per_person {
        let person = group.person;
        let indices: Vec<usize> = group.items.iter().map(|(index, _)| *index).collect();
        let resultaten = group.items.iter().map(|(_, r)| r.clone()).collect();
        let commando = TrajectCommando::from(Opdracht::Examenresultaten(resultaten));
        let outcome = match push(store, ctx, person, &commando, group.key.as_ref()) {
            Err(StoreError::IdempotencyKeyTaken) => {
                let key = group
                    .key
                    .as_ref()
                    .map(|k| k.key.as_str())
                    .unwrap_or_default();
                match store.find_idempotency(ctx, key)? {
                    Replay::Stored(record) => Push::Stored(record.antwoord),
                    Replay::Hidden => Push::NotFound,
                    Replay::Absent => return Err(StoreError::IdempotencyKeyTaken),
                }
            }
            other => other?,
        };
        results.push((indices, outcome));
    }
    Ok(results)
}

fn uitkomst(
    index: usize,
    status: u16,
    resultaat: Option<ExamenresultaatDto>,
    errors: FieldErrors,
) -> BulkUitkomst {
    BulkUitkomst {
        index,
        status,
        resultaat,
        invalid_params: errors
            .0
            .into_iter()
            .map(|e| InvalidParam {
                name: e.name,
                code: e.code.to_owned(),
                reason: e.reason,
            })
            .collect(),
    }
}
