//! Migration 8 moves the lists of every stored trajectory document (verlengingen, besluiten, status
//! history, pushes, gesprekken, metingen) into tables of their own. A database filled through the API is
//! brought back to the previous schema (migration 8 reverted, every document rewritten in the domain's
//! own serde form, exactly as the previous build stored it), migrated again, and must answer every GET
//! about its people exactly as before.

use crate::helpers::*;
use diesel::prelude::*;
use diesel::sql_types::Text;
use koers_domain::traject::Traject;
use koers_http::ratelimit::RateLimitSettings;
use koers_persistence::{DatabaseUrl, DieselStore};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const SCOPES: &str = "inburgeraars:lezen inburgeraars:schrijven intake:lezen intake:schrijven \
gezondheid:lezen pip:lezen pip:vaststellen voortgang:aanleveren toestemmingen:beheren audit:lezen beheer";

async fn ok(app: &RealServer, method: &str, path: &str, token: &str, body: Value) -> Value {
    let request = match method {
        "post" => app.post(path),
        "put" => app.put(path),
        other => panic!("{other}"),
    };
    let request = request
        .bearer_auth(token)
        .insert_header(("content-type", "application/json"));
    let answer = send(request, Some(&body.to_string())).await;
    assert!(
        (200..300).contains(&answer.status),
        "{method} {path}: {} {}",
        answer.status,
        answer.text
    );
    answer.body
}

