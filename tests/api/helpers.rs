//! The test harness: a fresh database per test on either backend, the app served on a free port by the
//! real server (`koers_http::server`, whose connections go through the guard), and token minting.

use actix_test::TestServer;
use diesel::{Connection, PgConnection, RunQueryDsl};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use koers_http::ratelimit::{RateLimitSettings, RateLimits};
use koers_http::CursorKey;
use koers_http::{AppState, AuthConfig, Claims, ServerSettings};
use koers_persistence::{DatabaseUrl, DieselStore, PoolSettings};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

pub const ISSUER: &str = "koers-test";
pub const AUDIENCE: &str = "koers";
pub const SECRET: &[u8] = b"test-secret-test-secret-test-secret-0123456789";
/// The default body limit: room for a bulk of 1,000 results.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
pub const ALL_SCOPES: &str = "inburgeraars:lezen inburgeraars:schrijven audit:lezen";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

fn postgres_base() -> String {
    std::env::var("KOERS_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

fn postgres_admin() -> PgConnection {
    let url = format!("{}/postgres", postgres_base());
    PgConnection::establish(&url).unwrap_or_else(|e| {
        panic!("PostgreSQL is required for the test suite and could not be reached at {url}: {e}")
    })
}

/// A database that exists for one test and is dropped after it.
pub struct TestDb {
    pub url: DatabaseUrl,
    pg_name: Option<String>,
    sqlite_path: Option<std::path::PathBuf>,
}

impl TestDb {
    pub fn new(backend: Backend) -> Self {
        let id = uuid::Uuid::new_v4().simple().to_string();
        match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("koers-test-{id}.db"));
                Self {
                    url: DatabaseUrl::parse(&format!("sqlite://{}", path.display())).unwrap(),
                    pg_name: None,
                    sqlite_path: Some(path),
                }
            }
            Backend::Postgres => {
                let name = format!("koers_test_{id}");
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut postgres_admin())
                    .unwrap();
                Self {
                    url: DatabaseUrl::parse(&format!("{}/{name}", postgres_base())).unwrap(),
                    pg_name: Some(name),
                    sqlite_path: None,
                }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = &self.pg_name {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut postgres_admin());
        }
        if let Some(path) = &self.sqlite_path {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
    }
}

pub fn auth_config() -> AuthConfig {
    let jwks = serde_json::from_str(include_str!("../fixtures/jwks.json")).unwrap();
    AuthConfig::new(
        ISSUER.to_owned(),
        AUDIENCE.to_owned(),
        Some(SECRET),
        Some(&jwks),
    )
    .unwrap()
}

pub fn store(url: &DatabaseUrl) -> DieselStore {
    DieselStore::new(
        url,
        PoolSettings {
            max_size: 4,
            // Generous: many tests create databases at once on two cores.
            connection_timeout: Duration::from_secs(15),
        },
        "test-pseudonym-key".into(),
    )
}

