//! Errors as `application/problem+json` (RFC 9457), with one status table for every error of the API.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use koers_domain::ports::StoreError;
use koers_domain::traject::Weigering;
use koers_domain::FieldErrors;
use serde::Serialize;
use std::fmt;
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// Een foutmelding volgens RFC 9457 (Problem Details for HTTP APIs).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "type": "https://koers.dev/problemen/ongeldige-invoer",
    "title": "Ongeldige invoer",
    "status": 400,
    "detail": "Een of meer velden zijn ongeldig.",
    "instance": "/api/v1/inburgeraars",
    "invalidParams": [{"name": "bsn", "code": "elfproef", "reason": "Het BSN voldoet niet aan de elfproef."}]
}))]
pub struct Problem {
    /// URI die het soort fout aanduidt.
    #[schema(
        pattern = "^https://koers\\.dev/problemen/[a-z0-9-]+$",
        max_length = 200
    )]
    #[serde(rename = "type")]
    pub kind: String,
    /// Korte, vaste omschrijving van het soort fout.
    pub title: String,
    /// De HTTP-statuscode.
    #[schema(minimum = 400, maximum = 599)]
    pub status: u16,
    /// Uitleg van deze specifieke fout.
    pub detail: String,
    /// Het pad van het verzoek waarop de fout optrad.
    #[schema(format = "uri-reference")]
    pub instance: String,
    /// Alle ongeldige velden en parameters van het verzoek (alleen bij status 400).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub invalid_params: Vec<InvalidParam>,
}

/// Een ongeldig veld of een ongeldige parameter.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InvalidParam {
    /// Naam van het veld (JSON-eigenschap) of de parameter.
    #[schema(example = "bsn")]
    pub name: String,
    /// Vaste code van de regel die niet werd gehaald.
    #[schema(example = "elfproef")]
    pub code: String,
    /// Uitleg in het Nederlands.
    #[schema(example = "Het BSN voldoet niet aan de elfproef.")]
    pub reason: String,
}

