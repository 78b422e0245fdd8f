//! Configuration from flags and `KOERS_*` environment variables, and the development secrets that
//! `serve` and `token` share under the data folder.

use anyhow::{bail, Context};
use clap::{Args, ValueEnum};
use koers_http::AuthConfig;
use koers_persistence::{DatabaseUrl, PoolSettings};
use secrecy::{ExposeSecret, SecretString};
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Environment {
    Development,
    Production,
}

impl Settings {
    /// Where callbacks of abonnementen may go: in production https to public addresses only.
    pub fn omgeving(&self) -> koers_domain::abonnement::Omgeving {
        match self.environment {
            Environment::Development => koers_domain::abonnement::Omgeving::Ontwikkeling,
            Environment::Production => koers_domain::abonnement::Omgeving::Productie,
        }
    }
}

/// Settings shared by every command that touches the database or tokens.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Database URL: sqlite://PATH (embedded) or postgres://USER@HOST:PORT/DB.
    #[arg(
        long,
        env = "KOERS_DATABASE_URL",
        default_value = "sqlite://data/koers.db",
        value_parser = DatabaseUrl::parse
    )]
    pub database_url: DatabaseUrl,
    /// Connections in the database pool.
    #[arg(long, env = "KOERS_DATABASE_POOL_SIZE", default_value_t = 8)]
    pub database_pool_size: u32,
    /// Seconds a request waits for a free connection before it is answered 503.
    #[arg(long, env = "KOERS_DATABASE_TIMEOUT_SECONDS", default_value_t = 5)]
    pub database_timeout_seconds: u64,
    /// Folder for the SQLite file and the generated development secrets.
    #[arg(long, env = "KOERS_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// `development` generates missing secrets under the data folder and lets abonnementen call back to
    /// http on localhost; `production` refuses to start without configured keys and calls back only to
    /// https on public addresses.
    #[arg(
        long,
        env = "KOERS_ENVIRONMENT",
        value_enum,
        default_value = "development"
    )]
    pub environment: Environment,
    /// HS256 secret for tokens (at least 32 characters).
    #[arg(long, env = "KOERS_JWT_SECRET", hide_env_values = true, value_parser = secret)]
    pub jwt_secret: Option<SecretString>,
    /// JWKS file with the RS256/ES256 public keys of an identity provider.
    #[arg(long, env = "KOERS_JWKS_FILE")]
    pub jwks_file: Option<PathBuf>,
    /// Expected `iss` of tokens.
    #[arg(long, env = "KOERS_JWT_ISSUER", default_value = "koers")]
    pub jwt_issuer: String,
    /// Expected `aud` of tokens.
    #[arg(long, env = "KOERS_JWT_AUDIENCE", default_value = "koers")]
    pub jwt_audience: String,
    /// Key for the pseudonyms of people in the processing log.
    #[arg(long, env = "KOERS_PSEUDONYM_KEY", hide_env_values = true, value_parser = secret)]
    pub pseudonym_key: Option<SecretString>,
}

/// A secret from the command line or the environment, held redacted from then on.
fn secret(text: &str) -> Result<SecretString, std::convert::Infallible> {
    Ok(SecretString::from(text))
}

const MIN_SECRET_LENGTH: usize = 32;

impl Settings {
    pub fn database(&self) -> anyhow::Result<DatabaseUrl> {
        Ok(self.database_url.clone())
    }

    pub fn pool(&self) -> PoolSettings {
        PoolSettings {
            max_size: self.database_pool_size.max(2),
            connection_timeout: Duration::from_secs(self.database_timeout_seconds.max(1)),
        }
    }

    /// A configured secret, or in development one generated once under the data folder.
    fn secret(
        &self,
        configured: Option<&SecretString>,
        file: &str,
        what: &str,
    ) -> anyhow::Result<SecretString> {
        if let Some(secret) = configured {
            if secret.expose_secret().len() < MIN_SECRET_LENGTH {
                bail!("{what} must be at least {MIN_SECRET_LENGTH} characters");
            }
            return Ok(secret.clone());
        }
        if self.environment == Environment::Production {
            bail!("{what} is not configured; production refuses to start without it");
        }
        development_secret(&self.data_dir.join(file), what)
    }