/// The app on a free port, on a fresh database. Fields drop in order: the server stops before its
/// database is dropped.
///
/// The fields are private on purpose: a test body that touched only `server` would make its async block
/// capture that field alone and drop the database under the running server.
pub struct TestApp {
    server: RealServer,
    backend: Backend,
    /// Held so that the database lives exactly as long as the app.
    _db: TestDb,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, test_server_settings()).await
    }

    /// The app on a fresh database, served with these settings.
    pub async fn spawn_with(backend: Backend, settings: ServerSettings) -> Self {
        let db = tokio_blocking(move || {
            let db = TestDb::new(backend);
            DieselStore::migrate(&db.url).unwrap();
            db
        })
        .await;
        let server = RealServer::start(app_state(store(&db.url), RateLimitSettings::OFF), settings);
        Self {
            server,
            backend,
            _db: db,
        }
    }

    pub fn server(&self) -> &RealServer {
        &self.server
    }

    /// The database the app runs on.
    pub fn db_url(&self) -> &DatabaseUrl {
        &self._db.url
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Sends a request and returns status, headers and the body as JSON (`Null` when empty or not JSON).
    pub async fn send(&self, request: awc::ClientRequest, body: Option<&str>) -> Answer {
        send(request, body).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Answer {
        self.send(self.server.get(path).bearer_auth(token), None)
            .await
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Answer {
        let request = self
            .server
            .post(path)
            .bearer_auth(token)
            .insert_header(("content-type", "application/json"));
        self.send(request, Some(&body.to_string())).await
    }

    pub async fn put(&self, path: &str, token: &str, body: &Value) -> Answer {
        let request = self
            .server
            .put(path)
            .bearer_auth(token)
            .insert_header(("content-type", "application/json"));
        self.send(request, Some(&body.to_string())).await
    }

    pub async fn patch(
        &self,
        path: &str,
        token: &str,
        body: &Value,
        if_match: Option<&str>,
    ) -> Answer {
        let mut request = self
            .server
            .patch(path)
            .bearer_auth(token)
            .insert_header(("content-type", "application/merge-patch+json"));
        if let Some(tag) = if_match {
            request = request.insert_header(("if-match", tag));
        }
        self.send(request, Some(&body.to_string())).await
    }

    /// Every event of the outbox, in sequence order, read from the database (the change feed is the
    /// API's way to them; this reads past it, to check what was written).
    pub async fn events(&self) -> Vec<koers_domain::events::Event> {
        events_in(&self._db).await
    }

    /// How many people's worklist projection differs from what their stored data gives now.
    pub async fn projectie_afwijkingen(&self) -> usize {
        let url = self._db.url.clone();
        tokio_blocking(move || store(&url).projectie_afwijkingen())
            .await
            .unwrap()
    }

    /// Registers a person and returns its JSON, asserting 201.
    pub async fn register(&self, token: &str, body: &Value) -> Value {
        let answer = self.post("/api/v1/inburgeraars", token, body).await;
        assert_eq!(answer.status, 201, "register failed: {}", answer.body);
        answer.body
    }
}

/// The app on `store` in an actix_test server (the app alone: what the guard refuses before the app
/// reaches actix-http here; `TestApp` serves through the real server).
pub fn serve_store(store: DieselStore) -> TestServer {
    serve_limited(store, RateLimitSettings::OFF)
}

/// The app on `store` with these rate limits, in an actix_test server.
pub fn serve_limited(store: DieselStore, limits: RateLimitSettings) -> TestServer {
    let state = app_state(store, limits);
    actix_test::start(move || koers_http::app(state.clone()))
}

/// The state of the app on `store` with these rate limits.
pub fn app_state(store: DieselStore, limits: RateLimitSettings) -> AppState {
    AppState {
        store: Arc::new(store),
        auth: auth_config(),
        max_body_bytes: MAX_BODY_BYTES,
        limits: Arc::new(RateLimits::new(limits)),
        cursors: CursorKey::derive(b"test-pseudonym-key"),
        public_url: PUBLIC_URL.to_owned(),
        // The tests' receivers listen on localhost.
        omgeving: koers_domain::abonnement::Omgeving::Ontwikkeling,
    }
}

/// The public URL of the app under test: the server of its published contract.
pub const PUBLIC_URL: &str = "https://koers.test.example";

/// How the test servers run: one worker, no signal handling, the production request timeout.
pub fn test_server_settings() -> ServerSettings {
    ServerSettings {
        workers: Some(1),
        shutdown_grace_seconds: 1,
        signals: false,
        ..ServerSettings::default()
    }
}

/// The real server of the app (`koers_http::server`: every connection read through the guard, as in
/// production) on a free port, run in a thread with a system of its own as actix_test runs one, with a
/// client for it. Dropping it stops the server.
pub struct RealServer {
    handle: actix_web::dev::ServerHandle,
    system: actix_web::rt::System,
    client: awc::Client,
    addr: std::net::SocketAddr,
}

impl RealServer {
    pub fn start(state: AppState, settings: ServerSettings) -> Self {
        let (started, start) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
                let addr = listener.local_addr().unwrap();
                let server = koers_http::server(state, listener, settings).unwrap();
                started
                    .send((server.handle(), actix_web::rt::System::current(), addr))
                    .unwrap();
                server.await
            })
        });
        let (handle, system, addr) = start.recv().unwrap();
        let connector = awc::Connector::new()
            .conn_lifetime(Duration::from_secs(0))
            .timeout(Duration::from_millis(30_000));
        Self {
            handle,
            system,
            client: awc::Client::builder().connector(connector).finish(),
            addr,
        }
    }

    pub fn addr(&self) -> std::net::SocketAddr {
        self.addr
    }

    pub fn url(&self, path: &str) -> String {
        if path.starts_with('/') {
            format!("http://{}{path}", self.addr)
        } else {
            format!("http://{}/{path}", self.addr)
        }
    }

    pub fn request(&self, method: awc::http::Method, path: impl AsRef<str>) -> awc::ClientRequest {
        self.client.request(method, self.url(path.as_ref()))
    }

    pub fn get(&self, path: impl AsRef<str>) -> awc::ClientRequest {
        self.request(awc::http::Method::GET, path)
    }

    pub fn post(&self, path: impl AsRef<str>) -> awc::ClientRequest {
        self.request(awc::http::Method::POST, path)
    }

    pub fn put(&self, path: impl AsRef<str>) -> awc::ClientRequest {
        self.request(awc::http::Method::PUT, path)
    }

    pub fn patch(&self, path: impl AsRef<str>) -> awc::ClientRequest {
        self.request(awc::http::Method::PATCH, path)
    }

    pub fn delete(&self, path: impl AsRef<str>) -> awc::ClientRequest {
        self.request(awc::http::Method::DELETE, path)
    }
}

