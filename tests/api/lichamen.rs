//! Every request body of the contract, judged as one: a wrong type, an unknown property and a broken
//! rule of the domain come back together in one 400, and nothing is stored. The table covers every
//! operation of the served contract that takes a body (a new one fails the coverage check until it is
//! added here).

use crate::api_test;
use crate::helpers::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;

const SCOPES: &str = "inburgeraars:lezen inburgeraars:schrijven intake:lezen intake:schrijven \
gezondheid:lezen pip:lezen pip:vaststellen voortgang:aanleveren toestemmingen:beheren audit:lezen beheer abonnementen:beheren";

/// One body: the operation as the contract names it, the URL to send it to, the body, and the
/// `invalidParams` it must get, as (name, code) in order of name: the wrong type, the unknown property
/// and the rule of the domain. A body of one field cannot break a rule and have a wrong type at once:
/// it has a case for each. A body without a rule beyond its schema names the first two.
struct Case {
    method: &'static str,
    operation: &'static str,
    url: String,
    body: Value,
    errors: &'static [(&'static str, &'static str)],
}

async fn created(app: &TestApp, token: &str, url: &str, body: Value) -> Value {
    let answer = app.post(url, token, &body).await;
    assert!(
        answer.status == 201 || answer.status == 200,
        "{url}: {}",
        answer.text
    );
    answer.body
}

async fn send(app: &TestApp, token: &str, case: &Case) -> Answer {
    match case.method {
        "post" => app.post(&case.url, token, &case.body).await,
        "put" => app.put(&case.url, token, &case.body).await,
        "patch" => app.patch(&case.url, token, &case.body, None).await,
        other => panic!("no body is sent with {other}"),
    }
}

