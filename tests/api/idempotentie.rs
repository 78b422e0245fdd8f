//! `Idempotency-Key` on every POST that changes something, driven by the served contract: each such
//! operation declares the key and honours it (the first answer again, nothing stored twice), a key is
//! the caller's own (another gemeente's token of the same client is answered as without the key), and
//! a replay stops the moment the caller may no longer see the person. Partner data is a state, not a
//! sum: a resent month of hours or a repeated enrolment replaces what was there.

use crate::api_test;
use crate::helpers::*;
use serde_json::{json, Value};

pub const SCOPES: &str =
    "inburgeraars:lezen inburgeraars:schrijven intake:lezen intake:schrijven gezondheid:lezen \
pip:lezen pip:vaststellen voortgang:aanleveren toestemmingen:beheren audit:lezen beheer \
abonnementen:beheren";

/// A POST with an `Idempotency-Key`.
pub async fn post_keyed(app: &TestApp, path: &str, token: &str, body: &Value, key: &str) -> Answer {
    let request = app
        .server()
        .post(path)
        .bearer_auth(token)
        .insert_header(("content-type", "application/json"))
        .insert_header(("idempotency-key", key.to_owned()));
    app.send(request, Some(&body.to_string())).await
}

/// A token of the same client as `token(SCOPES, gemeenten)`, for other gemeenten.
pub fn gemeente_token(gemeenten: &[&str]) -> String {
    token(SCOPES, gemeenten)
}

/// A partner token of organisatie `organisatie`.
pub fn partner_token(organisatie: &str) -> String {
    let mut claims = claims("inburgeraars:lezen pip:lezen voortgang:aanleveren", &[]);
    claims.sub = format!("partner-{organisatie}");
    claims.organisatie = Some(organisatie.to_owned());
    sign_hs256(&claims, SECRET)
}

pub async fn organisatie(app: &TestApp, token: &str) -> String {
    let answer = app
        .post(
            "/api/v1/organisaties",
            token,
            &json!({"naam": "Taalschool West", "soort": "TAALAANBIEDER", "keurmerkNummer": "BOW-1", "keurmerkGeldigTot": "2028-01-01"}),
        )
        .await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    answer.body["id"].as_str().unwrap().to_owned()
}

pub fn toestemming(person: &str, organisatie: &str) -> Value {
    json!({
        "inburgeraarId": person, "organisatieId": organisatie, "grondslag": "TOESTEMMING",
        "doelen": ["TAALONDERWIJS"],
        "gegevenscategorieen": ["PERSOONSGEGEVENS", "TRAJECT", "VOORTGANG", "EXAMENRESULTATEN"],
        "geldigVan": "2024-01-01",
        "bewijs": {"kanaal": "SCHRIFTELIJK", "taalKennisgeving": "nl", "documentHash": "a".repeat(64)}
    })
}

/// Grants `organisatie` a toestemming for `person`; returns the toestemming's id.
pub async fn grant(app: &TestApp, token: &str, person: &str, organisatie: &str) -> String {
    let answer = app
        .post(
            "/api/v1/toestemmingen",
            token,
            &toestemming(person, organisatie),
        )
        .await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    answer.body["id"].as_str().unwrap().to_owned()
}

