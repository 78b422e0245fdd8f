//! What an operator relies on: a backup taken while the server takes writes restores into a server
//! that answers the same (SQLite with `koers backup`, PostgreSQL with `pg_dump` as the README says);
//! SIGTERM under load stops the server cleanly, with every acknowledged write stored and no answer cut
//! off.

use crate::helpers::*;
use koers_persistence::DatabaseUrl;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

/// Every person the server lists, by id, as `GET /inburgeraars/{id}` answers it.
async fn everyone(server: &actix_test::TestServer, token: &str) -> BTreeMap<String, Value> {
    let mut people = BTreeMap::new();
    let mut url = "/api/v1/inburgeraars?pageSize=100".to_owned();
    loop {
        let page = send(server.get(&url).bearer_auth(token), None).await;
        assert_eq!(page.status, 200, "{}", page.text);
        for item in page.body["resultaten"].as_array().unwrap() {
            let id = item["id"].as_str().unwrap().to_owned();
            let one = send(
                server
                    .get(format!("/api/v1/inburgeraars/{id}"))
                    .bearer_auth(token),
                None,
            )
            .await;
            people.insert(id, one.body);
        }
        match page.body["volgendePagina"].as_str() {
            Some(next) => url = next.to_owned(),
            None => return people,
        }
    }
}

/// A PostgreSQL client program (pg_dump, pg_restore) of the machine.
fn pg_tool(name: &str) -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file());
    on_path
        .or_else(|| {
            let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
                .into_iter()
                .flatten()
                .flatten()
                .map(|version| version.path().join("bin").join(name))
                .filter(|candidate| candidate.is_file())
                .collect();
            found.sort();
            found.pop()
        })
        .unwrap_or_else(|| panic!("{name} is needed to back up PostgreSQL (see the README)"))
}

/// Backs up the database at `source` into `dir` as the README says: `koers backup` for SQLite (whose
/// copy is a database of its own), `pg_dump` for PostgreSQL (`backup.dump`, restored by the caller).
fn backup(backend: Backend, source: &DatabaseUrl, dir: &std::path::Path) -> Option<DatabaseUrl> {
    match backend {
        Backend::Sqlite => {
            let out = dir.join("backup.db");
            let status = Command::new(env!("CARGO_BIN_EXE_koers"))
                .args(["backup", "--out", out.to_str().unwrap()])
                .env("KOERS_DATABASE_URL", source.expose())
                .env("KOERS_DATA_DIR", dir)
                .env("KOERS_LOG", "error")
                .status()
                .unwrap();
            assert!(status.success(), "koers backup failed");
            Some(DatabaseUrl::parse(&format!("sqlite://{}", out.display())).unwrap())
        }
        Backend::Postgres => {
            let status = Command::new(pg_tool("pg_dump"))
                .args(["--format=custom", "--no-owner", "--file"])
                .arg(dir.join("backup.dump"))
                .arg(source.expose())
                .status()
                .unwrap();
            assert!(status.success(), "pg_dump failed");
            None
        }
    }
}

