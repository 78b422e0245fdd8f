//! Request metrics: every answer counted by operation and status, and its latency per operation
//! (`koers_http_requests_total`, `koers_http_request_duration_seconds`). The operation is the
//! method and the route's pattern, never the concrete path, so ids and fuzzed paths cannot blow up
//! the number of series; a path no route matches counts as `onbekend`.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::Error;
use std::time::Instant;

pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let operatie = format!(
        "{} {}",
        req.method(),
        req.match_pattern().as_deref().unwrap_or("onbekend")
    );
    let response = next.call(req).await;
    let status = match &response {
        Ok(response) => response.status(),
        Err(error) => error.as_response_error().status_code(),
    };
    metrics::counter!(
        "koers_http_requests_total",
        "operatie" => operatie.clone(),
        "status" => status.as_str().to_owned()
    )
    .increment(1);
    metrics::histogram!("koers_http_request_duration_seconds", "operatie" => operatie)
        .record(started.elapsed().as_secs_f64());
    response
}
