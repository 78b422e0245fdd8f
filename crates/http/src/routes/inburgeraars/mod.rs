//! `/inburgeraars`: register, list, read, change and find inburgeraars; their audit trail and
//! processing log.

pub mod audittrail;
pub mod create;
pub mod dto;
pub mod get;
pub mod list;
pub mod search;
pub mod update;
pub mod verwerkingen;

use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use utoipa_actix_web::scope::Scope;

/// Registers the operations of this resource.
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
        .service(search::search_inburgeraars)
        .service(create::create_inburgeraar)
        .service(list::list_inburgeraars)
        .service(get::get_inburgeraar)
        .service(update::update_inburgeraar)
        .service(audittrail::get_audittrail)
        .service(verwerkingen::list_verwerkingen)
}