api_test!(
    every_body_names_a_wrong_type_an_unknown_property_and_a_broken_rule_at_once,
    |app: TestApp| async move {
        let token = token(SCOPES, &["0405"]);
        let first = app.register(&token, &person(81, "0405")).await;
        let id = first["id"].as_str().unwrap().to_owned();
        let base = format!("/api/v1/inburgeraars/{id}");
        // A person with a fixed PIP, so that the onderdelen take registrations.
        let intake = app
            .put(
                &format!("{base}/brede-intake"),
                &token,
                &json!({"datumStart": "2026-09-20"}),
            )
            .await;
        assert_eq!(intake.status, 200, "{}", intake.text);
        let pip = created(
            &app,
            &token,
            &format!("{base}/pips"),
            json!({"leerroute": "B1"}),
        )
        .await;
        let pip_id = pip["id"].as_str().unwrap().to_owned();
        let other = app.register(&token, &person(82, "0405")).await;
        let other_base = format!("/api/v1/inburgeraars/{}", other["id"].as_str().unwrap());
        let concept = created(
            &app,
            &token,
            &format!("{other_base}/pips"),
            json!({"leerroute": "B1"}),
        )
        .await;
        let fixed = app
            .post(
                &format!("{base}/pips/{pip_id}/vaststelling"),
                &token,
                &json!({"datumDagtekening": "2026-10-01"}),
            )
            .await;
        assert_eq!(fixed.status, 200, "{}", fixed.text);
        let organisatie = created(
            &app,
            &token,
            "/api/v1/organisaties",
            json!({"naam": "Taalschool Lichamen", "soort": "TAALAANBIEDER", "keurmerkNummer": "BOW-9", "keurmerkGeldigTot": "2028-01-01"}),
        )
        .await;
        let org = organisatie["id"].as_str().unwrap().to_owned();
        let abonnement = created(
            &app,
            &token,
            "/api/v1/abonnementen",
            json!({"callbackUrl": "http://localhost:9/koers"}),
        )
        .await;
        let abonnement_id = abonnement["id"].as_str().unwrap().to_owned();
        let toestemming = created(
            &app,
            &token,
            "/api/v1/toestemmingen",
            json!({"inburgeraarId": id, "organisatieId": org, "grondslag": "PUBLIEKE_TAAK",
                   "doelen": ["TAALONDERWIJS"], "gegevenscategorieen": ["VOORTGANG"], "geldigVan": "2026-01-01",
                   "bewijs": {"kanaal": "DIGITAAL", "taalKennisgeving": "nl"}}),
        )
        .await;
        let toestemming_id = toestemming["id"].as_str().unwrap().to_owned();

        let cases = vec![
            Case {
                method: "post",
                operation: "registreerInburgeraar",
                url: "/api/v1/inburgeraars".into(),
                body: json!({"bsn": "123456789", "naam": 5, "gemeente": "0405", "doelgroep": "Overig", "kleur": "blauw"}),
                errors: &[("bsn", "elfproef"), ("kleur", "unknown"), ("naam", "type")],
            },
            Case {
                method: "patch",
                operation: "wijzigInburgeraar",
                url: base.clone(),
                body: json!({"geboortedatum": "2099-01-01", "naam": 5, "kleur": "blauw"}),
                errors: &[
                    ("geboortedatum", "future"),
                    ("kleur", "unknown"),
                    ("naam", "type"),
                ],
            },
            Case {
                method: "post",
                operation: "zoekInburgeraarOpIdentificatie",
                url: "/api/v1/inburgeraars/_zoek".into(),
                body: json!({"bsn": "123456789", "vNummer": 5, "kleur": "blauw"}),
                errors: &[
                    ("bsn", "elfproef"),
                    ("kleur", "unknown"),
                    ("vNummer", "type"),
                ],
            },
            Case {
                method: "post",
                operation: "registreerOrganisatie",
                url: "/api/v1/organisaties".into(),
                body: json!({"naam": "X", "soort": "TAALAANBIEDER", "kvkNummer": 5, "kleur": "blauw"}),
                errors: &[
                    ("keurmerkGeldigTot", "required"),
                    ("keurmerkNummer", "required"),
                    ("kleur", "unknown"),
                    ("kvkNummer", "type"),
                ],
            },
            Case {
                method: "post",
                operation: "maakAbonnement",
                url: "/api/v1/abonnementen".into(),
                body: json!({"callbackUrl": "ftp://ontvanger.example.nl/x", "soorten": "alle", "gemeenten": ["0363"], "kleur": "blauw"}),
                errors: &[
                    ("callbackUrl", "format"),
                    ("gemeenten[0]", "gemeente"),
                    ("kleur", "unknown"),
                    ("soorten", "type"),
                ],
            },
            Case {
                method: "patch",
                operation: "wijzigAbonnement",
                url: format!("/api/v1/abonnementen/{abonnement_id}"),
                body: json!({"status": "weg", "kleur": "blauw"}),
                errors: &[("kleur", "unknown"), ("status", "enum")],
            },
            Case {
                method: "post",
                operation: "vernieuwGeheim",
                url: format!("/api/v1/abonnementen/{abonnement_id}/geheim-vernieuwing"),
                body: json!({"overgangUren": "een", "kleur": "blauw"}),
                errors: &[("kleur", "unknown"), ("overgangUren", "type")],
            },
            Case {
                method: "post",
                operation: "herhaalAfleveringen",
                url: format!("/api/v1/abonnementen/{abonnement_id}/herhaling"),
                body: json!({"vanafVolgnummer": "een", "kleur": "blauw"}),
                errors: &[("kleur", "unknown"), ("vanafVolgnummer", "type")],
            },
            Case {
                method: "patch",
                operation: "wijzigOrganisatie",
                url: format!("/api/v1/organisaties/{org}"),
                body: json!({"actief": "ja", "kleur": "blauw"}),
                errors: &[("actief", "type"), ("kleur", "unknown")],
            },
            Case {
                method: "post",
                operation: "legToestemmingVast",
                url: "/api/v1/toestemmingen".into(),
                body: json!({"inburgeraarId": id, "organisatieId": org, "grondslag": "TOESTEMMING",
                             "doelen": ["TAALONDERWIJS"], "gegevenscategorieen": ["GEZONDHEID"], "geldigVan": "2026-01-01",
                             "bewijs": {"kanaal": "DIGITAAL", "taalKennisgeving": "nl"}, "geweigerd": "ja", "kleur": "blauw"}),
                errors: &[
                    ("geweigerd", "type"),
                    ("grondslag", "art9Vereist"),
                    ("kleur", "unknown"),
                ],
            },
            Case {
                method: "post",
                operation: "trekToestemmingIn",
                url: format!("/api/v1/toestemmingen/{toestemming_id}/intrekking"),
                body: json!({"toelichting": 5, "kleur": "blauw"}),
                errors: &[("kleur", "unknown"), ("toelichting", "type")],
            },
            Case {
                method: "post",
                operation: "leverInschrijvingAan",
                url: "/api/v1/inschrijvingen".into(),
                body: json!({"inburgeraarId": id, "organisatieId": org, "soort": "CURSUS", "omschrijving": "B1",
                             "datumStart": "2026-11-01", "datumEinde": "2026-10-01", "urenPerWeek": "12", "kleur": "blauw"}),
                errors: &[
                    ("datumEinde", "voorStart"),
                    ("kleur", "unknown"),
                    ("urenPerWeek", "type"),
                ],
            },
            Case {
                method: "post",
                operation: "leverGevolgdeUrenAan",
                url: "/api/v1/gevolgde-uren".into(),
                body: json!({"inburgeraarId": id, "organisatieId": org, "maand": "2099-01", "lesuren": "4", "kleur": "blauw"}),
                errors: &[
                    ("kleur", "unknown"),
                    ("lesuren", "type"),
                    ("maand", "future"),
                ],
            },
            Case {
                method: "post",
                operation: "leverExamenresultaatAan",
                url: "/api/v1/examenresultaten".into(),
                body: json!({"inburgeraarId": id, "onderdeel": "LEZEN", "niveau": "B1", "uitslag": "GEEN",
                             "datumExamen": 5, "bron": "AANBIEDER", "kleur": "blauw"}),
                errors: &[
                    ("datumExamen", "type"),
                    ("kleur", "unknown"),
                    ("redenGeen", "required"),
                ],
            },
            Case {
                method: "post",
                operation: "leverExamenresultatenAanInBulk",
                url: "/api/v1/examenresultaten/_bulk".into(),
                body: json!({"resultaten": "alles", "kleur": "blauw"}),
                errors: &[("kleur", "unknown"), ("resultaten", "type")],
            },
            Case {
                method: "put",
                operation: "legBredeIntakeVast",
                url: format!("{other_base}/brede-intake"),
                body: json!({"datumStart": "2026-10-01", "datumEinde": "2026-09-20", "taalniveau": 5, "kleur": "blauw"}),
                errors: &[
                    ("datumEinde", "voorStart"),
                    ("kleur", "unknown"),
                    ("taalniveau", "type"),
                ],
            },
            Case {
                method: "post",
                operation: "stelPipOp",
                url: format!("{other_base}/pips"),
                body: json!({"leerroute": "ONDERWIJS", "intensiteitMap": "32 uur", "ontzorgen": "ja", "kleur": "blauw"}),
                errors: &[
                    ("intensiteitMap", "nietToegestaan"),
                    ("kleur", "unknown"),
                    ("ontzorgen", "type"),
                ],
            },
            Case {
                method: "post",
                operation: "stelPipVast",
                url: format!(
                    "{other_base}/pips/{}/vaststelling",
                    concept["id"].as_str().unwrap()
                ),
                body: json!({"datumDagtekening": "2099-01-01", "kleur": "blauw"}),
                errors: &[("datumDagtekening", "future"), ("kleur", "unknown")],
            },
            Case {
                method: "post",
                operation: "stelPipVast",
                url: format!(
                    "{other_base}/pips/{}/vaststelling",
                    concept["id"].as_str().unwrap()
                ),
                body: json!({"datumDagtekening": 20261001, "kleur": "blauw"}),
                errors: &[("datumDagtekening", "type"), ("kleur", "unknown")],
            },
            Case {
                method: "post",
                operation: "legVerlengingVast",
                url: format!("{base}/verlengingen"),
                body: json!({"maanden": "6", "grond": "Ziekte", "datumBesluit": "2099-01-01", "kleur": "blauw"}),
                errors: &[
                    ("datumBesluit", "future"),
                    ("kleur", "unknown"),
                    ("maanden", "type"),
                ],
            },
            Case {
                method: "put",
                operation: "registreerOnderdeel",
                url: format!("{base}/onderdelen/pvt"),
                body: json!({"datumAfronding": "2099-01-01", "lesuren": "5", "kleur": "blauw"}),
                errors: &[
                    ("datumAfronding", "future"),
                    ("kleur", "unknown"),
                    ("lesuren", "type"),
                ],
            },
            Case {
                method: "post",
                operation: "legOntheffingVast",
                url: format!("{base}/ontheffingen"),
                body: json!({"code": "MED", "omvang": "GEHEEL", "datumBesluit": "2099-01-01", "examenonderdelen": "LEZEN", "kleur": "blauw"}),
                errors: &[
                    ("datumBesluit", "future"),
                    ("examenonderdelen", "type"),
                    ("kleur", "unknown"),
                ],
            },
            Case {
                method: "post",
                operation: "legVrijstellingVast",
                url: format!("{base}/vrijstellingen"),
                body: json!({"code": "AVI", "datumBesluit": "2099-01-01", "datumEinde": 5, "kleur": "blauw"}),
                errors: &[
                    ("datumBesluit", "future"),
                    ("datumEinde", "type"),
                    ("kleur", "unknown"),
                ],
            },
            Case {
                method: "post",
                operation: "legStatuswijzigingVast",
                url: format!("{base}/statuswijzigingen"),
                body: json!({"gebeurtenis": "beeindigd", "datum": 5, "reden": "VERVEELD", "kleur": "blauw"}),
                errors: &[("datum", "type"), ("kleur", "unknown"), ("reden", "enum")],
            },
            Case {
                method: "post",
                operation: "legVoortgangsgesprekVast",
                url: format!("{base}/voortgangsgesprekken"),
                body: json!({"datum": "2026-11-01", "deelnemers": ["TOLK"], "uitkomst": "Goed",
                             "datumVolgendGepland": "2026-10-01", "afspraken": 5, "kleur": "blauw"}),
                errors: &[
                    ("afspraken", "type"),
                    ("datumVolgendGepland", "nietNaGesprek"),
                    ("kleur", "unknown"),
                ],
            },
            Case {
                method: "post",
                operation: "legParticipatieladderMetingVast",
                url: format!("{base}/participatieladder-metingen"),
                body: json!({"datum": "2099-01-01", "trede": "3", "kleur": "blauw"}),
                errors: &[("datum", "future"), ("kleur", "unknown"), ("trede", "type")],
            },
            Case {
                method: "put",
                operation: "legOntzorgingVast",
                url: format!("{base}/ontzorging"),
                body: json!({"status": "ACTIEF", "uitkeringParticipatiewet": "ja", "kleur": "blauw"}),
                errors: &[
                    ("datumStart", "required"),
                    ("kleur", "unknown"),
                    ("uitkeringParticipatiewet", "type"),
                ],
            },
            Case {
                method: "put",
                operation: "legGemeenteInstellingenVast",
                url: "/api/v1/gemeenten/0405/instellingen".into(),
                body: json!({"gesprekCadansMaanden": "3", "kleur": "blauw"}),
                errors: &[("gesprekCadansMaanden", "type"), ("kleur", "unknown")],
            },
        ];

        // Every operation of the contract that takes a body is in the table.
        let spec = app.get("/api/v1/openapi.json", "").await.body;
        let mut with_body = BTreeSet::new();
        for item in spec["paths"].as_object().unwrap().values() {
            for (method, operation) in item.as_object().unwrap() {
                if operation.get("requestBody").is_some() {
                    with_body.insert((
                        method.clone(),
                        operation["operationId"].as_str().unwrap().to_owned(),
                    ));
                }
            }
        }
        let covered: BTreeSet<(String, String)> = cases
            .iter()
            .map(|c| (c.method.to_owned(), c.operation.to_owned()))
            .collect();
        assert_eq!(
            covered, with_body,
            "every body of the contract has a case here"
        );

        let audit_before = app.get(&format!("{base}/audittrail"), &token).await.body;
        for case in &cases {
            let answer = send(&app, &token, case).await;
            assert_eq!(
                answer.status, 400,
                "{} {}: {}",
                case.method, case.url, answer.text
            );
            let mut found: Vec<(String, String)> = answer.body["invalidParams"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    (
                        p["name"].as_str().unwrap().to_owned(),
                        p["code"].as_str().unwrap().to_owned(),
                    )
                })
                .collect();
            found.sort();
            let expected: Vec<(String, String)> = case
                .errors
                .iter()
                .map(|(name, code)| ((*name).to_owned(), (*code).to_owned()))
                .collect();
            assert_eq!(found, expected, "{} {}", case.method, case.url);
        }
        // Nothing was stored: the person's audit trail is as it was.
        let audit_after = app.get(&format!("{base}/audittrail"), &token).await.body;
        assert_eq!(audit_before["resultaten"], audit_after["resultaten"]);
    }
);

