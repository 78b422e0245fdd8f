//! The published contract (`openapi.json`, `openapi.yaml`), Swagger UI from vendored assets, and the
//! answers for paths and methods that do not exist.

use crate::openapi::{allowed_methods, BASE_PATH};
use crate::problem::ApiError;
use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use utoipa::openapi::OpenApi;

/// The completed document, serialised once per worker.
pub struct PublishedSpec {
    pub api: OpenApi,
    pub json: String,
    pub yaml: String,
}

impl PublishedSpec {
    pub fn new(api: OpenApi, public_url: &str) -> Self {
        let (json, yaml) = crate::openapi::published_texts(&api, public_url);
        Self { api, json, yaml }
    }
}

#[get("/api/v1/openapi.json")]
pub async fn openapi_json(spec: web::Data<PublishedSpec>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(spec.json.clone())
}

#[get("/api/v1/openapi.yaml")]
pub async fn openapi_yaml(spec: web::Data<PublishedSpec>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/yaml")
        .body(spec.yaml.clone())
}

/// `/api/v1/docs` without the slash leads to Swagger UI (the one redirect of the API: a page for people).
#[get("/api/v1/docs")]
pub async fn docs_redirect() -> HttpResponse {
    HttpResponse::MovedPermanently()
        .insert_header((header::LOCATION, format!("{BASE_PATH}/docs/")))
        .finish()
}

/// 405 with `Allow` for a known path and an unknown method; 404 for everything else, trailing slashes
/// included.
pub async fn fallback(
    req: HttpRequest,
    spec: web::Data<PublishedSpec>,
) -> Result<HttpResponse, ApiError> {
    let path = req.path();
    let extra: Option<Vec<&'static str>> = match path {
        "/api/v1/openapi.json" | "/api/v1/openapi.yaml" | "/api/v1/docs" => Some(vec!["GET"]),
        _ => allowed_methods(&spec.api, path),
    };
    match extra {
        Some(methods) if !methods.is_empty() => Err(ApiError::MethodNotAllowed(methods.join(", "))),
        _ => Err(ApiError::NotFound),
    }
}
