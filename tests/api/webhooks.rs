//! Webhook delivery end to end, against a receiver on this machine: every matching event reaches an
//! abonnement once, in order, signed as Standard Webhooks specify, as a CloudEvent; a receiver that
//! fails gets the same events later by the retry schedule; a schedule spent suspends the abonnement,
//! which resumes where it stopped; a withdrawn toestemming stops a partner's events.

use crate::api_test;
use crate::helpers::*;
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use koers_http::aflevering::{handtekening, Afleverclient, Afleverinstellingen};
use koers_http::bezorging::Bezorginstellingen;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What a receiver got: the headers that matter and the body, per request.
#[derive(Clone, Debug)]
struct Ontvangen {
    id: String,
    timestamp: String,
    signature: String,
    content_type: String,
    body: String,
}

/// A receiver on a free local port that answers 500 to its first `weiger` requests, then 204.
struct Ontvanger {
    url: String,
    ontvangen: Arc<Mutex<Vec<(u16, Ontvangen)>>>,
}

impl Ontvanger {
    fn start(weiger: usize) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/koers", listener.local_addr().unwrap());
        let ontvangen: Arc<Mutex<Vec<(u16, Ontvangen)>>> = Arc::default();
        let log = Arc::clone(&ontvangen);
        let server = HttpServer::new(move || {
            let log = Arc::clone(&log);
            App::new().route(
                "/koers",
                web::post().to(move |req: HttpRequest, body: web::Bytes| {
                    let log = Arc::clone(&log);
                    async move {
                        let header = |name: &str| {
                            req.headers()
                                .get(name)
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or_default()
                                .to_owned()
                        };
                        let mut log = log.lock().unwrap();
                        let status = if log.len() < weiger { 500 } else { 204 };
                        log.push((
                            status,
                            Ontvangen {
                                id: header("webhook-id"),
                                timestamp: header("webhook-timestamp"),
                                signature: header("webhook-signature"),
                                content_type: header("content-type"),
                                body: String::from_utf8_lossy(&body).into_owned(),
                            },
                        ));
                        HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap())
                            .finish()
                    }
                }),
            )
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
        actix_web::rt::spawn(server);
        Self { url, ontvangen }
    }

    /// The requests it accepted, in the order they came.
    fn aangenomen(&self) -> Vec<Ontvangen> {
        self.ontvangen
            .lock()
            .unwrap()
            .iter()
            .filter(|(status, _)| *status == 204)
            .map(|(_, o)| o.clone())
            .collect()
    }

    fn alle(&self) -> usize {
        self.ontvangen.lock().unwrap().len()
    }
}

/// Starts delivery tasks of a second node on the app's database, with a retry schedule of
/// milliseconds (`pogingen` failures in a row suspend).
fn bezorg(app: &TestApp, pogingen: u32) {
    let store: Arc<dyn koers_domain::ports::Store> = Arc::new(store(app.db_url()));
    let client = Afleverclient::new(Afleverinstellingen {
        omgeving: koers_domain::abonnement::Omgeving::Ontwikkeling,
        bron: "urn:nld:koers:test".to_owned(),
        basis_url: "https://koers.example".to_owned(),
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(5),
    })
    .unwrap();
    koers_http::bezorging::start(
        store,
        Arc::new(client),
        Bezorginstellingen {
            node: format!("test-{}", uuid::Uuid::now_v7()),
            taken: 2,
            batch: 10,
            wacht: Duration::from_millis(20),
            claim: Duration::from_secs(30),
            schema: koers_domain::abonnement::Herhaalschema {
                basis: chrono::TimeDelta::milliseconds(50),
                maximum: chrono::TimeDelta::milliseconds(200),
                pogingen,
            },
        },
    );
}

/// Waits until `done` holds, at most 20 seconds.
async fn wacht_tot(mut done: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !done() && start.elapsed() < Duration::from_secs(20) {
        actix_web::rt::time::sleep(Duration::from_millis(25)).await;
    }
}

const SCOPES: &str = "inburgeraars:lezen inburgeraars:schrijven abonnementen:beheren pip:lezen \
toestemmingen:beheren beheer";

