//! What the HTTP layer refuses before the app is a problem too: an over-long request line is 414, an
//! over-large head 431, each as problem+json with the security headers, also on a kept-alive
//! connection after a good request; everything else passes the guard unchanged. Against the real
//! server (whose connections go through the guard), on both backends.

use crate::crash::{free_port, start_with, wait_until_up};
use crate::helpers::*;
use std::io::{Read, Write};

/// Sends raw bytes and reads until the server closes (or 5 seconds pass).
fn exchange(port: u16, request: &[u8]) -> String {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    // The server may answer and close before it has read everything: that is fine.
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

/// The status and problem body of the last answer in `text`, with its head.
fn last_answer(text: &str) -> (u16, String, serde_json::Value) {
    let start = text.rfind("HTTP/1.1 ").unwrap();
    let answer = &text[start..];
    let status = answer[9..12].parse().unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    (
        status,
        head.to_ascii_lowercase(),
        serde_json::from_str(body).unwrap_or_default(),
    )
}

fn assert_refused(text: &str, status: u16, slug: &str) {
    let (got, head, body) = last_answer(text);
    assert_eq!(got, status, "{}", &text[..text.len().min(400)]);
    for header in [
        "content-type: application/problem+json",
        "cache-control: no-store",
        "content-security-policy: frame-ancestors 'none'",
        "strict-transport-security:",
        "x-content-type-options: nosniff",
        "x-frame-options: deny",
        "api-version:",
        "x-request-id:",
    ] {
        assert!(head.contains(header), "{header} missing in {head}");
    }
    assert_eq!(body["status"], status);
    assert_eq!(body["type"], format!("https://koers.dev/problemen/{slug}"));
    assert!(body["title"].is_string());
}

async fn http_layer_refusals_are_problems(backend: Backend) {
    let db = TestDb::new(backend);
    let data_dir =
        std::env::temp_dir().join(format!("koers-grenzen-{}", uuid::Uuid::new_v4().simple()));
    let port = free_port();
    let mut server = start_with(&db, &data_dir, port, &[]);
    wait_until_up(&awc::Client::default(), &format!("http://127.0.0.1:{port}")).await;

    let checks = actix_web::rt::task::spawn_blocking(move || {
        let long_path = format!(
            "GET /api/v1/{} HTTP/1.1\r\nHost: x\r\n\r\n",
            "a".repeat(100_000)
        );
        assert_refused(&exchange(port, long_path.as_bytes()), 414, "uri-te-lang");
        let long_query = format!(
            "GET /api/v1/inburgeraars?gemeente={} HTTP/1.1\r\nHost: x\r\n\r\n",
            "0".repeat(100_000)
        );
        assert_refused(&exchange(port, long_query.as_bytes()), 414, "uri-te-lang");
        let big_header = format!(
            "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Groot: {}\r\n\r\n",
            "b".repeat(100_000)
        );
        assert_refused(
            &exchange(port, big_header.as_bytes()),
            431,
            "headers-te-groot",
        );
        let many: String = (0..200).map(|i| format!("X-{i}: v\r\n")).collect();
        let many = format!("GET /api/v1/health HTTP/1.1\r\nHost: x\r\n{many}\r\n");
        assert_refused(&exchange(port, many.as_bytes()), 431, "headers-te-groot");
        // On a kept-alive connection: the good request is answered, then the long one is refused.
        let both = format!(
            "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n{}",
            long_path
        );
        let text = exchange(port, both.as_bytes());
        assert!(
            text.starts_with("HTTP/1.1 200 OK"),
            "{}",
            &text[..200.min(text.len())]
        );
        assert_refused(&text, 414, "uri-te-lang");
        // A body (with a size the guard follows) and the next request pass unchanged.
        let body = r#"{"bsn": "123456782"}"#;
        let pipelined = format!(
            "POST /api/v1/inburgeraars/_zoek HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let text = exchange(port, pipelined.as_bytes());
        assert!(
            text.starts_with("HTTP/1.1 401"),
            "no token: {}",
            &text[..200.min(text.len())]
        );
        assert_eq!(last_answer(&text).0, 200);
    });
    let outcome = checks.await;
    server.kill().unwrap();
    server.wait().unwrap();
    let _ = std::fs::remove_dir_all(&data_dir);
    outcome.unwrap();
}

#[actix_web::test]
async fn http_layer_refusals_are_problems_on_sqlite() {
    http_layer_refusals_are_problems(Backend::Sqlite).await;
}

#[actix_web::test]
async fn http_layer_refusals_are_problems_on_postgres() {
    http_layer_refusals_are_problems(Backend::Postgres).await;
}
