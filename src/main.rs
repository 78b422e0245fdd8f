//! `koers`: the Koers API server and its tools.
//!
//! Commands: `serve`, `migrate`, `token`, `openapi`, `seed --demo`. Every setting is a flag and a
//! `KOERS_*` environment variable; see the README for the table.

mod config;
mod exporter;
mod seed;
mod synthetic;

use anyhow::Context;
use clap::{Parser, Subcommand};
use config::Settings;
use koers_domain::abonnement::Omgeving;
use koers_domain::principal::Scope;
use koers_http::ratelimit::{RateLimitSettings, RateLimits};
use koers_http::CursorKey;
use koers_http::{AppState, Claims};
use koers_persistence::DieselStore;
use secrecy::ExposeSecret;
use std::path::PathBuf;
use std::sync::Arc;
use tracing_subscriber::EnvFilter;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "koers",
    version,
    about = "Koers: de open API voor de Wet inburgering 2021"
)]
struct Cli {
    /// Log filter (tracing EnvFilter syntax).
    #[arg(long, global = true, env = "KOERS_LOG", default_value = "info")]
    log: String,
    /// Log format: `text` or `json`.
    #[arg(long, global = true, env = "KOERS_LOG_FORMAT", default_value = "text")]
    log_format: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations and serve the API.
    Serve {
        #[command(flatten)]
        settings: Settings,
        /// Address to listen on.
        #[arg(long, env = "KOERS_LISTEN_ADDR", default_value = "127.0.0.1:8080")]
        listen: String,
        /// Where clients reach the API (scheme, host and port), the server URL of the served contract;
        /// default `http://` and the listen address.
        #[arg(long, env = "KOERS_PUBLIC_URL")]
        public_url: Option<String>,
        #[command(flatten)]
        webhooks: Webhooks,
        /// Actix worker threads (default: one per core).
        #[arg(long, env = "KOERS_WORKERS")]
        workers: Option<usize>,
        /// Largest accepted request body in bytes (larger: 413).
        #[arg(long, env = "KOERS_MAX_BODY_BYTES", default_value_t = 1024 * 1024)]
        max_body_bytes: usize,
        /// Seconds that requests in flight get to finish after SIGTERM or SIGINT.
        #[arg(long, env = "KOERS_SHUTDOWN_GRACE_SECONDS", default_value_t = 30)]
        shutdown_grace_seconds: u64,
        /// Address for the Prometheus metrics (`GET /metrics`); off when not set.
        #[arg(long, env = "KOERS_METRICS_LISTEN")]
        metrics_listen: Option<String>,
        /// Requests per second per remote address, before authentication (burst: twice as many;
        /// 0: no limit).
        #[arg(long, env = "KOERS_RATE_LIMIT_ADDRESS", default_value_t = 1000)]
        rate_limit_address: u32,
        /// Requests per second per client (`sub`), after authentication (burst: twice as many; 0: no
        /// limit).
        #[arg(long, env = "KOERS_RATE_LIMIT_CLIENT", default_value_t = 500)]
        rate_limit_client: u32,
    },
    /// Apply pending database migrations and exit.
    Migrate {
        #[command(flatten)]
        settings: Settings,
    },
    /// Print a token signed with the configured HS256 secret (for development and Swagger UI).
    Token {
        #[command(flatten)]
        settings: Settings,
        /// Space-separated scopes (default: all).
        #[arg(long)]
        scope: Option<String>,
        /// CBS code of a gemeente the token acts for; repeat or separate with commas.
        #[arg(long, value_delimiter = ',')]
        gemeente: Vec<String>,
        /// Id of the organisatie a partner token acts for.
        #[arg(long)]
        organisatie: Option<String>,
        /// Client id (`sub`).
        #[arg(long, default_value = "koers-cli")]
        sub: String,
        /// The person using the client, recorded in the audit trail.
        #[arg(long)]
        gebruiker: Option<String>,
        /// Lifetime, such as 30m, 1h or 7d.
        #[arg(long, default_value = "1h")]
        ttl: String,
    },
    /// Write the OpenAPI document of the assembled app (openapi.json and openapi.yaml).
    Openapi {
        /// Folder to write to.
        #[arg(long, default_value = "openapi")]
        out: PathBuf,
        /// The server URL the document names: the committed one names a placeholder of the reserved
        /// `.example` domain, to be replaced by a deployment's own; a running server serves its
        /// `KOERS_PUBLIC_URL`.
        #[arg(long, default_value = "https://koers.example")]
        public_url: String,
    },
    /// Write a consistent copy of a live SQLite database to a new file (PostgreSQL: use pg_dump).
    Backup {
        #[command(flatten)]
        settings: Settings,
        /// The file to write; it must not exist yet.
        #[arg(long)]
        out: PathBuf,
    },
    /// Fill the database.
    Seed {
        #[command(flatten)]
        settings: Settings,
        /// The demo data: the gemeenten of the field and inburgeraars in every phase; only on an empty database.
        #[arg(
            long,
            required_unless_present = "synthetic",
            conflicts_with = "synthetic"
        )]
        demo: bool,
        /// N synthetic inburgeraars over 342 gemeenten, for benchmarks; only on an empty database.
        #[arg(long, value_name = "N")]
        synthetic: Option<u64>,
        /// Seed of the synthetic data: the same seed gives the same people.
        #[arg(long, default_value_t = 1, requires = "synthetic")]
        random_seed: u64,
    },
}