async fn backup_under_writes_restores(backend: Backend) {
    let db = TestDb::new(backend);
    koers_persistence::DieselStore::migrate(&db.url).unwrap();
    let server = serve_store(store(&db.url));
    let token = token(ALL_SCOPES, &["0405"]);
    let dir = std::env::temp_dir().join(format!("koers-backup-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();

    // Registrations go on while the backup is taken.
    let url = server.url("/api/v1/inburgeraars");
    let writer_token = token.clone();
    let writer = actix_web::rt::spawn(async move {
        let client = awc::Client::default();
        for n in 0..80 {
            let request = client
                .post(&url)
                .bearer_auth(&writer_token)
                .insert_header(("content-type", "application/json"));
            let answer = send(request, Some(&person(700 + n, "0405").to_string())).await;
            assert_eq!(answer.status, 201, "{}", answer.text);
        }
    });
    actix_web::rt::time::sleep(std::time::Duration::from_millis(150)).await;
    let (source, folder) = (db.url.clone(), dir.clone());
    let copy = actix_web::rt::task::spawn_blocking(move || backup(backend, &source, &folder))
        .await
        .unwrap();
    writer.await.unwrap();

    // Restore into a fresh database and serve it.
    let restored = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => {
            let target = TestDb::new(Backend::Postgres);
            let status = Command::new(pg_tool("pg_restore"))
                .args(["--no-owner", "--exit-on-error", "--dbname"])
                .arg(target.url.expose())
                .arg(dir.join("backup.dump"))
                .status()
                .unwrap();
            assert!(status.success(), "pg_restore failed");
            Some(target)
        }
    };
    let restored_url = copy
        .or_else(|| restored.as_ref().map(|target| target.url.clone()))
        .unwrap();
    let restored_server = serve_store(store(&restored_url));
    let ready = send(restored_server.get("/api/v1/health/gereed"), None).await;
    assert_eq!(ready.status, 200, "{}", ready.text);

    let original = everyone(&server, &token).await;
    let copied = everyone(&restored_server, &token).await;
    assert_eq!(original.len(), 80);
    assert!(!copied.is_empty(), "the backup holds what was there");
    for (id, person) in &copied {
        assert_eq!(original.get(id), Some(person), "{id} answers the same");
    }
    // A consistent moment: the people in the copy are the first ones registered, none missing between.
    let mut order: Vec<&String> = original.keys().collect();
    order.sort();
    let mut in_copy: Vec<&String> = copied.keys().collect();
    in_copy.sort();
    assert_eq!(in_copy, order[..in_copy.len()].to_vec());
    drop(restored_server);
    drop(restored);
    let _ = std::fs::remove_dir_all(&dir);
}

#[actix_web::test]
async fn a_sqlite_backup_under_writes_restores() {
    backup_under_writes_restores(Backend::Sqlite).await;
}

#[actix_web::test]
async fn a_postgres_backup_under_writes_restores() {
    backup_under_writes_restores(Backend::Postgres).await;
}

/// SIGTERM while writes are in flight: the server finishes what it took on, exits 0, and every
/// acknowledged write is stored; no request that got a status line lost the rest of its answer.
async fn sigterm_under_load(backend: Backend) {
    use crate::crash::{free_port, start_with, wait_until_up};
    let db = TestDb::new(backend);
    let data_dir =
        std::env::temp_dir().join(format!("koers-stop-{}", uuid::Uuid::new_v4().simple()));
    let token = token(ALL_SCOPES, &["0405"]);
    let client = awc::Client::builder().disable_redirects().finish();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = start_with(&db, &data_dir, port, &["--shutdown-grace-seconds", "10"]);
    wait_until_up(&client, &base).await;

    let mut writers = Vec::new();
    for writer in 0..6u32 {
        let (client, base, token) = (client.clone(), base.clone(), token.clone());
        writers.push(actix_web::rt::spawn(async move {
            let (mut acknowledged, mut cut) = (Vec::new(), 0);
            for n in 0..400u32 {
                let sent = client
                    .post(format!("{base}/api/v1/inburgeraars"))
                    .bearer_auth(&token)
                    .insert_header(("content-type", "application/json"))
                    .timeout(std::time::Duration::from_secs(15))
                    .send_body(person(3000 + writer * 1000 + n, "0405").to_string())
                    .await;
                // Refused or reset before an answer began: the server is gone; that is no cut answer.
                let Ok(mut response) = sent else { break };
                match response.body().await {
                    Ok(body) if response.status().as_u16() == 201 => {
                        let created: Value = serde_json::from_slice(&body).unwrap();
                        acknowledged.push(created["id"].as_str().unwrap().to_owned());
                    }
                    Ok(_) => {}
                    Err(_) => cut += 1,
                }
            }
            (acknowledged, cut)
        }));
    }
    actix_web::rt::time::sleep(std::time::Duration::from_millis(400)).await;
    let pid = server.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let exit = actix_web::rt::task::spawn_blocking(move || server.wait().unwrap())
        .await
        .unwrap();
    assert!(exit.success(), "koers exits 0 after SIGTERM: {exit:?}");
    let mut acknowledged = Vec::new();
    for writer in writers {
        let (acked, cut) = writer.await.unwrap();
        assert_eq!(cut, 0, "no answer was cut off mid-way");
        acknowledged.extend(acked);
    }
    assert!(
        !acknowledged.is_empty(),
        "writes were acknowledged before the stop"
    );

    // Every acknowledged write is there after a restart.
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = start_with(&db, &data_dir, port, &[]);
    wait_until_up(&client, &base).await;
    for id in &acknowledged {
        let mut response = client
            .get(format!("{base}/api/v1/inburgeraars/{id}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status().as_u16(),
            200,
            "{id} was acknowledged and is stored"
        );
        let _ = response.body().await;
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let _ = std::fs::remove_dir_all(&data_dir);
    println!("{} writes acknowledged before SIGTERM", acknowledged.len());
}

#[actix_web::test]
async fn sigterm_under_load_stops_cleanly_on_sqlite() {
    sigterm_under_load(Backend::Sqlite).await;
}

#[actix_web::test]
async fn sigterm_under_load_stops_cleanly_on_postgres() {
    sigterm_under_load(Backend::Postgres).await;
}

/// The value of the first sample of `name` whose labels contain every one of `labels`.
fn sample(text: &str, name: &str, labels: &[&str]) -> Option<f64> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter(|line| {
            line.strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('{') || rest.starts_with(' '))
        })
        .find(|line| labels.iter().all(|label| line.contains(label)))
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|value| value.parse().ok())
}