    pub fn auth(&self) -> anyhow::Result<AuthConfig> {
        let jwks = match &self.jwks_file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read JWKS file {}", path.display()))?;
                Some(
                    serde_json::from_str(&text)
                        .with_context(|| format!("{} is not a JWKS document", path.display()))?,
                )
            }
            None => None,
        };
        let secret = if jwks.is_some() && self.jwt_secret.is_none() {
            None
        } else {
            Some(self.secret(self.jwt_secret.as_ref(), "jwt-secret", "KOERS_JWT_SECRET")?)
        };
        AuthConfig::new(
            self.jwt_issuer.clone(),
            self.jwt_audience.clone(),
            secret.as_ref().map(|s| s.expose_secret().as_bytes()),
            jwks.as_ref(),
        )
        .map_err(anyhow::Error::msg)
    }

    pub fn pseudonym_key(&self) -> anyhow::Result<SecretString> {
        self.secret(
            self.pseudonym_key.as_ref(),
            "pseudonym-key",
            "KOERS_PSEUDONYM_KEY",
        )
    }
}

/// Reads the secret at `path`, creating it (owner-only) when missing.
fn development_secret(path: &Path, what: &str) -> anyhow::Result<SecretString> {
    if let Ok(existing) = std::fs::read_to_string(path) {
        let existing = existing.trim().to_owned();
        if existing.len() >= MIN_SECRET_LENGTH {
            return Ok(SecretString::from(existing));
        }
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let secret = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    write_private(path, &secret)?;
    tracing::warn!(path = %path.display(), "{what} not configured: generated a development secret");
    Ok(SecretString::from(secret))
}

#[cfg(unix)]
fn write_private(path: &Path, content: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.write_all(content.as_bytes())?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, content: &str) -> anyhow::Result<()> {
    std::fs::write(path, content).with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Harness {
        #[command(flatten)]
        settings: Settings,
    }

    fn settings(args: &[&str]) -> Settings {
        let dir =
            std::env::temp_dir().join(format!("koers-config-{}", uuid::Uuid::new_v4().simple()));
        let data_dir = format!("--data-dir={}", dir.display());
        let mut all = vec!["koers", data_dir.as_str()];
        all.extend_from_slice(args);
        Harness::parse_from(all).settings
    }

    #[test]
    fn production_refuses_to_start_without_keys() {
        let production = settings(&["--environment=production"]);
        assert!(production.auth().is_err());
        assert!(production.pseudonym_key().is_err());
        assert!(
            !production.data_dir.exists(),
            "nothing is generated in production"
        );
        let configured = settings(&[
            "--environment=production",
            "--jwt-secret=0123456789abcdef0123456789abcdef",
            "--pseudonym-key=fedcba9876543210fedcba9876543210",
        ]);
        assert!(configured.auth().is_ok());
        assert!(configured.pseudonym_key().is_ok());
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        let jwt = "0123456789abcdef0123456789abcdef-jwt";
        let key = "fedcba9876543210fedcba9876543210-key";
        let configured = settings(&[
            &format!("--jwt-secret={jwt}"),
            &format!("--pseudonym-key={key}"),
            "--database-url=postgres://koers:wachtwoord@db:5432/koers",
        ]);
        let printed = format!("{configured:?} {:?}", configured.pseudonym_key().unwrap());
        for secret in [jwt, key, "wachtwoord"] {
            assert!(!printed.contains(secret), "{secret} printed in {printed}");
        }
        assert_eq!(configured.pseudonym_key().unwrap().expose_secret(), key);
    }

    #[test]
    fn development_generates_a_secret_once_and_reuses_it() {
        let development = settings(&[]);
        let first = development.pseudonym_key().unwrap();
        assert_eq!(
            development.pseudonym_key().unwrap().expose_secret(),
            first.expose_secret()
        );
        assert!(first.expose_secret().len() >= MIN_SECRET_LENGTH);
        let short = settings(&["--jwt-secret=short"]);
        assert!(short.auth().is_err(), "a short secret is refused");
        let _ = std::fs::remove_dir_all(&development.data_dir);
    }
}
