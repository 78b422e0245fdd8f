//! Bearer tokens: HS256 with a configured secret, RS256/ES256 against the keys of a JWKS. `iss`, `aud`
//! and `exp` are always checked; `alg: none` and tokens in the query string are refused.

use crate::context::RequestIds;
use crate::problem::ApiError;
use crate::state::{run_blocking, AppState};
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use koers_domain::gemeente::GemeenteCode;
use koers_domain::principal::{Principal, Scope};
use koers_domain::records::{truncate_to_micros, RequestContext};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Claims of a Koers token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    pub sub: String,
    pub exp: u64,
    pub iat: u64,
    /// Space-separated scopes.
    #[serde(default)]
    pub scope: String,
    /// Municipal clients: the CBS codes of the gemeenten the client acts for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gemeenten: Vec<String>,
    /// Partner clients: the id of the registered organisatie.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisatie: Option<String>,
    /// The natural person using the client, where known (for the audit trail).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gebruiker: Option<String>,
}

/// How tokens are verified.
#[derive(Clone)]
pub struct AuthConfig {
    pub issuer: String,
    pub audience: String,
    hs256: Option<(EncodingKey, DecodingKey)>,
    jwks: Vec<(Option<String>, Algorithm, DecodingKey)>,
}

impl AuthConfig {
    /// Verification with an HS256 secret and/or the keys of a JWKS document.
    ///
    /// # Errors
    /// A message when the JWKS holds a key that cannot be used, or no key at all is configured.
    pub fn new(
        issuer: String,
        audience: String,
        hs256_secret: Option<&[u8]>,
        jwks: Option<&JwkSet>,
    ) -> Result<Self, String> {
        let hs256 = hs256_secret.map(|secret| {
            (
                EncodingKey::from_secret(secret),
                DecodingKey::from_secret(secret),
            )
        });
        let mut keys = Vec::new();
        for jwk in jwks.map(|set| set.keys.as_slice()).unwrap_or_default() {
            let algorithm = match &jwk.algorithm {
                jsonwebtoken::jwk::AlgorithmParameters::RSA(_) => Algorithm::RS256,
                jsonwebtoken::jwk::AlgorithmParameters::EllipticCurve(_) => Algorithm::ES256,
                _ => {
                    return Err(
                        "JWKS: only RSA (RS256) and EC P-256 (ES256) keys are supported".to_owned(),
                    )
                }
            };
            let key = DecodingKey::from_jwk(jwk).map_err(|e| format!("JWKS key: {e}"))?;
            keys.push((jwk.common.key_id.clone(), algorithm, key));
        }
        if hs256.is_none() && keys.is_empty() {
            return Err(
                "no token key configured: set KOERS_JWT_SECRET or KOERS_JWKS_FILE".to_owned(),
            );
        }
        Ok(Self {
            issuer,
            audience,
            hs256,
            jwks: keys,
        })
    }

    /// Signs claims with the HS256 secret (`koers token`, tests).
    ///
    /// # Errors
    /// A message when no HS256 secret is configured.
    pub fn mint(&self, claims: &Claims) -> Result<String, String> {
        let (key, _) = self
            .hs256
            .as_ref()
            .ok_or_else(|| "no HS256 secret configured".to_owned())?;
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, key).map_err(|e| e.to_string())
    }

    /// Verifies a token and returns the principal it carries.
    ///
    /// # Errors
    /// `Unauthorized` for any token that is not valid, with a reason that gives nothing away.
    pub fn verify(&self, token: &str) -> Result<Principal, ApiError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| {
            ApiError::Unauthorized("Het token is geen geldig JWT (of gebruikt alg none).")
        })?;
        let key = match header.alg {
            Algorithm::HS256 => self.hs256.as_ref().map(|(_, key)| key),
            Algorithm::RS256 | Algorithm::ES256 => self
                .jwks
                .iter()
                .filter(|(_, alg, _)| *alg == header.alg)
                .find(|(kid, _, _)| header.kid.is_none() || *kid == header.kid)
                .map(|(_, _, key)| key),
            _ => None,
        }
        .ok_or(ApiError::Unauthorized(
            "Het token is getekend met een algoritme of sleutel die Koers niet kent.",
        ))?;
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 30;
        let data = jsonwebtoken::decode::<Claims>(token, key, &validation).map_err(|e| {
            tracing::debug!(error = %e, "token refused");
            ApiError::Unauthorized("Het token is ongeldig, verlopen of niet voor deze API bedoeld.")
        })?;
        principal_from_claims(data.claims)
    }
}

