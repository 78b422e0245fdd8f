//! Partners under explicit consent: organisaties, toestemmingen with withdrawal, and enforcement on
//! every read: a partner sees a person only while an active toestemming covers the call.

use crate::api_test;
use crate::helpers::*;
use serde_json::{json, Value};

const GEMEENTE: &str =
    "inburgeraars:lezen inburgeraars:schrijven toestemmingen:beheren audit:lezen beheer pip:lezen";

async fn organisatie(app: &TestApp, token: &str, naam: &str) -> String {
    let answer = app
        .post(
            "/api/v1/organisaties",
            token,
            &json!({"naam": naam, "soort": "TAALAANBIEDER", "kvkNummer": "12345678", "keurmerkNummer": "BOW-1", "keurmerkGeldigTot": "2028-01-01"}),
        )
        .await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    answer.body["id"].as_str().unwrap().to_owned()
}

fn toestemming(
    person: &Value,
    organisatie: &str,
    categorieen: &[&str],
    van: &str,
    tot: Option<&str>,
) -> Value {
    json!({
        "inburgeraarId": person["id"], "organisatieId": organisatie, "grondslag": "TOESTEMMING",
        "doelen": ["TAALONDERWIJS"], "gegevenscategorieen": categorieen,
        "geldigVan": van, "geldigTot": tot,
        "bewijs": {"kanaal": "SCHRIFTELIJK", "taalKennisgeving": "ti", "documentHash": "a".repeat(64)}
    })
}

fn partner_token(organisatie: &str) -> String {
    let mut claims = claims("inburgeraars:lezen inburgeraars:schrijven pip:lezen", &[]);
    claims.sub = format!("partner-{organisatie}");
    claims.organisatie = Some(organisatie.to_owned());
    sign_hs256(&claims, SECRET)
}

