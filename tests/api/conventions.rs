//! The conventions of api.md on every answer: problem+json, headers, 400 for every kind of bad input,
//! 404 for trailing slashes, 405 for unknown methods.

use crate::api_test;
use crate::helpers::*;

api_test!(
    bad_bodies_are_400_and_oversized_bodies_413,
    |app: TestApp| async move {
        let token = token(ALL_SCOPES, &["0405"]);
        let post = |content_type: &'static str, body: String| {
            let request = app
                .server()
                .post("/api/v1/inburgeraars")
                .bearer_auth(&token)
                .insert_header(("content-type", content_type));
            async move { send(request, Some(&body)).await }
        };
        let malformed = post("application/json", "{\"naam\": ".to_owned()).await;
        malformed.assert_problem(400);
        assert_eq!(malformed.body["invalidParams"][0]["name"], "body");
        assert_eq!(malformed.body["invalidParams"][0]["code"], "json");

        let wrong_type = post("text/plain", person(40, "0405").to_string()).await;
        wrong_type.assert_problem(415);
        assert_eq!(
            wrong_type.body["type"],
            "https://koers.dev/problemen/mediatype-niet-ondersteund"
        );

        let array = post("application/json", "[1, 2]".to_owned()).await;
        array.assert_problem(400);
        assert_eq!(array.body["invalidParams"][0]["code"], "type");

        let huge = post(
            "application/json",
            format!("{{\"naam\": \"{}\"}}", "x".repeat(MAX_BODY_BYTES)),
        )
        .await;
        huge.assert_problem(413);

        let no_body = send(
            app.server()
                .post("/api/v1/inburgeraars")
                .bearer_auth(&token),
            None,
        )
        .await;
        no_body.assert_problem(400);

        let bad_key = send(
            app.server()
                .post("/api/v1/inburgeraars")
                .bearer_auth(&token)
                .insert_header(("content-type", "application/json"))
                .insert_header(("idempotency-key", "")),
            Some(&person(41, "0405").to_string()),
        )
        .await;
        bad_key.assert_problem(400);
        assert_eq!(bad_key.invalid_names(), ["Idempotency-Key"]);

        let list = app.get("/api/v1/inburgeraars", &token).await;
        assert_eq!(
            list.body["resultaten"].as_array().unwrap().len(),
            0,
            "no bad request wrote anything"
        );
    }
);

api_test!(
    unknown_paths_trailing_slashes_and_methods,
    |app: TestApp| async move {
        let token = token(ALL_SCOPES, &["0405"]);
        let slash = app.get("/api/v1/inburgeraars/", &token).await;
        slash.assert_problem(404);
        assert!(slash.header("location").is_none(), "no redirect");
        app.get("/api/v1/health/", &token).await.assert_problem(404);
        app.get("/api/v1/bestaat-niet", &token)
            .await
            .assert_problem(404);
        app.get("/elders", &token).await.assert_problem(404);

        let delete = send(
            app.server()
                .delete("/api/v1/inburgeraars")
                .bearer_auth(&token),
            None,
        )
        .await;
        delete.assert_problem(405);
        assert_eq!(delete.header("allow"), Some("GET, POST"));
        let put = send(
            app.server()
                .put(format!("/api/v1/inburgeraars/{}", uuid::Uuid::now_v7()))
                .bearer_auth(&token),
            None,
        )
        .await;
        put.assert_problem(405);
        // `_zoek` is an operation, not an id: other methods there are 405, not a malformed id.
        let zoek = app.get("/api/v1/inburgeraars/_zoek", &token).await;
        zoek.assert_problem(405);
        assert_eq!(zoek.header("allow"), Some("POST"));
        assert_eq!(put.header("allow"), Some("GET, PATCH"));
        // A path longer than the contract's bound on text: `instance` is cut to that bound.
        let long = app
            .get(
                &format!("/api/v1/gemeenten/{}/instellingen", "0".repeat(5000)),
                &crate::helpers::token("beheer", &["0405"]),
            )
            .await;
        long.assert_problem(400);
        assert_eq!(long.invalid_names(), ["gemeentecode"]);
        assert_eq!(long.body["instance"].as_str().unwrap().len(), 4000);
        // Cut where a percent-escape would be split, the escape goes as a whole.
        let escaped = app
            .get(
                &format!("/api/v1/gemeenten/{}/instellingen", "%C2%AD".repeat(700)),
                &crate::helpers::token("beheer", &["0405"]),
            )
            .await;
        escaped.assert_problem(400);
        let instance = escaped.body["instance"].as_str().unwrap();
        assert!(
            instance.len() <= 4000 && instance.len() > 3990,
            "{}",
            instance.len()
        );
        assert!(
            instance.ends_with("%C2%AD") || instance.ends_with("%C2"),
            "{instance}"
        );
    }
);

api_test!(
    liveness_and_readiness_answer_without_a_token,
    |app: TestApp| async move {
        let answer = send(app.server().get("/api/v1/health"), None).await;
        assert_eq!(answer.status, 200);
        assert_fixed_headers(&answer.headers);
        assert_eq!(answer.body, serde_json::json!({"status": "UP"}));
        let ready = send(app.server().get("/api/v1/health/gereed"), None).await;
        assert_eq!(ready.status, 200, "{}", ready.text);
        assert_fixed_headers(&ready.headers);
        assert_eq!(ready.body["status"], "UP");
        let expected = match app.backend() {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgresql",
        };
        assert_eq!(ready.body["database"]["backend"], expected);
        let migrations = std::fs::read_dir("migrations/sqlite")
            .unwrap()
            .filter(|entry| entry.as_ref().unwrap().path().is_dir())
            .count();
        assert_eq!(ready.body["database"]["migratiesToegepast"], migrations);
    }
);
