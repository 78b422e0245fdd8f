//! What taalaanbieders push, under a toestemming: inschrijvingen, gevolgde uren (which feed the 600
//! hours of afschalen), and examenresultaten, once per idempotency key, in bulk, with DUO leading.

use crate::api_test;
use crate::helpers::*;
use serde_json::{json, Value};

const GEMEENTE: &str =
    "inburgeraars:lezen inburgeraars:schrijven toestemmingen:beheren audit:lezen beheer \
pip:lezen pip:vaststellen voortgang:aanleveren";

struct Setup {
    gemeente: String,
    partner: String,
    other_partner: String,
    person: Value,
    path: String,
}

async fn setup(app: &TestApp, n: u32) -> Setup {
    let gemeente = token(GEMEENTE, &["0405"]);
    let mut ids = Vec::new();
    for naam in ["Taalschool X", "Taalschool Y"] {
        let answer = app
            .post(
                "/api/v1/organisaties",
                &gemeente,
                &json!({"naam": naam, "soort": "TAALAANBIEDER", "keurmerkNummer": "BOW-1", "keurmerkGeldigTot": "2028-01-01"}),
            )
            .await;
        ids.push(answer.body["id"].as_str().unwrap().to_owned());
    }
    let person = app
        .register(&gemeente, &crate::helpers::person(n, "0405"))
        .await;
    let grant = json!({
        "inburgeraarId": person["id"], "organisatieId": ids[0], "grondslag": "PUBLIEKE_TAAK",
        "doelen": ["TAALONDERWIJS"], "gegevenscategorieen": ["VOORTGANG", "EXAMENRESULTATEN"],
        "geldigVan": "2024-01-01", "bewijs": {"kanaal": "DIGITAAL", "taalKennisgeving": "nl"}
    });
    assert_eq!(
        app.post("/api/v1/toestemmingen", &gemeente, &grant)
            .await
            .status,
        201
    );
    let partner_token = |organisatie: &str| {
        let mut claims = claims("voortgang:aanleveren", &[]);
        claims.organisatie = Some(organisatie.to_owned());
        sign_hs256(&claims, SECRET)
    };
    Setup {
        partner: partner_token(&ids[0]),
        other_partner: partner_token(&ids[1]),
        path: format!("/api/v1/inburgeraars/{}", person["id"].as_str().unwrap()),
        gemeente,
        person,
    }
}

fn uitslag(person: &Value, uitslag: &str, bron: &str) -> Value {
    json!({"inburgeraarId": person["id"], "onderdeel": "LEZEN", "niveau": "B1", "uitslag": uitslag, "datumExamen": "2026-10-14", "bron": bron})
}