api_test!(
    dates_run_from_1900_to_2099_and_what_is_computed_from_them_stays_a_date,
    |app: TestApp| async move {
        let token = token(SCOPES, &["0405"]);
        let person = app.register(&token, &person(83, "0405")).await;
        let url = format!(
            "/api/v1/inburgeraars/{}/ontzorging",
            person["id"].as_str().unwrap()
        );
        for outside in ["9999-12-31", "1899-12-31", "0000-01-01"] {
            let refused = app
                .put(
                    &url,
                    &token,
                    &json!({"status": "ACTIEF", "datumStart": outside}),
                )
                .await;
            refused.assert_problem(400);
            assert_eq!(refused.body["invalidParams"][0]["name"], "datumStart");
            assert_eq!(refused.body["invalidParams"][0]["code"], "date");
        }
        let last = app
            .put(
                &url,
                &token,
                &json!({"status": "ACTIEF", "datumStart": "2099-12-31"}),
            )
            .await;
        assert_eq!(last.status, 200, "{}", last.text);
        // Six months later lies past 2099, and is still a date of four digits of year.
        assert_eq!(last.body["datumMinimaalEinde"], "2100-06-30");
    }
);

api_test!(
    free_text_is_judged_as_the_contract_says_before_it_is_trimmed,
    |app: TestApp| async move {
        let token = token(SCOPES, &["0405"]);
        let mut body = person(84, "0405");
        // White space in ECMA-262's sense only (as the contract's pattern reads it): no name.
        for blank in ["\u{FEFF}", " \u{3000}\t"] {
            body["naam"] = json!(blank);
            let refused = app.post("/api/v1/inburgeraars", &token, &body).await;
            refused.assert_problem(400);
            assert_eq!(refused.invalid_names(), ["naam"]);
        }
        // 200 characters and a space are more than the 200 the contract allows, trimmed or not.
        body["naam"] = json!(format!("{} ", "a".repeat(200)));
        let long = app.post("/api/v1/inburgeraars", &token, &body).await;
        long.assert_problem(400);
        assert_eq!(long.body["invalidParams"][0]["code"], "maxLength");
        // U+0085 is visible to the contract, so it is a name, and it is kept as sent.
        body["naam"] = json!(" \u{85} ");
        let kept = app.post("/api/v1/inburgeraars", &token, &body).await;
        assert_eq!(kept.status, 201, "{}", kept.text);
        assert_eq!(kept.body["naam"], "\u{85}");
    }
);
