//! Per-request identifiers and the response middleware: `API-Version`, the security headers and
//! `X-Request-Id` on every response (errors and 404s included), and `instance` in every problem.

use crate::problem::Problem;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::HttpMessage;
use uuid::Uuid;

/// The identifiers of one request: its own id and its place in a W3C trace.
#[derive(Debug, Clone)]
pub struct RequestIds {
    pub request_id: String,
    pub trace_id: String,
    pub span_id: String,
}

fn random_hex(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes * 2);
    while out.len() < bytes * 2 {
        out.push_str(&Uuid::new_v4().simple().to_string());
    }
    out.truncate(bytes * 2);
    out
}

impl RequestIds {
    pub fn generate() -> Self {
        Self {
            request_id: Uuid::new_v4().to_string(),
            trace_id: random_hex(16),
            span_id: random_hex(8),
        }
    }

    /// Takes the trace id of a valid `traceparent` and a client's `X-Request-Id` when it is sane;
    /// the span is always new.
    pub fn from_request(req: &ServiceRequest) -> Self {
        let mut ids = Self::generate();
        let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
        if let Some(trace_id) = header("traceparent").and_then(parse_traceparent) {
            ids.trace_id = trace_id;
        }
        if let Some(id) = header("x-request-id").filter(|id| {
            !id.is_empty()
                && id.len() <= 64
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
        }) {
            ids.request_id = id.to_owned();
        }
        ids
    }
}

/// The trace id of a W3C `traceparent` (`00-<32 hex>-<16 hex>-<2 hex>`), if valid and not all zeros.
pub fn parse_traceparent(value: &str) -> Option<String> {
    let parts: Vec<&str> = value.split('-').collect();
    let hex = |s: &str, n: usize| {
        s.len() == n
            && s.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    };
    match parts.as_slice() {
        [version, trace, parent, flags]
            if hex(version, 2)
                && *version != "ff"
                && hex(trace, 32)
                && hex(parent, 16)
                && hex(flags, 2)
                && trace.bytes().any(|b| b != b'0') =>
        {
            Some((*trace).to_owned())
        }
        _ => None,
    }
}

/// Headers every response carries.
pub(crate) fn fixed_headers(api_version: &'static str) -> [(HeaderName, HeaderValue); 6] {
    [
        (
            HeaderName::from_static("api-version"),
            HeaderValue::from_static(api_version),
        ),
        (
            HeaderName::from_static("cache-control"),
            HeaderValue::from_static("no-store"),
        ),
        (
            HeaderName::from_static("content-security-policy"),
            HeaderValue::from_static("frame-ancestors 'none'"),
        ),
        (
            HeaderName::from_static("strict-transport-security"),
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        ),
        (
            HeaderName::from_static("x-content-type-options"),
            HeaderValue::from_static("nosniff"),
        ),
        (
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("DENY"),
        ),
    ]
}

/// The `instance` of a problem about a request for `path`: the path, cut at the contract's bound on
/// text (a fuzzer's path may be longer), never inside a percent-escape, so that it stays a URI
/// reference.
pub(crate) fn instance_of(path: &str) -> &str {
    let mut end = path.len().min(crate::openapi::MAX_TEXT);
    while !path.is_char_boundary(end) {
        end -= 1;
    }
    if let Some(percent) = path[..end]
        .rfind('%')
        .filter(|p| end - p < 3 && end < path.len())
    {
        end = percent;
    }
    &path[..end]
}

/// Stores the request identifiers before the handler runs.
pub fn before(req: &ServiceRequest) -> RequestIds {
    let ids = RequestIds::from_request(req);
    req.extensions_mut().insert(ids.clone());
    ids
}

/// Adds the fixed headers and fills `instance` in a problem body.
pub fn after<B: MessageBody + 'static>(
    mut res: ServiceResponse<B>,
    ids: &RequestIds,
    api_version: &'static str,
) -> ServiceResponse<BoxBody> {
    let headers = res.headers_mut();
    for (name, value) in fixed_headers(api_version) {
        headers.insert(name, value);
    }
    if let Ok(value) = HeaderValue::from_str(&ids.request_id) {
        headers.insert(HeaderName::from_static("x-request-id"), value);
    }
    let problem = res.response().extensions().get::<Problem>().cloned();
    match problem {
        Some(mut problem) => {
            instance_of(res.request().path()).clone_into(&mut problem.instance);
            let body = serde_json::to_string(&problem).unwrap_or_default();
            res.map_body(|_, _| BoxBody::new(body))
        }
        None => res.map_into_boxed_body(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traceparent_is_validated() {
        let trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        assert_eq!(
            parse_traceparent(&format!("00-{trace}-00f067aa0ba902b7-01")).as_deref(),
            Some(trace)
        );
        assert_eq!(
            parse_traceparent("00-0000000000000000000000000000000000-00f067aa0ba902b7-01"),
            None
        );
        assert_eq!(parse_traceparent("garbage"), None);
        assert_eq!(random_hex(16).len(), 32);
    }
}