/// A newly registered person of gemeente 0405; returns its id.
pub async fn new_person(app: &TestApp, token: &str, n: u32) -> String {
    app.register(token, &person(n, "0405")).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn new_pip(app: &TestApp, token: &str, person: &str) -> String {
    let answer = app
        .post(
            &format!("/api/v1/inburgeraars/{person}/pips"),
            token,
            &json!({"leerroute": "B1"}),
        )
        .await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    answer.body["id"].as_str().unwrap().to_owned()
}

/// A valid request for the changing POST `operation` on a fresh person `n` of gemeente 0405 (with
/// whatever it needs before it), as the path to post to and the body, and the person it concerns.
/// Every changing POST of the contract must have one: a new operation fails the contract-driven tests
/// until it is given a sample here.
pub async fn sample(
    app: &TestApp,
    token: &str,
    organisatie: &str,
    operation: &str,
    n: u32,
) -> (String, Value, Option<String>) {
    if operation == "registreerInburgeraar" {
        return ("/api/v1/inburgeraars".to_owned(), person(n, "0405"), None);
    }
    if operation == "registreerOrganisatie" {
        return (
            "/api/v1/organisaties".to_owned(),
            json!({"naam": format!("Taalschool {n}"), "soort": "TAALAANBIEDER", "keurmerkNummer": "BOW-2", "keurmerkGeldigTot": "2028-01-01"}),
            None,
        );
    }
    if operation == "maakAbonnement" {
        return (
            "/api/v1/abonnementen".to_owned(),
            json!({"callbackUrl": format!("http://localhost:9/koers/{n}")}),
            None,
        );
    }
    if operation == "vernieuwGeheim" {
        let made = app
            .post(
                "/api/v1/abonnementen",
                token,
                &json!({"callbackUrl": format!("http://localhost:9/geheim/{n}")}),
            )
            .await;
        assert_eq!(made.status, 201, "{}", made.text);
        let id = made.body["id"].as_str().unwrap();
        return (
            format!("/api/v1/abonnementen/{id}/geheim-vernieuwing"),
            json!({"overgangUren": 24}),
            None,
        );
    }
    if operation == "herhaalAfleveringen" {
        let made = app
            .post(
                "/api/v1/abonnementen",
                token,
                &json!({"callbackUrl": format!("http://localhost:9/herhaling/{n}")}),
            )
            .await;
        assert_eq!(made.status, 201, "{}", made.text);
        let id = made.body["id"].as_str().unwrap();
        return (
            format!("/api/v1/abonnementen/{id}/herhaling"),
            json!({"vanafVolgnummer": 1}),
            None,
        );
    }
    let id = new_person(app, token, n).await;
    let base = format!("/api/v1/inburgeraars/{id}");
    let (path, body) = match operation {
        "stelPipOp" => (format!("{base}/pips"), json!({"leerroute": "B1"})),
        "stelPipVast" => {
            let pip = new_pip(app, token, &id).await;
            (
                format!("{base}/pips/{pip}/vaststelling"),
                json!({"datumDagtekening": "2026-09-20"}),
            )
        }
        "legVerlengingVast" => {
            let pip = new_pip(app, token, &id).await;
            let fixed = app
                .post(
                    &format!("{base}/pips/{pip}/vaststelling"),
                    token,
                    &json!({"datumDagtekening": "2026-09-20"}),
                )
                .await;
            assert_eq!(fixed.status, 200, "{}", fixed.text);
            (
                format!("{base}/verlengingen"),
                json!({"maanden": 6, "grond": "Niet verwijtbaar", "datumBesluit": "2026-10-01"}),
            )
        }
        "legOntheffingVast" => (
            format!("{base}/ontheffingen"),
            json!({"code": "MED", "omvang": "GEHEEL", "datumBesluit": "2026-10-01"}),
        ),
        "legVrijstellingVast" => (
            format!("{base}/vrijstellingen"),
            json!({"code": "AVI", "datumBesluit": "2026-10-01"}),
        ),
        "legStatuswijzigingVast" => (
            format!("{base}/statuswijzigingen"),
            json!({"gebeurtenis": "beeindigd", "datum": "2026-10-01", "reden": "NATURALISATIE"}),
        ),
        "legVoortgangsgesprekVast" => (
            format!("{base}/voortgangsgesprekken"),
            json!({"datum": "2026-11-10", "deelnemers": ["KLANTMANAGER", "INBURGERAAR"], "uitkomst": "Loopt op schema."}),
        ),
        "legParticipatieladderMetingVast" => (
            format!("{base}/participatieladder-metingen"),
            json!({"datum": "2026-11-01", "trede": 3}),
        ),
        "legToestemmingVast" => ("/api/v1/toestemmingen".to_owned(), toestemming(&id, organisatie)),
        "trekToestemmingIn" => {
            let toestemming = grant(app, token, &id, organisatie).await;
            (
                format!("/api/v1/toestemmingen/{toestemming}/intrekking"),
                json!({"toelichting": "Op verzoek van de inburgeraar."}),
            )
        }
        "leverInschrijvingAan" => (
            "/api/v1/inschrijvingen".to_owned(),
            json!({"inburgeraarId": id, "organisatieId": organisatie, "soort": "CURSUS", "omschrijving": "B1 intensief", "datumStart": "2026-10-14", "urenPerWeek": 12}),
        ),
        "leverGevolgdeUrenAan" => (
            "/api/v1/gevolgde-uren".to_owned(),
            json!({"inburgeraarId": id, "organisatieId": organisatie, "maand": "2026-10", "lesuren": 40}),
        ),
        "leverExamenresultaatAan" => ("/api/v1/examenresultaten".to_owned(), uitslag(&id)),
        "leverExamenresultatenAanInBulk" => (
            "/api/v1/examenresultaten/_bulk".to_owned(),
            json!({"resultaten": [uitslag(&id)]}),
        ),
        other => panic!(
            "no sample request for the changing POST {other}: add one to tests/api/idempotentie.rs, \
             so that its Idempotency-Key and its isolation are tested"
        ),
    };
    (path, body, Some(id))
}

fn uitslag(person: &str) -> Value {
    json!({"inburgeraarId": person, "onderdeel": "LEZEN", "niveau": "B1", "uitslag": "GESLAAGD", "datumExamen": "2026-10-14", "bron": "AANBIEDER"})
}

/// Every changing POST of the served contract: (path, operationId).
pub async fn changing_posts(app: &TestApp) -> Vec<(String, String, Value)> {
    let spec = app.get("/api/v1/openapi.json", "").await.body;
    let mut posts = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        if let Some(post) = item.get("post") {
            if !path.ends_with("/_zoek") {
                posts.push((
                    path.clone(),
                    post["operationId"].as_str().unwrap().to_owned(),
                    post.clone(),
                ));
            }
        }
    }
    assert!(
        posts.len() >= 16,
        "the contract lists {} POSTs",
        posts.len()
    );
    posts
}