/// People with something in every part of the trajectory: intake, PIPs, onderdelen, an extension, an
/// ontzorging, gesprekken, metingen, pushes of a partner (a replaced month, a result DUO contradicts),
/// an ontheffing, a vrijstelling and a status change.
async fn fill(app: &RealServer) -> Vec<String> {
    let token = token(SCOPES, &["0405"]);
    let mut people = Vec::new();
    for n in 0..3u32 {
        let pid = ok(
            app,
            "post",
            "/api/v1/inburgeraars",
            &token,
            person(70 + n, "0405"),
        )
        .await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        people.push(pid);
    }
    let organisatie = ok(
        app,
        "post",
        "/api/v1/organisaties",
        &token,
        json!({"naam": "Taalschool", "soort": "TAALAANBIEDER",
               "keurmerkNummer": "BOW-8", "keurmerkGeldigTot": "2028-01-01"}),
    )
    .await;
    let org = organisatie["id"].as_str().unwrap().to_owned();
    let mut claims = claims("voortgang:aanleveren", &[]);
    claims.organisatie = Some(org.clone());
    let partner = sign_hs256(&claims, SECRET);
    for pid in &people[..2] {
        let base = format!("/api/v1/inburgeraars/{pid}");
        ok(
            app,
            "put",
            &format!("{base}/brede-intake"),
            &token,
            json!({"datumStart": "2026-09-20", "gezondheid": "Rugklachten", "taalniveau": "A1"}),
        )
        .await;
        let pip = ok(
            app,
            "post",
            &format!("{base}/pips"),
            &token,
            json!({"leerroute": "B1"}),
        )
        .await;
        let pip = pip["id"].as_str().unwrap();
        ok(
            app,
            "post",
            &format!("{base}/pips/{pip}/vaststelling"),
            &token,
            json!({"datumDagtekening": "2026-10-01"}),
        )
        .await;
        ok(
            app,
            "post",
            &format!("{base}/pips"),
            &token,
            json!({"leerroute": "B1"}),
        )
        .await;
        ok(
            app,
            "put",
            &format!("{base}/onderdelen/map"),
            &token,
            json!({"datumAfronding": "2026-11-01"}),
        )
        .await;
        ok(
            app,
            "post",
            &format!("{base}/verlengingen"),
            &token,
            json!({"maanden": 6, "grond": "Ziekte", "datumBesluit": "2026-11-01"}),
        )
        .await;
        ok(app, "put", &format!("{base}/ontzorging"), &token,
           json!({"status": "ACTIEF", "uitkeringParticipatiewet": true,
                  "verblijfsvergunningAsiel": true, "datumStart": "2026-10-01",
                  "posten": [
                      {"soort": "HUUR", "begunstigde": "Woningstichting", "bedragPerMaandCent": 65000},
                      {"soort": "ENERGIE", "begunstigde": "Energie", "bedragPerMaandCent": 12000},
                      {"soort": "WATER", "begunstigde": "Water", "bedragPerMaandCent": 2500},
                      {"soort": "ZORGVERZEKERING", "begunstigde": "Zorg", "bedragPerMaandCent": 14000}]})).await;
        for datum in ["2026-10-15", "2026-11-01"] {
            ok(
                app,
                "post",
                &format!("{base}/voortgangsgesprekken"),
                &token,
                json!({"datum": datum, "deelnemers": ["TOLK"], "uitkomst": "Goed",
                      "afspraken": "Volgende maand weer"}),
            )
            .await;
            ok(
                app,
                "post",
                &format!("{base}/participatieladder-metingen"),
                &token,
                json!({"datum": datum, "trede": 3, "toelichting": "Vrijwilligerswerk"}),
            )
            .await;
        }
        ok(app, "post", "/api/v1/toestemmingen", &token,
           json!({"inburgeraarId": pid, "organisatieId": org, "grondslag": "PUBLIEKE_TAAK",
                  "doelen": ["TAALONDERWIJS"], "gegevenscategorieen": ["VOORTGANG", "EXAMENRESULTATEN"],
                  "geldigVan": "2026-01-01", "bewijs": {"kanaal": "DIGITAAL", "taalKennisgeving": "nl"}})).await;
        ok(
            app,
            "post",
            "/api/v1/inschrijvingen",
            &partner,
            json!({"inburgeraarId": pid, "soort": "CURSUS", "omschrijving": "B1 intensief",
                  "datumStart": "2026-10-05", "urenPerWeek": 8}),
        )
        .await;
        for (maand, lesuren) in [("2026-10", 40), ("2026-11", 30), ("2026-10", 44)] {
            ok(
                app,
                "post",
                "/api/v1/gevolgde-uren",
                &partner,
                json!({"inburgeraarId": pid, "maand": maand, "lesuren": lesuren, "verzuimUren": 2}),
            )
            .await;
        }
        let resultaat = |uitslag: &str, bron: &str| {
            json!({"inburgeraarId": pid, "onderdeel": "LEZEN", "niveau": "B1", "uitslag": uitslag,
                   "datumExamen": "2026-10-14", "bron": bron})
        };
        ok(
            app,
            "post",
            "/api/v1/examenresultaten",
            &partner,
            resultaat("GESLAAGD", "AANBIEDER"),
        )
        .await;
        ok(
            app,
            "post",
            "/api/v1/examenresultaten",
            &token,
            resultaat("GEZAKT", "DUO"),
        )
        .await;
    }
    let base = format!("/api/v1/inburgeraars/{}", people[2]);
    ok(
        app,
        "post",
        &format!("{base}/ontheffingen"),
        &token,
        json!({"code": "MED", "omvang": "GEDEELTELIJK", "examenonderdelen": ["LEZEN", "SCHRIJVEN"],
              "datumBesluit": "2026-11-01"}),
    )
    .await;
    ok(
        app,
        "post",
        &format!("{base}/vrijstellingen"),
        &token,
        json!({"code": "INS", "datumBesluit": "2026-11-01", "datumEinde": "2027-05-01"}),
    )
    .await;
    ok(
        app,
        "post",
        &format!("{base}/statuswijzigingen"),
        &token,
        json!({"gebeurtenis": "beeindigd", "datum": "2026-11-02", "reden": "NATURALISATIE"}),
    )
    .await;
    people
}

/// Every GET of the contract about one person (its path has only `{inburgeraarId}`), the onderdelen,
/// the register and the worklist, answered now. The processing log is left out: every read adds to it.
async fn answers(app: &RealServer, people: &[String]) -> BTreeMap<String, (u16, Value)> {
    let token = token(SCOPES, &["0405"]);
    let spec = send(app.get("/api/v1/openapi.json"), None).await.body;
    let mut paths = vec![
        "/api/v1/inburgeraars".to_owned(),
        "/api/v1/signaleringen".to_owned(),
    ];
    for (path, item) in spec["paths"].as_object().unwrap() {
        let params = path.matches('{').count();
        if item.get("get").is_some()
            && path.contains("{inburgeraarId}")
            && params == 1
            && !path.ends_with("/verwerkingen")
        {
            for pid in people {
                paths.push(format!("/api/v1{}", path.replace("{inburgeraarId}", pid)));
            }
        }
    }
    for pid in people {
        for soort in ["map", "pvt", "knm", "z-route"] {
            paths.push(format!("/api/v1/inburgeraars/{pid}/onderdelen/{soort}"));
        }
    }
    assert!(paths.len() > 40, "the contract's person GETs: {paths:?}");
    let mut out = BTreeMap::new();
    for path in paths {
        let answer = send(app.get(&path).bearer_auth(&token), None).await;
        out.insert(path, (answer.status, answer.body));
    }
    out
}