fn init_tracing(filter: &str, format: &str) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn parse_ttl(text: &str) -> anyhow::Result<u64> {
    let (number, unit) = text.split_at(
        text.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len()),
    );
    let number: u64 = number
        .parse()
        .with_context(|| format!("invalid --ttl {text:?}"))?;
    let factor = match unit {
        "s" | "" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => anyhow::bail!("invalid --ttl unit {unit:?}: use s, m, h or d"),
    };
    Ok(number * factor)
}

fn open_store(settings: &Settings) -> anyhow::Result<DieselStore> {
    let url = settings.database()?;
    let applied = DieselStore::migrate(&url).map_err(anyhow::Error::msg)?;
    for name in &applied {
        tracing::info!(migration = %name, "applied migration");
    }
    Ok(DieselStore::new(
        &url,
        settings.pool(),
        settings.pseudonym_key()?,
    ))
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_tracing(&cli.log, &cli.log_format);
    match cli.command {
        Command::Serve {
            settings,
            listen,
            public_url,
            webhooks,
            workers,
            max_body_bytes,
            shutdown_grace_seconds,
            metrics_listen,
            rate_limit_address,
            rate_limit_client,
        } => serve(
            Listen {
                public_url: public_url.unwrap_or_else(|| format!("http://{listen}")),
                omgeving: settings.omgeving(),
                webhooks,
                api: listen,
                metrics: metrics_listen,
            },
            settings,
            Limits {
                workers,
                max_body_bytes,
                shutdown_grace_seconds,
                rates: RateLimitSettings {
                    per_address: rate_limit_address,
                    per_client: rate_limit_client,
                },
            },
        ),
        Command::Migrate { settings } => {
            let url = settings.database()?;
            let applied = DieselStore::migrate(&url).map_err(anyhow::Error::msg)?;
            println!("{} migration(s) applied to {url}", applied.len());
            Ok(())
        }
        Command::Token {
            settings,
            scope,
            gemeente,
            organisatie,
            sub,
            gebruiker,
            ttl,
        } => {
            let auth = settings.auth()?;
            let now = chrono::Utc::now().timestamp().max(0).unsigned_abs();
            let scope = scope.unwrap_or_else(|| Scope::ALL.map(Scope::as_str).join(" "));
            let claims = Claims {
                iss: auth.issuer.clone(),
                aud: auth.audience.clone(),
                sub,
                exp: now + parse_ttl(&ttl)?,
                iat: now,
                scope,
                gemeenten: gemeente,
                organisatie,
                gebruiker,
            };
            println!("{}", auth.mint(&claims).map_err(anyhow::Error::msg)?);
            Ok(())
        }
        Command::Backup { settings, out } => {
            let url = settings.database()?;
            koers_persistence::backup(&url, &out).map_err(anyhow::Error::msg)?;
            println!("backed up {url} to {}", out.display());
            Ok(())
        }
        Command::Openapi { out, public_url } => {
            let (json, yaml) =
                koers_http::openapi::published_texts(&koers_http::openapi_document(), &public_url);
            std::fs::create_dir_all(&out)?;
            std::fs::write(out.join("openapi.json"), json)?;
            std::fs::write(out.join("openapi.yaml"), yaml)?;
            println!("wrote {0}/openapi.json and {0}/openapi.yaml", out.display());
            Ok(())
        }
        Command::Seed {
            settings,
            demo: _,
            synthetic,
            random_seed,
        } => {
            let store = open_store(&settings)?;
            match synthetic {
                Some(count) => match synthetic::load(&store, count, random_seed)? {
                    0 => println!("database is not empty: synthetic data not loaded"),
                    stored => println!("loaded {stored} synthetic inburgeraars"),
                },
                None => match seed::demo(&store)? {
                    0 => println!("database is not empty: demo data not loaded"),
                    count => println!("loaded {count} demo inburgeraars"),
                },
            }
            Ok(())
        }
    }
}