fn principal_from_claims(claims: Claims) -> Result<Principal, ApiError> {
    // What a token names is stored with every change and every processing-log line: text a backend
    // cannot store (U+0000) or control characters make the token invalid.
    let text_claims = [
        Some(&claims.sub),
        claims.gebruiker.as_ref(),
        claims.organisatie.as_ref(),
    ];
    if text_claims
        .into_iter()
        .flatten()
        .any(|text| text.chars().any(char::is_control))
    {
        return Err(ApiError::Unauthorized(
            "Het token bevat een claim met stuurtekens.",
        ));
    }
    if claims
        .organisatie
        .as_deref()
        .is_some_and(|id| uuid::Uuid::parse_str(id).is_err())
    {
        return Err(ApiError::Unauthorized(
            "De claim `organisatie` is geen geregistreerde organisatie.",
        ));
    }
    let gemeenten = claims
        .gemeenten
        .iter()
        .map(|code| GemeenteCode::parse("gemeenten", code))
        .collect::<Result<BTreeSet<_>, _>>()
        .map_err(|_| {
            ApiError::Unauthorized("De claim `gemeenten` bevat een ongeldige gemeentecode.")
        })?;
    Ok(Principal {
        client: claims.sub,
        gebruiker: claims.gebruiker,
        scopes: claims
            .scope
            .split_whitespace()
            .filter_map(Scope::parse)
            .collect(),
        gemeenten,
        organisatie: claims.organisatie,
    })
}

/// Query parameters that would carry a token; refused so that tokens never end up in access logs.
const TOKEN_QUERY_KEYS: [&str; 3] = ["access_token", "token", "jwt"];

/// An authenticated caller with the context of its request. Extracting it answers 401 when the
/// request carries no valid bearer token.
pub struct Caller(pub RequestContext);

impl Caller {
    /// The request context, if the caller has `scope`; 403 otherwise.
    ///
    /// # Errors
    /// `Forbidden` naming the missing scope.
    pub fn require(&self, scope: Scope) -> Result<&RequestContext, ApiError> {
        if self.0.principal.has_scope(scope) {
            Ok(&self.0)
        } else {
            Err(ApiError::Forbidden(scope.as_str()))
        }
    }
}

fn authenticate(req: &HttpRequest) -> Result<Caller, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or(ApiError::Internal)?;
    let in_query = req.query_string().split('&').any(|pair| {
        let key = pair.split('=').next().unwrap_or_default();
        TOKEN_QUERY_KEYS.contains(&key)
    });
    if in_query {
        return Err(ApiError::Unauthorized(
            "Tokens in de query string worden geweigerd; gebruik de header Authorization: Bearer.",
        ));
    }
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or(ApiError::Unauthorized(
            "Geef een token mee in de header Authorization: Bearer <token>.",
        ))?;
    let token = value
        .to_str()
        .ok()
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(ApiError::Unauthorized(
            "De header Authorization moet de vorm `Bearer <token>` hebben.",
        ))?;
    let principal = state.auth.verify(token)?;
    state.limits.client(req, &principal.client)?;
    let ids = req
        .extensions()
        .get::<RequestIds>()
        .cloned()
        .unwrap_or_else(RequestIds::generate);
    Ok(Caller(RequestContext {
        principal,
        trace_id: ids.trace_id,
        span_id: ids.span_id,
        request_id: ids.request_id,
        now: truncate_to_micros(chrono::Utc::now().naive_utc()),
    }))
}

/// A partner token acts only for a registered, active organisatie: like an invalid gemeente code, any
/// other is a 401 (one look-up by key, on every partner request, so a deactivation holds at once).
async fn active_organisatie(req: HttpRequest, caller: Caller) -> Result<Caller, ApiError> {
    let Some(id) = caller
        .0
        .principal
        .organisatie
        .as_deref()
        .and_then(|id| uuid::Uuid::parse_str(id).ok())
    else {
        return Ok(caller);
    };
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or(ApiError::Internal)?
        .clone();
    let found = run_blocking(&state, move |store| store.get_organisatie(id)).await?;
    match found {
        Some(organisatie) if organisatie.actief => Ok(caller),
        _ => Err(ApiError::Unauthorized(
            "De claim `organisatie` is geen geregistreerde, actieve organisatie.",
        )),
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Caller, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let authenticated = authenticate(req);
        let req = req.clone();
        Box::pin(async move { active_organisatie(req, authenticated?).await })
    }
}
