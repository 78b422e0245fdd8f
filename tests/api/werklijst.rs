//! Financieel ontzorgen, voortgangsgesprekken, the participatieladder, gemeente settings and the worklist
//! of signaleringen, through the HTTP API. The worklist is computed on the day of the request, so the
//! people here are given dates relative to today and every expected date is worked out by hand from them.

use crate::api_test;
use crate::helpers::*;
use chrono::{Days, Months, NaiveDate};
use serde_json::{json, Value};

const SCOPES: &str = "inburgeraars:lezen inburgeraars:schrijven intake:lezen intake:schrijven \
pip:lezen pip:vaststellen audit:lezen beheer";

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn days_ago(n: u64) -> NaiveDate {
    today().checked_sub_days(Days::new(n)).unwrap()
}

fn plus_months(date: NaiveDate, n: u32) -> NaiveDate {
    date.checked_add_months(Months::new(n)).unwrap()
}

fn base(person: &Value) -> String {
    format!("/api/v1/inburgeraars/{}", person["id"].as_str().unwrap())
}

/// Registers an asielstatushouder notified on `kennisgeving`, born on `geboortedatum`.
async fn register(
    app: &TestApp,
    token: &str,
    n: u32,
    gemeente: &str,
    kennisgeving: NaiveDate,
    geboortedatum: &str,
) -> String {
    let mut body = person(n * 2, gemeente);
    body["naam"] = json!(format!("Persoon {n}"));
    body["datumKennisgeving"] = json!(iso(kennisgeving));
    body["datumVestiging"] = Value::Null;
    body["geboortedatum"] = json!(geboortedatum);
    base(&app.register(token, &body).await)
}

/// Records a brede intake and fixes a B1-route PIP dated `dagtekening`.
async fn fix_pip(app: &TestApp, token: &str, path: &str, dagtekening: NaiveDate) {
    let intake = app
        .put(
            &format!("{path}/brede-intake"),
            token,
            &json!({"datumStart": iso(dagtekening.checked_sub_days(Days::new(7)).unwrap())}),
        )
        .await;
    assert_eq!(intake.status, 200, "{}", intake.text);
    let pip = app
        .post(&format!("{path}/pips"), token, &json!({"leerroute": "B1"}))
        .await;
    assert_eq!(pip.status, 201, "{}", pip.text);
    let fixed = app
        .post(
            &format!(
                "{path}/pips/{}/vaststelling",
                pip.body["id"].as_str().unwrap()
            ),
            token,
            &json!({"datumDagtekening": iso(dagtekening)}),
        )
        .await;
    assert_eq!(fixed.status, 200, "{}", fixed.text);
}

fn posten() -> Value {
    json!([
        {"soort": "HUUR", "begunstigde": "Woningstichting De Linie", "bedragPerMaandCent": 65000},
        {"soort": "ENERGIE", "begunstigde": "Energie BV", "bedragPerMaandCent": 12000},
        {"soort": "WATER", "begunstigde": "Waterbedrijf", "bedragPerMaandCent": 2500},
        {"soort": "ZORGVERZEKERING", "begunstigde": "Zorgverzekeraar", "bedragPerMaandCent": 14000}
    ])
}

fn ontzorging(status: &str, start: &str) -> Value {
    json!({
        "status": status,
        "uitkeringParticipatiewet": true,
        "verblijfsvergunningAsiel": true,
        "datumStart": start,
        "posten": posten()
    })
}

