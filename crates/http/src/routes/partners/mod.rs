//! Partners: `/organisaties` (scope `beheer`) and `/toestemmingen` (scope `toestemmingen:beheren`).

pub mod dto;
pub mod organisaties;
pub mod toestemmingen;

use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use utoipa_actix_web::scope::Scope;

/// Registers the operations of partners and toestemmingen.
pub fn register<T>(scope: Scope<T>) -> Scope<T>
where
    T: ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse,
        Error = actix_web::Error,
        InitError = (),
    >,
{
    scope
        .service(organisaties::create_organisatie)
        .service(organisaties::list_organisaties)
        .service(organisaties::get_organisatie)
        .service(organisaties::update_organisatie)
        .service(toestemmingen::create_toestemming)
        .service(toestemmingen::get_toestemming)
        .service(toestemmingen::withdraw_toestemming)
        .service(toestemmingen::list_toestemmingen)
}