/// How this node delivers events to abonnementen.
#[derive(clap::Args, Clone, Debug)]
struct Webhooks {
    /// The CloudEvents `source` of this deployment: a URN, for example with the gemeente's OIN
    /// (`urn:nld:oin:00000001234567890000:systeem:koers`).
    #[arg(long, env = "KOERS_BRON", default_value = "urn:nld:koers")]
    bron: String,
    /// Abonnementen this node delivers at once (0: this node delivers none).
    #[arg(long, env = "KOERS_AFLEVERING_TAKEN", default_value_t = 4)]
    aflevering_taken: usize,
    /// Seconds a delivery may take until the receiver's answer (connecting: at most 5).
    #[arg(long, env = "KOERS_AFLEVERING_TIMEOUT", default_value_t = 10)]
    aflevering_timeout: u64,
    /// The wait after the first failed delivery, in seconds; it doubles with every failure after it.
    #[arg(long, env = "KOERS_HERHAAL_BASIS", default_value_t = 10)]
    herhaal_basis: u64,
    /// The longest wait between attempts, in seconds.
    #[arg(long, env = "KOERS_HERHAAL_MAXIMUM", default_value_t = 4 * 3600)]
    herhaal_maximum: u64,
    /// After this many failures in a row the abonnement is opgeschort (16: about a day).
    #[arg(long, env = "KOERS_HERHAAL_POGINGEN", default_value_t = 16)]
    herhaal_pogingen: u32,
    /// Days events are kept in the outbox (the change feed, replays); 0: for ever.
    #[arg(long, env = "KOERS_GEBEURTENISSEN_BEWAARDAGEN", default_value_t = 180)]
    gebeurtenissen_bewaardagen: u32,
}

impl Webhooks {
    /// The delivery client and the settings of this node's delivery tasks.
    fn bezorging(
        &self,
        omgeving: Omgeving,
        public_url: &str,
    ) -> anyhow::Result<(
        koers_http::aflevering::Afleverclient,
        koers_http::bezorging::Bezorginstellingen,
    )> {
        let timeout = std::time::Duration::from_secs(self.aflevering_timeout.max(1));
        let client = koers_http::aflevering::Afleverclient::new(
            koers_http::aflevering::Afleverinstellingen {
                omgeving,
                bron: self.bron.clone(),
                basis_url: public_url.to_owned(),
                connect_timeout: timeout.min(std::time::Duration::from_secs(5)),
                timeout,
            },
        )
        .map_err(|e| anyhow::anyhow!(e))?;
        let seconds = |s: u64| chrono::TimeDelta::seconds(i64::try_from(s).unwrap_or(i64::MAX));
        let instellingen = koers_http::bezorging::Bezorginstellingen {
            node: format!("{}-{}", std::process::id(), uuid::Uuid::now_v7()),
            taken: self.aflevering_taken,
            batch: 100,
            wacht: std::time::Duration::from_millis(100),
            claim: timeout * 3,
            schema: koers_domain::abonnement::Herhaalschema {
                basis: seconds(self.herhaal_basis),
                maximum: seconds(self.herhaal_maximum),
                pogingen: self.herhaal_pogingen,
            },
        };
        Ok((client, instellingen))
    }
}