/// How many audit entries a person has (every change writes one).
pub async fn audit_count(app: &TestApp, token: &str, person: &str) -> usize {
    let mut count = 0;
    let mut url = format!("/api/v1/inburgeraars/{person}/audittrail?pageSize=100");
    loop {
        let page = app.get(&url, token).await;
        assert_eq!(page.status, 200, "{}", page.text);
        count += page.body["resultaten"].as_array().unwrap().len();
        match page.body["volgendePagina"].as_str() {
            Some(next) => url = next.to_owned(),
            None => return count,
        }
    }
}

api_test!(
    every_changing_post_declares_and_honours_the_key,
    |app: TestApp| async move {
        let hoorn = gemeente_token(&["0405"]);
        let tilburg = gemeente_token(&["0855"]);
        let organisatie = organisatie(&app, &hoorn).await;
        for (n, (path, operation, spec)) in changing_posts(&app).await.into_iter().enumerate() {
            let declared = spec["parameters"].as_array().is_some_and(|p| {
                p.iter()
                    .any(|p| p["name"] == "Idempotency-Key" && p["in"] == "header")
            });
            assert!(
                declared,
                "{operation} ({path}) does not declare Idempotency-Key"
            );
            let n = 300 + u32::try_from(n).unwrap();
            let (url, body, person) = sample(&app, &hoorn, &organisatie, &operation, n).await;
            let key = format!("sleutel-{operation}");
            let first = post_keyed(&app, &url, &hoorn, &body, &key).await;
            assert!(
                (200..300).contains(&first.status),
                "{operation}: {} {}",
                first.status,
                first.text
            );
            assert_eq!(first.header("idempotent-replayed"), None);
            let trail = match &person {
                Some(person) => audit_count(&app, &hoorn, person).await,
                None => 0,
            };

            let again = post_keyed(&app, &url, &hoorn, &body, &key).await;
            assert_eq!(again.status, first.status, "{operation}: {}", again.text);
            assert_eq!(
                again.body, first.body,
                "{operation}: the first answer again"
            );
            assert_eq!(
                again.header("idempotent-replayed"),
                Some("true"),
                "{operation}"
            );
            assert_eq!(
                again.header("location"),
                first.header("location"),
                "{operation}"
            );

            // The same client for another gemeente, with the same key and body: answered exactly as
            // without the key, never with Hoorn's stored answer.
            let foreign = post_keyed(&app, &url, &tilburg, &body, &key).await;
            assert_eq!(foreign.header("idempotent-replayed"), None, "{operation}");
            assert_ne!(foreign.body, first.body, "{operation}: {}", foreign.text);
            if let Some(person) = &person {
                let without_key = app.post(&url, &tilburg, &body).await;
                assert_eq!(foreign.status, without_key.status, "{operation}");
                if foreign.status >= 400 {
                    let strip = |mut v: Value| {
                        v.as_object_mut().map(|o| o.remove("instance"));
                        v
                    };
                    assert_eq!(
                        strip(foreign.body.clone()),
                        strip(without_key.body),
                        "{operation}"
                    );
                }
                assert_eq!(
                    audit_count(&app, &hoorn, person).await,
                    trail,
                    "{operation}: a replay or a foreign call stored something"
                );
            }
        }
    }
);