impl Drop for RealServer {
    fn drop(&mut self) {
        // As actix_test's server: the stop is sent at once, nothing is awaited.
        #[allow(clippy::let_underscore_future)]
        let _ = self.handle.stop(false);
        self.system.stop();
    }
}

async fn tokio_blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    actix_web::web::block(work).await.unwrap()
}

/// Every event of the outbox of `db`, in sequence order.
pub async fn events_in(db: &TestDb) -> Vec<koers_domain::events::Event> {
    let url = db.url.clone();
    tokio_blocking(move || store(&url).events_after(0, 1_000_000))
        .await
        .unwrap()
}

/// An answer: status, headers and body.
pub struct Answer {
    pub status: u16,
    pub headers: awc::http::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The names of `invalidParams`, in order.
    pub fn invalid_names(&self) -> Vec<String> {
        self.body["invalidParams"]
            .as_array()
            .map(|params| {
                params
                    .iter()
                    .map(|p| p["name"].as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Asserts a problem+json answer with this status and the fixed headers.
    pub fn assert_problem(&self, status: u16) {
        assert_eq!(self.status, status, "unexpected answer: {}", self.text);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json")
        );
        assert_eq!(self.body["status"], status);
        for field in ["type", "title", "detail", "instance"] {
            assert!(
                self.body[field].is_string(),
                "problem without {field}: {}",
                self.text
            );
        }
        assert_fixed_headers(&self.headers);
    }
}

pub fn assert_fixed_headers(headers: &awc::http::header::HeaderMap) {
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(
        get("api-version").as_deref(),
        Some(koers_http::openapi::API_VERSION)
    );
    assert_eq!(get("cache-control").as_deref(), Some("no-store"));
    assert_eq!(
        get("content-security-policy").as_deref(),
        Some("frame-ancestors 'none'")
    );
    assert!(get("strict-transport-security").is_some_and(|v| v.starts_with("max-age=")));
    assert_eq!(get("x-content-type-options").as_deref(), Some("nosniff"));
    assert_eq!(get("x-frame-options").as_deref(), Some("DENY"));
    assert!(get("x-request-id").is_some());
}

pub async fn send(request: awc::ClientRequest, body: Option<&str>) -> Answer {
    let mut response = match body {
        Some(body) => request.send_body(body.to_owned()).await.unwrap(),
        None => request.send().await.unwrap(),
    };
    let bytes = response.body().limit(4 * 1024 * 1024).await.unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    Answer {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
        text,
    }
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

pub fn claims(scope: &str, gemeenten: &[&str]) -> Claims {
    Claims {
        iss: ISSUER.to_owned(),
        aud: AUDIENCE.to_owned(),
        sub: "test-client".to_owned(),
        exp: now() + 600,
        iat: now(),
        scope: scope.to_owned(),
        gemeenten: gemeenten.iter().map(|g| (*g).to_owned()).collect(),
        organisatie: None,
        gebruiker: Some("klantmanager-1".to_owned()),
    }
}

/// An HS256 token with these scopes and gemeenten.
pub fn token(scope: &str, gemeenten: &[&str]) -> String {
    sign_hs256(&claims(scope, gemeenten), SECRET)
}

pub fn sign_hs256(claims: &Claims, secret: &[u8]) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret),
    )
    .unwrap()
}

pub fn sign_with_pem(claims: &Claims, algorithm: Algorithm, kid: &str, pem: &[u8]) -> String {
    let key = match algorithm {
        Algorithm::RS256 => EncodingKey::from_rsa_pem(pem).unwrap(),
        _ => EncodingKey::from_ec_pem(pem).unwrap(),
    };
    let mut header = Header::new(algorithm);
    header.kid = Some(kid.to_owned());
    jsonwebtoken::encode(&header, claims, &key).unwrap()
}

/// A valid registration body for gemeente `gemeente`, with a BSN made from `n`.
pub fn person(n: u32, gemeente: &str) -> Value {
    let bsn = koers_domain::bsn::complete_bsn(20_000_000 + n * 11)
        .unwrap_or_else(|| koers_domain::bsn::complete_bsn(20_000_000 + n * 11 + 1).unwrap());
    serde_json::json!({
        "bsn": bsn,
        "vNummer": format!("{:010}", 5_000_000_000u64 + u64::from(n)),
        "naam": format!("Persoon {n}"),
        "geboortedatum": "1990-05-17",
        "gemeente": gemeente,
        "doelgroep": if n.is_multiple_of(2) { "Asielstatushouder" } else { "Gezinsvormer" },
        "datumKennisgeving": "2026-09-01",
        "datumVestiging": "2026-09-15"
    })
}

/// Runs one test body on a fresh app of the given backend.
pub async fn run<F, Fut>(backend: Backend, test: F)
where
    F: FnOnce(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    test(TestApp::spawn(backend).await).await;
}

/// Declares a test that runs on SQLite and on PostgreSQL: `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! api_test {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[actix_web::test]
            async fn sqlite() {
                $crate::helpers::run($crate::helpers::Backend::Sqlite, $body).await;
            }