/// Where `serve` listens: the API, and the metrics if asked.
struct Listen {
    api: String,
    public_url: String,
    omgeving: Omgeving,
    webhooks: Webhooks,
    metrics: Option<String>,
}

/// How much `serve` takes on.
struct Limits {
    workers: Option<usize>,
    max_body_bytes: usize,
    shutdown_grace_seconds: u64,
    rates: RateLimitSettings,
}

fn serve(listen: Listen, settings: Settings, limits: Limits) -> anyhow::Result<()> {
    let Limits {
        workers,
        max_body_bytes,
        shutdown_grace_seconds,
        rates,
    } = limits;
    // The recorder comes first, so that the store's metrics from start-up on are kept.
    let metrics = listen
        .metrics
        .as_deref()
        .map(exporter::Exporter::install)
        .transpose()?;
    let auth = settings.auth()?;
    let store: Arc<dyn koers_domain::ports::Store> = Arc::new(open_store(&settings)?);
    let state = AppState {
        store: Arc::clone(&store),
        auth,
        max_body_bytes,
        limits: Arc::new(RateLimits::new(rates)),
        // Every node of a deployment has the same pseudonym key, so each accepts the others' cursors.
        cursors: CursorKey::derive(settings.pseudonym_key()?.expose_secret().as_bytes()),
        public_url: listen.public_url.clone(),
        omgeving: listen.omgeving,
    };
    actix_web::rt::System::new().block_on(async move {
        // On SIGTERM or SIGINT the server stops accepting, lets requests in flight finish within the
        // grace period, and returns; the store is dropped after it, and with it the SQLite committer,
        // which commits what it still holds before the process exits.
        let listener = std::net::TcpListener::bind(&listen.api)
            .with_context(|| format!("cannot listen on {}", listen.api))?;
        let server = koers_http::server(
            state,
            listener,
            koers_http::ServerSettings {
                workers,
                shutdown_grace_seconds,
                ..koers_http::ServerSettings::default()
            },
        )
        .with_context(|| format!("cannot serve on {}", listen.api))?;
        if let Some(exporter) = metrics {
            actix_web::rt::spawn(exporter.serve()?);
        }
        if listen.webhooks.gebeurtenissen_bewaardagen > 0 {
            koers_http::bezorging::start_opruimen(
                Arc::clone(&store),
                chrono::TimeDelta::days(i64::from(listen.webhooks.gebeurtenissen_bewaardagen)),
                std::time::Duration::from_secs(3600),
            );
        }
        if listen.webhooks.aflevering_taken > 0 {
            let (client, instellingen) = listen
                .webhooks
                .bezorging(listen.omgeving, &listen.public_url)?;
            koers_http::bezorging::start(Arc::clone(&store), Arc::new(client), instellingen);
        }
        let url = format!("http://{}", listen.api);
        tracing::info!(%url, database = %settings.database()?, "Koers serves");
        println!("Koers luistert op {url}");
        println!("Swagger UI: {url}/api/v1/docs/");
        let exe = std::env::args()
            .next()
            .unwrap_or_else(|| "koers".to_owned());
        println!("Token:      {exe} token --gemeente 0405,0498   (then Authorize in Swagger UI)");
        server.await.context("server stopped with an error")?;
        tracing::info!("Koers stopped");
        Ok(())
    })
}
