//! Crash safety: the real server process is killed with SIGKILL at random moments while it takes writes
//! with idempotency keys (registrations; PIPs, voortgangsgesprekken and bulk calls of examenresultaten).
//! After a restart every acknowledged write is there exactly once, and retrying every key (acknowledged
//! or not) stores nothing twice and answers an acknowledged write as it was answered; every stored change
//! has its event in the outbox, once, and no event is without its change. On both backends.

use crate::helpers::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const KEYS: u32 = 60;
const CRASHES: u32 = 3;

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .unwrap()
}

fn start(db: &TestDb, data_dir: &std::path::Path, port: u16) -> Child {
    start_with(db, data_dir, port, &[])
}

/// The real server on `port`, with `extra` flags for `serve`.
pub fn start_with(db: &TestDb, data_dir: &std::path::Path, port: u16, extra: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_koers"))
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--workers",
            "2",
        ])
        .args(extra)
        .env("KOERS_DATABASE_URL", db.url.expose())
        .env("KOERS_DATA_DIR", data_dir)
        .env("KOERS_JWT_SECRET", std::str::from_utf8(SECRET).unwrap())
        .env("KOERS_JWT_ISSUER", ISSUER)
        .env("KOERS_JWT_AUDIENCE", AUDIENCE)
        .env(
            "KOERS_PSEUDONYM_KEY",
            "crash-test-pseudonym-key-0123456789abcdef",
        )
        .env("KOERS_LOG", "error")
        // Load from one address and client: the limits are tested on their own (beheer.rs).
        .env("KOERS_RATE_LIMIT_ADDRESS", "0")
        .env("KOERS_RATE_LIMIT_CLIENT", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

pub async fn wait_until_up(client: &awc::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(response) = client.get(format!("{base}/api/v1/health")).send().await {
            if response.status().is_success() {
                return;
            }
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server did not come up");
}

/// A small deterministic generator, seeded from the clock and printed, so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % bound
    }
}

async fn post(client: &awc::Client, base: &str, token: &str, key: u32) -> Option<Value> {
    let request = client
        .post(format!("{base}/api/v1/inburgeraars"))
        .bearer_auth(token)
        .insert_header(("content-type", "application/json"))
        .insert_header(("idempotency-key", format!("crash-{key}")))
        .timeout(Duration::from_secs(10));
    let mut response = request
        .send_body(person(1000 + key, "0405").to_string())
        .await
        .ok()?;
    if response.status().as_u16() != 201 {
        return None;
    }
    let body = response.body().await.ok()?;
    serde_json::from_slice(&body).ok()
}