api_test!(
    hours_pushed_by_the_provider_open_afschalen,
    |app: TestApp| async move {
        let s = setup(&app, 80).await;
        // A B1-route PIP fixed on 20 September 2026 (the person settled on 15 September).
        let pip = app
            .post(
                &format!("{}/pips", s.path),
                &s.gemeente,
                &json!({"leerroute": "B1"}),
            )
            .await;
        let fix = |pip: &Value, datum: &str| {
            let url = format!(
                "{}/pips/{}/vaststelling",
                s.path,
                pip["id"].as_str().unwrap()
            );
            let body = json!({"datumDagtekening": datum});
            let request = app
                .server()
                .post(url)
                .bearer_auth(&s.gemeente)
                .insert_header(("content-type", "application/json"));
            async move { send(request, Some(&body.to_string())).await }
        };
        assert_eq!(fix(&pip.body, "2026-09-20").await.status, 200);

        let inschrijving = app
        .post(
            "/api/v1/inschrijvingen",
            &s.partner,
            &json!({"inburgeraarId": s.person["id"], "soort": "CURSUS", "omschrijving": "B1-route dagprogramma", "datumStart": "2026-10-14", "urenPerWeek": 12}),
        )
        .await;
        assert_eq!(inschrijving.status, 201, "{}", inschrijving.text);
        assert_eq!(
            inschrijving.body["wachttijdDagen"], 24,
            "20 September to 14 October"
        );
        let other = app
        .post("/api/v1/inschrijvingen", &s.other_partner, &json!({"inburgeraarId": s.person["id"], "soort": "CURSUS", "omschrijving": "x", "datumStart": "2026-10-14", "urenPerWeek": 12}))
        .await;
        other.assert_problem(404);

        let afschalen = app
            .post(
                &format!("{}/pips", s.path),
                &s.gemeente,
                &json!({"leerroute": "B1", "niveau": "A2"}),
            )
            .await;
        assert_eq!(
            fix(&afschalen.body, "2026-11-20").await.body["invalidParams"][0]["code"],
            "afschalenTeVroeg"
        );
        for (maand, uren) in [("2026-09", 200), ("2026-10", 200), ("2026-11", 200)] {
            let pushed = app
            .post("/api/v1/gevolgde-uren", &s.partner, &json!({"inburgeraarId": s.person["id"], "maand": maand, "lesuren": uren, "verzuimUren": 3}))
            .await;
            assert_eq!(pushed.status, 201, "{}", pushed.text);
        }
        let voortgang = app.get(&format!("{}/voortgang", s.path), &s.gemeente).await;
        assert_eq!(voortgang.body["lesurenTotaal"], 600);
        assert_eq!(voortgang.body["gevolgdeUren"].as_array().unwrap().len(), 3);
        assert_eq!(
            fix(&afschalen.body, "2026-11-20").await.status,
            200,
            "600 lesuren allow afschalen"
        );

        let bad = app
            .post(
                "/api/v1/gevolgde-uren",
                &s.partner,
                &json!({"inburgeraarId": "nee", "maand": "2099-01", "lesuren": -1}),
            )
            .await;
        bad.assert_problem(400);
        let mut names = bad.invalid_names();
        names.sort();
        assert_eq!(names, ["inburgeraarId", "lesuren", "maand"]);

        // The person's processing log names the partner and its toestemming for every push.
        let log = app
            .get(
                &format!("{}/verwerkingen?pageSize=100", s.path),
                &s.gemeente,
            )
            .await;
        let pushes = log.body["resultaten"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["verwerkingsactiviteitId"] == "voortgang-aanleveren")
            .filter(|l| l["toestemmingId"].is_string() && l["organisatie"].is_string())
            .count();
        assert_eq!(pushes, 4);
    }
);

api_test!(
    exam_results_once_per_key_and_duo_leads,
    |app: TestApp| async move {
        let s = setup(&app, 81).await;
        let post = |token: &str, key: &str, body: &Value| {
            let request = app
                .server()
                .post("/api/v1/examenresultaten")
                .bearer_auth(token)
                .insert_header(("content-type", "application/json"))
                .insert_header(("idempotency-key", key.to_owned()));
            let body = body.to_string();
            async move { send(request, Some(&body)).await }
        };
        let first = post(
            &s.partner,
            "r-1",
            &uitslag(&s.person, "GESLAAGD", "AANBIEDER"),
        )
        .await;
        assert_eq!(first.status, 201, "{}", first.text);
        assert_eq!(first.body["conflictMetDuo"], false);
        let retry = post(
            &s.partner,
            "r-1",
            &uitslag(&s.person, "GESLAAGD", "AANBIEDER"),
        )
        .await;
        assert_eq!(retry.status, 201);
        assert_eq!(retry.body, first.body);
        assert_eq!(retry.header("idempotent-replayed"), Some("true"));
        post(
            &s.partner,
            "r-1",
            &uitslag(&s.person, "GEZAKT", "AANBIEDER"),
        )
        .await
        .assert_problem(409);
        let partner_duo = post(&s.partner, "r-2", &uitslag(&s.person, "GEZAKT", "DUO")).await;
        partner_duo.assert_problem(400);
        assert_eq!(partner_duo.invalid_names(), ["bron"]);

        // DUO's result (through the gemeente) contradicts the provider's: kept, flagged.
        let duo = post(&s.gemeente, "duo-1", &uitslag(&s.person, "GEZAKT", "DUO")).await;
        assert_eq!(duo.status, 201, "{}", duo.text);
        let voortgang = app.get(&format!("{}/voortgang", s.path), &s.gemeente).await;
        let results = voortgang.body["examenresultaten"].as_array().unwrap();
        assert_eq!(results.len(), 2, "the retry stored nothing twice");
        assert_eq!(results[0]["bron"], "AANBIEDER");
        assert_eq!(results[0]["conflictMetDuo"], true);
        assert_eq!(results[1]["bron"], "DUO");
        post(
            &s.other_partner,
            "y-1",
            &uitslag(&s.person, "GESLAAGD", "AANBIEDER"),
        )
        .await
        .assert_problem(404);
    }
);

