//! The Prometheus exporter: the metrics the crates record through the `metrics` facade, in Prometheus
//! text format at `GET /metrics` on a listen address of its own (`KOERS_METRICS_LISTEN`), apart from
//! the API so that it is never exposed with it.

use anyhow::Context;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::time::Duration;

/// Latency buckets in seconds, from a fast read to a slow bulk call.
const SECONDS: &[f64] = &[
    0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Sizes of a group commit.
const BATCH: &[f64] = &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0];

/// The installed recorder and where to serve it.
pub struct Exporter {
    handle: PrometheusHandle,
    listen: String,
}

impl Exporter {
    /// Installs the global recorder and records the build.
    ///
    /// # Errors
    /// When a recorder was installed already or a bucket list is empty.
    pub fn install(listen: &str) -> anyhow::Result<Self> {
        let handle = PrometheusBuilder::new()
            .set_buckets(SECONDS)?
            .set_buckets_for_metric(
                metrics_exporter_prometheus::Matcher::Full(
                    "koers_sqlite_commit_batch_size".to_owned(),
                ),
                BATCH,
            )?
            .install_recorder()
            .context("cannot install the metrics recorder")?;
        describe();
        metrics::gauge!("koers_build_info", "versie" => env!("CARGO_PKG_VERSION")).set(1.0);
        Ok(Self {
            handle,
            listen: listen.to_owned(),
        })
    }

    /// The metrics server; upkeep runs at every scrape and every few seconds.
    ///
    /// # Errors
    /// When the address cannot be bound.
    pub fn serve(self) -> anyhow::Result<actix_web::dev::Server> {
        let upkeep = self.handle.clone();
        actix_web::rt::spawn(async move {
            let mut every = actix_web::rt::time::interval(Duration::from_secs(5));
            loop {
                every.tick().await;
                upkeep.run_upkeep();
            }
        });
        let handle = self.handle;
        let server = actix_web::HttpServer::new(move || {
            let handle = handle.clone();
            actix_web::App::new().route(
                "/metrics",
                actix_web::web::get().to(move || {
                    let handle = handle.clone();
                    async move {
                        handle.run_upkeep();
                        actix_web::HttpResponse::Ok()
                            .content_type("text/plain; version=0.0.4")
                            .body(handle.render())
                    }
                }),
            )
        })
        .workers(1)
        .disable_signals()
        .bind(&self.listen)
        .with_context(|| format!("cannot listen for metrics on {}", self.listen))?
        .run();
        tracing::info!(listen = %self.listen, "metrics at /metrics");
        Ok(server)
    }
}

fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    describe_counter!(
        "koers_http_requests_total",
        "Answered requests by operation (method and route) and status."
    );
    describe_histogram!(
        "koers_http_request_duration_seconds",
        Unit::Seconds,
        "Time to answer, by operation."
    );
    describe_histogram!(
        "koers_db_pool_wait_seconds",
        Unit::Seconds,
        "Time spent waiting for a database connection."
    );
    describe_gauge!(
        "koers_db_pool_connections",
        "Connections of the pool, in use and idle."
    );
    describe_counter!(
        "koers_db_pool_timeouts_total",
        "Requests that got no database connection in time (503)."
    );
    describe_histogram!(
        "koers_sqlite_commit_batch_size",
        "Writes committed together by the SQLite committer."
    );
    describe_histogram!(
        "koers_sqlite_commit_seconds",
        Unit::Seconds,
        "Time of one group commit on SQLite, fsync included."
    );
    describe_counter!(
        "koers_verwerkingen_written_total",
        "Processing-log lines (verwerkingen) written."
    );
    describe_gauge!("koers_build_info", "The running version (value 1).");
}
