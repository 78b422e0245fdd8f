//! The 401 / 403 / 404 matrix: tokens, scopes, and gemeenten as the boundary of visibility.

use crate::api_test;
use crate::helpers::*;
use jsonwebtoken::Algorithm;
use serde_json::json;

api_test!(
    refuses_missing_and_invalid_tokens_with_401,
    |app: TestApp| async move {
        let path = "/api/v1/inburgeraars";
        let none = send(app.server().get(path), None).await;
        none.assert_problem(401);
        assert!(none
            .header("www-authenticate")
            .is_some_and(|v| v.starts_with("Bearer")));

        let mut expired = claims(ALL_SCOPES, &["0405"]);
        expired.exp = 1_000_000;
        expired.iat = 999_000;
        let mut wrong_aud = claims(ALL_SCOPES, &["0405"]);
        wrong_aud.aud = "someone-else".to_owned();
        let mut wrong_iss = claims(ALL_SCOPES, &["0405"]);
        wrong_iss.iss = "evil".to_owned();
        let mut bad_gemeente = claims(ALL_SCOPES, &["Hoorn"]);
        bad_gemeente.sub = "x".to_owned();
        let unsigned = {
            use base64::Engine;
            let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
            let header = engine.encode(br#"{"alg":"none","typ":"JWT"}"#);
            let payload =
                engine.encode(serde_json::to_vec(&claims(ALL_SCOPES, &["0405"])).unwrap());
            format!("{header}.{payload}.")
        };
        let tokens = [
            ("garbage", "not-a-jwt".to_owned()),
            (
                "wrong secret",
                sign_hs256(
                    &claims(ALL_SCOPES, &["0405"]),
                    b"another-secret-another-secret-00000",
                ),
            ),
            ("expired", sign_hs256(&expired, SECRET)),
            ("wrong aud", sign_hs256(&wrong_aud, SECRET)),
            ("wrong iss", sign_hs256(&wrong_iss, SECRET)),
            ("alg none", unsigned),
            ("bad gemeente claim", sign_hs256(&bad_gemeente, SECRET)),
        ];
        for (what, token) in tokens {
            let answer = app.get(path, &token).await;
            assert_eq!(answer.status, 401, "{what}: {}", answer.text);
            answer.assert_problem(401);
        }
        let basic = send(
            app.server()
                .get(path)
                .insert_header(("authorization", "Basic dXNlcjpwdw==")),
            None,
        )
        .await;
        basic.assert_problem(401);

        // A valid token in the query string is refused, even with a valid header beside it.
        let good = token(ALL_SCOPES, &["0405"]);
        let in_query = app.get(&format!("{path}?access_token={good}"), &good).await;
        in_query.assert_problem(401);
    }
);

api_test!(
    accepts_rs256_and_es256_tokens_from_the_jwks,
    |app: TestApp| async move {
        let rsa = sign_with_pem(
            &claims(ALL_SCOPES, &["0405"]),
            Algorithm::RS256,
            "test-rsa",
            include_bytes!("../fixtures/rsa-private.pem"),
        );
        let ec = sign_with_pem(
            &claims(ALL_SCOPES, &["0405"]),
            Algorithm::ES256,
            "test-ec",
            include_bytes!("../fixtures/ec-private.pem"),
        );
        assert_eq!(app.get("/api/v1/inburgeraars", &rsa).await.status, 200);
        assert_eq!(app.get("/api/v1/inburgeraars", &ec).await.status, 200);
        // The RSA key under the EC key's id does not verify.
        let mixed = sign_with_pem(
            &claims(ALL_SCOPES, &["0405"]),
            Algorithm::RS256,
            "test-ec",
            include_bytes!("../fixtures/rsa-private.pem"),
        );
        app.get("/api/v1/inburgeraars", &mixed)
            .await
            .assert_problem(401);
    }
);

api_test!(missing_scopes_are_403, |app: TestApp| async move {
    let reader = token("inburgeraars:lezen", &["0405"]);
    let writer = token(ALL_SCOPES, &["0405"]);
    let created = app.register(&writer, &person(20, "0405")).await;
    let path = format!("/api/v1/inburgeraars/{}", created["id"].as_str().unwrap());

    let answer = app
        .post("/api/v1/inburgeraars", &reader, &person(21, "0405"))
        .await;
    answer.assert_problem(403);
    assert!(answer.body["detail"]
        .as_str()
        .unwrap()
        .contains("inburgeraars:schrijven"));
    app.patch(&path, &reader, &json!({"naam": "X"}), None)
        .await
        .assert_problem(403);
    app.get(&format!("{path}/audittrail"), &reader)
        .await
        .assert_problem(403);
    app.get(&format!("{path}/verwerkingen"), &reader)
        .await
        .assert_problem(403);
    let nothing = token("", &["0405"]);
    app.get(&path, &nothing).await.assert_problem(403);
    app.get("/api/v1/inburgeraars", &nothing)
        .await
        .assert_problem(403);
    assert_eq!(app.get(&path, &reader).await.status, 200);
});

api_test!(another_gemeente_sees_nothing, |app: TestApp| async move {
    let hoorn = token(ALL_SCOPES, &["0405"]);
    let tilburg = token(ALL_SCOPES, &["0855"]);
    let regio = token(ALL_SCOPES, &["0405", "0855"]);
    let in_hoorn = app.register(&hoorn, &person(30, "0405")).await;
    let in_tilburg = app.register(&tilburg, &person(31, "0855")).await;
    let hoorn_path = format!("/api/v1/inburgeraars/{}", in_hoorn["id"].as_str().unwrap());

    // Exactly as if the person did not exist.
    let missing = format!("/api/v1/inburgeraars/{}", uuid::Uuid::now_v7());
    let not_found = app.get(&missing, &tilburg).await;
    not_found.assert_problem(404);
    let hidden = app.get(&hoorn_path, &tilburg).await;
    hidden.assert_problem(404);
    assert_eq!(hidden.body["detail"], not_found.body["detail"]);
    app.patch(&hoorn_path, &tilburg, &json!({"naam": "X"}), None)
        .await
        .assert_problem(404);
    app.get(&format!("{hoorn_path}/audittrail"), &tilburg)
        .await
        .assert_problem(404);
    app.get(&format!("{hoorn_path}/verwerkingen"), &tilburg)
        .await
        .assert_problem(404);
    let search = app
        .post(
            "/api/v1/inburgeraars/_zoek",
            &tilburg,
            &json!({"bsn": in_hoorn["bsn"]}),
        )
        .await;
    assert_eq!(search.body["resultaten"].as_array().unwrap().len(), 0);

    // A gemeente cannot register people elsewhere.
    let elsewhere = app
        .post("/api/v1/inburgeraars", &tilburg, &person(32, "0405"))
        .await;
    elsewhere.assert_problem(400);
    assert_eq!(
        elsewhere.body["invalidParams"][0]["code"],
        "gemeenteNietToegestaan"
    );

    let ids = |answer: &Answer| -> Vec<String> {
        answer.body["resultaten"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        ids(&app.get("/api/v1/inburgeraars", &tilburg).await),
        [in_tilburg["id"].as_str().unwrap()]
    );
    assert_eq!(ids(&app.get("/api/v1/inburgeraars", &regio).await).len(), 2);
    let filtered = app
        .get("/api/v1/inburgeraars?gemeente=0405", &tilburg)
        .await;
    assert_eq!(filtered.body["resultaten"].as_array().unwrap().len(), 0);

    // A partner token for an organisatie that is not registered is refused, like a bad gemeente code.
    let mut partner = claims(ALL_SCOPES, &[]);
    partner.organisatie = Some("taalaanbieder-1".to_owned());
    let partner = sign_hs256(&partner, SECRET);
    app.get(&hoorn_path, &partner).await.assert_problem(401);
});