api_test!(
    a_key_reused_for_another_request_is_a_conflict,
    |app: TestApp| async move {
        let hoorn = gemeente_token(&["0405"]);
        let first = post_keyed(
            &app,
            "/api/v1/inburgeraars",
            &hoorn,
            &person(1, "0405"),
            "k",
        )
        .await;
        assert_eq!(first.status, 201);
        let other = post_keyed(
            &app,
            "/api/v1/inburgeraars",
            &hoorn,
            &person(2, "0405"),
            "k",
        )
        .await;
        other.assert_problem(409);
        assert_eq!(
            other.body["type"],
            "https://koers.dev/problemen/idempotency-key-hergebruikt"
        );
        let id = first.body["id"].as_str().unwrap();
        let pip = |leerroute: &str| json!({"leerroute": leerroute});
        let url = format!("/api/v1/inburgeraars/{id}/pips");
        assert_eq!(
            post_keyed(&app, &url, &hoorn, &pip("B1"), "p").await.status,
            201
        );
        post_keyed(&app, &url, &hoorn, &pip("Z"), "p")
            .await
            .assert_problem(409);
        let pips = app.get(&url, &hoorn).await;
        assert_eq!(pips.body["resultaten"].as_array().unwrap().len(), 1);
    }
);

api_test!(
    a_replay_stops_when_the_toestemming_is_withdrawn,
    |app: TestApp| async move {
        let hoorn = gemeente_token(&["0405"]);
        let organisatie = organisatie(&app, &hoorn).await;
        let person = new_person(&app, &hoorn, 10).await;
        let toestemming = grant(&app, &hoorn, &person, &organisatie).await;
        let partner = partner_token(&organisatie);
        let body = uitslag(&person);
        let first = post_keyed(&app, "/api/v1/examenresultaten", &partner, &body, "r-1").await;
        assert_eq!(first.status, 201, "{}", first.text);
        let again = post_keyed(&app, "/api/v1/examenresultaten", &partner, &body, "r-1").await;
        assert_eq!((again.status, &again.body), (201, &first.body));

        let withdrawn = app
            .post(
                &format!("/api/v1/toestemmingen/{toestemming}/intrekking"),
                &hoorn,
                &json!({}),
            )
            .await;
        assert_eq!(withdrawn.status, 200, "{}", withdrawn.text);
        let after = post_keyed(&app, "/api/v1/examenresultaten", &partner, &body, "r-1").await;
        after.assert_problem(404);
        assert_eq!(after.header("idempotent-replayed"), None);
        // A bulk retry under a key stops as well: the person's part is not answered from storage.
        let bulk = json!({"resultaten": [body]});
        let bulk_answer =
            post_keyed(&app, "/api/v1/examenresultaten/_bulk", &partner, &bulk, "b").await;
        assert_eq!(bulk_answer.body["uitkomsten"][0]["status"], 404);
        let voortgang = app
            .get(&format!("/api/v1/inburgeraars/{person}/voortgang"), &hoorn)
            .await;
        assert_eq!(
            voortgang.body["examenresultaten"].as_array().unwrap().len(),
            1
        );
    }
);