/// The metrics on their own address: requests by operation and status with their latency, the pool,
/// the processing log, the SQLite committer and the build.
async fn metrics_are_served_apart(backend: Backend) {
    use crate::crash::{free_port, start_with, wait_until_up};
    let db = TestDb::new(backend);
    let data_dir =
        std::env::temp_dir().join(format!("koers-metrics-{}", uuid::Uuid::new_v4().simple()));
    let token = token(ALL_SCOPES, &["0405"]);
    let client = awc::Client::default();
    let (port, metrics_port) = (free_port(), free_port());
    let base = format!("http://127.0.0.1:{port}");
    let metrics_listen = format!("127.0.0.1:{metrics_port}");
    let mut server = start_with(&db, &data_dir, port, &["--metrics-listen", &metrics_listen]);
    wait_until_up(&client, &base).await;

    let mut created = client
        .post(format!("{base}/api/v1/inburgeraars"))
        .bearer_auth(&token)
        .insert_header(("content-type", "application/json"))
        .send_body(person(1, "0405").to_string())
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    let created: Value = serde_json::from_slice(&created.body().await.unwrap()).unwrap();
    for id in [
        created["id"].as_str().unwrap().to_owned(),
        uuid::Uuid::now_v7().to_string(),
    ] {
        let mut read = client
            .get(format!("{base}/api/v1/inburgeraars/{id}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        let _ = read.body().await;
    }
    // Not with the API.
    let on_api = client.get(format!("{base}/metrics")).send().await.unwrap();
    assert_eq!(on_api.status().as_u16(), 404);

    let mut scraped = client
        .get(format!("http://{metrics_listen}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(scraped.status().as_u16(), 200);
    let text = String::from_utf8(scraped.body().await.unwrap().to_vec()).unwrap();
    let requests = |operatie: &str, status: &str| {
        sample(
            &text,
            "koers_http_requests_total",
            &[
                &format!("operatie=\"{operatie}\""),
                &format!("status=\"{status}\""),
            ],
        )
    };
    assert_eq!(
        requests("POST /api/v1/inburgeraars", "201"),
        Some(1.0),
        "{text}"
    );
    let one = "GET /api/v1/inburgeraars/{inburgeraarId}";
    assert_eq!(requests(one, "200"), Some(1.0), "{text}");
    assert_eq!(requests(one, "404"), Some(1.0), "{text}");
    assert_eq!(
        sample(
            &text,
            "koers_http_request_duration_seconds_count",
            &[&format!("operatie=\"{one}\"")]
        ),
        Some(2.0)
    );
    assert!(sample(&text, "koers_db_pool_wait_seconds_count", &[]).unwrap() >= 2.0);
    assert!(sample(&text, "koers_db_pool_connections", &["toestand=\"vrij\""]).is_some());
    assert!(sample(&text, "koers_verwerkingen_written_total", &[]).unwrap() >= 2.0);
    assert_eq!(
        sample(
            &text,
            "koers_build_info",
            &[&format!("versie=\"{}\"", env!("CARGO_PKG_VERSION"))]
        ),
        Some(1.0)
    );
    if backend == Backend::Sqlite {
        assert!(
            sample(&text, "koers_sqlite_commit_batch_size_count", &[]).unwrap() >= 1.0,
            "{text}"
        );
        assert!(sample(&text, "koers_sqlite_commit_seconds_count", &[]).unwrap() >= 1.0);
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let _ = std::fs::remove_dir_all(&data_dir);
}

#[actix_web::test]
async fn metrics_are_served_apart_on_sqlite() {
    metrics_are_served_apart(Backend::Sqlite).await;
}

#[actix_web::test]
async fn metrics_are_served_apart_on_postgres() {
    metrics_are_served_apart(Backend::Postgres).await;
}

/// Over the limit per client (after authentication) or per address (before it): 429 problem+json
/// with `Retry-After` and the usual headers; another client keeps its own budget.
async fn rate_limits_answer_429(backend: Backend) {
    use koers_http::ratelimit::RateLimitSettings;
    let db = TestDb::new(backend);
    koers_persistence::DieselStore::migrate(&db.url).unwrap();
    let per_client = serve_limited(
        store(&db.url),
        RateLimitSettings {
            per_address: 0,
            per_client: 2,
        },
    );
    let hoorn = token(ALL_SCOPES, &["0405"]);
    let mut other = claims(ALL_SCOPES, &["0855"]);
    other.sub = "andere-client".to_owned();
    let other = sign_hs256(&other, SECRET);
    let list = |token: &str| {
        send(
            per_client.get("/api/v1/inburgeraars").bearer_auth(token),
            None,
        )
    };
    // A burst of twice the rate, then the client waits; every answer tells what is left.
    for left in ["3", "2", "1", "0"] {
        let answer = list(&hoorn).await;
        assert_eq!(answer.status, 200);
        assert_eq!(answer.header("ratelimit-limit"), Some("4"));
        assert_eq!(answer.header("ratelimit-remaining"), Some(left));
        assert!(answer.header("ratelimit-reset").is_some());
    }
    let limited = list(&hoorn).await;
    limited.assert_problem(429);
    assert_eq!(limited.header("retry-after"), Some("1"));
    assert_eq!(limited.header("ratelimit-remaining"), Some("0"));
    assert_eq!(
        limited.body["type"],
        "https://koers.dev/problemen/te-veel-verzoeken"
    );
    assert_eq!(
        list(&other).await.status,
        200,
        "another client has its own budget"
    );
    // Without a (valid) token nothing is counted per client: the answer stays 401.
    assert_eq!(list("geen-token").await.status, 401);

    let per_address = serve_limited(
        store(&db.url),
        RateLimitSettings {
            per_address: 3,
            per_client: 0,
        },
    );
    let statuses = {
        let mut statuses = Vec::new();
        for _ in 0..7 {
            statuses.push(send(per_address.get("/api/v1/health"), None).await.status);
        }
        statuses
    };
    assert_eq!(
        statuses,
        [200, 200, 200, 200, 200, 200, 429],
        "before any token"
    );
    let limited = send(
        per_address.get("/api/v1/inburgeraars").bearer_auth(&hoorn),
        None,
    )
    .await;
    limited.assert_problem(429);
    assert!(limited.header("retry-after").is_some());
}

#[actix_web::test]
async fn rate_limits_answer_429_on_sqlite() {
    rate_limits_answer_429(Backend::Sqlite).await;
}

#[actix_web::test]
async fn rate_limits_answer_429_on_postgres() {
    rate_limits_answer_429(Backend::Postgres).await;
}