api_test!(
    a_bulk_stores_every_valid_item_and_names_every_invalid_one,
    |app: TestApp| async move {
        let s = setup(&app, 82).await;
        let items: Vec<Value> = (0..1000)
        .map(|i| {
            if i % 100 == 7 {
                json!({"inburgeraarId": s.person["id"], "onderdeel": "LEZEN", "niveau": "B1", "uitslag": "GEEN", "datumExamen": "2099-10-14", "bron": "AANBIEDER"})
            } else {
                let mut item = uitslag(&s.person, if i % 2 == 0 { "GESLAAGD" } else { "GEZAKT" }, "AANBIEDER");
                item["onderdeel"] = json!(["LEZEN", "LUISTEREN", "SCHRIJVEN", "SPREKEN"][i % 4]);
                item
            }
        })
        .collect();
        let answer = app
            .post(
                "/api/v1/examenresultaten/_bulk",
                &s.partner,
                &json!({"resultaten": items}),
            )
            .await;
        assert_eq!(
            answer.status,
            200,
            "{}",
            &answer.text[..answer.text.len().min(500)]
        );
        assert_eq!(answer.body["opgeslagen"], 990);
        assert_eq!(answer.body["afgewezen"], 10);
        let rejected: Vec<u64> = answer.body["uitkomsten"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["status"] == 400)
            .map(|o| o["index"].as_u64().unwrap())
            .collect();
        assert_eq!(rejected, (0..10).map(|k| k * 100 + 7).collect::<Vec<u64>>());
        let first_rejected = &answer.body["uitkomsten"][7]["invalidParams"];
        let mut names: Vec<&str> = first_rejected
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        names.sort_unstable();
        assert_eq!(names, ["datumExamen", "redenGeen"]);
        let voortgang = app.get(&format!("{}/voortgang", s.path), &s.gemeente).await;
        assert_eq!(
            voortgang.body["examenresultaten"].as_array().unwrap().len(),
            990
        );
        // The audit trail shows what the bulk stored as an object, its list under `resultaten`.
        let trail = app
            .get(&format!("{}/audittrail", s.path), &s.gemeente)
            .await;
        let bulk = &trail.body["resultaten"][0];
        assert_eq!(bulk["resource"], "examenresultaat", "{bulk}");
        assert_eq!(
            bulk["nieuweWaarde"]["resultaten"].as_array().unwrap().len(),
            990
        );

        let malformed = app
            .post(
                "/api/v1/examenresultaten/_bulk",
                &s.partner,
                &json!({"resultaten": [uitslag(&s.person, "GESLAAGD", "AANBIEDER"), 3]}),
            )
            .await;
        malformed.assert_problem(400);
        assert_eq!(malformed.invalid_names(), ["resultaten[1]"]);
        // An item outside the contract (a value not in the list) makes the call invalid as a whole,
        // named to its field; only items that break a rule get an outcome of their own.
        let mut zingen = uitslag(&s.person, "GESLAAGD", "AANBIEDER");
        zingen["onderdeel"] = json!("ZINGEN");
        let outside = app
            .post(
                "/api/v1/examenresultaten/_bulk",
                &s.partner,
                &json!({"resultaten": [uitslag(&s.person, "GESLAAGD", "AANBIEDER"), zingen]}),
            )
            .await;
        outside.assert_problem(400);
        assert_eq!(outside.invalid_names(), ["resultaten[1].onderdeel"]);

        let too_many: Vec<Value> = (0..1001)
            .map(|_| uitslag(&s.person, "GESLAAGD", "AANBIEDER"))
            .collect();
        let refused = app
            .post(
                "/api/v1/examenresultaten/_bulk",
                &s.partner,
                &json!({"resultaten": too_many}),
            )
            .await;
        refused.assert_problem(400);
        assert_eq!(refused.invalid_names(), ["resultaten"]);
    }
);