/// Every error the API answers with.
#[derive(Debug)]
pub enum ApiError {
    Invalid(FieldErrors),
    Unauthorized(&'static str),
    Forbidden(&'static str),
    NotFound,
    MethodNotAllowed(String),
    Conflict {
        kind: &'static str,
        detail: String,
    },
    PreconditionFailed,
    PayloadTooLarge(usize),
    /// A body in a media type the operation does not take.
    UnsupportedMediaType,
    Unavailable,
    /// Not ready to serve: the part that is down, in Dutch.
    NotReady(String),
    /// Over a rate limit: the seconds until the next request is let through.
    TooManyRequests(u64),
    Internal,
}

impl ApiError {
    /// A single invalid field or parameter.
    pub fn invalid(name: &str, code: &'static str, reason: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(name, code, reason);
        ApiError::Invalid(errors)
    }

    fn status(&self) -> StatusCode {
        match self {
            ApiError::Invalid(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Unavailable | ApiError::NotReady(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The problem document, without `instance` (the response middleware adds the request path).
    pub fn problem(&self) -> Problem {
        let (slug, title, detail): (&str, &str, String) = match self {
            ApiError::Invalid(errors) => (
                "ongeldige-invoer",
                "Ongeldige invoer",
                format!(
                    "{} veld(en) of parameter(s) ongeldig; zie invalidParams.",
                    errors.0.len()
                ),
            ),
            ApiError::Unauthorized(detail) => (
                "niet-geauthenticeerd",
                "Niet geauthenticeerd",
                (*detail).to_owned(),
            ),
            ApiError::Forbidden(scope) => (
                "geen-toegang",
                "Geen toegang",
                format!("Voor deze bewerking is de scope `{scope}` nodig."),
            ),
            ApiError::NotFound => (
                "niet-gevonden",
                "Niet gevonden",
                "De gevraagde resource bestaat niet.".to_owned(),
            ),
            ApiError::MethodNotAllowed(allowed) => (
                "methode-niet-toegestaan",
                "Methode niet toegestaan",
                format!("Op deze resource zijn toegestaan: {allowed}."),
            ),
            ApiError::Conflict { kind, detail } => (kind, "Conflict", detail.clone()),
            ApiError::PreconditionFailed => (
                "verouderde-versie",
                "Verouderde versie",
                "De resource is gewijzigd sinds de versie in If-Match; haal haar opnieuw op."
                    .to_owned(),
            ),
            ApiError::PayloadTooLarge(limit) => (
                "verzoek-te-groot",
                "Verzoek te groot",
                format!("De body mag hoogstens {limit} bytes zijn."),
            ),
            ApiError::UnsupportedMediaType => (
                "mediatype-niet-ondersteund",
                "Mediatype niet ondersteund",
                "Stuur de body als application/json (of een +json-mediatype).".to_owned(),
            ),
            ApiError::Unavailable => (
                "niet-beschikbaar",
                "Tijdelijk niet beschikbaar",
                "De database is nu niet bereikbaar; probeer het later opnieuw.".to_owned(),
            ),
            ApiError::TooManyRequests(seconds) => (
                "te-veel-verzoeken",
                "Te veel verzoeken",
                format!("Te veel verzoeken; probeer het over {seconds} seconde(n) opnieuw."),
            ),
            ApiError::NotReady(detail) => ("niet-gereed", "Niet gereed", detail.clone()),
            ApiError::Internal => (
                "interne-fout",
                "Interne fout",
                "Er ging iets mis aan onze kant; de fout is gelogd.".to_owned(),
            ),
        };
        let invalid_params = match self {
            // As many as the contract allows; a body with more invalid fields has bigger problems.
            ApiError::Invalid(errors) => errors
                .0
                .iter()
                .take(crate::openapi::MAX_ITEMS)
                .map(|e| InvalidParam {
                    name: e.name.clone(),
                    code: e.code.to_owned(),
                    reason: e.reason.clone(),
                })
                .collect(),
            _ => Vec::new(),
        };
        Problem {
            kind: format!("https://koers.dev/problemen/{slug}"),
            title: title.to_owned(),
            status: self.status().as_u16(),
            detail,
            instance: String::new(),
            invalid_params,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let problem = self.problem();
        write!(f, "{}: {}", problem.title, problem.detail)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        problem_response(self.problem(), self)
    }
}

/// The response for a problem; the problem itself travels in the response extensions so that the
/// response middleware can fill in `instance`.
pub fn problem_response(problem: Problem, error: &ApiError) -> HttpResponse {
    let mut builder = HttpResponse::build(
        StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
    );
    builder.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
    match error {
        ApiError::Unauthorized(_) => {
            builder.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"koers\""));
        }
        ApiError::MethodNotAllowed(allowed) => {
            builder.insert_header((header::ALLOW, allowed.as_str()));
        }
        ApiError::TooManyRequests(seconds) => {
            builder.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        _ => {}
    }
    let body = serde_json::to_string(&problem).unwrap_or_default();
    let mut response = builder.body(body);
    response.extensions_mut().insert(problem);
    response
}

impl From<Weigering> for ApiError {
    fn from(refusal: Weigering) -> Self {
        match refusal {
            Weigering::Ongeldig(errors) => ApiError::Invalid(errors),
            Weigering::Conflict(detail) => ApiError::Conflict {
                kind: "conflict-met-traject",
                detail,
            },
            Weigering::Overgang(refused) => ApiError::Conflict {
                kind: "ongeldige-statusovergang",
                detail: refused.uitleg(),
            },
            Weigering::GeenToegang(scope) => ApiError::Forbidden(scope),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Unavailable(failure) => {
                tracing::warn!(cause = %failure.chain(), "database unavailable");
                ApiError::Unavailable
            }
            StoreError::DuplicateBsn(_) => ApiError::Conflict {
                kind: "bsn-bestaat-al",
                detail: "Er is al een inburgeraar met dit BSN geregistreerd.".to_owned(),
            },
            StoreError::DuplicateVNummer(_) => ApiError::Conflict {
                kind: "v-nummer-bestaat-al",
                detail: "Er is al een inburgeraar met dit V-nummer geregistreerd.".to_owned(),
            },
            StoreError::StaleVersion => ApiError::PreconditionFailed,
            StoreError::IdempotencyKeyTaken => ApiError::Conflict {
                kind: crate::idempotency::KEY_TAKEN,
                detail: "Deze Idempotency-Key wordt tegelijk door een ander verzoek gebruikt."
                    .to_owned(),
            },
            StoreError::Internal(failure) => {
                tracing::error!(cause = %failure.chain(), "storage failure");
                ApiError::Internal
            }
        }
    }
}
