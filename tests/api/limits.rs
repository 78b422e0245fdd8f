//! The limits of the HTTP layer answer as the app does: a request target over 65,534 bytes (the most
//! actix-http can represent) is 414, a head over 96 KiB or with more than 96 fields 431, a head that
//! actix-http would refuse 400, and a first head that does not arrive in time 408; each as
//! problem+json with the security headers, also on a kept-alive connection. What stays within the
//! limits reaches the app unchanged. Against the test app, which is served by the real server, on
//! both backends.

use crate::api_test;
use crate::helpers::*;
use awc::http::header::{HeaderMap, HeaderName, HeaderValue};
use std::io::{Read, Write};
use std::time::Duration;

const TOKEN_SCOPES: &str = "inburgeraars:lezen";

/// Sends raw bytes to the server and reads until it closes (or 10 seconds pass): the answers in
/// order. The server may answer and close before it has read everything: that is fine.
async fn exchange(app: &TestApp, request: Vec<u8>) -> Vec<Answer> {
    let addr = app.server().addr();
    let bytes = actix_web::rt::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let _ = stream.write_all(&request);
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        answer
    })
    .await
    .unwrap();
    answers(&bytes)
}

/// The answers on a connection (every one with a Content-Length, as the app's and the guard's are);
/// interim (1xx) answers are left out.
fn answers(mut bytes: &[u8]) -> Vec<Answer> {
    let mut found = Vec::new();
    while !bytes.is_empty() {
        let end = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no end of head in {:?}", String::from_utf8_lossy(bytes)));
        let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
        let mut lines = head.split("\r\n");
        let status: u16 = lines.next().unwrap()[9..12].parse().unwrap();
        let mut headers = HeaderMap::new();
        for line in lines {
            let (name, value) = line.split_once(':').unwrap();
            headers.append(
                HeaderName::from_bytes(name.trim().as_bytes()).unwrap(),
                HeaderValue::from_str(value.trim()).unwrap(),
            );
        }
        let length: usize = headers
            .get("content-length")
            .map_or(0, |v| v.to_str().unwrap().parse().unwrap());
        let body = &bytes[end + 4..end + 4 + length];
        bytes = &bytes[end + 4 + length..];
        if status < 200 {
            continue;
        }
        let text = String::from_utf8_lossy(body).into_owned();
        found.push(Answer {
            status,
            headers,
            body: serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
            text,
        });
    }
    found
}

/// The only answer to `request`: a problem with this status and type, and the headers.
async fn refused(app: &TestApp, request: Vec<u8>, status: u16, slug: &str) -> Answer {
    let answers = exchange(app, request).await;
    assert_eq!(answers.len(), 1, "one answer");
    let answer = answers.into_iter().next().unwrap();
    answer.assert_problem(status);
    assert_eq!(
        answer.body["type"],
        format!("https://koers.dev/problemen/{slug}")
    );
    assert_eq!(answer.header("connection"), Some("close"));
    answer
}

api_test!(a_long_path_is_414, |app| async move {
    let path = format!("/api/v1/{}", "a".repeat(100_000));
    let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n");
    let answer = refused(&app, request.into_bytes(), 414, "uri-te-lang").await;
    // The instance is the path, cut where the app cuts it.
    assert!(path.starts_with(answer.body["instance"].as_str().unwrap()));
    assert_eq!(
        answer.body["instance"].as_str().unwrap().len(),
        koers_http::openapi::MAX_TEXT
    );
});

api_test!(a_long_query_is_414, |app| async move {
    let request = format!(
        "GET /api/v1/inburgeraars?gemeente={} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\r\n",
        "0".repeat(100_000),
        token(TOKEN_SCOPES, &["0405"])
    );
    let answer = refused(&app, request.into_bytes(), 414, "uri-te-lang").await;
    assert_eq!(answer.body["instance"], "/api/v1/inburgeraars");
});