async fn abonneer(app: &TestApp, token: &str, url: &str, soorten: &[&str]) -> (String, String) {
    let made = app
        .post(
            "/api/v1/abonnementen",
            token,
            &json!({"callbackUrl": url, "soorten": soorten}),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    (
        made.body["id"].as_str().unwrap().to_owned(),
        made.body["geheim"].as_str().unwrap().to_owned(),
    )
}

api_test!(
    a_receiver_that_fails_five_times_gets_every_event_once_in_order_signed,
    |app: TestApp| async move {
        let token = token(SCOPES, &["0405"]);
        let ontvanger = Ontvanger::start(5);
        let (id, geheim) = abonneer(
            &app,
            &token,
            &ontvanger.url,
            &["inburgeraar.geregistreerd", "inburgeraar.gewijzigd"],
        )
        .await;
        let mut people = Vec::new();
        for n in 0..4 {
            let p = app.register(&token, &person(60 + n, "0405")).await;
            let pid = p["id"].as_str().unwrap().to_owned();
            let changed = app
                .patch(
                    &format!("/api/v1/inburgeraars/{pid}"),
                    &token,
                    &json!({"naam": "Andere Naam"}),
                    None,
                )
                .await;
            assert_eq!(changed.status, 200);
            people.push(pid);
        }
        // A person of another gemeente, and a kind not asked for: not for this abonnement.
        app.register(
            &crate::helpers::token(SCOPES, &["0828"]),
            &person(70, "0828"),
        )
        .await;
        app.put(
            &format!("/api/v1/inburgeraars/{}/brede-intake", people[0]),
            &crate::helpers::token("intake:schrijven inburgeraars:lezen", &["0405"]),
            &json!({"datumStart": "2026-09-20"}),
        )
        .await;
        bezorg(&app, 20);
        wacht_tot(|| ontvanger.aangenomen().len() >= 8).await;
        // A moment more: nothing comes twice.
        actix_web::rt::time::sleep(Duration::from_millis(300)).await;
        let aangenomen = ontvanger.aangenomen();
        assert_eq!(
            aangenomen.len(),
            8,
            "every matching event once: {aangenomen:?}"
        );
        assert_eq!(ontvanger.alle(), 13, "five refusals, then eight deliveries");

        // In the outbox's order, each the CloudEvent of its event, signed with the secret.
        let expected: Vec<String> = app
            .events()
            .await
            .iter()
            .filter(|e| {
                e.gemeente.as_ref().map(|g| g.as_str()) == Some("0405")
                    && matches!(
                        e.kind.as_str(),
                        "inburgeraar.geregistreerd" | "inburgeraar.gewijzigd"
                    )
            })
            .map(|e| e.id.to_string())
            .collect();
        let ids: Vec<String> = aangenomen.iter().map(|o| o.id.clone()).collect();
        assert_eq!(ids, expected);
        for o in &aangenomen {
            assert_eq!(o.content_type, "application/cloudevents+json");
            let ce: Value = serde_json::from_str(&o.body).unwrap();
            assert_eq!(ce["specversion"], "1.0");
            assert_eq!(ce["id"], o.id.as_str());
            assert_eq!(ce["source"], "urn:nld:koers:test");
            assert!(ce["type"]
                .as_str()
                .unwrap()
                .starts_with("nl.koers.inburgeraar."));
            assert!(ce["dataref"]
                .as_str()
                .unwrap()
                .starts_with("https://koers.example/api/v1/inburgeraars/"));
            assert!(!o.body.contains("Andere Naam"), "thin: no content");
            let expected_signature = handtekening(
                &geheim,
                &o.id,
                o.timestamp.parse().unwrap(),
                o.body.as_bytes(),
            )
            .unwrap();
            assert!(
                o.signature.split(' ').any(|s| s == expected_signature),
                "{}",
                o.signature
            );
        }
        // The delivery log: five failures with their status, then the deliveries; the position is
        // the last event delivered.
        let log = items_of(
            &walk_pages(
                &app,
                &format!("/api/v1/abonnementen/{id}/afleveringen"),
                &token,
            )
            .await,
        );
        assert_eq!(log.len(), 13);
        assert_eq!(log.iter().filter(|a| a["statuscode"] == 500).count(), 5);
        assert_eq!(log.iter().filter(|a| a["geslaagd"] == true).count(), 8);
        let abonnement = app.get(&format!("/api/v1/abonnementen/{id}"), &token).await;
        assert_eq!(abonnement.body["status"], "actief");
        assert_eq!(abonnement.body["pogingen"], 0);
        let last = app
            .events()
            .await
            .iter()
            .map(|e| e.volgnummer)
            .max()
            .unwrap();
        assert!(abonnement.body["positie"].as_i64().unwrap() <= last);

        // Replayed from the first event: the same events again, with the same ids.
        let first = app
            .events()
            .await
            .iter()
            .find(|e| e.id.to_string() == expected[0])
            .unwrap()
            .volgnummer;
        let again = app
            .post(
                &format!("/api/v1/abonnementen/{id}/herhaling"),
                &token,
                &json!({"vanafVolgnummer": first}),
            )
            .await;
        assert_eq!(again.status, 200, "{}", again.text);
        wacht_tot(|| ontvanger.aangenomen().len() >= 16).await;
        let replayed: Vec<String> = ontvanger.aangenomen()[8..]
            .iter()
            .map(|o| o.id.clone())
            .collect();
        assert_eq!(replayed, expected);
        // Forward is refused.
        app.post(
            &format!("/api/v1/abonnementen/{id}/herhaling"),
            &token,
            &json!({"vanafVolgnummer": last + 100}),
        )
        .await
        .assert_problem(400);
    }
);

api_test!(
    a_spent_schedule_suspends_and_resuming_goes_on_where_it_stopped,
    |app: TestApp| async move {
        let token = token(SCOPES, &["0405"]);
        // Refuses its first three: with three failures allowed in a row, the abonnement is suspended.
        let ontvanger = Ontvanger::start(3);
        let (id, _) = abonneer(&app, &token, &ontvanger.url, &["inburgeraar.geregistreerd"]).await;
        let p = app.register(&token, &person(71, "0405")).await;
        bezorg(&app, 3);
        let url = format!("/api/v1/abonnementen/{id}");
        let mut status = Value::Null;
        let start = std::time::Instant::now();
        while status != "opgeschort" && start.elapsed() < Duration::from_secs(20) {
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
            status = app.get(&url, &token).await.body["status"].clone();
        }
        let suspended = app.get(&url, &token).await;
        assert_eq!(suspended.body["status"], "opgeschort", "{}", suspended.text);
        assert_eq!(suspended.body["pogingen"], 3);
        assert_eq!(suspended.body["laatsteFout"], "status 500");
        assert_eq!(ontvanger.alle(), 3);
        // Suspended: nothing more is tried.
        actix_web::rt::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(ontvanger.alle(), 3);
        let resumed = app
            .patch(&url, &token, &json!({"status": "actief"}), None)
            .await;
        assert_eq!(resumed.status, 200);
        wacht_tot(|| !ontvanger.aangenomen().is_empty()).await;
        let got = ontvanger.aangenomen();
        assert_eq!(got.len(), 1);
        let ce: Value = serde_json::from_str(&got[0].body).unwrap();
        assert_eq!(ce["subject"], p["id"]);
    }
);

api_test!(
    a_withdrawn_toestemming_stops_a_partners_events_at_the_next_event,
    |app: TestApp| async move {
        let gemeente = token(SCOPES, &["0405"]);
        let org = app
            .post(
                "/api/v1/organisaties",
                &gemeente,
                &json!({"naam": "Taalschool W", "soort": "TAALAANBIEDER", "keurmerkNummer": "BOW-1", "keurmerkGeldigTot": "2028-01-01"}),
            )
            .await;
        let org = org.body["id"].as_str().unwrap().to_owned();
        let p = app.register(&gemeente, &person(72, "0405")).await;
        let pid = p["id"].as_str().unwrap().to_owned();
        let today = chrono::Utc::now()
            .date_naive()
            .format("%Y-%m-%d")
            .to_string();
        let given = app
            .post(
                "/api/v1/toestemmingen",
                &gemeente,
                &json!({"inburgeraarId": pid, "organisatieId": org, "grondslag": "TOESTEMMING",
                    "doelen": ["TAALONDERWIJS"], "gegevenscategorieen": ["PERSOONSGEGEVENS"], "geldigVan": today,
                    "bewijs": {"kanaal": "SCHRIFTELIJK", "taalKennisgeving": "ti", "documentHash": "a".repeat(64)}}),
            )
            .await;
        assert_eq!(given.status, 201, "{}", given.text);
        let mut claims = claims("abonnementen:beheren inburgeraars:lezen", &[]);
        claims.sub = format!("partner-{org}");
        claims.organisatie = Some(org.clone());
        let partner = sign_hs256(&claims, SECRET);
        let ontvanger = Ontvanger::start(0);
        abonneer(&app, &partner, &ontvanger.url, &[]).await;
        bezorg(&app, 20);
        let wijzig = |naam: &'static str| {
            let (app, gemeente, pid) = (&app, &gemeente, &pid);
            async move {
                let changed = app
                    .patch(
                        &format!("/api/v1/inburgeraars/{pid}"),
                        gemeente,
                        &json!({"naam": naam}),
                        None,
                    )
                    .await;
                assert_eq!(changed.status, 200);
            }
        };
        wijzig("Naam Een").await;
        wacht_tot(|| !ontvanger.aangenomen().is_empty()).await;
        assert_eq!(
            ontvanger.aangenomen().len(),
            1,
            "the covered change reaches the partner"
        );
        // Delivering it processed the person's data: a line in the person's log, of the partner,
        // naming the toestemming it relied on.
        let log = app
            .get(
                &format!("/api/v1/inburgeraars/{pid}/verwerkingen?pageSize=100"),
                &crate::helpers::token("audit:lezen", &["0405"]),
            )
            .await;
        let afgeleverd: Vec<&Value> = log.body["resultaten"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["verwerkingsactiviteitId"] == "gebeurtenis-afleveren")
            .collect();
        assert_eq!(afgeleverd.len(), 1, "{}", log.text);
        assert_eq!(afgeleverd[0]["organisatie"], json!(org));
        assert_eq!(afgeleverd[0]["toestemmingId"], given.body["id"]);
        let withdrawn = app
            .post(
                &format!(
                    "/api/v1/toestemmingen/{}/intrekking",
                    given.body["id"].as_str().unwrap()
                ),
                &gemeente,
                &json!({}),
            )
            .await;
        assert_eq!(withdrawn.status, 200);
        wijzig("Naam Twee").await;
        // A later event about another person the partner never saw passes too, so that the delivery
        // has certainly looked past the withdrawn one.
        let marker = app.register(&gemeente, &person(73, "0405")).await;
        let _ = marker;
        actix_web::rt::time::sleep(Duration::from_millis(600)).await;
        assert_eq!(
            ontvanger.aangenomen().len(),
            1,
            "nothing after the withdrawal"
        );
    }
);

