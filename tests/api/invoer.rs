//! Input a backend cannot store, and tokens that name what does not exist: a NUL anywhere in a body or
//! a query is a 400 naming the field on both backends (PostgreSQL's text refuses it, SQLite would keep
//! it), and nothing is stored; a token with control characters in its claims, or for an organisatie
//! that does not exist or is inactive, is a 401 like an invalid gemeente code.

use crate::api_test;
use crate::helpers::*;
use crate::idempotentie::{gemeente_token, organisatie, partner_token};
use serde_json::{json, Value};

async fn post_raw(app: &TestApp, path: &str, token: &str, body: &str) -> Answer {
    send_raw(app, app.server().post(path), token, body).await
}

async fn send_raw(app: &TestApp, request: awc::ClientRequest, token: &str, body: &str) -> Answer {
    let request = request
        .bearer_auth(token)
        .insert_header(("content-type", "application/json"));
    app.send(request, Some(body)).await
}

fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names
}

api_test!(
    a_nul_anywhere_in_a_body_is_invalid_input,
    |app: TestApp| async move {
        let hoorn = gemeente_token(&["0405"]);
        let mut with_nul = person(1, "0405");
        with_nul["naam"] = json!("Jan\u{0}Jansen");
        let refused = app.post("/api/v1/inburgeraars", &hoorn, &with_nul).await;
        refused.assert_problem(400);
        assert_eq!(refused.invalid_names(), ["naam"]);
        assert_eq!(refused.body["invalidParams"][0]["code"], "tekens");
        // Two fields: both named at once.
        with_nul["vNummer"] = json!("\u{0}");
        let both = app.post("/api/v1/inburgeraars", &hoorn, &with_nul).await;
        assert_eq!(sorted(both.invalid_names()), ["naam", "vNummer"]);
        let listed = app.get("/api/v1/inburgeraars", &hoorn).await;
        assert_eq!(listed.body["resultaten"], json!([]), "nothing was stored");

        let organisatie_nul = app
            .post(
                "/api/v1/organisaties",
                &hoorn,
                &json!({"naam": "Taal\u{0}school", "soort": "TAALAANBIEDER", "keurmerkNummer": "BOW-1", "keurmerkGeldigTot": "2028-01-01"}),
            )
            .await;
        organisatie_nul.assert_problem(400);
        assert_eq!(organisatie_nul.invalid_names(), ["naam"]);
        assert_eq!(
            organisatie_nul.body["invalidParams"][0]["reason"],
            "Bevat een teken dat niet kan worden opgeslagen (U+0000)."
        );
        let organisaties = app.get("/api/v1/organisaties", &hoorn).await;
        assert_eq!(
            organisaties.body["resultaten"],
            json!([]),
            "nothing was stored"
        );

        // Nested in an array of objects, and as an object key.
        let id = app.register(&hoorn, &person(2, "0405")).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let ontzorging = json!({
            "status": "ACTIEF", "uitkeringParticipatiewet": true, "verblijfsvergunningAsiel": true,
            "datumStart": "2026-10-01",
            "posten": [
                {"soort": "HUUR", "begunstigde": "Woning\u{0}stichting", "bedragPerMaandCent": 65000}
            ]
        });
        let nested = app
            .put(
                &format!("/api/v1/inburgeraars/{id}/ontzorging"),
                &hoorn,
                &ontzorging,
            )
            .await;
        nested.assert_problem(400);
        assert_eq!(nested.invalid_names(), ["posten[0].begunstigde"]);
        let key = post_raw(
            &app,
            "/api/v1/inburgeraars/_zoek",
            &hoorn,
            r#"{"bsn\u0000": "123456782"}"#,
        )
        .await;
        key.assert_problem(400);
        assert_eq!(key.invalid_names(), ["bsn\\u0000"]);
        // A key nested in an array item, shown escaped; the rest of the body is still looked at.
        let nested_key = send_raw(
            &app,
            app.server()
                .put(format!("/api/v1/inburgeraars/{id}/ontzorging")),
            &hoorn,
            r#"{"status": "A\u0000", "posten": [{}, {"soort\u0000": {"x": "\u0000"}}]}"#,
        )
        .await;
        nested_key.assert_problem(400);
        assert_eq!(
            sorted(nested_key.invalid_names()),
            ["posten[1].soort\\u0000", "status"]
        );
        // A key that merely spells the escape is not refused here (it is an unknown field).
        let spelled = post_raw(
            &app,
            "/api/v1/inburgeraars/_zoek",
            &hoorn,
            r#"{"bsn\\u0000": "123456782"}"#,
        )
        .await;
        spelled.assert_problem(400);
        assert_eq!(spelled.body["invalidParams"][0]["code"], "unknown");
        // A body that is not an object is wrong as a whole, NUL or not.
        let whole = post_raw(&app, "/api/v1/inburgeraars/_zoek", &hoorn, r#""\u0000""#).await;
        whole.assert_problem(400);
        assert_eq!(whole.invalid_names(), ["body"]);

        // An array of strings: the item is named by its index; nothing is stored.
        let gesprekken = format!("/api/v1/inburgeraars/{id}/voortgangsgesprekken");
        let gesprek = app
            .post(
                &gesprekken,
                &hoorn,
                &json!({
                    "datum": "2026-11-10",
                    "deelnemers": ["KLANTMANAGER", "TAAL\u{0}AANBIEDER"],
                    "uitkomst": "Loopt\u{0} op schema."
                }),
            )
            .await;
        gesprek.assert_problem(400);
        assert_eq!(
            sorted(gesprek.invalid_names()),
            ["deelnemers[1]", "uitkomst"]
        );
        assert_eq!(
            app.get(&gesprekken, &hoorn).await.body["resultaten"],
            json!([]),
            "nothing was stored"
        );

        let ontzorging_now = app
            .get(&format!("/api/v1/inburgeraars/{id}/ontzorging"), &hoorn)
            .await;
        assert_ne!(
            ontzorging_now.body["status"], "ACTIEF",
            "the refused change was not stored"
        );
    }
);

api_test!(
    a_nul_in_a_query_is_invalid_input,
    |app: TestApp| async move {
        let hoorn = gemeente_token(&["0405"]);
        let refused = app
            .get("/api/v1/inburgeraars?gemeente=04%0005", &hoorn)
            .await;
        refused.assert_problem(400);
        assert_eq!(refused.invalid_names(), ["gemeente"]);
        assert_eq!(refused.body["invalidParams"][0]["code"], "tekens");
        let path = app
            .get("/api/v1/gemeenten/04%0005/instellingen", &hoorn)
            .await;
        assert!(
            [400, 404].contains(&path.status),
            "a NUL in a path never reaches storage: {}",
            path.text
        );
    }
);

api_test!(
    tokens_that_name_what_does_not_exist_are_refused,
    |app: TestApp| async move {
        let hoorn = gemeente_token(&["0405"]);
        let unknown = partner_token(&uuid::Uuid::new_v4().to_string());
        let answer = app.get("/api/v1/inburgeraars", &unknown).await;
        answer.assert_problem(401);
        assert!(answer.header("www-authenticate").is_some());
        let not_a_uuid = partner_token("taalschool-west");
        app.get("/api/v1/inburgeraars", &not_a_uuid)
            .await
            .assert_problem(401);

        // An existing organisatie's token works while it is active, and not while it is not.
        let id = organisatie(&app, &hoorn).await;
        let partner = partner_token(&id);
        assert_eq!(app.get("/api/v1/inburgeraars", &partner).await.status, 200);
        let url = format!("/api/v1/organisaties/{id}");
        let current = app.get(&url, &hoorn).await;
        let etag = current.header("etag").map(str::to_owned);
        let off = app
            .patch(&url, &hoorn, &json!({"actief": false}), etag.as_deref())
            .await;
        assert_eq!(off.status, 200, "{}", off.text);
        app.get("/api/v1/inburgeraars", &partner)
            .await
            .assert_problem(401);
        let current = app.get(&url, &hoorn).await;
        let etag = current.header("etag").map(str::to_owned);
        let on = app
            .patch(&url, &hoorn, &json!({"actief": true}), etag.as_deref())
            .await;
        assert_eq!(on.status, 200, "{}", on.text);
        assert_eq!(app.get("/api/v1/inburgeraars", &partner).await.status, 200);

        // Control characters in a claim that is stored with every processing.
        for claim in ["gebruiker", "sub"] {
            let mut claims = claims(crate::idempotentie::SCOPES, &["0405"]);
            let value = Value::String("klant\u{0}manager".to_owned());
            match claim {
                "gebruiker" => claims.gebruiker = value.as_str().map(str::to_owned),
                _ => claims.sub = value.as_str().unwrap().to_owned(),
            }
            app.get("/api/v1/inburgeraars", &sign_hs256(&claims, SECRET))
                .await
                .assert_problem(401);
        }
        // Any other control character too, also in the organisatie of an existing one.
        let mut claims = claims(crate::idempotentie::SCOPES, &["0405"]);
        claims.gebruiker = Some("klant\u{1b}[2Jmanager".to_owned());
        let refused = app
            .get("/api/v1/inburgeraars", &sign_hs256(&claims, SECRET))
            .await;
        refused.assert_problem(401);
        assert!(refused.header("www-authenticate").is_some());
        app.get("/api/v1/inburgeraars", &partner_token(&format!("{id}\n")))
            .await
            .assert_problem(401);
    }
);
