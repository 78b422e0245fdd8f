//! The contract: served from the assembled app, identical to the committed file, and Swagger UI that
//! works without internet.

use crate::helpers::*;

#[actix_web::test]
async fn the_served_document_is_the_committed_one() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let served = send(app.server().get("/api/v1/openapi.json"), None).await;
    assert_eq!(served.status, 200);
    assert_fixed_headers(&served.headers);
    let mut committed: serde_json::Value =
        serde_json::from_str(include_str!("../../openapi/openapi.json")).unwrap();
    // The server is where this app is reached (KOERS_PUBLIC_URL); the committed document names a
    // placeholder of the reserved `.example` domain. Everything else is the same.
    assert_eq!(
        served.body["servers"][0]["url"],
        format!("{PUBLIC_URL}/api/v1")
    );
    assert_eq!(
        committed["servers"][0]["url"],
        "https://koers.example/api/v1"
    );
    committed["servers"] = served.body["servers"].clone();
    // Not assert_eq!: a stale document would print two whole specs.
    assert!(
        served.body == committed,
        "openapi/openapi.json is stale: run `make openapi` and commit the result"
    );
    assert_eq!(
        served.body["info"]["version"],
        koers_http::openapi::API_VERSION
    );
    let yaml = send(app.server().get("/api/v1/openapi.yaml"), None).await;
    assert_eq!(yaml.status, 200);
    assert!(yaml.text.contains("title: Koers API"));

    // Every operation declares the version header on its answers and problem+json for its errors.
    for (path, item) in served.body["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            assert!(
                responses.contains_key("400"),
                "{method} {path} lacks a 400 answer"
            );
            for (status, response) in responses {
                if status.starts_with('2') {
                    assert!(
                        response["headers"]["API-Version"].is_object(),
                        "{method} {path} {status}"
                    );
                }
            }
        }
    }
}

#[actix_web::test]
async fn swagger_ui_is_served_from_vendored_assets() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let no_redirects = awc::Client::builder().disable_redirects().finish();
    let bare = send(no_redirects.get(app.server().url("/api/v1/docs")), None).await;
    assert_eq!(bare.status, 301);
    assert_eq!(bare.header("location"), Some("/api/v1/docs/"));
    let page = send(app.server().get("/api/v1/docs/"), None).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("swagger-ui-bundle.js"));
    assert!(
        !page.text.contains("https://"),
        "the page loads nothing from the internet"
    );
    for asset in [
        "swagger-ui-bundle.js",
        "swagger-ui.css",
        "swagger-ui-standalone-preset.js",
    ] {
        let answer = send(app.server().get(format!("/api/v1/docs/{asset}")), None).await;
        assert_eq!(answer.status, 200, "{asset}");
        assert!(
            answer.text.len() > 1000,
            "{asset} is served from the binary"
        );
    }
    let init = send(
        app.server().get("/api/v1/docs/swagger-initializer.js"),
        None,
    )
    .await;
    assert!(init.text.contains("/api/v1/openapi.json"));
    assert!(
        init.text.contains("\"validatorUrl\": \"none\""),
        "no external validator: {}",
        init.text
    );
}