fn today_plus(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

api_test!(
    organisaties_are_managed_with_beheer,
    |app: TestApp| async move {
        let beheer = token(GEMEENTE, &["0405"]);
        let id = organisatie(&app, &beheer, "Taalschool West").await;
        let no_keurmerk = app
            .post(
                "/api/v1/organisaties",
                &beheer,
                &json!({"naam": "X", "soort": "TAALAANBIEDER", "oin": "123"}),
            )
            .await;
        no_keurmerk.assert_problem(400);
        let mut names = no_keurmerk.invalid_names();
        names.sort();
        assert_eq!(names, ["keurmerkGeldigTot", "keurmerkNummer", "oin"]);
        let reader = token("inburgeraars:lezen", &["0405"]);
        app.post(
            "/api/v1/organisaties",
            &reader,
            &json!({"naam": "Y", "soort": "MAATSCHAPPELIJKE_PARTNER"}),
        )
        .await
        .assert_problem(403);
        let list = app.get("/api/v1/organisaties", &beheer).await;
        assert_eq!(list.body["resultaten"][0]["id"], id);
        let got = app
            .get(&format!("/api/v1/organisaties/{id}"), &beheer)
            .await;
        assert_eq!(got.body["naam"], "Taalschool West");
        assert_eq!(got.body["actief"], true);
        let off = app
            .patch(
                &format!("/api/v1/organisaties/{id}"),
                &beheer,
                &json!({"actief": false}),
                None,
            )
            .await;
        assert_eq!(off.status, 200, "{}", off.text);
        assert_eq!(off.body["actief"], false);
        app.get(
            &format!("/api/v1/organisaties/{}", uuid::Uuid::now_v7()),
            &beheer,
        )
        .await
        .assert_problem(404);
    }
);

api_test!(
    a_partner_sees_only_what_an_active_toestemming_covers,
    |app: TestApp| async move {
        let gemeente = token(GEMEENTE, &["0405"]);
        let x = organisatie(&app, &gemeente, "Taalschool X").await;
        let y = organisatie(&app, &gemeente, "Taalschool Y").await;
        let person = app
            .register(&gemeente, &crate::helpers::person(70, "0405"))
            .await;
        let other = app
            .register(&gemeente, &crate::helpers::person(71, "0405"))
            .await;
        let path = format!("/api/v1/inburgeraars/{}", person["id"].as_str().unwrap());

        let given = app
            .post(
                "/api/v1/toestemmingen",
                &gemeente,
                &toestemming(&person, &x, &["PERSOONSGEGEVENS"], &today_plus(-1), None),
            )
            .await;
        assert_eq!(given.status, 201, "{}", given.text);
        assert_eq!(given.body["status"], "GEGEVEN");
        assert_eq!(given.body["bewijs"]["vastgelegdDoor"], "klantmanager-1");
        let toestemming_id = given.body["id"].as_str().unwrap().to_owned();

        let (tx, ty) = (partner_token(&x), partner_token(&y));
        assert_eq!(app.get(&path, &tx).await.status, 200);
        let listed = app.get("/api/v1/inburgeraars", &tx).await;
        let ids: Vec<&Value> = listed.body["resultaten"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| &p["id"])
            .collect();
        assert_eq!(
            ids,
            [&person["id"]],
            "only the person the toestemming names"
        );
        let found = app
            .post(
                "/api/v1/inburgeraars/_zoek",
                &tx,
                &json!({"bsn": person["bsn"]}),
            )
            .await;
        assert_eq!(found.body["resultaten"].as_array().unwrap().len(), 1);
        let hidden = app
            .post(
                "/api/v1/inburgeraars/_zoek",
                &tx,
                &json!({"bsn": other["bsn"]}),
            )
            .await;
        assert_eq!(hidden.body["resultaten"].as_array().unwrap().len(), 0);

        // Y cannot read, write or even detect the person.
        app.get(&path, &ty).await.assert_problem(404);
        assert_eq!(
            app.get("/api/v1/inburgeraars", &ty).await.body["resultaten"]
                .as_array()
                .unwrap()
                .len(),
            0
        );
        assert_eq!(
            app.post(
                "/api/v1/inburgeraars/_zoek",
                &ty,
                &json!({"bsn": person["bsn"]})
            )
            .await
            .body["resultaten"]
                .as_array()
                .unwrap()
                .len(),
            0
        );
        app.patch(&path, &ty, &json!({"naam": "X"}), None)
            .await
            .assert_problem(404);
        // Nor can X write: the toestemming covers reading personal data only.
        app.patch(&path, &tx, &json!({"naam": "X"}), None)
            .await
            .assert_problem(404);
        // Out of scope: the trajectory is another category.
        app.get(&format!("{path}/termijn"), &tx)
            .await
            .assert_problem(404);

        // Every partner access is in the person's processing log, with the organisatie and the toestemming.
        let log = app
            .get(&format!("{path}/verwerkingen?pageSize=100"), &gemeente)
            .await;
        let partner_lines: Vec<&Value> = log.body["resultaten"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["organisatie"] == json!(x))
            .collect();
        assert_eq!(
            partner_lines.len(),
            3,
            "read, list and search: {}",
            log.text
        );
        assert!(partner_lines
            .iter()
            .all(|l| l["toestemmingId"] == json!(toestemming_id)));

        // Withdrawal takes effect on the very next request and keeps the history.
        let withdrawn = app
            .post(
                &format!("/api/v1/toestemmingen/{toestemming_id}/intrekking"),
                &gemeente,
                &json!({"toelichting": "Op verzoek"}),
            )
            .await;
        assert_eq!(withdrawn.status, 200, "{}", withdrawn.text);
        assert_eq!(withdrawn.body["status"], "INGETROKKEN");
        assert_eq!(
            withdrawn.body["gebeurtenissen"].as_array().unwrap().len(),
            2
        );
        app.get(&path, &tx).await.assert_problem(404);
        app.post(
            &format!("/api/v1/toestemmingen/{toestemming_id}/intrekking"),
            &gemeente,
            &json!({}),
        )
        .await
        .assert_problem(409);
        let history = app.get(&format!("{path}/toestemmingen"), &gemeente).await;
        assert_eq!(
            history.body["resultaten"][0]["gebeurtenissen"][0]["soort"],
            "GEGEVEN"
        );
    }
);

api_test!(
    expired_future_and_inactive_grants_deny,
    |app: TestApp| async move {
        let gemeente = token(GEMEENTE, &["0405"]);
        let x = organisatie(&app, &gemeente, "Taalschool X").await;
        let tx = partner_token(&x);
        let expired = app
            .register(&gemeente, &crate::helpers::person(72, "0405"))
            .await;
        let future = app
            .register(&gemeente, &crate::helpers::person(73, "0405"))
            .await;
        let active = app
            .register(&gemeente, &crate::helpers::person(74, "0405"))
            .await;
        for (who, van, tot) in [
            (&expired, today_plus(-30), Some(today_plus(-1))),
            (&future, today_plus(2), None),
            (&active, today_plus(-1), Some(today_plus(30))),
        ] {
            let answer = app
                .post(
                    "/api/v1/toestemmingen",
                    &gemeente,
                    &toestemming(
                        who,
                        &x,
                        &["PERSOONSGEGEVENS", "TRAJECT"],
                        &van,
                        tot.as_deref(),
                    ),
                )
                .await;
            assert_eq!(answer.status, 201, "{}", answer.text);
        }
        let get = |p: &Value| format!("/api/v1/inburgeraars/{}", p["id"].as_str().unwrap());
        app.get(&get(&expired), &tx).await.assert_problem(404);
        app.get(&get(&future), &tx).await.assert_problem(404);
        assert_eq!(app.get(&get(&active), &tx).await.status, 200);
        assert_eq!(
            app.get(&format!("{}/termijn", get(&active)), &tx)
                .await
                .status,
            200,
            "TRAJECT is covered"
        );
        let list = app
            .get(&format!("{}/toestemmingen", get(&expired)), &gemeente)
            .await;
        assert_eq!(list.body["resultaten"][0]["status"], "VERLOPEN");

        // A deactivated organisatie's token is refused, whatever its toestemmingen.
        app.patch(
            &format!("/api/v1/organisaties/{x}"),
            &gemeente,
            &json!({"actief": false}),
            None,
        )
        .await;
        app.get(&get(&active), &tx).await.assert_problem(401);
    }
);

api_test!(
    toestemmingen_are_validated_and_scoped_to_the_gemeente,
    |app: TestApp| async move {
        let gemeente = token(GEMEENTE, &["0405"]);
        let x = organisatie(&app, &gemeente, "Taalschool X").await;
        let person = app
            .register(&gemeente, &crate::helpers::person(75, "0405"))
            .await;
        let mut health = toestemming(&person, &x, &["GEZONDHEID"], "2026-01-01", None);
        let answer = app.post("/api/v1/toestemmingen", &gemeente, &health).await;
        answer.assert_problem(400);
        assert_eq!(answer.body["invalidParams"][0]["code"], "art9Vereist");
        health["grondslag"] = json!("UITDRUKKELIJKE_TOESTEMMING_ART9");
        assert_eq!(
            app.post("/api/v1/toestemmingen", &gemeente, &health)
                .await
                .status,
            201
        );

        let bad = app
        .post(
            "/api/v1/toestemmingen",
            &gemeente,
            &json!({"inburgeraarId": "x", "organisatieId": uuid::Uuid::now_v7(), "grondslag": "GEEN", "doelen": [], "gegevenscategorieen": ["VOORTGANG", "VOORTGANG"],
                    "geldigVan": "2026-02-01", "geldigTot": "2026-01-01", "bewijs": {"kanaal": "POST", "taalKennisgeving": "Tigrinya", "vastgelegdDoor": "x"}}),
        )
        .await;
        bad.assert_problem(400);
        let mut names = bad.invalid_names();
        names.sort();
        assert_eq!(
            names,
            [
                "bewijs.kanaal",
                "bewijs.taalKennisgeving",
                "bewijs.vastgelegdDoor",
                "doelen",
                "gegevenscategorieen[1]",
                "geldigTot",
                "grondslag",
                "inburgeraarId"
            ]
        );

        // A purpose the organisation does not process for is refused.
        let mut wrong_purpose = toestemming(&person, &x, &["VOORTGANG"], "2026-01-01", None);
        wrong_purpose["doelen"] = json!(["MAATSCHAPPELIJKE_BEGELEIDING"]);
        let refused = app
            .post("/api/v1/toestemmingen", &gemeente, &wrong_purpose)
            .await;
        refused.assert_problem(400);
        assert_eq!(refused.body["invalidParams"][0]["code"], "doelPastNiet");

        // A person of another gemeente and an unknown organisatie are named, not stored.
        let tilburg = token(GEMEENTE, &["0855"]);
        let elsewhere = app
            .register(&tilburg, &crate::helpers::person(76, "0855"))
            .await;
        let refused = app
            .post(
                "/api/v1/toestemmingen",
                &gemeente,
                &toestemming(
                    &elsewhere,
                    &uuid::Uuid::now_v7().to_string(),
                    &["VOORTGANG"],
                    "2026-01-01",
                    None,
                ),
            )
            .await;
        refused.assert_problem(400);
        let mut names = refused.invalid_names();
        names.sort();
        assert_eq!(names, ["inburgeraarId", "organisatieId"]);
        // Another gemeente does not see this gemeente's toestemmingen.
        let path = format!(
            "/api/v1/inburgeraars/{}/toestemmingen",
            person["id"].as_str().unwrap()
        );
        app.get(&path, &tilburg).await.assert_problem(404);
        let mine = app.get(&path, &gemeente).await;
        let id = mine.body["resultaten"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        app.get(&format!("/api/v1/toestemmingen/{id}"), &tilburg)
            .await
            .assert_problem(404);
        assert_eq!(
            app.get(&format!("/api/v1/toestemmingen/{id}"), &gemeente)
                .await
                .status,
            200
        );
    }
);

api_test!(
    health_data_never_reaches_a_partner_through_the_intake,
    |app: TestApp| async move {
        let gemeente = token(
            &format!("{GEMEENTE} intake:lezen intake:schrijven gezondheid:lezen"),
            &["0405"],
        );
        let x = organisatie(&app, &gemeente, "Taalschool X").await;
        let person = app
            .register(&gemeente, &crate::helpers::person(77, "0405"))
            .await;
        let path = format!("/api/v1/inburgeraars/{}", person["id"].as_str().unwrap());
        let intake = send(
            app.server()
                .put(format!("{path}/brede-intake"))
                .bearer_auth(&gemeente)
                .insert_header(("content-type", "application/json")),
            Some(&json!({"datumStart": "2026-10-01", "gezondheid": "PTSS"}).to_string()),
        )
        .await;
        assert_eq!(intake.status, 200, "{}", intake.text);
        let mut grant = toestemming(
            &person,
            &x,
            &["TRAJECT", "GEZONDHEID"],
            &today_plus(-1),
            None,
        );
        grant["grondslag"] = json!("UITDRUKKELIJKE_TOESTEMMING_ART9");
        assert_eq!(
            app.post("/api/v1/toestemmingen", &gemeente, &grant)
                .await
                .status,
            201
        );
        let mut claims = claims("intake:lezen gezondheid:lezen", &[]);
        claims.organisatie = Some(x.clone());
        let partner = sign_hs256(&claims, SECRET);
        let seen = app.get(&format!("{path}/brede-intake"), &partner).await;
        assert_eq!(seen.status, 200, "{}", seen.text);
        assert!(seen.body.get("gezondheid").is_none(), "{}", seen.text);
        assert!(!seen.text.contains("PTSS"));
    }
);
