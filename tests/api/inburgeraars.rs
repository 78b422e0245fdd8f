//! Inburgeraars through every layer: register, read, change, list, find; audit trail and processing log.

use crate::api_test;
use crate::helpers::*;
use serde_json::json;

api_test!(registers_and_reads_a_person, |app: TestApp| async move {
    let token = token(ALL_SCOPES, &["0405"]);
    let answer = app
        .post("/api/v1/inburgeraars", &token, &person(1, "0405"))
        .await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    assert_fixed_headers(&answer.headers);
    assert_eq!(answer.header("etag"), Some("\"1\""));
    let id = answer.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        answer.header("location"),
        Some(format!("/api/v1/inburgeraars/{id}").as_str())
    );
    assert_eq!(answer.body["status"], "aangemeld");
    assert_eq!(answer.body["regime"], "WI2021");
    assert_eq!(answer.body["naam"], "Persoon 1");

    let read = app.get(&format!("/api/v1/inburgeraars/{id}"), &token).await;
    assert_eq!(read.status, 200);
    assert_eq!(
        read.body, answer.body,
        "a read returns what was written, on both backends"
    );
    assert_eq!(read.header("etag"), Some("\"1\""));
});

api_test!(
    reports_every_invalid_field_and_writes_nothing,
    |app: TestApp| async move {
        let token = token(ALL_SCOPES, &["0405"]);
        let body = json!({
            "bsn": "123456789",
            "vNummer": 12,
            "naam": "",
            "geboortedatum": "2099-01-01",
            "gemeente": "0363",
            "doelgroep": "Toerist",
            "regime": "WI1999",
            "datumKennisgeving": "2026-02-30",
            "datumVestiging": "gisteren",
            "status": "voldaan",
            "kleur": "blauw"
        });
        let answer = app.post("/api/v1/inburgeraars", &token, &body).await;
        answer.assert_problem(400);
        assert_eq!(answer.body["instance"], "/api/v1/inburgeraars");
        let mut names = answer.invalid_names();
        names.sort();
        assert_eq!(
            names,
            [
                "bsn",
                "datumKennisgeving",
                "datumVestiging",
                "doelgroep",
                "geboortedatum",
                "gemeente",
                "kleur",
                "naam",
                "regime",
                "status",
                "vNummer"
            ]
        );
        let codes: Vec<&str> = answer.body["invalidParams"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["code"].as_str().unwrap())
            .collect();
        for code in [
            "elfproef",
            "type",
            "minLength",
            "future",
            "gemeenteNietToegestaan",
            "enum",
            "date",
            "readOnly",
            "unknown",
        ] {
            assert!(codes.contains(&code), "missing code {code} in {codes:?}");
        }
        let list = app.get("/api/v1/inburgeraars", &token).await;
        assert_eq!(
            list.body["resultaten"].as_array().unwrap().len(),
            0,
            "nothing may be written"
        );
    }
);

api_test!(
    requires_an_identifier_and_the_required_fields,
    |app: TestApp| async move {
        let token = token(ALL_SCOPES, &["0405"]);
        let answer = app.post("/api/v1/inburgeraars", &token, &json!({})).await;
        answer.assert_problem(400);
        let mut names = answer.invalid_names();
        names.sort();
        assert_eq!(names, ["bsn", "doelgroep", "gemeente", "naam"]);
        // A V-nummer alone is enough.
        let mut body = person(2, "0405");
        body.as_object_mut().unwrap().remove("bsn");
        let created = app.register(&token, &body).await;
        assert!(created["bsn"].is_null());
    }
);