api_test!(
    the_bound_is_where_actix_http_can_no_longer_take_a_target,
    |app| async move {
        // 65,534 bytes: the app answers (a 404 problem for a path it does not know).
        let at_bound = format!("/api/v1/{}", "a".repeat(65_534 - 8));
        let request = format!("GET {at_bound} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        let answers = exchange(&app, request.into_bytes()).await;
        assert_eq!(answers.len(), 1);
        answers[0].assert_problem(404);
        // One byte more, whatever the method: 414 (actix-http itself would answer a bare 400).
        for method in ["GET", "DELETE", "OPTIONS"] {
            let over = format!("/api/v1/{}", "a".repeat(65_535 - 8));
            let request = format!("{method} {over} HTTP/1.1\r\nHost: x\r\n\r\n");
            refused(&app, request.into_bytes(), 414, "uri-te-lang").await;
        }
    }
);

api_test!(a_huge_header_is_431, |app| async move {
    // Through an ordinary client, which sends the whole head before it reads the answer.
    let answer = app
        .send(
            app.server()
                .get("/api/v1/health")
                .insert_header(("x-groot", "b".repeat(100_000))),
            None,
        )
        .await;
    answer.assert_problem(431);
    assert_eq!(
        answer.body["type"],
        "https://koers.dev/problemen/headers-te-groot"
    );
    // And as raw bytes, with a path and a token.
    let request = format!(
        "GET /api/v1/inburgeraars HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nX-Groot: {}\r\n\r\n",
        token(TOKEN_SCOPES, &["0405"]),
        "b".repeat(100_000)
    );
    let answer = refused(&app, request.into_bytes(), 431, "headers-te-groot").await;
    assert_eq!(answer.body["instance"], "/api/v1/inburgeraars");
});

api_test!(many_headers_are_431, |app| async move {
    let mut request = app.server().get("/api/v1/health");
    for i in 0..200 {
        request = request.insert_header((format!("x-veld-{i}"), "v"));
    }
    let answer = app.send(request, None).await;
    answer.assert_problem(431);
    assert_eq!(
        answer.body["type"],
        "https://koers.dev/problemen/headers-te-groot"
    );
    // Many small headers that are together too large, as raw bytes.
    let many: String = (0..90)
        .map(|i| format!("X-{i}: {}\r\n", "c".repeat(1_200)))
        .collect();
    let request = format!("GET /api/v1/health HTTP/1.1\r\nHost: x\r\n{many}\r\n");
    refused(&app, request.into_bytes(), 431, "headers-te-groot").await;
});

api_test!(
    what_stays_within_the_limits_reaches_the_app,
    |app| async move {
        let token = token(TOKEN_SCOPES, &["0405"]);
        // A long query the app reads: its own answer (a 400 naming the parameter), not the guard's.
        let answer = app
            .get(
                &format!("/api/v1/inburgeraars?gemeente={}", "0".repeat(60_000)),
                &token,
            )
            .await;
        answer.assert_problem(400);
        assert_eq!(answer.invalid_names(), vec!["gemeente"]);
        // A large header and 90 fields.
        let mut request = app
            .server()
            .get("/api/v1/inburgeraars")
            .bearer_auth(&token)
            .insert_header(("x-groot", "b".repeat(60_000)));
        for i in 0..88 {
            request = request.insert_header((format!("x-veld-{i}"), "v"));
        }
        let answer = app.send(request, None).await;
        assert_eq!(answer.status, 200, "{}", answer.text);
        assert_fixed_headers(&answer.headers);
        // Ordinary requests, a body and a chunked body on one kept-alive connection.
        let body = r#"{"bsn": "123456782"}"#;
        let stream = format!(
        "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n\
         POST /api/v1/inburgeraars/_zoek HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}\
         POST /api/v1/inburgeraars/_zoek HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{body}\r\n0\r\n\r\n\
         GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        body.len(),
        body.len()
    );
        let answers = exchange(&app, stream.into_bytes()).await;
        let statuses: Vec<u16> = answers.iter().map(|a| a.status).collect();
        assert_eq!(statuses, vec![200, 200, 200, 200]);
        // The chunked body reached the app as the sized one did.
        assert_eq!(answers[1].body, answers[2].body);
        for answer in &answers {
            assert_fixed_headers(&answer.headers);
        }
    }
);

api_test!(a_refusal_follows_the_answers_before_it, |app| async move {
    let stream = format!(
        "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\nGET /api/v1/{} HTTP/1.1\r\nHost: x\r\n\r\n",
        "a".repeat(100_000)
    );
    let answers = exchange(&app, stream.into_bytes()).await;
    let statuses: Vec<u16> = answers.iter().map(|a| a.status).collect();
    assert_eq!(statuses, vec![200, 414]);
    answers[1].assert_problem(414);
});

api_test!(
    what_actix_http_would_refuse_is_a_problem_too,
    |app| async move {
        let cases: Vec<(&str, String)> = vec![
            ("no Host", "GET /api/v1/health HTTP/1.1\r\n\r\n".into()),
            (
                "two Hosts",
                "GET /api/v1/health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n".into(),
            ),
            (
                "a character the URI parser refuses",
                "GET /api/v1/a<b> HTTP/1.1\r\nHost: x\r\n\r\n".into(),
            ),
            ("not HTTP", "HELLO THERE\r\n\r\n".into()),
            ("HTTP/2 prior knowledge", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".into()),
            (
                "a field without a colon",
                "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n".into(),
            ),
            (
                "a NUL in a field",
                "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n".into(),
            ),
            (
                "a signed length",
                "POST /api/v1/inburgeraars/_zoek HTTP/1.1\r\nHost: x\r\nContent-Length: +2\r\n\r\n{}"
                    .into(),
            ),
            (
                "two lengths",
                "POST /api/v1/inburgeraars/_zoek HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}"
                    .into(),
            ),
            (
                "chunked and a length",
                "POST /api/v1/inburgeraars/_zoek HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n{}"
                    .into(),
            ),
            (
                "an encoding that is not chunked",
                "POST /api/v1/inburgeraars/_zoek HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"
                    .into(),
            ),
            (
                "an HTTP/1.0 POST without a length",
                "POST /api/v1/inburgeraars/_zoek HTTP/1.0\r\n\r\n".into(),
            ),
        ];
        for (case, request) in cases {
            let answers = exchange(&app, request.into_bytes()).await;
            assert_eq!(answers.len(), 1, "{case}: one answer");
            let answer = &answers[0];
            assert_eq!(answer.status, 400, "{case}: {}", answer.text);
            answer.assert_problem(400);
            assert_eq!(
                answer.body["type"], "https://koers.dev/problemen/ongeldig-verzoek",
                "{case}"
            );
        }
        // A chunked body that breaks off: the app answers the request, then the guard the rest;
        // every answer carries the headers.
        let request = "POST /api/v1/inburgeraars/_zoek HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n";
        let answers = exchange(&app, request.as_bytes().to_vec()).await;
        assert!(!answers.is_empty());
        for answer in &answers {
            assert_fixed_headers(&answer.headers);
            assert_eq!(
                answer.header("content-type"),
                Some("application/problem+json"),
                "{}",
                answer.text
            );
        }
        assert_eq!(answers.last().unwrap().status, 400);
    }
);

/// A first head that does not arrive within the request timeout is 408 (here 1 second): the guard
/// keeps the timeout, so actix-http's bare 408 cannot be reached.
async fn a_slow_head_is_408(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        koers_http::ServerSettings {
            request_timeout: Duration::from_secs(1),
            ..test_server_settings()
        },
    )
    .await;
    for start in ["", "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n"] {
        let answers = exchange(&app, start.as_bytes().to_vec()).await;
        assert_eq!(answers.len(), 1, "{start:?}");
        answers[0].assert_problem(408);
        assert_eq!(
            answers[0].body["type"],
            "https://koers.dev/problemen/verzoek-te-traag"
        );
    }
    // In time, the request is answered.
    let answer = app.send(app.server().get("/api/v1/health"), None).await;
    assert_eq!(answer.status, 200);
}

#[actix_web::test]
async fn a_slow_head_is_408_on_sqlite() {
    a_slow_head_is_408(Backend::Sqlite).await;
}

#[actix_web::test]
async fn a_slow_head_is_408_on_postgres() {
    a_slow_head_is_408(Backend::Postgres).await;
}
