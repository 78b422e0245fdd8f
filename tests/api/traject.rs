//! The trajectory through the HTTP API: two people from aanmelding to voldaan with every computed date
//! checked against a hand-worked expectation, and DUO's rules at the boundary.

use crate::api_test;
use crate::helpers::*;
use serde_json::{json, Value};

const TRAJECT_SCOPES: &str =
    "inburgeraars:lezen inburgeraars:schrijven intake:lezen intake:schrijven \
gezondheid:lezen pip:lezen pip:vaststellen audit:lezen";

fn base(id: &Value) -> String {
    format!("/api/v1/inburgeraars/{}", id.as_str().unwrap())
}

async fn put(app: &TestApp, path: &str, token: &str, body: &Value) -> Answer {
    app.put(path, token, body).await
}

async fn status(app: &TestApp, path: &str, token: &str) -> String {
    app.get(path, token).await.body["status"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn new_pip(app: &TestApp, path: &str, token: &str, body: Value) -> Value {
    let answer = app.post(&format!("{path}/pips"), token, &body).await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    answer.body
}

async fn fix(app: &TestApp, path: &str, token: &str, pip: &Value, datum: &str) -> Answer {
    let url = format!("{path}/pips/{}/vaststelling", pip["id"].as_str().unwrap());
    app.post(&url, token, &json!({"datumDagtekening": datum}))
        .await
}

fn codes(answer: &Answer) -> Vec<String> {
    answer.body["invalidParams"]
        .as_array()
        .map(|p| {
            p.iter()
                .map(|e| e["code"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

api_test!(
    an_asielstatushouder_completes_the_z_route,
    |app: TestApp| async move {
        let token = token(TRAJECT_SCOPES, &["0405"]);
        let person = app
            .register(
                &token,
                &json!({
                    "bsn": "111222333", "naam": "Yonas Tesfamariam", "geboortedatum": "1985-04-10",
                    "gemeente": "0405", "doelgroep": "Asielstatushouder",
                    "datumKennisgeving": "2025-01-06", "datumVestiging": "2025-02-03"
                }),
            )
            .await;
        let path = base(&person["id"]);

        // Before any PIP: no term; the PIP was due 10 weeks after the (later) settling: 3 Feb + 70 days.
        let termijn = app.get(&format!("{path}/termijn"), &token).await;
        assert_eq!(termijn.status, 200, "{}", termijn.text);
        assert!(termijn.body["datumStart"].is_null());
        assert_eq!(termijn.body["pipDeadline"], "2025-04-14");
        assert_eq!(
            termijn.body["waarschuwingen"][0]["soort"],
            "pipTermijnVerstreken"
        );

        // The brede intake; a medical report arrived on 7 April: the PIP may wait until 21 April.
        let intake = json!({
            "datumStart": "2025-02-10", "datumEinde": "2025-03-20",
            "leerbaarheidstoets": {"resultaat": "B1_NIET_HAALBAAR", "score": 35, "datum": "2025-02-20"},
            "opleidingBuitenland": "Geen formeel onderwijs", "gezondheid": "Rugklachten; beperkt belastbaar",
            "datumOntvangstInformatieDerden": "2025-04-07"
        });
        let saved = put(&app, &format!("{path}/brede-intake"), &token, &intake).await;
        assert_eq!(saved.status, 200, "{}", saved.text);
        assert_eq!(saved.body["gezondheid"], "Rugklachten; beperkt belastbaar");
        assert_eq!(status(&app, &path, &token).await, "bredeIntake");
        assert_eq!(
            app.get(&format!("{path}/termijn"), &token).await.body["pipDeadline"],
            "2025-04-21"
        );

        // The PIP: Z-route, fixed on 15 April 2025.
        let pip = new_pip(
            &app,
            &path,
            &token,
            json!({"leerroute": "Z", "intensiteitPvt": "12 uur"}),
        )
        .await;
        assert_eq!(pip["status"], "concept");
        assert!(pip["niveau"].is_null(), "no default level in the Z-route");
        assert_eq!(pip["leerrouteDuo"], "Z");
        let fixed = fix(&app, &path, &token, &pip, "2025-04-15").await;
        assert_eq!(fixed.status, 200, "{}", fixed.text);
        assert_eq!(fixed.body["datumDagtekening"], "2025-04-15");
        assert_eq!(status(&app, &path, &token).await, "pipVastgesteld");

        // The term: from the day after the dagtekening, three years; route switch until 18 months in.
        let termijn = app.get(&format!("{path}/termijn"), &token).await.body;
        assert_eq!(termijn["datumStart"], "2025-04-16");
        assert_eq!(termijn["datumEinde"], "2028-04-16");
        assert_eq!(termijn["laatsteSchakeldatum"], "2026-10-16");
        assert_eq!(termijn["datumAow"], "2052-04-10");
        assert_eq!(termijn["verlengdMaanden"], 0);
        assert_eq!(termijn["stand"], "loopt");

        // Onderdelen: PVT, MAP, then the Z-route hours.
        let pvt = put(
            &app,
            &format!("{path}/onderdelen/pvt"),
            &token,
            &json!({"datumAfronding": "2025-09-01"}),
        )
        .await;
        assert_eq!(pvt.status, 200, "{}", pvt.text);
        assert_eq!(pvt.body["status"], "afgerond");
        assert_eq!(status(&app, &path, &token).await, "inTraject");
        let early = put(
            &app,
            &format!("{path}/onderdelen/map"),
            &token,
            &json!({"datumAfronding": "2025-04-15"}),
        )
        .await;
        early.assert_problem(400);
        assert_eq!(codes(&early), ["voorStartTermijn"]);
        let map = put(
            &app,
            &format!("{path}/onderdelen/map"),
            &token,
            &json!({"datumAfronding": "2026-06-01"}),
        )
        .await;
        assert_eq!(map.status, 200, "{}", map.text);

        let z = put(
            &app,
            &format!("{path}/onderdelen/z-route"),
            &token,
            &json!({"lesuren": 800, "participatieUren": 500, "datumAfronding": "2026-10-01"}),
        )
        .await;
        assert_eq!(z.status, 200, "{}", z.text);
        assert_eq!(z.body["lesurenNorm"], 800);
        assert_eq!(
            z.body["participatieUrenNorm"], 800,
            "asielstatushouders also need 800 participatie-uren"
        );
        assert_eq!(
            status(&app, &path, &token).await,
            "inTraject",
            "500 of 800 participatie-uren is not enough"
        );

        let z = put(
            &app,
            &format!("{path}/onderdelen/z-route"),
            &token,
            &json!({"lesuren": 812, "participatieUren": 820, "datumAfronding": "2026-10-01"}),
        )
        .await;
        assert_eq!(z.status, 200, "{}", z.text);
        assert_eq!(status(&app, &path, &token).await, "voldaan");

        let history = app.get(&format!("{path}/statuswijzigingen"), &token).await;
        let events: Vec<(&str, &str)> = history.body["resultaten"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["gebeurtenis"].as_str().unwrap(),
                    s["datum"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            events,
            [
                ("bredeIntakeGestart", "2025-02-10"),
                ("pipVastgesteld", "2025-04-15"),
                ("trajectGestart", "2025-09-01"),
                ("voldaan", "2026-10-01"),
            ]
        );
        assert!(history.body["toegestaneGebeurtenissen"]
            .as_array()
            .unwrap()
            .is_empty());

        // After voldaan nothing changes any more.
        let late = put(
            &app,
            &format!("{path}/onderdelen/knm"),
            &token,
            &json!({"datumAfronding": "2026-10-02"}),
        )
        .await;
        late.assert_problem(409);
        let ended = app.get(&format!("{path}/termijn"), &token).await.body;
        assert_eq!(ended["stand"], "beeindigd");
        assert!(ended["waarschuwingen"].as_array().unwrap().is_empty());

        // Health data is out of the audit trail and out of the view of a caller without gezondheid:lezen.
        let trail = app
            .get(&format!("{path}/audittrail?pageSize=100"), &token)
            .await;
        assert!(
            !trail.text.contains("Rugklachten"),
            "health data in the audit trail"
        );
        let no_health = crate::helpers::token("intake:lezen intake:schrijven", &["0405"]);
        let view = app.get(&format!("{path}/brede-intake"), &no_health).await;
        assert_eq!(view.status, 200);
        assert!(view.body.get("gezondheid").is_none());
        let write = put(&app, &format!("{path}/brede-intake"), &no_health, &intake).await;
        write.assert_problem(403);
    }
);

api_test!(
    a_gezinsmigrant_in_the_b1_route_reaches_voldaan,
    |app: TestApp| async move {
        let token = token(TRAJECT_SCOPES, &["0405"]);
        let person = app
            .register(
                &token,
                &json!({
                    "vNummer": "0012345678", "naam": "Mariam Rahimi", "geboortedatum": "1992-08-31",
                    "gemeente": "0405", "doelgroep": "Gezinsvormer",
                    "datumKennisgeving": "2024-03-04", "datumVestiging": "2024-02-01"
                }),
            )
            .await;
        let path = base(&person["id"]);
        // Settled before the notice: the notice counts. 4 March + 70 days = 13 May 2024.
        assert_eq!(
            app.get(&format!("{path}/termijn"), &token).await.body["pipDeadline"],
            "2024-05-13"
        );

        // DUO's content rules on the first PIP.
        let a2 = app
            .post(
                &format!("{path}/pips"),
                &token,
                &json!({"leerroute": "B1", "niveau": "A2"}),
            )
            .await;
        a2.assert_problem(400);
        assert_eq!(codes(&a2), ["niveauNietToegestaan"]);
        let intensity = app
            .post(
                &format!("{path}/pips"),
                &token,
                &json!({"leerroute": "B1", "geschatteIntensiteitB1Route": 900}),
            )
            .await;
        intensity.assert_problem(400);
        assert_eq!(codes(&intensity), ["nietToegestaan"]);
        let bad = app
            .post(
                &format!("{path}/pips"),
                &token,
                &json!({"leerroute": "X", "ontzorgen": "ja", "onbekend": 1}),
            )
            .await;
        bad.assert_problem(400);
        let mut names = bad.invalid_names();
        names.sort();
        assert_eq!(names, ["leerroute", "onbekend", "ontzorgen"]);

        let pip = new_pip(
            &app,
            &path,
            &token,
            json!({"leerroute": "B1", "ontzorgen": false}),
        )
        .await;
        assert_eq!(
            pip["niveau"], "B1",
            "B1 is the default level of the B1-route"
        );
        let before_duty = fix(&app, &path, &token, &pip, "2024-02-28").await;
        before_duty.assert_problem(400);
        assert_eq!(codes(&before_duty), ["voorStartPlicht"]);
        let future = fix(&app, &path, &token, &pip, "2099-01-01").await;
        assert_eq!(codes(&future), ["future"]);
        let fixed = fix(&app, &path, &token, &pip, "2024-05-10").await;
        assert_eq!(fixed.status, 200, "{}", fixed.text);
        assert_eq!(
            status(&app, &path, &token).await,
            "pipVastgesteld",
            "straight from aangemeld"
        );
        fix(&app, &path, &token, &pip, "2024-05-11")
            .await
            .assert_problem(409);

        let termijn = app.get(&format!("{path}/termijn"), &token).await.body;
        assert_eq!(termijn["datumStart"], "2024-05-11");
        assert_eq!(termijn["datumEinde"], "2027-05-11");
        assert_eq!(termijn["laatsteSchakeldatum"], "2025-11-11");
        assert_eq!(termijn["datumAow"], "2059-08-31");

        // Afschalen to A2 needs 600 lesuren; a route switch after 18 months is refused.
        let afschalen = new_pip(
            &app,
            &path,
            &token,
            json!({"leerroute": "B1", "niveau": "A2"}),
        )
        .await;
        let refused = fix(&app, &path, &token, &afschalen, "2025-06-01").await;
        refused.assert_problem(400);
        assert_eq!(codes(&refused), ["afschalenTeVroeg"]);
        let z = new_pip(&app, &path, &token, json!({"leerroute": "Z"})).await;
        let late_switch = fix(&app, &path, &token, &z, "2025-11-12").await;
        late_switch.assert_problem(400);
        assert_eq!(codes(&late_switch), ["schakelenVerstreken"]);
        let earlier = fix(&app, &path, &token, &z, "2024-05-01").await;
        assert_eq!(codes(&earlier), ["voorVorigePip"]);

        // Concepts can be deleted; the first fixed PIP cannot once its term has started.
        for concept in [&afschalen, &z] {
            let url = format!("{path}/pips/{}", concept["id"].as_str().unwrap());
            let deleted = send(app.server().delete(&url).bearer_auth(&token), None).await;
            assert_eq!(deleted.status, 204, "{}", deleted.text);
        }
        let url = format!("{path}/pips/{}", pip["id"].as_str().unwrap());
        send(app.server().delete(&url).bearer_auth(&token), None)
            .await
            .assert_problem(409);
        assert_eq!(
            app.get(&format!("{path}/pips"), &token).await.body["resultaten"]
                .as_array()
                .unwrap()
                .len(),
            1
        );

        // Onderdelen of the B1-route; the Z-route's registration is not for this route.
        assert_eq!(
            put(
                &app,
                &format!("{path}/onderdelen/pvt"),
                &token,
                &json!({"datumAfronding": "2024-10-01"})
            )
            .await
            .status,
            200
        );
        assert_eq!(status(&app, &path, &token).await, "inTraject");
        assert_eq!(
            put(
                &app,
                &format!("{path}/onderdelen/map"),
                &token,
                &json!({"datumAfronding": "2025-03-01"})
            )
            .await
            .status,
            200
        );
        assert_eq!(
            put(
                &app,
                &format!("{path}/onderdelen/knm"),
                &token,
                &json!({"datumAfronding": "2025-04-01"})
            )
            .await
            .status,
            200
        );
        put(
            &app,
            &format!("{path}/onderdelen/z-route"),
            &token,
            &json!({"lesuren": 10}),
        )
        .await
        .assert_problem(409);
        let hours = put(
            &app,
            &format!("{path}/onderdelen/knm"),
            &token,
            &json!({"datumAfronding": "2025-04-01", "lesuren": 5}),
        )
        .await;
        hours.assert_problem(400);
        // verwijtbaar only around an overrun of the term (it ends 11 May 2027).
        let verwijtbaar = put(
            &app,
            &format!("{path}/onderdelen/map"),
            &token,
            &json!({"datumAfronding": "2025-03-01", "verwijtbaar": "Ja"}),
        )
        .await;
        verwijtbaar.assert_problem(400);
        assert_eq!(codes(&verwijtbaar), ["nietToegestaan"]);

        // DUO extends the term by six months: 11 May 2027 becomes 11 November 2027.
        let extension = app
            .post(
                &format!("{path}/verlengingen"),
                &token,
                &json!({"maanden": 6, "grond": "Niet verwijtbaar", "datumBesluit": "2026-05-01"}),
            )
            .await;
        assert_eq!(extension.status, 201, "{}", extension.text);
        let termijn = app.get(&format!("{path}/termijn"), &token).await.body;
        assert_eq!(termijn["datumEinde"], "2027-11-11");
        assert_eq!(termijn["verlengdMaanden"], 6);
        assert_eq!(
            termijn["datumStart"], "2024-05-11",
            "extensions never move the start"
        );
        assert_eq!(status(&app, &path, &token).await, "verlengd");

        // The diploma: DUO's decision makes the duty voldaan.
        let diploma = app
        .post(&format!("{path}/statuswijzigingen"), &token, &json!({"gebeurtenis": "voldaan", "datum": "2026-09-15", "reden": "Diploma inburgering (SS106)"}))
        .await;
        assert_eq!(diploma.status, 201, "{}", diploma.text);
        assert_eq!(diploma.body["status"], "voldaan");
        let again = app
            .post(
                &format!("{path}/statuswijzigingen"),
                &token,
                &json!({"gebeurtenis": "hervat", "datum": "2026-09-16"}),
            )
            .await;
        again.assert_problem(409);
        assert_eq!(
            again.body["type"],
            "https://koers.dev/problemen/ongeldige-statusovergang"
        );
        assert!(again.body["detail"]
            .as_str()
            .unwrap()
            .contains("eindstatus"));
    }
);

api_test!(
    invalid_transitions_name_what_is_allowed,
    |app: TestApp| async move {
        let token = token(TRAJECT_SCOPES, &["0405"]);
        let person = app.register(&token, &person(60, "0405")).await;
        let path = base(&person["id"]);
        let refused = app
            .post(
                &format!("{path}/statuswijzigingen"),
                &token,
                &json!({"gebeurtenis": "voldaan", "datum": "2026-01-01"}),
            )
            .await;
        refused.assert_problem(409);
        let detail = refused.body["detail"].as_str().unwrap();
        assert!(
            detail.contains("aangemeld")
                && detail.contains("bredeIntakeGestart")
                && detail.contains("pipVastgesteld"),
            "{detail}"
        );
        let derived = app
            .post(
                &format!("{path}/statuswijzigingen"),
                &token,
                &json!({"gebeurtenis": "pipVastgesteld", "datum": "2026-01-01"}),
            )
            .await;
        derived.assert_problem(400);
        let no_reason = app
            .post(
                &format!("{path}/statuswijzigingen"),
                &token,
                &json!({"gebeurtenis": "beeindigd", "datum": "2026-01-01"}),
            )
            .await;
        no_reason.assert_problem(400);
        assert_eq!(no_reason.invalid_names(), ["reden"]);
        let ended = app
        .post(&format!("{path}/statuswijzigingen"), &token, &json!({"gebeurtenis": "beeindigd", "datum": "2026-01-01", "reden": "NATURALISATIE"}))
        .await;
        assert_eq!(ended.status, 201, "{}", ended.text);
        assert_eq!(ended.body["status"], "beeindigd");
        let pip = app
            .post(&format!("{path}/pips"), &token, &json!({"leerroute": "B1"}))
            .await;
        pip.assert_problem(409);
    }
);

api_test!(
    ontheffingen_and_vrijstellingen_follow_duo_codes,
    |app: TestApp| async move {
        let token = token(TRAJECT_SCOPES, &["0405"]);
        let first = base(&app.register(&token, &person(61, "0405")).await["id"]);
        let partial = app
            .post(
                &format!("{first}/vrijstellingen"),
                &token,
                &json!({"code": "GED", "datumBesluit": "2026-01-10"}),
            )
            .await;
        partial.assert_problem(400);
        assert_eq!(partial.invalid_names(), ["examenonderdelen"]);
        let partial = app
        .post(&format!("{first}/vrijstellingen"), &token, &json!({"code": "GED", "examenonderdelen": ["SCHRIJVEN", "ZINGEN", 3], "datumBesluit": "2026-01-10"}))
        .await;
        partial.assert_problem(400);
        let mut names = partial.invalid_names();
        names.sort();
        assert_eq!(names, ["examenonderdelen[1]", "examenonderdelen[2]"]);
        let partial = app
        .post(&format!("{first}/vrijstellingen"), &token, &json!({"code": "GED", "examenonderdelen": ["SCHRIJVEN"], "datumBesluit": "2026-01-10"}))
        .await;
        assert_eq!(partial.status, 201, "{}", partial.text);
        assert_eq!(partial.body["omvang"], "GEDEELTELIJK");
        assert_eq!(
            status(&app, &first, &token).await,
            "aangemeld",
            "a partial exemption changes no status"
        );

        let temporary = app
            .post(
                &format!("{first}/vrijstellingen"),
                &token,
                &json!({"code": "OPL", "datumBesluit": "2026-01-10"}),
            )
            .await;
        assert_eq!(temporary.invalid_names(), ["datumEinde"]);
        let temporary = app
            .post(
                &format!("{first}/vrijstellingen"),
                &token,
                &json!({"code": "OPL", "datumBesluit": "2026-01-10", "datumEinde": "2027-07-01"}),
            )
            .await;
        assert_eq!(temporary.status, 201, "{}", temporary.text);
        assert_eq!(status(&app, &first, &token).await, "tijdelijkVrijgesteld");
        let resumed = app
            .post(
                &format!("{first}/statuswijzigingen"),
                &token,
                &json!({"gebeurtenis": "hervat", "datum": "2026-06-01"}),
            )
            .await;
        assert_eq!(
            resumed.body["status"], "aangemeld",
            "resumes where the trajectory stood"
        );

        let full = app
            .post(
                &format!("{first}/ontheffingen"),
                &token,
                &json!({"code": "MED", "omvang": "GEHEEL", "datumBesluit": "2026-07-01"}),
            )
            .await;
        assert_eq!(full.status, 201, "{}", full.text);
        assert_eq!(status(&app, &first, &token).await, "ontheven");
        let lists = app.get(&format!("{first}/vrijstellingen"), &token).await;
        assert_eq!(lists.body["resultaten"].as_array().unwrap().len(), 2);

        let second = base(&app.register(&token, &person(62, "0405")).await["id"]);
        let wrong = app
            .post(
                &format!("{second}/ontheffingen"),
                &token,
                &json!({"code": "AVI", "omvang": "TIJDELIJK", "datumBesluit": "2030-01-01"}),
            )
            .await;
        wrong.assert_problem(400);
        let mut names = wrong.invalid_names();
        names.sort();
        // TIJDELIJK is no omvang of an ontheffing, whatever the code.
        assert_eq!(names, ["code", "datumBesluit", "omvang"]);
        let avi = app
            .post(
                &format!("{second}/vrijstellingen"),
                &token,
                &json!({"code": "AVI", "datumBesluit": "2026-02-01"}),
            )
            .await;
        assert_eq!(avi.body["omvang"], "GEHEEL");
        assert_eq!(status(&app, &second, &token).await, "vrijgesteld");
    }
);

api_test!(
    the_trajectory_is_scoped_and_visible_only_to_its_gemeente,
    |app: TestApp| async move {
        let token = token(TRAJECT_SCOPES, &["0405"]);
        let path = base(&app.register(&token, &person(63, "0405")).await["id"]);
        let other = token_for(&["0855"]);
        for sub in [
            "termijn",
            "pips",
            "verlengingen",
            "statuswijzigingen",
            "onderdelen/map",
            "ontheffingen",
            "brede-intake",
        ] {
            app.get(&format!("{path}/{sub}"), &other)
                .await
                .assert_problem(404);
        }
        let reader = crate::helpers::token("inburgeraars:lezen", &["0405"]);
        app.get(&format!("{path}/termijn"), &reader)
            .await
            .assert_problem(403);
        app.post(
            &format!("{path}/pips"),
            &reader,
            &json!({"leerroute": "B1"}),
        )
        .await
        .assert_problem(403);
        app.get(&format!("{path}/brede-intake"), &token)
            .await
            .assert_problem(404);
        app.get(&format!("{path}/onderdelen/xyz"), &token)
            .await
            .assert_problem(404);
        let missing = format!("{path}/pips/{}", uuid::Uuid::now_v7());
        app.get(&missing, &token).await.assert_problem(404);
        // Onderdelen need a fixed PIP.
        put(
            &app,
            &format!("{path}/onderdelen/pvt"),
            &token,
            &json!({"datumAfronding": "2026-01-01"}),
        )
        .await
        .assert_problem(409);
        // Changes are in the audit trail and the processing log.
        new_pip(&app, &path, &token, json!({"leerroute": "ONDERWIJS"})).await;
        let trail = app.get(&format!("{path}/audittrail"), &token).await;
        assert_eq!(trail.body["resultaten"][0]["resource"], "pip");
        let log = app.get(&format!("{path}/verwerkingen"), &token).await;
        assert_eq!(
            log.body["resultaten"][1]["verwerkingsactiviteitId"],
            "traject-wijzigen"
        );
    }
);

fn token_for(gemeenten: &[&str]) -> String {
    crate::helpers::token(TRAJECT_SCOPES, gemeenten)
}

api_test!(
    withdrawing_the_only_pip_before_its_term_restores_the_phase,
    |app: TestApp| async move {
        let token = token_for(&["0405"]);
        let path = base(&app.register(&token, &person(64, "0405")).await["id"]);
        let intake = json!({"datumStart": "2026-09-16"});
        assert_eq!(
            put(&app, &format!("{path}/brede-intake"), &token, &intake)
                .await
                .status,
            200
        );
        let pip = new_pip(&app, &path, &token, json!({"leerroute": "B1"})).await;
        // Dated today, the term starts tomorrow: the PIP can still be withdrawn.
        let today = chrono::Utc::now()
            .date_naive()
            .format("%Y-%m-%d")
            .to_string();
        assert_eq!(fix(&app, &path, &token, &pip, &today).await.status, 200);
        assert_eq!(status(&app, &path, &token).await, "pipVastgesteld");
        let url = format!("{path}/pips/{}", pip["id"].as_str().unwrap());
        let deleted = send(app.server().delete(&url).bearer_auth(&token), None).await;
        assert_eq!(deleted.status, 204, "{}", deleted.text);
        assert_eq!(status(&app, &path, &token).await, "bredeIntake");
        let termijn = app.get(&format!("{path}/termijn"), &token).await.body;
        assert_eq!(termijn["stand"], "nietGestart");
        assert!(termijn["datumStart"].is_null());
    }
);

/// Fills every list of a person's history that the gemeente keeps with five or more items (dates out of
/// order where a list is shown by date, two on one date to show the tie broken by registration);
/// returns the person's path.
pub async fn filled_history(app: &TestApp, token: &str, n: u32) -> String {
    let path = base(&app.register(token, &person(n, "0405")).await["id"]);
    let pip = new_pip(app, &path, token, json!({"leerroute": "B1"})).await;
    assert_eq!(fix(app, &path, token, &pip, "2026-10-01").await.status, 200);
    let onderdelen = ["LEZEN", "LUISTEREN", "SCHRIJVEN", "SPREKEN", "KNM"];
    for (k, onderdeel) in onderdelen.iter().enumerate() {
        let datum = format!("2026-10-{:02}", 10 + k);
        for (list, body) in [
            (
                "verlengingen",
                json!({"maanden": k + 1, "grond": format!("Besluit {k}"), "datumBesluit": datum}),
            ),
            (
                "ontheffingen",
                json!({"code": "MED", "omvang": "GEDEELTELIJK", "examenonderdelen": [onderdeel], "datumBesluit": datum}),
            ),
            (
                "vrijstellingen",
                json!({"code": "GED", "examenonderdelen": [onderdeel], "datumBesluit": datum}),
            ),
        ] {
            let created = app.post(&format!("{path}/{list}"), token, &body).await;
            assert_eq!(created.status, 201, "{list}: {}", created.text);
        }
    }
    for (k, datum) in [
        "2026-11-10",
        "2026-10-01",
        "2026-11-10",
        "2026-10-15",
        "2026-12-01",
        "2026-10-01",
    ]
    .iter()
    .enumerate()
    {
        let mut gesprek = json!({"datum": datum, "deelnemers": ["KLANTMANAGER", "INBURGERAAR"], "uitkomst": format!("Gesprek {k}")});
        if k == 4 {
            gesprek["datumVolgendGepland"] = json!("2027-02-15");
        }
        let created = app
            .post(&format!("{path}/voortgangsgesprekken"), token, &gesprek)
            .await;
        assert_eq!(created.status, 201, "{}", created.text);
    }
    for (datum, trede) in [
        ("2026-03-01", 2),
        ("2026-01-01", 1),
        ("2026-03-01", 4),
        ("2026-06-01", 4),
        ("2026-02-01", 3),
        ("2026-09-01", 2),
    ] {
        let created = app
            .post(
                &format!("{path}/participatieladder-metingen"),
                token,
                &json!({"datum": datum, "trede": trede}),
            )
            .await;
        assert_eq!(created.status, 201, "{}", created.text);
    }
    path
}

/// The lists of a person's history that the gemeente keeps, under the person's path.
pub const HISTORY_LISTS: [&str; 6] = [
    "statuswijzigingen",
    "verlengingen",
    "ontheffingen",
    "vrijstellingen",
    "voortgangsgesprekken",
    "participatieladder-metingen",
];

/// An answer without its page: what every page of a list shows besides its items.
fn besides_the_page(body: &Value) -> Value {
    let mut rest = body.clone();
    let object = rest.as_object_mut().unwrap();
    object.remove("resultaten");
    object.remove("volgendePagina");
    rest
}

api_test!(
    every_history_list_pages_through_every_item_once_in_its_order,
    |app: TestApp| async move {
        let token = token_for(&["0405"]);
        let path = filled_history(&app, &token, 65).await;
        for list in HISTORY_LISTS {
            let url = format!("{path}/{list}");
            // All of it on the first page (20 by default), in the order it is shown.
            let whole = app.get(&url, &token).await;
            assert_eq!(whole.status, 200, "{list}: {}", whole.text);
            assert!(whole.body["volgendePagina"].is_null(), "{list}");
            assert!(whole.header("link").is_none(), "{list}");
            let all = whole.body["resultaten"].as_array().unwrap().clone();
            assert!(all.len() >= 5, "{list}: {}", all.len());

            let pages = walk_pages(&app, &format!("{url}?pageSize=2"), &token).await;
            assert_eq!(pages.len(), all.len().div_ceil(2), "{list}");
            assert_eq!(items_of(&pages), all, "{list}: every item once, in order");
            for page in &pages {
                assert!(page.body["resultaten"].as_array().unwrap().len() <= 2);
                assert_eq!(
                    besides_the_page(&page.body),
                    besides_the_page(&whole.body),
                    "{list}: the same on every page"
                );
            }
            let next = pages[0].body["volgendePagina"].as_str().unwrap();
            assert!(
                next.starts_with(&format!("{url}?pageSize=2&cursor=")),
                "{list}: {next}"
            );
        }

        let listed = |list: &str| {
            let url = format!("{path}/{list}?pageSize=100");
            let token = token.clone();
            let app = &app;
            async move { app.get(&url, &token).await.body }
        };
        // The order of each: the order of registration, but conversations and measurements by date
        // (then by registration).
        let statuses = listed("statuswijzigingen").await;
        let events: Vec<&str> = statuses["resultaten"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["gebeurtenis"].as_str().unwrap())
            .collect();
        assert_eq!(
            events,
            [
                "pipVastgesteld",
                "verlengd",
                "verlengd",
                "verlengd",
                "verlengd",
                "verlengd"
            ]
        );
        assert_eq!(statuses["status"], "verlengd");
        let verlengingen = listed("verlengingen").await;
        let gronden: Vec<&str> = verlengingen["resultaten"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["grond"].as_str().unwrap())
            .collect();
        assert_eq!(
            gronden,
            [
                "Besluit 0",
                "Besluit 1",
                "Besluit 2",
                "Besluit 3",
                "Besluit 4"
            ]
        );
        for list in ["ontheffingen", "vrijstellingen"] {
            let besluiten = listed(list).await;
            let onderdelen: Vec<&str> = besluiten["resultaten"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| b["examenonderdelen"][0].as_str().unwrap())
                .collect();
            assert_eq!(
                onderdelen,
                ["LEZEN", "LUISTEREN", "SCHRIJVEN", "SPREKEN", "KNM"],
                "{list}"
            );
        }
        let gesprekken = listed("voortgangsgesprekken").await;
        let uitkomsten: Vec<&str> = gesprekken["resultaten"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["uitkomst"].as_str().unwrap())
            .collect();
        assert_eq!(
            uitkomsten,
            [
                "Gesprek 1",
                "Gesprek 5",
                "Gesprek 3",
                "Gesprek 0",
                "Gesprek 2",
                "Gesprek 4"
            ]
        );
        assert_eq!(
            gesprekken["volgendGesprek"], "2027-02-15",
            "planned at the last conversation"
        );
        let metingen = listed("participatieladder-metingen").await;
        let moves: Vec<(&str, i64, &str)> = metingen["resultaten"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["datum"].as_str().unwrap(),
                    m["trede"].as_i64().unwrap(),
                    m["beweging"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            moves,
            [
                ("2026-01-01", 1, "EERSTE"),
                ("2026-02-01", 3, "OMHOOG"),
                ("2026-03-01", 2, "OMLAAG"),
                ("2026-03-01", 4, "OMHOOG"),
                ("2026-06-01", 4, "GELIJK"),
                ("2026-09-01", 2, "OMLAAG"),
            ]
        );
        assert_eq!(metingen["huidigeTrede"], 2);
        // A page that starts after a boundary still moves against the measurement before it.
        let second = walk_pages(
            &app,
            &format!("{path}/participatieladder-metingen?pageSize=2"),
            &token,
        )
        .await;
        assert_eq!(second[1].body["resultaten"][0]["beweging"], "OMLAAG");
        assert_eq!(second[1].body["huidigeTrede"], 2);
    }
);