api_test!(
    a_second_person_with_the_same_identifier_is_a_conflict,
    |app: TestApp| async move {
        let token = token(ALL_SCOPES, &["0405", "0498"]);
        app.register(&token, &person(3, "0405")).await;
        let mut same_bsn = person(4, "0498");
        same_bsn["bsn"] = person(3, "0405")["bsn"].clone();
        let answer = app.post("/api/v1/inburgeraars", &token, &same_bsn).await;
        answer.assert_problem(409);
        assert_eq!(
            answer.body["type"],
            "https://koers.dev/problemen/bsn-bestaat-al"
        );
        let mut same_v = person(5, "0405");
        same_v["vNummer"] = person(3, "0405")["vNummer"].clone();
        let answer = app.post("/api/v1/inburgeraars", &token, &same_v).await;
        answer.assert_problem(409);
        assert_eq!(
            answer.body["type"],
            "https://koers.dev/problemen/v-nummer-bestaat-al"
        );
        let list = app.get("/api/v1/inburgeraars", &token).await;
        assert_eq!(list.body["resultaten"].as_array().unwrap().len(), 1);
    }
);

api_test!(
    idempotent_retries_return_the_first_answer,
    |app: TestApp| async move {
        let token = token(ALL_SCOPES, &["0405"]);
        let post = |body: serde_json::Value, key: &'static str| {
            let request = app
                .server()
                .post("/api/v1/inburgeraars")
                .bearer_auth(&token)
                .insert_header(("content-type", "application/json"))
                .insert_header(("idempotency-key", key));
            async move { send(request, Some(&body.to_string())).await }
        };
        let first = post(person(6, "0405"), "key-6").await;
        assert_eq!(first.status, 201);
        let retry = post(person(6, "0405"), "key-6").await;
        assert_eq!(retry.status, 201);
        assert_eq!(
            retry.body, first.body,
            "the retry answers exactly as the first time"
        );
        assert_eq!(retry.header("location"), first.header("location"));
        assert_eq!(retry.header("idempotent-replayed"), Some("true"));
        assert_fixed_headers(&retry.headers);

        let other = post(person(7, "0405"), "key-6").await;
        other.assert_problem(409);
        assert_eq!(
            other.body["type"],
            "https://koers.dev/problemen/idempotency-key-hergebruikt"
        );

        let list = app.get("/api/v1/inburgeraars", &token).await;
        assert_eq!(
            list.body["resultaten"].as_array().unwrap().len(),
            1,
            "one person, not two"
        );

        // Another client may use the same key for its own request.
        let mut other_client = claims(ALL_SCOPES, &["0405"]);
        other_client.sub = "other-client".to_owned();
        let other_token = sign_hs256(&other_client, SECRET);
        let request = app
            .server()
            .post("/api/v1/inburgeraars")
            .bearer_auth(&other_token)
            .insert_header(("content-type", "application/json"))
            .insert_header(("idempotency-key", "key-6"));
        let theirs = send(request, Some(&person(8, "0405").to_string())).await;
        assert_eq!(theirs.status, 201);
        assert_ne!(theirs.body["id"], first.body["id"]);
    }
);