api_test!(
    two_nodes_deliver_ten_thousand_events_none_twice_and_in_order,
    |app: TestApp| async move {
        use diesel::{Connection, RunQueryDsl};
        let token = token(SCOPES, &["0405"]);
        let ontvanger = Ontvanger::start(0);
        abonneer(&app, &token, &ontvanger.url, &["inburgeraar.gewijzigd"]).await;
        // Ten thousand events of the gemeente, written straight into the outbox in parts.
        let url = app.db_url().clone();
        actix_web::rt::task::spawn_blocking(move || {
            let values = |part: usize| {
                (0..1_000)
                    .map(|i| {
                        let person = uuid::Uuid::now_v7();
                        format!(
                            "('{}', 'inburgeraar.gewijzigd', '/api/v1/inburgeraars/{person}', '{person}', '0405', \
                             '2026-12-05 10:00:00', 'bulk-{part}-{i}')",
                            uuid::Uuid::now_v7()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let sql = |part| {
                format!(
                    "INSERT INTO gebeurtenissen (id, soort, url, inburgeraar_id, gemeente, tijdstip, request_id) VALUES {}",
                    values(part)
                )
            };
            match url.backend() {
                koers_persistence::Backend::Postgresql => {
                    let mut conn = diesel::PgConnection::establish(url.expose()).unwrap();
                    for part in 0..10 {
                        diesel::sql_query(sql(part)).execute(&mut conn).unwrap();
                    }
                }
                koers_persistence::Backend::Sqlite => {
                    let path = url.sqlite_path().unwrap();
                    let mut conn =
                        diesel::SqliteConnection::establish(path.to_str().unwrap()).unwrap();
                    diesel::sql_query("PRAGMA busy_timeout = 10000").execute(&mut conn).unwrap();
                    for part in 0..10 {
                        diesel::sql_query(sql(part)).execute(&mut conn).unwrap();
                    }
                }
            }
        })
        .await
        .unwrap();
        // Two nodes, each with its own pool and tasks, on the one database.
        bezorg(&app, 20);
        bezorg(&app, 20);
        let start = std::time::Instant::now();
        while ontvanger.aangenomen().len() < 10_000 && start.elapsed() < Duration::from_secs(120) {
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        }
        actix_web::rt::time::sleep(Duration::from_millis(300)).await;
        let got = ontvanger.aangenomen();
        let ids: Vec<&str> = got.iter().map(|o| o.id.as_str()).collect();
        let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
        assert_eq!(got.len(), 10_000, "every event delivered");
        assert_eq!(unique.len(), 10_000, "none twice");
        // In the outbox's order: the sequence numbers arrive rising.
        let sequence: Vec<String> = got
            .iter()
            .map(|o| {
                serde_json::from_str::<Value>(&o.body).unwrap()["sequence"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert!(sequence.windows(2).all(|w| w[0] < w[1]), "in order");
    }
);

api_test!(
    a_new_secret_signs_alongside_the_old_one_during_the_changeover,
    |app: TestApp| async move {
        let token = token(SCOPES, &["0405"]);
        let ontvanger = Ontvanger::start(0);
        let (id, oud) =
            abonneer(&app, &token, &ontvanger.url, &["inburgeraar.geregistreerd"]).await;
        let rotated = app
            .post(
                &format!("/api/v1/abonnementen/{id}/geheim-vernieuwing"),
                &token,
                &json!({"overgangUren": 1}),
            )
            .await;
        assert_eq!(rotated.status, 200, "{}", rotated.text);
        let nieuw = rotated.body["geheim"].as_str().unwrap().to_owned();
        assert_ne!(nieuw, oud);
        assert!(app
            .get(&format!("/api/v1/abonnementen/{id}"), &token)
            .await
            .body
            .get("geheim")
            .is_none());
        for uren in [0, 169] {
            let refused = app
                .post(
                    &format!("/api/v1/abonnementen/{id}/geheim-vernieuwing"),
                    &token,
                    &json!({"overgangUren": uren}),
                )
                .await;
            refused.assert_problem(400);
            assert_eq!(refused.invalid_names(), ["overgangUren"]);
        }
        app.register(&token, &person(74, "0405")).await;
        bezorg(&app, 20);
        wacht_tot(|| !ontvanger.aangenomen().is_empty()).await;
        let got = &ontvanger.aangenomen()[0];
        let sign = |geheim: &str| {
            handtekening(
                geheim,
                &got.id,
                got.timestamp.parse().unwrap(),
                got.body.as_bytes(),
            )
            .unwrap()
        };
        let signatures: Vec<&str> = got.signature.split(' ').collect();
        assert_eq!(
            signatures,
            [sign(&nieuw), sign(&oud)],
            "the new secret's first, the old one's too"
        );
    }
);

api_test!(
    events_gone_past_their_keeping_time_are_passed_over_and_what_follows_comes,
    |app: TestApp| async move {
        use koers_domain::ports::GebeurtenisStore;
        let token = token(SCOPES, &["0405"]);
        let ontvanger = Ontvanger::start(0);
        let (id, _) = abonneer(&app, &token, &ontvanger.url, &["inburgeraar.geregistreerd"]).await;
        app.register(&token, &person(75, "0405")).await;
        app.register(&token, &person(76, "0405")).await;
        let url = app.db_url().clone();
        actix_web::rt::task::spawn_blocking(move || {
            let later = chrono::Utc::now().naive_utc() + chrono::TimeDelta::hours(1);
            store(&url).ruim_gebeurtenissen_op(later).unwrap()
        })
        .await
        .unwrap();
        bezorg(&app, 20);
        actix_web::rt::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(ontvanger.alle(), 0, "nothing is left to deliver");
        let next = app.register(&token, &person(77, "0405")).await;
        wacht_tot(|| !ontvanger.aangenomen().is_empty()).await;
        actix_web::rt::time::sleep(Duration::from_millis(200)).await;
        let got = ontvanger.aangenomen();
        assert_eq!(got.len(), 1);
        let ce: Value = serde_json::from_str(&got[0].body).unwrap();
        assert_eq!(ce["subject"], next["id"]);
        let abonnement = app.get(&format!("/api/v1/abonnementen/{id}"), &token).await;
        assert_eq!(
            abonnement.body["positie"].as_i64().unwrap(),
            ce["sequence"].as_str().unwrap().parse::<i64>().unwrap()
        );
    }
);