api_test!(
    partner_data_is_a_state_not_a_sum,
    |app: TestApp| async move {
        let hoorn = gemeente_token(&["0405"]);
        let organisatie = organisatie(&app, &hoorn).await;
        let person = new_person(&app, &hoorn, 20).await;
        grant(&app, &hoorn, &person, &organisatie).await;
        let partner = partner_token(&organisatie);
        let voortgang = format!("/api/v1/inburgeraars/{person}/voortgang");

        // The same month twice, without a key (a resend after a time-out): still 40 hours.
        let uren = json!({"inburgeraarId": person, "maand": "2026-10", "lesuren": 40});
        let first = app.post("/api/v1/gevolgde-uren", &partner, &uren).await;
        assert_eq!(first.status, 201, "{}", first.text);
        let resent = app.post("/api/v1/gevolgde-uren", &partner, &uren).await;
        assert_eq!(resent.status, 200, "{}", resent.text);
        assert_eq!(resent.body["id"], first.body["id"]);
        assert_eq!(app.get(&voortgang, &hoorn).await.body["lesurenTotaal"], 40);
        // A correction replaces; another month adds.
        let corrected = json!({"inburgeraarId": person, "maand": "2026-10", "lesuren": 32});
        assert_eq!(
            app.post("/api/v1/gevolgde-uren", &partner, &corrected)
                .await
                .status,
            200
        );
        let november = json!({"inburgeraarId": person, "maand": "2026-11", "lesuren": 10});
        assert_eq!(
            app.post("/api/v1/gevolgde-uren", &partner, &november)
                .await
                .status,
            201
        );
        let after = app.get(&voortgang, &hoorn).await.body;
        assert_eq!(after["lesurenTotaal"], 42);
        assert_eq!(after["gevolgdeUren"].as_array().unwrap().len(), 2);

        // The audit trail shows the replaced figure and the new one.
        let trail = app
            .get(&format!("/api/v1/inburgeraars/{person}/audittrail"), &hoorn)
            .await
            .body;
        let replaced: Vec<&Value> = trail["resultaten"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["resource"] == "gevolgde-uren" && e["actie"] == "gewijzigd")
            .collect();
        assert_eq!(replaced.len(), 2, "{trail}");
        // Newest first: 40 replaced by 32.
        assert_eq!(replaced[0]["oudeWaarde"]["lesuren"], 40);
        assert_eq!(replaced[0]["nieuweWaarde"]["lesuren"], 32);

        // A repeated enrolment is the same enrolment.
        let inschrijving = json!({"inburgeraarId": person, "soort": "CURSUS", "omschrijving": "B1 intensief", "datumStart": "2026-10-14", "urenPerWeek": 12});
        let first = app
            .post("/api/v1/inschrijvingen", &partner, &inschrijving)
            .await;
        assert_eq!(first.status, 201, "{}", first.text);
        let mut more_hours = inschrijving.clone();
        more_hours["urenPerWeek"] = json!(16);
        let again = app
            .post("/api/v1/inschrijvingen", &partner, &more_hours)
            .await;
        assert_eq!(again.status, 200, "{}", again.text);
        assert_eq!(again.body["id"], first.body["id"]);
        let inschrijvingen = app.get(&voortgang, &hoorn).await.body["inschrijvingen"].clone();
        assert_eq!(inschrijvingen.as_array().unwrap().len(), 1);
        assert_eq!(inschrijvingen[0]["urenPerWeek"], 16);
    }
);

api_test!(
    a_replay_is_in_the_processing_log,
    |app: TestApp| async move {
        let hoorn = gemeente_token(&["0405"]);
        let body = person(30, "0405");
        let first = post_keyed(&app, "/api/v1/inburgeraars", &hoorn, &body, "r").await;
        assert_eq!(first.status, 201);
        let again = post_keyed(&app, "/api/v1/inburgeraars", &hoorn, &body, "r").await;
        assert_eq!(again.header("idempotent-replayed"), Some("true"));
        let id = first.body["id"].as_str().unwrap();
        let log = app
            .get(&format!("/api/v1/inburgeraars/{id}/verwerkingen"), &hoorn)
            .await;
        let registrations = log.body["resultaten"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|line| line["verwerkingsactiviteitId"] == "inburgeraar-registreren")
            .count();
        assert_eq!(
            registrations, 2,
            "the registration and its replay: {}",
            log.text
        );
        assert_eq!(audit_count(&app, &hoorn, id).await, 1, "stored once");
    }
);