api_test!(
    patch_honours_if_match_and_merge_semantics,
    |app: TestApp| async move {
        let token = token(ALL_SCOPES, &["0405", "0498"]);
        let created = app.register(&token, &person(9, "0405")).await;
        let path = format!("/api/v1/inburgeraars/{}", created["id"].as_str().unwrap());

        let changed = app
            .patch(
                &path,
                &token,
                &json!({"naam": "Nieuwe Naam", "datumVestiging": null, "gemeente": "0498"}),
                Some("\"1\""),
            )
            .await;
        assert_eq!(changed.status, 200, "{}", changed.text);
        assert_eq!(changed.header("etag"), Some("\"2\""));
        assert_eq!(changed.body["naam"], "Nieuwe Naam");
        assert!(changed.body["datumVestiging"].is_null());
        assert_eq!(changed.body["gemeente"], "0498");
        assert_eq!(
            changed.body["bsn"], created["bsn"],
            "fields not sent stay as they were"
        );

        let stale = app
            .patch(&path, &token, &json!({"naam": "Te Laat"}), Some("\"1\""))
            .await;
        stale.assert_problem(412);
        let read = app.get(&path, &token).await;
        assert_eq!(
            read.body["naam"], "Nieuwe Naam",
            "a stale write changes nothing"
        );

        let invalid = app
            .patch(
                &path,
                &token,
                &json!({"naam": null, "bsn": null, "vNummer": null, "gemeente": "0363", "id": "x"}),
                None,
            )
            .await;
        invalid.assert_problem(400);
        let mut names = invalid.invalid_names();
        names.sort();
        assert_eq!(names, ["bsn", "gemeente", "id", "naam"]);

        // RFC 9110: a weak tag, a tag of another form, or no tag at all never matches: 412.
        let current = app.get(&path, &token).await;
        let tag = current.header("etag").unwrap().to_owned();
        let version = tag.trim_matches('"').to_owned();
        for other in [
            format!("W/{tag}"),
            "\"abc\"".to_owned(),
            format!("\"0{version}\""),
            "abc".to_owned(),
        ] {
            let refused = app
                .patch(&path, &token, &json!({"naam": "X"}), Some(&other))
                .await;
            refused.assert_problem(412);
        }
        // Invalid input is a 400 even with a tag that does not match.
        let both = app
            .patch(&path, &token, &json!({"vNummer": {}}), Some("\"x\""))
            .await;
        both.assert_problem(400);
        assert_eq!(both.invalid_names(), ["vNummer"]);
        // A header beyond the contract's bound is invalid input.
        let huge = format!("\"{}\"", "1".repeat(5000));
        let too_long = app
            .patch(&path, &token, &json!({"naam": "X"}), Some(&huge))
            .await;
        too_long.assert_problem(400);
        assert_eq!(too_long.invalid_names(), ["If-Match"]);
        // A list that holds the current tag matches; an empty change keeps the version.
        let unchanged = app
            .patch(&path, &token, &json!({}), Some(&format!("\"x\", {tag}")))
            .await;
        assert_eq!(unchanged.status, 200, "{}", unchanged.text);
        assert_eq!(unchanged.header("etag"), Some(tag.as_str()));
        let same_name = current.body["naam"].clone();
        let again = app
            .patch(&path, &token, &json!({"naam": same_name}), Some(&tag))
            .await;
        assert_eq!(
            again.header("etag"),
            Some(tag.as_str()),
            "the same value is no change"
        );
        let changed = app
            .patch(
                &path,
                &token,
                &json!({"naam": "Naam Na De Controle"}),
                Some(&tag),
            )
            .await;
        assert_eq!(changed.status, 200);
        assert_ne!(changed.header("etag"), Some(tag.as_str()));
    }
);

