//! Abonnementen on events: made, read, paused, resumed and ended by the client that made them, and by
//! no one else; their input judged whole; the secret shown once, in Standard Webhooks' form.

use crate::api_test;
use crate::helpers::*;
use serde_json::{json, Value};

const SCOPES: &str = "abonnementen:beheren pip:lezen";

fn client_token(sub: &str) -> String {
    let mut claims = claims(SCOPES, &["0405", "0828"]);
    claims.sub = sub.to_owned();
    sign_hs256(&claims, SECRET)
}

api_test!(
    an_abonnement_is_its_clients_own_from_creation_to_its_end,
    |app: TestApp| async move {
        let token = client_token("zaaksysteem-hoorn");
        let other = client_token("ander-systeem");
        let made = app
            .post(
                "/api/v1/abonnementen",
                &token,
                &json!({"callbackUrl": "http://localhost:9/koers", "soorten": ["pip.vastgesteld", "examenresultaat.aangeleverd"], "gemeenten": ["0405"]}),
            )
            .await;
        assert_eq!(made.status, 201, "{}", made.text);
        let id = made.body["id"].as_str().unwrap().to_owned();
        let url = format!("/api/v1/abonnementen/{id}");
        assert_eq!(made.header("location"), Some(url.as_str()));
        assert_eq!(made.body["status"], "actief");
        assert_eq!(made.body["gemeenten"], json!(["0405"]));
        assert_eq!(
            made.body["soorten"],
            json!(["pip.vastgesteld", "examenresultaat.aangeleverd"])
        );
        // The secret: whsec_ and base64 of 32 bytes, shown once.
        let geheim = made.body["geheim"].as_str().unwrap();
        let raw = geheim.strip_prefix("whsec_").unwrap();
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(raw)
            .unwrap();
        assert_eq!(bytes.len(), 32);
        let read = app.get(&url, &token).await;
        assert_eq!(read.status, 200);
        assert!(read.body.get("geheim").is_none(), "{}", read.text);
        assert_eq!(read.body["id"], made.body["id"]);
        // A second one has another secret.
        let second = app
            .post(
                "/api/v1/abonnementen",
                &token,
                &json!({"callbackUrl": "http://127.0.0.1:9/x"}),
            )
            .await;
        assert_eq!(second.status, 201, "{}", second.text);
        assert_ne!(second.body["geheim"], made.body["geheim"]);
        assert_eq!(second.body["soorten"], json!([]));

        // Another client sees none of them, by id or in its list, and cannot change or end them.
        app.get(&url, &other).await.assert_problem(404);
        let theirs = app.get("/api/v1/abonnementen", &other).await;
        assert_eq!(theirs.body["resultaten"], json!([]));
        app.patch(&url, &other, &json!({"status": "opgeschort"}), None)
            .await
            .assert_problem(404);
        let ended = app.server().delete(&url).bearer_auth(&other);
        send(ended, None).await.assert_problem(404);
        let mine = items_of(&walk_pages(&app, "/api/v1/abonnementen?pageSize=1", &token).await);
        let ids: Vec<&Value> = mine.iter().map(|a| &a["id"]).collect();
        assert_eq!(ids, [&made.body["id"], &second.body["id"]]);

        // Paused and resumed.
        let paused = app
            .patch(&url, &token, &json!({"status": "opgeschort"}), None)
            .await;
        assert_eq!(paused.status, 200, "{}", paused.text);
        assert_eq!(paused.body["status"], "opgeschort");
        let resumed = app
            .patch(&url, &token, &json!({"status": "actief"}), None)
            .await;
        assert_eq!(resumed.body["status"], "actief");
        assert_eq!(resumed.body["pogingen"], 0);

        // Ended.
        let ended = app.server().delete(&url).bearer_auth(&token);
        assert_eq!(send(ended, None).await.status, 204);
        app.get(&url, &token).await.assert_problem(404);

        // Without the scope: 403.
        app.get(
            "/api/v1/abonnementen",
            &crate::helpers::token("pip:lezen", &["0405"]),
        )
        .await
        .assert_problem(403);
    }
);

api_test!(
    an_abonnement_is_refused_naming_every_invalid_field,
    |app: TestApp| async move {
        let token = client_token("zaaksysteem-hoorn");
        let refused = app
            .post(
                "/api/v1/abonnementen",
                &token,
                &json!({"callbackUrl": "http://example.nl/koers", "soorten": ["pip.vastgesteld", "bestaat.niet"], "gemeenten": ["0363"]}),
            )
            .await;
        refused.assert_problem(400);
        let mut names = refused.invalid_names();
        names.sort();
        assert_eq!(names, ["callbackUrl", "gemeenten[0]", "soorten[1]"]);
        let missing = app.post("/api/v1/abonnementen", &token, &json!({})).await;
        missing.assert_problem(400);
        assert_eq!(missing.invalid_names(), ["callbackUrl"]);
        // Nothing was stored.
        let list = app.get("/api/v1/abonnementen", &token).await;
        assert_eq!(list.body["resultaten"], json!([]));
    }
);

api_test!(
    a_retried_creation_under_its_key_makes_one_abonnement_with_one_secret,
    |app: TestApp| async move {
        let token = client_token("zaaksysteem-hoorn");
        let post = || {
            app.server()
                .post("/api/v1/abonnementen")
                .bearer_auth(&token)
                .insert_header(("content-type", "application/json"))
                .insert_header(("idempotency-key", "abonnement-1"))
        };
        let body = json!({"callbackUrl": "http://localhost:9/koers"}).to_string();
        let first = send(post(), Some(&body)).await;
        assert_eq!(first.status, 201, "{}", first.text);
        let again = send(post(), Some(&body)).await;
        assert_eq!(again.status, 201);
        assert_eq!(again.body, first.body);
        let list = app.get("/api/v1/abonnementen", &token).await;
        assert_eq!(list.body["resultaten"].as_array().unwrap().len(), 1);
        // Once it is ended, the same request makes a new one: a replay never names one that is gone.
        let id = first.body["id"].as_str().unwrap();
        let ended = app
            .server()
            .delete(format!("/api/v1/abonnementen/{id}"))
            .bearer_auth(&token);
        assert_eq!(send(ended, None).await.status, 204);
        let anew = send(post(), Some(&body)).await;
        assert_eq!(anew.status, 201, "{}", anew.text);
        assert_ne!(anew.body["id"], first.body["id"]);
        assert_eq!(
            app.get(
                &format!("/api/v1/abonnementen/{}", anew.body["id"].as_str().unwrap()),
                &token
            )
            .await
            .status,
            200
        );
    }
);
