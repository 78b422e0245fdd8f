//! The change feed `GET /gebeurtenissen`: each caller sees the events it may see, in sequence order,
//! page by page, thin (ids and URLs); a partner only about people its toestemming covers now.

use crate::api_test;
use crate::helpers::*;
use serde_json::{json, Value};

const GEMEENTE: &str = "inburgeraars:lezen inburgeraars:schrijven intake:lezen intake:schrijven \
pip:lezen pip:vaststellen toestemmingen:beheren beheer";

/// Every event of the feed from `first` once at least `expected` are shown. On PostgreSQL the feed
/// shows an event once every transaction that began before it has ended (in any database of the
/// cluster, such as the other tests'), so a reader may have to ask again, as a follower does.
async fn feed(app: &TestApp, first: &str, token: &str, expected: usize) -> Vec<Value> {
    let start = std::time::Instant::now();
    loop {
        let items = items_of(&walk_pages(app, first, token).await);
        if items.len() >= expected || start.elapsed() > std::time::Duration::from_secs(10) {
            return items;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

fn soorten(items: &[Value]) -> Vec<&str> {
    items.iter().map(|e| e["soort"].as_str().unwrap()).collect()
}

api_test!(
    the_feed_shows_a_gemeente_its_events_in_order_page_by_page_and_nothing_of_another,
    |app: TestApp| async move {
        let hoorn = token(GEMEENTE, &["0405"]);
        let oss = token(GEMEENTE, &["0828"]);
        let body = person(81, "0405");
        let a = app.register(&hoorn, &body).await;
        let b = app.register(&oss, &person(82, "0828")).await;
        let a_id = a["id"].as_str().unwrap();
        let intake = app
            .put(
                &format!("/api/v1/inburgeraars/{a_id}/brede-intake"),
                &hoorn,
                &json!({"datumStart": "2026-09-20"}),
            )
            .await;
        assert_eq!(intake.status, 200, "{}", intake.text);

        feed(&app, "/api/v1/gebeurtenissen", &hoorn, 3).await;
        let pages = walk_pages(&app, "/api/v1/gebeurtenissen?pageSize=1", &hoorn).await;
        let items = items_of(&pages);
        assert_eq!(
            soorten(&items),
            [
                "inburgeraar.geregistreerd",
                "brede-intake.vastgelegd",
                "inburgeraar.status-gewijzigd"
            ]
        );
        assert!(items.iter().all(|e| e["inburgeraarId"] == a["id"]));
        assert!(items.iter().all(|e| e["gemeente"] == "0405"));
        let volgnummers: Vec<i64> = items
            .iter()
            .map(|e| e["volgnummer"].as_i64().unwrap())
            .collect();
        assert!(
            volgnummers.windows(2).all(|w| w[0] < w[1]),
            "{volgnummers:?}"
        );
        // The same events as in the outbox, by id.
        let outbox: Vec<String> = app
            .events()
            .await
            .iter()
            .filter(|e| e.inburgeraar_id.map(|id| id.to_string()).as_deref() == Some(a_id))
            .map(|e| e.id.to_string())
            .collect();
        let ids: Vec<&str> = items.iter().map(|e| e["id"].as_str().unwrap()).collect();
        assert_eq!(ids, outbox);
        // Thin: no BSN, no name.
        let text: String = pages.iter().map(|p| p.text.clone()).collect();
        assert!(!text.contains(body["bsn"].as_str().unwrap()));
        assert!(!text.contains(body["naam"].as_str().unwrap()));

        // Oss sees its own person only; a filter on another gemeente shows it nothing.
        let theirs = feed(&app, "/api/v1/gebeurtenissen", &oss, 1).await;
        assert_eq!(soorten(&theirs), ["inburgeraar.geregistreerd"]);
        assert_eq!(theirs[0]["inburgeraarId"], b["id"]);
        let filtered = app.get("/api/v1/gebeurtenissen?gemeente=0405", &oss).await;
        assert_eq!(filtered.status, 200);
        assert_eq!(filtered.body["resultaten"], json!([]));

        // Filters, and a cursor that continues after the last event seen.
        let kind = app
            .get(
                "/api/v1/gebeurtenissen?soort=brede-intake.vastgelegd",
                &hoorn,
            )
            .await;
        assert_eq!(
            soorten(kind.body["resultaten"].as_array().unwrap()),
            ["brede-intake.vastgelegd"]
        );
        let about = app
            .get(
                &format!("/api/v1/gebeurtenissen?inburgeraarId={a_id}&pageSize=100"),
                &hoorn,
            )
            .await;
        assert_eq!(about.body["resultaten"].as_array().unwrap().len(), 3);
        let tail = pages.last().unwrap();
        assert!(tail.body["volgendePagina"].is_null());

        // Only what the caller's scopes read: `pip:lezen` alone sees the status change, not the
        // registration (`inburgeraars:lezen`) or the intake (`intake:lezen`).
        let pip = token("pip:lezen", &["0405"]);
        let seen = feed(&app, "/api/v1/gebeurtenissen", &pip, 1).await;
        assert_eq!(soorten(&seen), ["inburgeraar.status-gewijzigd"]);
        // Without any of those scopes (or abonnementen:beheren): 403.
        app.get("/api/v1/gebeurtenissen", &token("audit:lezen", &["0405"]))
            .await
            .assert_problem(403);
        // Bad parameters are named.
        let bad = app
            .get(
                "/api/v1/gebeurtenissen?soort=x&gemeente=1&inburgeraarId=y&pageSize=0",
                &hoorn,
            )
            .await;
        bad.assert_problem(400);
        let mut names = bad.invalid_names();
        names.sort();
        assert_eq!(names, ["gemeente", "inburgeraarId", "pageSize", "soort"]);
    }
);

api_test!(
    a_partner_follows_only_people_and_categories_its_toestemming_covers_until_it_is_withdrawn,
    |app: TestApp| async move {
        let gemeente = token(GEMEENTE, &["0405"]);
        let organisatie = app
            .post(
                "/api/v1/organisaties",
                &gemeente,
                &json!({"naam": "Taalschool F", "soort": "TAALAANBIEDER", "kvkNummer": "12345678",
                    "keurmerkNummer": "BOW-1", "keurmerkGeldigTot": "2028-01-01"}),
            )
            .await;
        assert_eq!(organisatie.status, 201, "{}", organisatie.text);
        let org = organisatie.body["id"].as_str().unwrap().to_owned();
        let covered = app.register(&gemeente, &person(83, "0405")).await;
        let other = app.register(&gemeente, &person(84, "0405")).await;
        let today = chrono::Utc::now()
            .date_naive()
            .format("%Y-%m-%d")
            .to_string();
        let given = app
            .post(
                "/api/v1/toestemmingen",
                &gemeente,
                &json!({
                    "inburgeraarId": covered["id"], "organisatieId": org, "grondslag": "TOESTEMMING",
                    "doelen": ["TAALONDERWIJS"], "gegevenscategorieen": ["PERSOONSGEGEVENS"],
                    "geldigVan": today, "geldigTot": null,
                    "bewijs": {"kanaal": "SCHRIFTELIJK", "taalKennisgeving": "ti", "documentHash": "a".repeat(64)}
                }),
            )
            .await;
        assert_eq!(given.status, 201, "{}", given.text);
        for p in [&covered, &other] {
            let id = p["id"].as_str().unwrap();
            let changed = app
                .patch(
                    &format!("/api/v1/inburgeraars/{id}"),
                    &gemeente,
                    &json!({"naam": "Nieuwe Naam"}),
                    None,
                )
                .await;
            assert_eq!(changed.status, 200, "{}", changed.text);
            let intake = app
                .put(
                    &format!("/api/v1/inburgeraars/{id}/brede-intake"),
                    &gemeente,
                    &json!({"datumStart": "2026-09-20"}),
                )
                .await;
            assert_eq!(intake.status, 200, "{}", intake.text);
        }
        let mut claims = claims("inburgeraars:lezen pip:lezen intake:lezen", &[]);
        claims.sub = format!("partner-{org}");
        claims.organisatie = Some(org.clone());
        let partner = sign_hs256(&claims, SECRET);

        // Persoonsgegevens are covered: the registration and the change of the covered person; not
        // the intake or the status (category TRAJECT), nothing of the other person, no toestemming event.
        let seen = feed(&app, "/api/v1/gebeurtenissen?pageSize=2", &partner, 2).await;
        assert_eq!(
            soorten(&seen),
            ["inburgeraar.geregistreerd", "inburgeraar.gewijzigd"]
        );
        assert!(seen.iter().all(|e| e["inburgeraarId"] == covered["id"]));
        let log = app
            .get(
                &format!(
                    "/api/v1/inburgeraars/{}/verwerkingen",
                    covered["id"].as_str().unwrap()
                ),
                &token("audit:lezen", &["0405"]),
            )
            .await;
        let volgen: Vec<&Value> = log.body["resultaten"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["verwerkingsactiviteitId"] == "gebeurtenissen-volgen")
            .collect();
        assert!(!volgen.is_empty(), "{}", log.text);
        assert!(
            volgen
                .iter()
                .all(|l| l["toestemmingId"] == given.body["id"]),
            "{}",
            log.text
        );

        // Withdrawn: from the next request on, nothing about the person.
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
        assert_eq!(withdrawn.status, 200, "{}", withdrawn.text);
        let after = items_of(&walk_pages(&app, "/api/v1/gebeurtenissen", &partner).await);
        assert_eq!(after, Vec::<Value>::new());
    }
);

api_test!(
    the_feed_never_passes_a_number_below_which_a_transaction_may_still_commit,
    |app: TestApp| async move {
        use diesel::{Connection, RunQueryDsl};
        let hoorn = token(GEMEENTE, &["0405"]);
        let first = app.register(&hoorn, &person(85, "0405")).await;
        feed(&app, "/api/v1/gebeurtenissen", &hoorn, 1).await;
        let Backend::Postgres = app.backend() else {
            // SQLite has one writer at a time: numbers are drawn in commit order, and what is
            // committed is shown at once.
            app.register(&hoorn, &person(86, "0405")).await;
            let seen = items_of(&walk_pages(&app, "/api/v1/gebeurtenissen", &hoorn).await);
            assert_eq!(seen.len(), 2);
            return;
        };
        // A slow writer draws the next number and has not committed yet.
        let url = app.db_url().expose().to_owned();
        let person_id = first["id"].as_str().unwrap().to_owned();
        let (drawn_tx, drawn_rx) = std::sync::mpsc::channel::<()>();
        let (commit_tx, commit_rx) = std::sync::mpsc::channel::<()>();
        let slow = std::thread::spawn(move || {
            let mut conn = diesel::PgConnection::establish(&url).unwrap();
            conn.transaction::<_, diesel::result::Error, _>(|conn| {
                diesel::sql_query(format!(
                    "INSERT INTO gebeurtenissen (id, soort, url, inburgeraar_id, gemeente, tijdstip, request_id) \
                     VALUES ('{}', 'inburgeraar.gewijzigd', '/api/v1/inburgeraars/{person_id}', '{person_id}', '0405', now(), 'slow')",
                    uuid::Uuid::now_v7()
                ))
                .execute(conn)?;
                drawn_tx.send(()).unwrap();
                commit_rx.recv().unwrap();
                Ok(())
            })
            .unwrap();
        });
        drawn_rx.recv().unwrap();
        // A later change commits while the slow one is open: its event has a higher number and must
        // not be shown yet, or a follower's cursor would pass the slow one's number for good.
        let second = app.register(&hoorn, &person(86, "0405")).await;
        actix_web::rt::time::sleep(std::time::Duration::from_millis(200)).await;
        let held = items_of(&walk_pages(&app, "/api/v1/gebeurtenissen", &hoorn).await);
        assert_eq!(
            held.len(),
            1,
            "only the event before the open transaction: {held:?}"
        );
        let cursor = walk_pages(&app, "/api/v1/gebeurtenissen?pageSize=1", &hoorn).await;
        assert!(cursor.last().unwrap().body["volgendePagina"].is_null());
        commit_tx.send(()).unwrap();
        slow.join().unwrap();
        // Now both, in number order: the slow writer's first.
        let all = feed(&app, "/api/v1/gebeurtenissen", &hoorn, 3).await;
        assert_eq!(all.len(), 3, "{all:?}");
        assert_eq!(all[1]["inburgeraarId"], first["id"]);
        assert_eq!(all[1]["soort"], "inburgeraar.gewijzigd");
        assert_eq!(all[2]["inburgeraarId"], second["id"]);
    }
);

api_test!(
    events_past_their_keeping_time_leave_the_outbox_and_the_rest_stays,
    |app: TestApp| async move {
        use koers_domain::ports::GebeurtenisStore;
        let hoorn = token(GEMEENTE, &["0405"]);
        let old = app.register(&hoorn, &person(87, "0405")).await;
        actix_web::rt::time::sleep(std::time::Duration::from_millis(20)).await;
        let voor = chrono::Utc::now().naive_utc();
        actix_web::rt::time::sleep(std::time::Duration::from_millis(20)).await;
        let new = app.register(&hoorn, &person(88, "0405")).await;
        let url = app.db_url().clone();
        let weg = actix_web::rt::task::spawn_blocking(move || {
            store(&url).ruim_gebeurtenissen_op(voor).unwrap()
        })
        .await
        .unwrap();
        assert_eq!(weg, 1, "the older registration's event");
        let left = feed(&app, "/api/v1/gebeurtenissen", &hoorn, 1).await;
        assert_eq!(left.len(), 1);
        assert_eq!(left[0]["inburgeraarId"], new["id"]);
        assert_ne!(left[0]["inburgeraarId"], old["id"]);
    }
);