#[derive(QueryableByName)]
struct Document {
    #[diesel(sql_type = Text)]
    inburgeraar_id: String,
    #[diesel(sql_type = Text)]
    data: String,
}

/// Rewrites every stored document in the domain's serde form of the whole trajectory, as the build
/// before migration 8 wrote it; fails when a document is not one.
fn as_previous_build_wrote(url: &DatabaseUrl) -> usize {
    let select = "SELECT inburgeraar_id, data FROM trajecten";
    let update = |p: &str| format!("UPDATE trajecten SET data = {p}1 WHERE inburgeraar_id = {p}2");
    let normalise = |documents: Vec<Document>| -> Vec<(String, String)> {
        documents
            .into_iter()
            .map(|d| {
                let traject: Traject = serde_json::from_str(&d.data).unwrap_or_else(|e| {
                    panic!("document of {}: {e}: {}", d.inburgeraar_id, d.data)
                });
                (serde_json::to_string(&traject).unwrap(), d.inburgeraar_id)
            })
            .collect()
    };
    if let Some(path) = url.sqlite_path() {
        let mut conn = diesel::SqliteConnection::establish(&path.display().to_string()).unwrap();
        let documents = normalise(diesel::sql_query(select).load(&mut conn).unwrap());
        for (data, id) in &documents {
            diesel::sql_query(update("?"))
                .bind::<Text, _>(data)
                .bind::<Text, _>(id)
                .execute(&mut conn)
                .unwrap();
        }
        documents.len()
    } else {
        let mut conn = diesel::PgConnection::establish(url.expose()).unwrap();
        let documents = normalise(diesel::sql_query(select).load(&mut conn).unwrap());
        for (data, id) in &documents {
            diesel::sql_query(update("$"))
                .bind::<Text, _>(data)
                .bind::<Text, _>(id)
                .execute(&mut conn)
                .unwrap();
        }
        documents.len()
    }
}

async fn a_database_of_the_previous_schema_answers_every_get_as_before(backend: Backend) {
    let db = TestDb::new(backend);
    DieselStore::migrate(&db.url).unwrap();
    let server = RealServer::start(
        app_state(store(&db.url), RateLimitSettings::OFF),
        test_server_settings(),
    );
    let people = fill(&server).await;
    let before = answers(&server, &people).await;
    drop(server);

    let url = db.url.clone();
    let reverted = actix_web::rt::task::spawn_blocking(move || {
        // Whatever came after (the abonnementen, 10), the worklist's projection (9), then the history
        // tables (8).
        let abonnementen = DieselStore::revert_last(&url).unwrap();
        assert_eq!(abonnementen, "20261205000010");
        let projectie = DieselStore::revert_last(&url).unwrap();
        assert_eq!(projectie, "20261205000009");
        let reverted = DieselStore::revert_last(&url).unwrap();
        (reverted, as_previous_build_wrote(&url))
    })
    .await
    .unwrap();
    assert_eq!(
        reverted.0, "20261205000008",
        "migration 8 (historie) reverted"
    );
    assert_eq!(reverted.1, 3, "every person has a trajectory document");
    let url = db.url.clone();
    let applied = actix_web::rt::task::spawn_blocking(move || DieselStore::migrate(&url))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(applied.len(), 3, "{applied:?}");

    let server = RealServer::start(
        app_state(store(&db.url), RateLimitSettings::OFF),
        test_server_settings(),
    );
    let after = answers(&server, &people).await;
    for (path, answer) in &before {
        assert!(
            [200, 404].contains(&answer.0),
            "{path}: {} {}",
            answer.0,
            answer.1
        );
        assert_eq!(Some(answer), after.get(path), "{path}");
    }
    let found = before.values().filter(|answer| answer.0 == 200).count();
    assert!(found >= 40, "only {found} of {} answered 200", before.len());
    assert_eq!(before.len(), after.len());
    drop(server);
}

#[actix_web::test]
async fn a_database_of_the_previous_schema_answers_every_get_as_before_on_sqlite() {
    a_database_of_the_previous_schema_answers_every_get_as_before(Backend::Sqlite).await;
}

#[actix_web::test]
async fn a_database_of_the_previous_schema_answers_every_get_as_before_on_postgres() {
    a_database_of_the_previous_schema_answers_every_get_as_before(Backend::Postgres).await;
}
