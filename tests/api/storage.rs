//! Storage on both backends: migrations up, down and up again; a database that is gone answers 503.

use crate::helpers::*;
use koers_persistence::{DatabaseUrl, DieselStore};

fn migrate_down_and_up(backend: Backend) {
    let db = TestDb::new(backend);
    let applied = DieselStore::migrate(&db.url).unwrap();
    assert!(!applied.is_empty());
    DieselStore::revert_all(&db.url).unwrap();
    let again = DieselStore::migrate(&db.url).unwrap();
    assert_eq!(
        applied, again,
        "every migration reverts cleanly and applies again"
    );
    assert!(
        DieselStore::migrate(&db.url).unwrap().is_empty(),
        "migrating twice is a no-op"
    );
}

#[test]
fn migrations_revert_and_reapply_on_sqlite() {
    migrate_down_and_up(Backend::Sqlite);
}

#[test]
fn migrations_revert_and_reapply_on_postgres() {
    migrate_down_and_up(Backend::Postgres);
}

async fn unavailable(url: &str) {
    let url = DatabaseUrl::parse(url).unwrap();
    let server = serve_store(DieselStore::new(
        &url,
        koers_persistence::PoolSettings {
            max_size: 2,
            connection_timeout: std::time::Duration::from_secs(1),
        },
        "key".into(),
    ));
    // Liveness does not touch the database; readiness says the database is down.
    let health = send(server.get("/api/v1/health"), None).await;
    assert_eq!(health.status, 200);
    let ready = send(server.get("/api/v1/health/gereed"), None).await;
    ready.assert_problem(503);
    assert!(
        ready.body["detail"].as_str().unwrap().contains("database"),
        "{}",
        ready.text
    );
    let token = token(ALL_SCOPES, &["0405"]);
    let read = send(
        server
            .get(format!("/api/v1/inburgeraars/{}", uuid::Uuid::now_v7()))
            .bearer_auth(&token),
        None,
    )
    .await;
    read.assert_problem(503);
    let write = send(
        server
            .post("/api/v1/inburgeraars")
            .bearer_auth(&token)
            .insert_header(("content-type", "application/json")),
        Some(&person(50, "0405").to_string()),
    )
    .await;
    write.assert_problem(503);
}

async fn not_migrated(backend: Backend) {
    let db = TestDb::new(backend);
    let server = serve_store(store(&db.url));
    let ready = send(server.get("/api/v1/health/gereed"), None).await;
    ready.assert_problem(503);
    let detail = ready.body["detail"].as_str().unwrap().to_owned();
    assert!(
        detail.contains("migratie") && detail.contains("foundation"),
        "{detail}"
    );
    DieselStore::migrate(&db.url).unwrap();
    let ready = send(server.get("/api/v1/health/gereed"), None).await;
    assert_eq!(ready.status, 200, "{}", ready.text);
}

#[actix_web::test]
async fn an_unmigrated_sqlite_database_is_not_ready() {
    not_migrated(Backend::Sqlite).await;
}

#[actix_web::test]
async fn an_unmigrated_postgres_database_is_not_ready() {
    not_migrated(Backend::Postgres).await;
}

#[actix_web::test]
async fn a_lost_sqlite_database_answers_503() {
    unavailable("sqlite:///nonexistent-dir/koers/never.db").await;
}

#[actix_web::test]
async fn a_lost_postgres_database_answers_503() {
    // Port 1 on loopback: nothing listens there.
    unavailable("postgres://postgres@127.0.0.1:1/koers").await;
}

crate::api_test!(
    concurrent_requests_wait_for_each_other_instead_of_failing,
    |app: crate::helpers::TestApp| async move {
        let token = token(ALL_SCOPES, &["0405"]);
        let created = app.register(&token, &person(51, "0405")).await;
        let path = format!("/api/v1/inburgeraars/{}", created["id"].as_str().unwrap());
        // Every read writes its processing-log line: concurrent reads and writes all contend for the lock.
        let mut tasks = Vec::new();
        for worker in 0..8u32 {
            let (read_url, write_url) = (
                app.server().url(&path),
                app.server().url("/api/v1/inburgeraars"),
            );
            let token = token.clone();
            tasks.push(actix_web::rt::spawn(async move {
                let client = awc::Client::default();
                let mut statuses = Vec::new();
                for _ in 0..5 {
                    statuses.push(
                        send(client.get(&read_url).bearer_auth(&token), None)
                            .await
                            .status,
                    );
                }
                let post = client
                    .post(&write_url)
                    .bearer_auth(&token)
                    .insert_header(("content-type", "application/json"));
                statuses.push(
                    send(post, Some(&person(200 + worker, "0405").to_string()))
                        .await
                        .status,
                );
                statuses
            }));
        }
        for task in tasks {
            let statuses = task.await.unwrap();
            assert!(statuses[..5].iter().all(|s| *s == 200), "{statuses:?}");
            assert_eq!(statuses[5], 201, "{statuses:?}");
        }
    }
);

fn seed_demo(db: &TestDb, data_dir: &std::path::Path) -> String {
    seed(db, data_dir, &["--demo"])
}

fn seed(db: &TestDb, data_dir: &std::path::Path, args: &[&str]) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_koers"))
        .arg("seed")
        .args(args)
        .env("KOERS_DATABASE_URL", db.url.expose())
        .env("KOERS_DATA_DIR", data_dir)
        .env("KOERS_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn demo_data_loads_once(backend: Backend) {
    let db = TestDb::new(backend);
    let data_dir =
        std::env::temp_dir().join(format!("koers-seed-{}", uuid::Uuid::new_v4().simple()));
    assert!(seed_demo(&db, &data_dir).contains("loaded 36 demo inburgeraars"));
    assert!(
        seed_demo(&db, &data_dir).contains("not empty"),
        "never twice"
    );
    let _ = std::fs::remove_dir_all(&data_dir);
}

#[test]
fn demo_data_loads_once_on_sqlite() {
    demo_data_loads_once(Backend::Sqlite);
}

#[test]
fn demo_data_loads_once_on_postgres() {
    demo_data_loads_once(Backend::Postgres);
}

fn synthetic_data_loads_in_bulk(backend: Backend) {
    let db = TestDb::new(backend);
    let data_dir =
        std::env::temp_dir().join(format!("koers-synthetic-{}", uuid::Uuid::new_v4().simple()));
    // More than one statement's worth of rows (2,000) and more than one batch (5,000).
    assert!(seed(
        &db,
        &data_dir,
        &["--synthetic", "6000", "--random-seed", "3"]
    )
    .contains("loaded 6000 synthetic"));
    assert!(seed(&db, &data_dir, &["--synthetic", "10"]).contains("not empty"));
    let _ = std::fs::remove_dir_all(&data_dir);
}

#[test]
fn synthetic_data_loads_in_bulk_on_sqlite() {
    synthetic_data_loads_in_bulk(Backend::Sqlite);
}

#[test]
fn synthetic_data_loads_in_bulk_on_postgres() {
    synthetic_data_loads_in_bulk(Backend::Postgres);
}