api_test!(
    concurrent_pushes_for_one_person_all_land,
    |app: TestApp| async move {
        let s = setup(&app, 83).await;
        let mut tasks = Vec::new();
        for month in 1..=8u32 {
            let (url, token, person) = (
                app.server().url("/api/v1/gevolgde-uren"),
                s.partner.clone(),
                s.person["id"].clone(),
            );
            tasks.push(actix_web::rt::spawn(async move {
            let request = awc::Client::default()
                .post(url)
                .bearer_auth(&token)
                .insert_header(("content-type", "application/json"));
            let body = json!({"inburgeraarId": person, "maand": format!("2026-{month:02}"), "lesuren": 10});
            send(request, Some(&body.to_string())).await.status
        }));
        }
        for task in tasks {
            assert_eq!(
                task.await.unwrap(),
                201,
                "a concurrent push is re-applied, not refused"
            );
        }
        let voortgang = app.get(&format!("{}/voortgang", s.path), &s.gemeente).await;
        assert_eq!(
            voortgang.body["lesurenTotaal"], 80,
            "every push landed once"
        );
    }
);

api_test!(
    concurrent_pushes_to_one_person_never_fail,
    |app: TestApp| async move {
        // Four partner streams push to the same person at once, without `If-Match`: none is refused
        // for another's sake, and every result is stored once.
        let s = setup(&app, 86).await;
        const STREAMS: i64 = 4;
        const PUSHES: i64 = 20;
        let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let mut tasks = Vec::new();
        for stream in 0..STREAMS {
            let (url, partner, person) = (
                app.server().url("/api/v1/examenresultaten"),
                s.partner.clone(),
                s.person.clone(),
            );
            tasks.push(actix_web::rt::spawn(async move {
                let (client, mut statuses) = (awc::Client::default(), Vec::new());
                for push in 0..PUSHES {
                    let day = start + chrono::Duration::days(stream * PUSHES + push);
                    let mut body = uitslag(&person, "GESLAAGD", "AANBIEDER");
                    body["datumExamen"] = json!(day.format("%Y-%m-%d").to_string());
                    let request = client
                        .post(&url)
                        .bearer_auth(&partner)
                        .insert_header(("content-type", "application/json"));
                    let answer = send(request, Some(&body.to_string())).await;
                    statuses.push((answer.status, answer.text));
                }
                statuses
            }));
        }
        for task in tasks {
            for (status, text) in task.await.unwrap() {
                assert_eq!(status, 201, "{text}");
            }
        }
        let voortgang = app.get(&format!("{}/voortgang", s.path), &s.gemeente).await;
        assert_eq!(
            voortgang.body["examenresultaten"].as_array().unwrap().len(),
            (STREAMS * PUSHES) as usize
        );
    }
);

/// The list of `GET …/voortgang` that a paged list of the person gives in full.
const VOORTGANG_LISTS: [(&str, &str); 3] = [
    ("inschrijvingen", "inschrijvingen"),
    ("gevolgde-uren", "gevolgdeUren"),
    ("examenresultaten", "examenresultaten"),
];