async fn crash_and_recover(backend: Backend) {
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    println!("crash test seed {seed}");
    let mut random = Lcg(seed);
    let db = TestDb::new(backend);
    let data_dir =
        std::env::temp_dir().join(format!("koers-crash-{}", uuid::Uuid::new_v4().simple()));
    let token = token(ALL_SCOPES, &["0405"]);
    let client = awc::Client::builder().disable_redirects().finish();
    let mut acknowledged: BTreeMap<u32, String> = BTreeMap::new();
    let mut next_key = 0;

    for _ in 0..CRASHES {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let mut server = start(&db, &data_dir, port);
        wait_until_up(&client, &base).await;
        // Writes in flight on several connections, then SIGKILL after a random few milliseconds.
        let kill_after = Duration::from_millis(5 + random.next(100));
        let batch: Vec<u32> = (next_key..(next_key + KEYS / CRASHES)).collect();
        next_key += KEYS / CRASHES;
        let mut tasks = Vec::new();
        for chunk in batch.chunks(5) {
            let (chunk, client, base, token) =
                (chunk.to_vec(), client.clone(), base.clone(), token.clone());
            tasks.push(actix_web::rt::spawn(async move {
                let mut acked = Vec::new();
                for key in chunk {
                    if let Some(body) = post(&client, &base, &token, key).await {
                        acked.push((key, body["id"].as_str().unwrap_or_default().to_owned()));
                    }
                }
                acked
            }));
        }
        actix_web::rt::time::sleep(kill_after).await;
        server.kill().unwrap();
        server.wait().unwrap();
        for task in tasks {
            for (key, id) in task.await.unwrap() {
                acknowledged.insert(key, id);
            }
        }
    }

    // Restart, retry every key: acknowledged ones answer with their first id, the others are created once.
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = start(&db, &data_dir, port);
    wait_until_up(&client, &base).await;
    let mut all_ids = BTreeSet::new();
    for key in 0..next_key {
        let body = post(&client, &base, &token, key)
            .await
            .unwrap_or_else(|| panic!("retry of key {key} failed"));
        let id = body["id"].as_str().unwrap().to_owned();
        if let Some(first) = acknowledged.get(&key) {
            assert_eq!(
                &id, first,
                "key {key}: an acknowledged write answers as it did"
            );
        }
        all_ids.insert(id);
    }
    // Every person exists exactly once: one per key, nothing doubled.
    let mut listed = Vec::new();
    let mut next = Some(format!("{base}/api/v1/inburgeraars?pageSize=100"));
    while let Some(url) = next {
        let mut response = client.get(&url).bearer_auth(&token).send().await.unwrap();
        let page: Value = serde_json::from_slice(&response.body().await.unwrap()).unwrap();
        for item in page["resultaten"].as_array().unwrap() {
            listed.push(item["id"].as_str().unwrap().to_owned());
        }
        next = page["volgendePagina"]
            .as_str()
            .map(|path| format!("{base}{path}"));
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let _ = std::fs::remove_dir_all(&data_dir);
    assert_eq!(listed.len(), next_key as usize, "no doubles, nothing lost");
    assert_eq!(listed.iter().cloned().collect::<BTreeSet<_>>(), all_ids);
    // Each registration has its event, once; no event is without its registration.
    let registered: Vec<String> = events_in(&db)
        .await
        .iter()
        .map(|e| {
            assert_eq!(e.kind.as_str(), "inburgeraar.geregistreerd");
            e.inburgeraar_id.unwrap().to_string()
        })
        .collect();
    assert_eq!(
        registered.len(),
        next_key as usize,
        "one event per registration"
    );
    assert_eq!(registered.into_iter().collect::<BTreeSet<_>>(), all_ids);
    println!(
        "{} of {next_key} writes acknowledged before the crashes",
        acknowledged.len()
    );
    assert!(
        !acknowledged.is_empty(),
        "some writes were acknowledged before the crashes"
    );
}

const PEOPLE: u32 = 24;
const BULKS: u32 = 6;
const PER_BULK: u32 = 48;
const TRAJECT_SCOPES: &str =
    "inburgeraars:lezen inburgeraars:schrijven pip:lezen pip:vaststellen voortgang:aanleveren";

/// A keyed POST; the answer's body when it was 2xx.
async fn post_keyed(
    client: &awc::Client,
    url: String,
    token: &str,
    key: &str,
    body: &Value,
) -> Option<Value> {
    let mut response = client
        .post(url)
        .bearer_auth(token)
        .insert_header(("content-type", "application/json"))
        .insert_header(("idempotency-key", key.to_owned()))
        .timeout(Duration::from_secs(20))
        .send_body(body.to_string())
        .await
        .ok()?;
    if !response.status().is_success() {
        return None;
    }
    serde_json::from_slice(&response.body().limit(4 << 20).await.ok()?).ok()
}

/// The keyed trajectory writes of the second crash test: for every person a PIP and a conversation,
/// and bulk calls whose items spread over all people (two items per person per call, each a distinct
/// exam), so that a kill can land in the middle of a bulk call.
fn trajectory_writes(people: &[String]) -> Vec<(String, String, Value)> {
    let mut writes = Vec::new();
    for (i, person) in people.iter().enumerate() {
        let base = format!("/api/v1/inburgeraars/{person}");
        writes.push((
            format!("pip-{i}"),
            format!("{base}/pips"),
            serde_json::json!({"leerroute": "B1"}),
        ));
        writes.push((
            format!("gesprek-{i}"),
            format!("{base}/voortgangsgesprekken"),
            serde_json::json!({"datum": "2026-11-10", "deelnemers": ["KLANTMANAGER"], "uitkomst": "Loopt."}),
        ));
    }
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    for bulk in 0..BULKS {
        let items: Vec<Value> = (0..PER_BULK)
            .map(|item| {
                let day = start + chrono::Duration::days(i64::from(bulk * PER_BULK + item));
                serde_json::json!({
                    "inburgeraarId": people[item as usize % people.len()],
                    "onderdeel": "LEZEN", "niveau": "B1", "uitslag": "GESLAAGD",
                    "datumExamen": day.format("%Y-%m-%d").to_string(), "bron": "AANBIEDER"
                })
            })
            .collect();
        writes.push((
            format!("bulk-{bulk}"),
            "/api/v1/examenresultaten/_bulk".to_owned(),
            serde_json::json!({"resultaten": items}),
        ));
    }
    writes
}

async fn trajectory_crash_and_recover(backend: Backend) {
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    println!("trajectory crash test seed {seed}");
    let mut random = Lcg(seed);
    let db = TestDb::new(backend);
    let data_dir =
        std::env::temp_dir().join(format!("koers-crash-{}", uuid::Uuid::new_v4().simple()));
    let token = token(TRAJECT_SCOPES, &["0405"]);
    let client = awc::Client::builder().disable_redirects().finish();

    let port = free_port();
    let mut base = format!("http://127.0.0.1:{port}");
    let mut server = start(&db, &data_dir, port);
    wait_until_up(&client, &base).await;
    let mut people = Vec::new();
    for n in 0..PEOPLE {
        let url = format!("{base}/api/v1/inburgeraars");
        let body = post_keyed(
            &client,
            url,
            &token,
            &format!("p-{n}"),
            &person(2000 + n, "0405"),
        )
        .await
        .expect("registration before the crashes");
        people.push(body["id"].as_str().unwrap().to_owned());
    }
    let writes = trajectory_writes(&people);
    let mut acknowledged: BTreeMap<String, Value> = BTreeMap::new();
    for round in 0..CRASHES {
        if round > 0 {
            let port = free_port();
            base = format!("http://127.0.0.1:{port}");
            server = start(&db, &data_dir, port);
            wait_until_up(&client, &base).await;
        }
        // Every write (again) on several connections, then SIGKILL after a random few milliseconds.
        let kill_after = Duration::from_millis(5 + random.next(150));
        let mut tasks = Vec::new();
        for chunk in writes.chunks(writes.len().div_ceil(6)) {
            let (chunk, client, base, token) =
                (chunk.to_vec(), client.clone(), base.clone(), token.clone());
            tasks.push(actix_web::rt::spawn(async move {
                let mut acked = Vec::new();
                for (key, path, body) in chunk {
                    if let Some(answer) =
                        post_keyed(&client, format!("{base}{path}"), &token, &key, &body).await
                    {
                        acked.push((key, answer));
                    }
                }
                acked
            }));
        }
        actix_web::rt::time::sleep(kill_after).await;
        server.kill().unwrap();
        server.wait().unwrap();
        for task in tasks {
            for (key, answer) in task.await.unwrap() {
                if let Some(first) = acknowledged.get(&key) {
                    assert_eq!(&answer, first, "{key}: a retry answers as the first time");
                }
                acknowledged.insert(key, answer);
            }
        }
    }

    // Restart and retry every key: acknowledged ones answer as they did, the rest complete once.
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = start(&db, &data_dir, port);
    wait_until_up(&client, &base).await;
    for (key, path, body) in &writes {
        let answer = post_keyed(&client, format!("{base}{path}"), &token, key, body)
            .await
            .unwrap_or_else(|| panic!("retry of {key} failed"));
        if let Some(first) = acknowledged.get(key) {
            assert_eq!(
                &answer, first,
                "{key}: an acknowledged write answers as it did"
            );
        }
        if key.starts_with("bulk-") {
            assert_eq!(
                answer["opgeslagen"], PER_BULK,
                "{key}: every item stored: {answer}"
            );
        }
    }
    let get = |path: String| {
        let (client, token) = (client.clone(), token.clone());
        async move {
            let mut response = client.get(path).bearer_auth(&token).send().await.unwrap();
            serde_json::from_slice::<Value>(&response.body().limit(4 << 20).await.unwrap()).unwrap()
        }
    };
    let per_person = BULKS * PER_BULK / PEOPLE;
    for person in &people {
        let base = format!("{base}/api/v1/inburgeraars/{person}");
        let pips = get(format!("{base}/pips")).await;
        assert_eq!(
            pips["resultaten"].as_array().unwrap().len(),
            1,
            "{person}: one PIP"
        );
        let gesprekken = get(format!("{base}/voortgangsgesprekken")).await;
        assert_eq!(
            gesprekken["resultaten"].as_array().unwrap().len(),
            1,
            "{person}: one conversation"
        );
        let voortgang = get(format!("{base}/voortgang")).await;
        let results = voortgang["examenresultaten"].as_array().unwrap();
        let distinct: BTreeSet<&str> = results
            .iter()
            .map(|r| r["datumExamen"].as_str().unwrap())
            .collect();
        assert_eq!(
            (results.len(), distinct.len()),
            (per_person as usize, per_person as usize),
            "{person}: every exam stored exactly once"
        );
    }
    server.kill().unwrap();
    server.wait().unwrap();
    // Every stored change has its event, once, and no event is without its change: per person the
    // registration, the PIP, the conversation and its part of each bulk call.
    let mut counted: BTreeMap<(String, &'static str), u32> = BTreeMap::new();
    for event in events_in(&db).await {
        let person = event.inburgeraar_id.unwrap().to_string();
        *counted.entry((person, event.kind.as_str())).or_default() += 1;
    }
    let mut expected = BTreeMap::new();
    for person in &people {
        for (kind, times) in [
            ("inburgeraar.geregistreerd", 1),
            ("pip.aangemaakt", 1),
            ("voortgangsgesprek.vastgelegd", 1),
            ("examenresultaat.aangeleverd", BULKS),
        ] {
            expected.insert((person.clone(), kind), times);
        }
    }
    assert_eq!(counted, expected, "one event per stored change");
    let _ = std::fs::remove_dir_all(&data_dir);
    println!(
        "{} of {} keyed writes acknowledged before the crashes",
        acknowledged.len(),
        writes.len()
    );
}

#[actix_web::test]
async fn retried_trajectory_writes_store_nothing_twice_on_sqlite() {
    trajectory_crash_and_recover(Backend::Sqlite).await;
}

#[actix_web::test]
async fn retried_trajectory_writes_store_nothing_twice_on_postgres() {
    trajectory_crash_and_recover(Backend::Postgres).await;
}

#[actix_web::test]
async fn acknowledged_writes_survive_sigkill_on_sqlite() {
    crash_and_recover(Backend::Sqlite).await;
}

#[actix_web::test]
async fn acknowledged_writes_survive_sigkill_on_postgres() {
    crash_and_recover(Backend::Postgres).await;
}
