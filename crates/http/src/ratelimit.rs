//! Rate limits (OWASP API4): per remote address before authentication, and per client (`sub`) once
//! the token is verified. Over the limit a request is answered 429 problem+json with `Retry-After`.
//! Each node counts for itself (in memory, the `governor` crate's GCRA); a regio running several nodes
//! divides its limits by their number, or limits at the gateway as well.

use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage, HttpRequest, ResponseError};
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

/// Requests per second allowed, with a burst of twice as many; `0` switches a limit off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitSettings {
    pub per_address: u32,
    pub per_client: u32,
}

impl RateLimitSettings {
    /// No limits (tests, benchmarks).
    pub const OFF: Self = Self {
        per_address: 0,
        per_client: 0,
    };
}

/// Keys kept at most before the ones that are back to full capacity are forgotten.
const MAX_KEYS: usize = 100_000;

/// What is left of a caller's budget, for the `RateLimit-*` headers of its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Requests allowed in a burst.
    pub limit: u32,
    /// Requests left in the current burst.
    pub remaining: u32,
    /// Seconds until the burst is full again.
    pub reset: u64,
}

impl Budget {
    /// The `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` headers.
    pub fn headers(self) -> [(HeaderName, HeaderValue); 3] {
        [
            (HeaderName::from_static(LIMIT), self.limit.into()),
            (HeaderName::from_static(REMAINING), self.remaining.into()),
            (HeaderName::from_static(RESET), self.reset.into()),
        ]
    }
}

/// The names of the headers of a [`Budget`], as the contract declares them.
pub const LIMIT: &str = "ratelimit-limit";
pub const REMAINING: &str = "ratelimit-remaining";
pub const RESET: &str = "ratelimit-reset";

type Limiter<K> =
    RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock, StateInformationMiddleware>;

struct Keyed<K: Hash + Eq + Clone> {
    limiter: Limiter<K>,
    clock: DefaultClock,
    rate: u32,
    burst: u32,
}

fn seconds(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

impl<K: Hash + Eq + Clone> Keyed<K> {
    fn new(per_second: u32) -> Option<Self> {
        let rate = NonZeroU32::new(per_second)?;
        let burst = NonZeroU32::new(per_second.saturating_mul(2)).unwrap_or(rate);
        Some(Self {
            limiter: RateLimiter::keyed(Quota::per_second(rate).allow_burst(burst))
                .with_middleware::<StateInformationMiddleware>(),
            clock: DefaultClock::default(),
            rate: rate.get(),
            burst: burst.get(),
        })
    }

    fn check(&self, key: &K) -> Result<Budget, (ApiError, Budget)> {
        if self.limiter.len() > MAX_KEYS {
            self.limiter.retain_recent();
        }
        match self.limiter.check_key(key) {
            Ok(snapshot) => {
                let remaining = snapshot.remaining_burst_capacity();
                Ok(Budget {
                    limit: self.burst,
                    remaining,
                    reset: u64::from(self.burst - remaining).div_ceil(u64::from(self.rate)),
                })
            }
            Err(not_until) => {
                let wait = seconds(not_until.wait_time_from(self.clock.now())).max(1);
                let budget = Budget {
                    limit: self.burst,
                    remaining: 0,
                    reset: u64::from(self.burst).div_ceil(u64::from(self.rate)),
                };
                Err((ApiError::TooManyRequests(wait), budget))
            }
        }
    }
}

/// The limits of one server.
pub struct RateLimits {
    per_address: Option<Keyed<IpAddr>>,
    per_client: Option<Keyed<String>>,
}

impl RateLimits {
    pub fn new(settings: RateLimitSettings) -> Self {
        Self {
            per_address: Keyed::new(settings.per_address),
            per_client: Keyed::new(settings.per_client),
        }
    }

    /// Counts a verified client's request; its budget goes with the request, for the answer's
    /// headers.
    ///
    /// # Errors
    /// `TooManyRequests` over the limit.
    pub fn client(&self, req: &HttpRequest, client: &str) -> Result<(), ApiError> {
        let Some(limiter) = &self.per_client else {
            return Ok(());
        };
        let (outcome, budget) = match limiter.check(&client.to_owned()) {
            Ok(budget) => (Ok(()), budget),
            Err((error, budget)) => (Err(error), budget),
        };
        req.extensions_mut().insert(ClientBudget(budget));
        outcome
    }
}

/// The budget of the authenticated client of a request.
#[derive(Clone, Copy)]
struct ClientBudget(Budget);

/// Middleware: the limit per remote address, before anything else is done for the request; every
/// answer tells the caller its budget (the client's once it is known, else the address's).
pub async fn per_address(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let checked = req.app_data::<web::Data<AppState>>().and_then(|state| {
        let limiter = state.limits.per_address.as_ref()?;
        Some(limiter.check(&req.peer_addr()?.ip()))
    });
    let (mut response, budget) = match checked {
        Some(Err((error, budget))) => (
            req.into_response(error.error_response())
                .map_into_right_body(),
            Some(budget),
        ),
        other => (
            next.call(req).await?.map_into_left_body(),
            other.and_then(Result::ok),
        ),
    };
    let client = response
        .request()
        .extensions()
        .get::<ClientBudget>()
        .map(|b| b.0);
    if let Some(budget) = client.or(budget) {
        let headers = response.headers_mut();
        for (name, value) in budget.headers() {
            headers.insert(name, value);
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_over_its_burst_waits() {
        let limits = RateLimits::new(RateLimitSettings {
            per_address: 0,
            per_client: 2,
        });
        let req = actix_web::test::TestRequest::default().to_http_request();
        let budget = || req.extensions().get::<ClientBudget>().map(|b| b.0);
        for left in (0..4).rev() {
            assert!(
                limits.client(&req, "a").is_ok(),
                "a burst of twice the rate"
            );
            assert_eq!(budget().map(|b| (b.limit, b.remaining)), Some((4, left)));
        }
        match limits.client(&req, "a") {
            Err(ApiError::TooManyRequests(seconds)) => assert_eq!(seconds, 1),
            other => panic!("{other:?}"),
        }
        assert_eq!(budget().map(|b| (b.remaining, b.reset)), Some((0, 2)));
        assert!(
            limits.client(&req, "b").is_ok(),
            "each client has its own budget"
        );
        let off = RateLimits::new(RateLimitSettings::OFF);
        assert!((0..1000).all(|_| off.client(&req, "a").is_ok()));
    }
}