api_test!(
    every_voortgang_list_pages_in_the_order_of_the_voortgang,
    |app: TestApp| async move {
        let s = setup(&app, 87).await;
        for k in 0..6u32 {
            let pushes = [
                (
                    "/api/v1/inschrijvingen",
                    json!({"inburgeraarId": s.person["id"], "soort": "CURSUS", "omschrijving": format!("Cursus {k}"), "datumStart": format!("2026-0{}-01", 9 - k), "urenPerWeek": 10 + k}),
                ),
                (
                    "/api/v1/gevolgde-uren",
                    json!({"inburgeraarId": s.person["id"], "maand": format!("2026-0{}", 9 - k), "lesuren": 10 * (k + 1)}),
                ),
                ("/api/v1/examenresultaten", {
                    let mut result = uitslag(&s.person, "GESLAAGD", "AANBIEDER");
                    result["datumExamen"] = json!(format!("2026-0{}-14", 9 - k));
                    result
                }),
            ];
            for (url, body) in pushes {
                let pushed = app.post(url, &s.partner, &body).await;
                assert_eq!(pushed.status, 201, "{url}: {}", pushed.text);
            }
        }
        // A resent month replaces the earlier one in its place: still six months.
        let resent = app
            .post(
                "/api/v1/gevolgde-uren",
                &s.partner,
                &json!({"inburgeraarId": s.person["id"], "maand": "2026-07", "lesuren": 5}),
            )
            .await;
        assert_eq!(resent.status, 200, "{}", resent.text);

        let voortgang = app.get(&format!("{}/voortgang", s.path), &s.gemeente).await;
        assert_eq!(voortgang.status, 200, "{}", voortgang.text);
        assert_eq!(voortgang.body["lesurenTotaal"], 10 + 20 + 5 + 40 + 50 + 60);
        for (list, field) in VOORTGANG_LISTS {
            let shown = voortgang.body[field].as_array().unwrap().clone();
            assert_eq!(shown.len(), 6, "{field}");
            assert!(
                voortgang.body[format!("{field}Volledig")].is_null(),
                "{field} is not cut"
            );
            let url = format!("{}/{list}", s.path);
            let first = app.get(&url, &s.gemeente).await;
            assert_eq!(first.status, 200, "{list}: {}", first.text);
            assert_eq!(first.body["resultaten"], json!(shown), "{list}");
            let pages = walk_pages(&app, &format!("{url}?pageSize=2"), &s.gemeente).await;
            assert_eq!(pages.len(), 3, "{list}");
            assert_eq!(items_of(&pages), shown, "{list}: every item once, in order");
        }
        let months: Vec<&str> = voortgang.body["gevolgdeUren"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["maand"].as_str().unwrap())
            .collect();
        assert_eq!(
            months,
            ["2026-09", "2026-08", "2026-07", "2026-06", "2026-05", "2026-04"],
            "in the order pushed, the resent month in its place"
        );
        // Read by the gemeente only: a partner pushing has no `pip:lezen`.
        let partner = app
            .get(&format!("{}/examenresultaten", s.path), &s.partner)
            .await;
        partner.assert_problem(403);
    }
);

api_test!(
    the_voortgang_shows_the_newest_thousand_results_and_the_list_gives_all,
    |app: TestApp| async move {
        let s = setup(&app, 88).await;
        let start = chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
        // 1,005 results, each of its own day, in two bulk calls: the oldest first.
        let days: Vec<String> = (0..1005)
            .map(|i| {
                (start + chrono::Duration::days(i))
                    .format("%Y-%m-%d")
                    .to_string()
            })
            .collect();
        for chunk in days.chunks(1000) {
            let items: Vec<Value> = chunk
                .iter()
                .map(|day| {
                    let mut item = uitslag(&s.person, "GESLAAGD", "AANBIEDER");
                    item["datumExamen"] = json!(day);
                    item
                })
                .collect();
            let answer = app
                .post(
                    "/api/v1/examenresultaten/_bulk",
                    &s.partner,
                    &json!({"resultaten": items}),
                )
                .await;
            assert_eq!(
                answer.status,
                200,
                "{}",
                &answer.text[..answer.text.len().min(500)]
            );
            assert_eq!(answer.body["opgeslagen"], chunk.len());
        }
        let dates = |items: &[Value]| -> Vec<String> {
            items
                .iter()
                .map(|r| r["datumExamen"].as_str().unwrap().to_owned())
                .collect()
        };
        let voortgang = app.get(&format!("{}/voortgang", s.path), &s.gemeente).await;
        assert_eq!(voortgang.status, 200);
        let shown = voortgang.body["examenresultaten"].as_array().unwrap();
        assert_eq!(shown.len(), 1000, "at most 1,000, as the contract says");
        assert_eq!(dates(shown), days[5..], "the newest, oldest first");
        let all_url = format!("{}/examenresultaten", s.path);
        assert_eq!(voortgang.body["examenresultatenVolledig"], all_url);
        assert!(voortgang.body["inschrijvingenVolledig"].is_null());
        assert!(voortgang.body["gevolgdeUrenVolledig"].is_null());

        let pages = walk_pages(&app, &format!("{all_url}?pageSize=100"), &s.gemeente).await;
        assert_eq!(pages.len(), 11);
        let all = items_of(&pages);
        assert_eq!(dates(&all), days, "every result once, oldest first");
        assert_eq!(&all[5..], shown.as_slice());
    }
);