            #[actix_web::test]
            async fn postgres() {
                $crate::helpers::run($crate::helpers::Backend::Postgres, $body).await;
            }
        }
    };
}

/// Follows the pages of a list from `first` to its end and returns every page: each a 200 whose `Link`
/// header (`rel="next"`) and `volgendePagina` name the same next page, or neither.
pub async fn walk_pages(app: &TestApp, first: &str, token: &str) -> Vec<Answer> {
    let mut pages = Vec::new();
    let mut url = Some(first.to_owned());
    while let Some(current) = url {
        let page = app.get(&current, token).await;
        assert_eq!(page.status, 200, "{current}: {}", page.text);
        url = page.body["volgendePagina"].as_str().map(str::to_owned);
        match (&url, page.header("link")) {
            (Some(next), Some(link)) => assert_eq!(link, format!("<{next}>; rel=\"next\"")),
            (None, None) => {}
            other => panic!("{current}: Link header and volgendePagina disagree: {other:?}"),
        }
        pages.push(page);
        assert!(pages.len() <= 2_000, "{first}: the pages never end");
    }
    pages
}

/// The items of every page, in order.
pub fn items_of(pages: &[Answer]) -> Vec<Value> {
    pages
        .iter()
        .flat_map(|page| page.body["resultaten"].as_array().unwrap().clone())
        .collect()
}
