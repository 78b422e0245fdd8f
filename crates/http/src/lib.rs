//! Koers HTTP layer: the actix-web app with its handlers, the OpenAPI contract collected from them,
//! bearer-token security and `application/problem+json` errors.

pub mod aflevering;
pub mod auth;
pub mod bezorging;
mod body;
mod context;
pub mod guard;
mod idempotency;
mod observe;
pub mod openapi;
pub mod problem;
mod query;
pub mod ratelimit;
mod routes;
mod schemas;
pub mod state;
mod validation;

pub use auth::{AuthConfig, Claims};
pub use query::CursorKey;
pub use state::AppState;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{from_fn, Next};
use actix_web::{web, App, Error};
use routes::docs::PublishedSpec;
use utoipa::openapi::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::{Config, SwaggerUi};

/// Adds `API-Version`, the security headers and `X-Request-Id` to every response, and `instance` to
/// every problem.
async fn response_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let ids = context::before(&req);
    // Handlers and extractors turn their errors into responses before this point; the request cannot
    // be cloned here (routing needs it unshared), so an error from deeper middleware passes unchanged.
    let response = next.call(req).await?;
    Ok(context::after(response, &ids, openapi::API_VERSION))
}

fn api_scope() -> utoipa_actix_web::scope::Scope<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse,
        Error = Error,
        InitError = (),
    >,
> {
    let scope = utoipa_actix_web::scope(openapi::BASE_PATH)
        .service(routes::health::get_health)
        .service(routes::health::get_readiness);
    let scope = routes::traject::register(routes::inburgeraars::register(scope));
    routes::voortgang::register(routes::partners::register(scope))
        .service(routes::signaleringen::list_signaleringen)
        .service(routes::gebeurtenissen::list_gebeurtenissen)
        .service(routes::abonnementen::create_abonnement)
        .service(routes::abonnementen::list_abonnementen)
        .service(routes::abonnementen::get_abonnement)
        .service(routes::abonnementen::update_abonnement)
        .service(routes::abonnementen::delete_abonnement)
        .service(routes::abonnementen::list_afleveringen)
        .service(routes::abonnementen::herhaal_afleveringen)
        .service(routes::abonnementen::vernieuw_geheim)
        .service(routes::instellingen::get_instellingen)
        .service(routes::instellingen::put_instellingen)
}

/// The assembled app without state: its routes and the completed OpenAPI document.
fn assemble() -> (
    App<
        impl ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse,
            Error = Error,
            InitError = (),
        >,
    >,
    OpenApi,
) {
    // The contract and Swagger UI come first: the API scope below owns every other `/api/v1` path.
    let (app, api) = App::new()
        .service(routes::docs::openapi_json)
        .service(routes::docs::openapi_yaml)
        .service(routes::docs::docs_redirect)
        .service(
            SwaggerUi::new(format!("{}/docs/{{_:.*}}", openapi::BASE_PATH)).config(
                Config::from(format!("{}/openapi.json", openapi::BASE_PATH))
                    .persist_authorization(true)
                    .try_it_out_enabled(true)
                    // No call to swagger.io's validator: the page must work behind a firewall.
                    .validator_url("none"),
            ),
        )
        .into_utoipa_app()
        .openapi(openapi::base())
        .service(api_scope())
        .split_for_parts();
    (app, openapi::finalize(api))
}

/// The OpenAPI document of the assembled app, as `koers openapi` writes it.
pub fn openapi_document() -> OpenApi {
    assemble().1
}

/// How [`server`] runs.
#[derive(Debug, Clone)]
pub struct ServerSettings {
    /// Worker threads (default: one per core).
    pub workers: Option<usize>,
    /// After SIGTERM, SIGINT or a stop: how long requests in flight get to finish.
    pub shutdown_grace_seconds: u64,
    /// How long a client gets to send the head of the first request on a connection (408 after it).
    pub request_timeout: std::time::Duration,
    /// Whether SIGTERM and SIGINT stop the server (not when it runs inside another program, such as
    /// the test suite, which stops it through its handle).
    pub signals: bool,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            workers: None,
            shutdown_grace_seconds: 30,
            request_timeout: std::time::Duration::from_secs(5),
            signals: true,
        }
    }
}

/// The server of the app on `listener`: every connection is read through the guard (`guard`), which
/// answers what actix-http would refuse before the app as a problem, and keeps the request timeout
/// (actix-http's own is off, so that its bare 408 cannot be reached). On SIGTERM or SIGINT it stops
/// accepting and lets requests in flight finish within `shutdown_grace_seconds`.
///
/// # Errors
/// When the listener cannot be used.
pub fn server(
    state: AppState,
    listener: std::net::TcpListener,
    settings: ServerSettings,
) -> std::io::Result<actix_web::dev::Server> {
    use actix_http::error::DispatchError;
    use actix_service::{fn_service, map_config, IntoServiceFactory, ServiceFactoryExt};
    use actix_web::dev::AppConfig;
    let addr = listener.local_addr()?;
    let mut builder =
        actix_server::Server::build().shutdown_timeout(settings.shutdown_grace_seconds);
    if let Some(workers) = settings.workers {
        builder = builder.workers(workers.max(1));
    }
    if !settings.signals {
        builder = builder.disable_signals();
    }
    let request_timeout = Some(settings.request_timeout).filter(|timeout| !timeout.is_zero());
    let shutdown = builder.graceful_shutdown_signal();
    Ok(builder
        .listen("koers", listener, move || {
            let shutdown = shutdown.clone();
            let app = app(state.clone())
                .into_factory()
                .map_err(|error: Error| error.as_response_error().error_response());
            let http = actix_http::HttpService::build()
                .graceful_shutdown_signal(move || {
                    let shutdown = shutdown.clone();
                    async move { shutdown.notified().await }
                })
                // The guard keeps the request timeout: actix-http would answer it with a bare 408.
                .client_request_timeout(std::time::Duration::ZERO)
                .client_disconnect_timeout(std::time::Duration::from_secs(1))
                .local_addr(addr)
                // The host of a request is its Host header (HTTP/1.1 requires one).
                .h1(map_config(app, |()| AppConfig::default()));
            fn_service(move |io: actix_web::rt::net::TcpStream| async move {
                let peer = io.peer_addr().ok();
                let _ = io.set_nodelay(true);
                Ok::<_, DispatchError>((guard::Guarded::new(io, request_timeout), peer))
            })
            .and_then(http)
        })?
        .run())
}

/// The whole app: every route, the contract, Swagger UI, and the response middleware.
pub fn app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    let (app, api) = assemble();
    validation::prepare();
    let spec = PublishedSpec::new(api, &state.public_url);
    app.app_data(web::Data::new(state))
        .app_data(web::Data::new(spec))
        .default_service(web::to(routes::docs::fallback))
        .wrap(from_fn(ratelimit::per_address))
        .wrap(from_fn(response_headers))
        .wrap(from_fn(observe::observe))
        .wrap(tracing_actix_web::TracingLogger::default())
}