api_test!(
    pages_through_a_list_with_link_headers,
    |app: TestApp| async move {
        let token = token(ALL_SCOPES, &["0405", "0498"]);
        let mut created = Vec::new();
        for n in 0..25 {
            let gemeente = if n % 5 == 0 { "0498" } else { "0405" };
            created.push(
                app.register(&token, &person(100 + n, gemeente)).await["id"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
        }
        let mut seen = Vec::new();
        let mut next = Some("/api/v1/inburgeraars?pageSize=10".to_owned());
        let mut pages = 0;
        while let Some(url) = next {
            let page = app.get(&url, &token).await;
            assert_eq!(page.status, 200, "{}", page.text);
            pages += 1;
            for item in page.body["resultaten"].as_array().unwrap() {
                seen.push(item["id"].as_str().unwrap().to_owned());
            }
            next = page.body["volgendePagina"].as_str().map(str::to_owned);
            match (&next, page.header("link")) {
                (Some(next), Some(link)) => assert_eq!(link, format!("<{next}>; rel=\"next\"")),
                (None, None) => {}
                other => panic!("Link header and volgendePagina disagree: {other:?}"),
            }
        }
        assert_eq!(pages, 3);
        assert_eq!(seen, created, "every person once, in registration order");

        let filtered = app
            .get("/api/v1/inburgeraars?gemeente=0498&pageSize=100", &token)
            .await;
        assert_eq!(filtered.body["resultaten"].as_array().unwrap().len(), 5);
        let by_group = app
            .get(
                "/api/v1/inburgeraars?doelgroep=Gezinsvormer&status=aangemeld",
                &token,
            )
            .await;
        assert!(by_group.body["resultaten"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["doelgroep"] == "Gezinsvormer"));
        assert_eq!(by_group.body["resultaten"].as_array().unwrap().len(), 12);
    }
);

api_test!(bad_query_parameters_are_named, |app: TestApp| async move {
    let token = token(ALL_SCOPES, &["0405"]);
    let answer = app
        .get("/api/v1/inburgeraars?pageSize=0&cursor=bogus&gemeente=12&doelgroep=X&status=klaar&sort=naam", &token)
        .await;
    answer.assert_problem(400);
    let mut names = answer.invalid_names();
    names.sort();
    assert_eq!(
        names,
        [
            "cursor",
            "doelgroep",
            "gemeente",
            "pageSize",
            "sort",
            "status"
        ]
    );
    let too_big = app.get("/api/v1/inburgeraars?pageSize=101", &token).await;
    too_big.assert_problem(400);
    let twice = app
        .get("/api/v1/inburgeraars?pageSize=1&pageSize=2", &token)
        .await;
    twice.assert_problem(400);
    assert_eq!(twice.invalid_names(), ["pageSize"]);
    let bad_id = app.get("/api/v1/inburgeraars/niet-een-uuid", &token).await;
    bad_id.assert_problem(400);
    assert_eq!(bad_id.invalid_names(), ["inburgeraarId"]);
});

api_test!(
    finds_a_person_by_identifier_in_the_body,
    |app: TestApp| async move {
        let token = token(ALL_SCOPES, &["0405"]);
        let created = app.register(&token, &person(10, "0405")).await;
        let by_bsn = app
            .post(
                "/api/v1/inburgeraars/_zoek",
                &token,
                &json!({"bsn": created["bsn"]}),
            )
            .await;
        assert_eq!(by_bsn.status, 200);
        assert_eq!(by_bsn.body["resultaten"][0]["id"], created["id"]);
        let by_v = app
            .post(
                "/api/v1/inburgeraars/_zoek",
                &token,
                &json!({"vNummer": created["vNummer"]}),
            )
            .await;
        assert_eq!(by_v.body["resultaten"][0]["id"], created["id"]);
        let none = app
            .post(
                "/api/v1/inburgeraars/_zoek",
                &token,
                &json!({"bsn": "111222333"}),
            )
            .await;
        assert_eq!(none.status, 200);
        assert_eq!(none.body["resultaten"].as_array().unwrap().len(), 0);
        let both = app
            .post(
                "/api/v1/inburgeraars/_zoek",
                &token,
                &json!({"bsn": created["bsn"], "vNummer": created["vNummer"]}),
            )
            .await;
        both.assert_problem(400);
        let neither = app
            .post("/api/v1/inburgeraars/_zoek", &token, &json!({}))
            .await;
        neither.assert_problem(400);
        let wrong = app
            .post(
                "/api/v1/inburgeraars/_zoek",
                &token,
                &json!({"bsn": "123456789"}),
            )
            .await;
        wrong.assert_problem(400);
        assert_eq!(wrong.body["invalidParams"][0]["code"], "elfproef");
    }
);

api_test!(
    audit_trail_and_processing_log_record_every_processing,
    |app: TestApp| async move {
        let token = token(ALL_SCOPES, &["0405"]);
        let created = app.register(&token, &person(11, "0405")).await;
        let path = format!("/api/v1/inburgeraars/{}", created["id"].as_str().unwrap());
        app.get(&path, &token).await;
        app.patch(&path, &token, &json!({"naam": "Gewijzigd"}), None)
            .await;

        let trail = app.get(&format!("{path}/audittrail"), &token).await;
        assert_eq!(trail.status, 200, "{}", trail.text);
        let entries = trail.body["resultaten"].as_array().unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0]["actie"], "gewijzigd");
        assert_eq!(entries[0]["oudeWaarde"]["naam"], "Persoon 11");
        assert_eq!(entries[0]["nieuweWaarde"]["naam"], "Gewijzigd");
        assert_eq!(entries[0]["gebruiker"], "klantmanager-1");
        assert_eq!(entries[1]["actie"], "aangemaakt");
        assert!(entries[1]["oudeWaarde"].is_null());

        let log = app.get(&format!("{path}/verwerkingen"), &token).await;
        assert_eq!(log.status, 200, "{}", log.text);
        let activities: Vec<&str> = log.body["resultaten"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["verwerkingsactiviteitId"].as_str().unwrap())
            .collect();
        assert_eq!(
            activities,
            [
                "audittrail-raadplegen",
                "inburgeraar-wijzigen",
                "inburgeraar-raadplegen",
                "inburgeraar-registreren"
            ]
        );
        let line = &log.body["resultaten"][0];
        assert_eq!(line["traceId"].as_str().unwrap().len(), 32);
        assert_eq!(line["spanId"].as_str().unwrap().len(), 16);
        assert_eq!(line["status"], "OK");
        assert_eq!(line["client"], "test-client");
        assert_ne!(
            line["betrokkene"], created["id"],
            "the subject is pseudonymised"
        );

        // A W3C traceparent from the caller is carried into the log.
        let trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        let request = app
            .server()
            .get(&path)
            .bearer_auth(&token)
            .insert_header(("traceparent", format!("00-{trace}-00f067aa0ba902b7-01")));
        send(request, None).await;
        let log = app
            .get(&format!("{path}/verwerkingen?pageSize=2"), &token)
            .await;
        assert_eq!(
            log.body["resultaten"][0]["verwerkingsactiviteitId"],
            "inburgeraar-raadplegen"
        );
        assert_eq!(log.body["resultaten"][0]["traceId"], trace);
        assert_eq!(
            log.body["resultaten"][1]["verwerkingsactiviteitId"],
            "verwerkingen-raadplegen"
        );
        assert!(
            log.header("link").is_some(),
            "the log pages like every list"
        );

        // A list read logs a line for every person on the page.
        app.get("/api/v1/inburgeraars", &token).await;
        let log = app
            .get(&format!("{path}/verwerkingen?pageSize=1"), &token)
            .await;
        assert_eq!(
            log.body["resultaten"][0]["verwerkingsactiviteitId"],
            "inburgeraars-opvragen"
        );
    }
);

api_test!(
    a_read_of_a_person_outside_the_callers_gemeenten_logs_nothing,
    |app: TestApp| async move {
        let own = token(ALL_SCOPES, &["0405"]);
        let created = app.register(&own, &person(12, "0405")).await;
        let path = format!("/api/v1/inburgeraars/{}", created["id"].as_str().unwrap());
        let elsewhere = app.get(&path, &token(ALL_SCOPES, &["0344"])).await;
        assert_eq!(elsewhere.status, 404);
        let log = app.get(&format!("{path}/verwerkingen"), &own).await;
        let activities: Vec<&str> = log.body["resultaten"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["verwerkingsactiviteitId"].as_str().unwrap())
            .collect();
        assert_eq!(activities, ["inburgeraar-registreren"]);
        // The caller's own read is logged (read and line in one statement on PostgreSQL).
        assert_eq!(app.get(&path, &own).await.status, 200);
        let log = app
            .get(&format!("{path}/verwerkingen?pageSize=2"), &own)
            .await;
        assert_eq!(
            log.body["resultaten"][0]["verwerkingsactiviteitId"],
            "inburgeraar-raadplegen"
        );
    }
);