fn codes(answer: &Answer) -> Vec<(String, String)> {
    answer.body["invalidParams"]
        .as_array()
        .map(|p| {
            p.iter()
                .map(|e| {
                    (
                        e["name"].as_str().unwrap().to_owned(),
                        e["code"].as_str().unwrap().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

api_test!(
    a_mandatory_ontzorging_cannot_end_before_its_minimum_end,
    |app: TestApp| async move {
        let token = token(SCOPES, &["0405"]);
        let path = register(&app, &token, 1, "0405", days_ago(30), "1990-05-17").await;
        let url = format!("{path}/ontzorging");
        app.get(&url, &token).await.assert_problem(404);

        // Started on 31 January 2026: six months later is 31 July 2026.
        let started = app
            .put(&url, &token, &ontzorging("ACTIEF", "2026-01-31"))
            .await;
        assert_eq!(started.status, 200, "{}", started.text);
        assert_eq!(started.body["verplicht"], true);
        assert_eq!(started.body["datumMinimaalEinde"], "2026-07-31");
        assert_eq!(started.body["posten"].as_array().unwrap().len(), 4);

        // A mandatory case pays at least rent, energy, water and health insurance.
        let mut zonder_water = ontzorging("ACTIEF", "2026-01-31");
        zonder_water["posten"].as_array_mut().unwrap().remove(2);
        let refused = app.put(&url, &token, &zonder_water).await;
        refused.assert_problem(400);
        assert_eq!(
            codes(&refused),
            [("posten".to_owned(), "verplichtePosten".to_owned())]
        );

        // One day before the minimum end is refused, naming the field; the minimum end itself is fine.
        let mut early = ontzorging("BEEINDIGD", "2026-01-31");
        early["datumEinde"] = json!("2026-07-30");
        early["redenEinde"] = json!("Financieel zelfredzaam");
        let refused = app.put(&url, &token, &early).await;
        refused.assert_problem(400);
        assert_eq!(
            codes(&refused),
            [("datumEinde".to_owned(), "voorMinimaleEinddatum".to_owned())]
        );
        assert_eq!(app.get(&url, &token).await.body["status"], "ACTIEF");
        early["datumEinde"] = json!("2026-07-31");
        let ended = app.put(&url, &token, &early).await;
        assert_eq!(ended.status, 200, "{}", ended.text);
        assert_eq!(ended.body["status"], "BEEINDIGD");

        // An ended ontzorging does not start again.
        app.put(&url, &token, &ontzorging("ACTIEF", "2026-01-31"))
            .await
            .assert_problem(409);

        // Every change is in the audit trail.
        let trail = app.get(&format!("{path}/audittrail"), &token).await;
        let ontzorging_entries = trail.body["resultaten"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["resource"] == "ontzorging")
            .count();
        assert_eq!(ontzorging_entries, 2, "{}", trail.text);

        // A gemeente that unburdens for twelve months moves the minimum end of a new ontzorging.
        let settings = app
            .put(
                "/api/v1/gemeenten/0405/instellingen",
                &token,
                &json!({"ontzorgenMaanden": 12}),
            )
            .await;
        assert_eq!(settings.status, 200, "{}", settings.text);
        let other = register(&app, &token, 2, "0405", days_ago(30), "1990-05-17").await;
        let longer = app
            .put(
                &format!("{other}/ontzorging"),
                &token,
                &ontzorging("ACTIEF", "2026-01-31"),
            )
            .await;
        assert_eq!(longer.body["datumMinimaalEinde"], "2027-01-31");

        // Not on welfare: optional local policy, which may end early.
        let mut optional = ontzorging("ACTIEF", "2026-01-31");
        optional["uitkeringParticipatiewet"] = json!(false);
        let third = register(&app, &token, 3, "0405", days_ago(30), "1990-05-17").await;
        let third_url = format!("{third}/ontzorging");
        assert_eq!(
            app.put(&third_url, &token, &optional).await.body["verplicht"],
            false
        );
        optional["status"] = json!("BEEINDIGD");
        optional["datumEinde"] = json!("2026-03-01");
        optional["redenEinde"] = json!("Eigen verzoek");
        assert_eq!(app.put(&third_url, &token, &optional).await.status, 200);
    }
);

api_test!(
    the_next_voortgangsgesprek_follows_the_gemeente_cadence,
    |app: TestApp| async move {
        let token = token(SCOPES, &["0405"]);
        let path = register(
            &app,
            &token,
            4,
            "0405",
            NaiveDate::from_ymd_opt(2026, 8, 1).unwrap(),
            "1990-05-17",
        )
        .await;
        let url = format!("{path}/voortgangsgesprekken");
        let empty = app.get(&url, &token).await;
        assert_eq!(empty.status, 200, "{}", empty.text);
        assert_eq!(empty.body["volgendGesprek"], Value::Null);
        assert_eq!(empty.body["cadansMaanden"], 3);

        // PIP dated 1 October 2026: with the default cadence of three months the first conversation is
        // due on 1 January 2027.
        fix_pip(
            &app,
            &token,
            &path,
            NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
        )
        .await;
        assert_eq!(
            app.get(&url, &token).await.body["volgendGesprek"],
            "2027-01-01"
        );

        // The gemeente moves to every two months: 1 December 2026.
        let settings = app
            .put(
                "/api/v1/gemeenten/0405/instellingen",
                &token,
                &json!({"gesprekCadansMaanden": 2}),
            )
            .await;
        assert_eq!(settings.status, 200, "{}", settings.text);
        assert_eq!(settings.body["gesprekCadansMaanden"], 2);
        assert_eq!(
            settings.body["horizonPipDagen"], 14,
            "left out means the default"
        );
        let listed = app.get(&url, &token).await;
        assert_eq!(listed.body["volgendGesprek"], "2026-12-01");
        assert_eq!(listed.body["cadansMaanden"], 2);

        // A conversation on 10 November 2026: the next one is due on 10 January 2027.
        let gesprek = json!({
            "datum": "2026-11-10",
            "deelnemers": ["KLANTMANAGER", "TAALAANBIEDER", "INBURGERAAR"],
            "uitkomst": "Loopt op schema.",
            "afspraken": "Extra spreekoefening."
        });
        let created = app.post(&url, &token, &gesprek).await;
        assert_eq!(created.status, 201, "{}", created.text);
        assert_eq!(created.body["deelnemers"][1], "TAALAANBIEDER");
        let listed = app.get(&url, &token).await;
        assert_eq!(listed.body["resultaten"].as_array().unwrap().len(), 1);
        assert_eq!(listed.body["volgendGesprek"], "2027-01-10");

        // A planned date wins over the cadence.
        let mut planned = gesprek.clone();
        planned["datum"] = json!("2026-11-20");
        planned["datumVolgendGepland"] = json!("2026-12-15");
        assert_eq!(app.post(&url, &token, &planned).await.status, 201);
        assert_eq!(
            app.get(&url, &token).await.body["volgendGesprek"],
            "2026-12-15"
        );

        // Bad input names every field; nothing is stored.
        let bad = app
            .post(
                &url,
                &token,
                &json!({"datum": "2099-01-01", "deelnemers": ["KLANTMANAGER", "KLANTMANAGER", "BUURMAN"], "uitkomst": ""}),
            )
            .await;
        bad.assert_problem(400);
        let mut names: Vec<String> = codes(&bad).into_iter().map(|(n, _)| n).collect();
        names.sort();
        assert!(names.contains(&"datum".to_owned()), "{names:?}");
        assert!(names.contains(&"uitkomst".to_owned()), "{names:?}");
        assert!(
            names.iter().any(|n| n.starts_with("deelnemers")),
            "{names:?}"
        );
        assert_eq!(
            app.get(&url, &token).await.body["resultaten"]
                .as_array()
                .unwrap()
                .len(),
            2
        );

        // Settings are for the caller's own gemeenten, with the beheer scope.
        app.get("/api/v1/gemeenten/0406/instellingen", &token)
            .await
            .assert_problem(404);
        app.get(
            "/api/v1/gemeenten/0405/instellingen",
            &crate::helpers::token("pip:lezen", &["0405"]),
        )
        .await
        .assert_problem(403);
        let refused = app
            .put(
                "/api/v1/gemeenten/0405/instellingen",
                &token,
                &json!({"gesprekCadansMaanden": 0, "ontzorgenMaanden": 5, "onbekend": 1}),
            )
            .await;
        refused.assert_problem(400);
        let mut names: Vec<String> = codes(&refused).into_iter().map(|(n, _)| n).collect();
        names.sort();
        assert_eq!(
            names,
            ["gesprekCadansMaanden", "onbekend", "ontzorgenMaanden"]
        );
    }
);

api_test!(
    the_participatieladder_shows_movement,
    |app: TestApp| async move {
        let token = token(SCOPES, &["0405"]);
        let path = register(&app, &token, 5, "0405", days_ago(30), "1990-05-17").await;
        let url = format!("{path}/participatieladder-metingen");
        for (datum, trede) in [
            ("2026-02-01", 2),
            ("2026-08-01", 4),
            ("2026-05-01", 3),
            ("2026-11-01", 3),
        ] {
            let created = app
                .post(&url, &token, &json!({"datum": datum, "trede": trede}))
                .await;
            assert_eq!(created.status, 201, "{}", created.text);
        }
        let listed = app.get(&url, &token).await;
        let moves: Vec<(String, i64, String)> = listed.body["resultaten"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["datum"].as_str().unwrap().to_owned(),
                    m["trede"].as_i64().unwrap(),
                    m["beweging"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            moves,
            [
                ("2026-02-01".to_owned(), 2, "EERSTE".to_owned()),
                ("2026-05-01".to_owned(), 3, "OMHOOG".to_owned()),
                ("2026-08-01".to_owned(), 4, "OMHOOG".to_owned()),
                ("2026-11-01".to_owned(), 3, "OMLAAG".to_owned()),
            ]
        );
        assert_eq!(listed.body["huidigeTrede"], 3);
        assert_eq!(
            listed.body["resultaten"][0]["tredeNaam"],
            "sociale contacten buiten de deur"
        );
        let bad = app
            .post(&url, &token, &json!({"datum": "2026-01-01", "trede": 7}))
            .await;
        bad.assert_problem(400);
        assert_eq!(codes(&bad), [("trede".to_owned(), "range".to_owned())]);
    }
);

/// The worklist as (name, kind, date, passed), in its order.
async fn worklist(app: &TestApp, token: &str, query: &str) -> Vec<(String, String, String, bool)> {
    let answer = app
        .get(&format!("/api/v1/signaleringen{query}"), token)
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer.body["resultaten"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["naam"].as_str().unwrap().to_owned(),
                s["soort"].as_str().unwrap().to_owned(),
                s["datum"].as_str().unwrap().to_owned(),
                s["verstreken"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn line(naam: &str, soort: &str, datum: NaiveDate) -> (String, String, String, bool) {
    (
        naam.to_owned(),
        soort.to_owned(),
        iso(datum),
        datum < today(),
    )
}

api_test!(
    signaleringen_list_exactly_the_due_dates_and_disappear_when_resolved,
    |app: TestApp| async move {
        let token = token(SCOPES, &["0405"]);
        let born = "1990-05-17";
        // Persoon 11: notified 80 days ago, no PIP: it was due 10 days ago (ten weeks).
        let p11 = register(&app, &token, 11, "0405", days_ago(80), born).await;
        // Persoon 12: notified 60 days ago: the PIP is due in 10 days, inside the 14-day horizon.
        register(&app, &token, 12, "0405", days_ago(60), born).await;
        // Persoon 13: notified 30 days ago: due in 40 days, no signal yet.
        register(&app, &token, 13, "0405", days_ago(30), born).await;
        // Persoon 14: reaches the AOW age (67) in three months: inside the six-month horizon.
        let aow = plus_months(today(), 3);
        let born_14 = aow.checked_sub_months(Months::new(67 * 12)).unwrap();
        register(&app, &token, 14, "0405", days_ago(30), &iso(born_14)).await;
        // Persoon 15: PIP dated 100 days ago; the first voortgangsgesprek was due three months later.
        let p15 = register(&app, &token, 15, "0405", days_ago(120), born).await;
        fix_pip(&app, &token, &p15, days_ago(100)).await;
        let gesprek_15 = plus_months(days_ago(100), 3);
        // Persoon 16: a mandatory ontzorging started seven months ago has passed its minimum end.
        let p16 = register(&app, &token, 16, "0405", days_ago(30), born).await;
        let start_16 = today().checked_sub_months(Months::new(7)).unwrap();
        let started = app
            .put(
                &format!("{p16}/ontzorging"),
                &token,
                &ontzorging("ACTIEF", &iso(start_16)),
            )
            .await;
        assert_eq!(started.status, 200, "{}", started.text);
        let einde_16 = plus_months(start_16, 6);
        // Persoon 17: PIP dated three years minus one month ago: the term (dagtekening + 1 day + 36
        // months) ends in about a month, inside the two-month horizon; its conversation is long overdue.
        let dagtekening_17 = plus_months(days_ago(0), 1)
            .checked_sub_months(Months::new(36))
            .unwrap();
        let p17 = register(
            &app,
            &token,
            17,
            "0405",
            dagtekening_17.checked_sub_days(Days::new(30)).unwrap(),
            born,
        )
        .await;
        fix_pip(&app, &token, &p17, dagtekening_17).await;
        let einde_17 = plus_months(dagtekening_17.checked_add_days(Days::new(1)).unwrap(), 36);
        let gesprek_17 = plus_months(dagtekening_17, 3);
        // Another gemeente's person with an overdue PIP.
        let other = crate::helpers::token(SCOPES, &["0406"]);
        register(&app, &other, 18, "0406", days_ago(90), born).await;

        let mut expected = vec![
            line("Persoon 11", "PIP_TERMIJN", days_ago(10)),
            line(
                "Persoon 12",
                "PIP_TERMIJN",
                today().checked_add_days(Days::new(10)).unwrap(),
            ),
            line("Persoon 14", "AOW_LEEFTIJD", aow),
            line("Persoon 15", "VOORTGANGSGESPREK", gesprek_15),
            line("Persoon 16", "ONTZORGING_MINIMAAL_EINDE", einde_16),
            line("Persoon 17", "TERMIJN_EINDE", einde_17),
            line("Persoon 17", "VOORTGANGSGESPREK", gesprek_17),
        ];
        expected.sort_by(|a, b| a.2.cmp(&b.2).then(a.0.cmp(&b.0)));
        assert_eq!(worklist(&app, &token, "").await, expected);

        // Each signal names its rule; filters by kind and due window; pages follow the cursor.
        let one = app
            .get("/api/v1/signaleringen?soort=AOW_LEEFTIJD", &token)
            .await;
        assert_eq!(one.body["resultaten"].as_array().unwrap().len(), 1);
        assert!(one.body["resultaten"][0]["regel"]
            .as_str()
            .unwrap()
            .contains("AOW"));
        let window = format!(
            "?datumVanaf={}&datumTot={}",
            iso(today()),
            iso(plus_months(today(), 6))
        );
        let upcoming: Vec<_> = expected
            .iter()
            .filter(|l| !l.3 && l.2 <= iso(plus_months(today(), 6)))
            .cloned()
            .collect();
        assert_eq!(worklist(&app, &token, &window).await, upcoming);
        let mut paged = Vec::new();
        let mut next = Some("/api/v1/signaleringen?pageSize=2".to_owned());
        while let Some(url) = next {
            let page = app.get(&url, &token).await;
            assert_eq!(page.status, 200, "{}", page.text);
            paged.extend(
                page.body["resultaten"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s["naam"].as_str().unwrap().to_owned()),
            );
            next = page.body["volgendePagina"].as_str().map(str::to_owned);
        }
        assert_eq!(
            paged,
            expected.iter().map(|l| l.0.clone()).collect::<Vec<_>>()
        );
        app.get(
            "/api/v1/signaleringen?soort=ONBEKEND&datumVanaf=gisteren",
            &token,
        )
        .await
        .assert_problem(400);

        // A gemeente sees only its own worklist.
        assert_eq!(
            worklist(&app, &other, "").await,
            [line("Persoon 18", "PIP_TERMIJN", days_ago(20))]
        );
        assert!(worklist(&app, &token, "?gemeente=0406").await.is_empty());

        // Reading the worklist is a processing of each listed person.
        let log = app.get(&format!("{p11}/verwerkingen"), &token).await;
        assert_eq!(
            log.body["resultaten"][0]["verwerkingsactiviteitId"],
            "signaleringen-raadplegen"
        );

        // Resolving each cause removes its signal: a PIP for 11, a conversation for 15, an ended
        // ontzorging for 16, an extension for 17's term and a conversation for 17.
        fix_pip(&app, &token, &p11, days_ago(1)).await;
        let gesprek = json!({"datum": iso(today()), "deelnemers": ["KLANTMANAGER"], "uitkomst": "Besproken."});
        assert_eq!(
            app.post(&format!("{p15}/voortgangsgesprekken"), &token, &gesprek)
                .await
                .status,
            201
        );
        assert_eq!(
            app.post(&format!("{p17}/voortgangsgesprekken"), &token, &gesprek)
                .await
                .status,
            201
        );
        let mut einde = ontzorging("BEEINDIGD", &iso(start_16));
        einde["datumEinde"] = json!(iso(today()));
        einde["redenEinde"] = json!("Financieel zelfredzaam");
        assert_eq!(
            app.put(&format!("{p16}/ontzorging"), &token, &einde)
                .await
                .status,
            200
        );
        let verlenging = app
            .post(
                &format!("{p17}/verlengingen"),
                &token,
                &json!({"maanden": 6, "grond": "Niet verwijtbaar", "datumBesluit": iso(today())}),
            )
            .await;
        assert_eq!(verlenging.status, 201, "{}", verlenging.text);
        let remaining: Vec<_> = expected
            .iter()
            .filter(|l| l.0 == "Persoon 12" || l.0 == "Persoon 14")
            .cloned()
            .collect();
        assert_eq!(worklist(&app, &token, "").await, remaining);
    }
);

api_test!(
    the_worklist_projection_follows_every_change_that_moves_it,
    |app: TestApp| async move {
        let token = token(
            &format!("{SCOPES} voortgang:aanleveren toestemmingen:beheren"),
            &["0405"],
        );
        let check = |step: &'static str| {
            let app = &app;
            async move {
                assert_eq!(app.projectie_afwijkingen().await, 0, "after {step}");
            }
        };
        let born = "1990-05-17";
        let p = register(&app, &token, 31, "0405", days_ago(420), born).await;
        check("registering").await;
        // A Z-route, with a partner reporting the hours that reach the norm.
        let intake = app
            .put(
                &format!("{p}/brede-intake"),
                &token,
                &json!({"datumStart": iso(days_ago(400))}),
            )
            .await;
        assert_eq!(intake.status, 200, "{}", intake.text);
        let pip = app
            .post(&format!("{p}/pips"), &token, &json!({"leerroute": "Z"}))
            .await;
        assert_eq!(pip.status, 201, "{}", pip.text);
        let fixed = app
            .post(
                &format!("{p}/pips/{}/vaststelling", pip.body["id"].as_str().unwrap()),
                &token,
                &json!({"datumDagtekening": iso(days_ago(380))}),
            )
            .await;
        assert_eq!(fixed.status, 200, "{}", fixed.text);
        check("fixing a Z-route PIP").await;
        let organisatie = app
            .post(
                "/api/v1/organisaties",
                &token,
                &json!({"naam": "Taalschool", "soort": "TAALAANBIEDER",
                        "keurmerkNummer": "BOW-9", "keurmerkGeldigTot": "2030-01-01"}),
            )
            .await;
        let org = organisatie.body["id"].as_str().unwrap().to_owned();
        let id = p.rsplit('/').next().unwrap().to_owned();
        let grant = app
            .post(
                "/api/v1/toestemmingen",
                &token,
                &json!({"inburgeraarId": id, "organisatieId": org, "grondslag": "PUBLIEKE_TAAK",
                        "doelen": ["TAALONDERWIJS"], "gegevenscategorieen": ["VOORTGANG", "EXAMENRESULTATEN"],
                        "geldigVan": "2020-01-01", "bewijs": {"kanaal": "DIGITAAL", "taalKennisgeving": "nl"}}),
            )
            .await;
        assert_eq!(grant.status, 201, "{}", grant.text);
        let mut claims = claims("voortgang:aanleveren", &[]);
        claims.organisatie = Some(org.clone());
        let partner = sign_hs256(&claims, SECRET);
        for months_back in [3u32, 2] {
            let maand = today()
                .checked_sub_months(Months::new(months_back))
                .unwrap();
            let uren = app
                .post(
                    "/api/v1/gevolgde-uren",
                    &partner,
                    &json!({"inburgeraarId": id, "maand": maand.format("%Y-%m").to_string(),
                            "lesuren": 400, "participatieUren": 400}),
                )
                .await;
            assert_eq!(uren.status, 201, "{}", uren.text);
            check("hours in a Z-route").await;
        }
        let lijst = worklist(&app, &token, "?soort=Z_ROUTE_UREN").await;
        assert_eq!(lijst.len(), 1, "{lijst:?}");
        // A result DUO contradicts, and its correction.
        let resultaat = |uitslag: &str, bron: &str| {
            json!({"inburgeraarId": id, "onderdeel": "LEZEN", "niveau": "B1", "uitslag": uitslag,
                   "datumExamen": iso(days_ago(30)), "bron": bron})
        };
        for (who, uitslag, bron, conflicts) in [
            (&partner, "GESLAAGD", "AANBIEDER", 0),
            (&token, "GEZAKT", "DUO", 1),
            (&partner, "GEZAKT", "AANBIEDER", 0),
        ] {
            let pushed = app
                .post("/api/v1/examenresultaten", who, &resultaat(uitslag, bron))
                .await;
            assert_eq!(pushed.status, 201, "{}", pushed.text);
            check("an exam result").await;
            let lijst = worklist(&app, &token, "?soort=EXAMEN_CONFLICT").await;
            assert_eq!(lijst.len(), conflicts, "{lijst:?}");
        }
        // The person's dates, the gemeente's settings, and the end of the duty.
        let patched = app
            .patch(
                &p,
                &token,
                &json!({"geboortedatum": iso(plus_months(today(), 2).checked_sub_months(Months::new(67 * 12)).unwrap())}),
                None,
            )
            .await;
        assert_eq!(patched.status, 200, "{}", patched.text);
        check("a new date of birth").await;
        assert_eq!(worklist(&app, &token, "?soort=AOW_LEEFTIJD").await.len(), 1);
        let instellingen = app
            .put(
                "/api/v1/gemeenten/0405/instellingen",
                &token,
                &json!({"horizonAowMaanden": 1, "gesprekCadansMaanden": 1}),
            )
            .await;
        assert_eq!(instellingen.status, 200, "{}", instellingen.text);
        check("the gemeente's settings").await;
        assert_eq!(worklist(&app, &token, "?soort=AOW_LEEFTIJD").await.len(), 0);
        let beeindigd = app
            .post(
                &format!("{p}/statuswijzigingen"),
                &token,
                &json!({"gebeurtenis": "beeindigd", "datum": iso(today()), "reden": "NATURALISATIE"}),
            )
            .await;
        assert_eq!(beeindigd.status, 201, "{}", beeindigd.text);
        check("the end of the duty").await;
        assert!(worklist(&app, &token, "").await.is_empty());
    }
);
