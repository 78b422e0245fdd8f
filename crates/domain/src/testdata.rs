//! What the unit tests of several modules start from: a request and a person.

use crate::gemeente::GemeenteCode;
use crate::inburgeraar::{Doelgroep, Inburgeraar, InburgeraarId, InburgeraarStatus, Regime};
use crate::principal::Principal;
use crate::records::RequestContext;
use chrono::NaiveDate;

/// A request by a gemeente without scopes or gemeenten, on 5 December 2026 at 10:00.
pub fn ctx() -> RequestContext {
    RequestContext {
        principal: Principal {
            client: "c".to_owned(),
            gebruiker: None,
            scopes: std::collections::BTreeSet::new(),
            gemeenten: std::collections::BTreeSet::new(),
            organisatie: None,
        },
        trace_id: "0".repeat(32),
        span_id: "0".repeat(16),
        request_id: "r".to_owned(),
        now: NaiveDate::from_ymd_opt(2026, 12, 5)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap(),
    }
}

/// An aangemeld asielstatushouder of Hoorn at version 3.
pub fn person() -> Inburgeraar {
    let at = ctx().now;
    Inburgeraar {
        id: InburgeraarId::new(),
        bsn: None,
        v_nummer: Some("0000000001".into()),
        naam: "X".into(),
        geboortedatum: None,
        gemeente: GemeenteCode::parse("g", "0405").unwrap(),
        doelgroep: Doelgroep::Asielstatushouder,
        regime: Regime::Wi2021,
        datum_kennisgeving: None,
        datum_vestiging: None,
        status: InburgeraarStatus::Aangemeld,
        versie: 3,
        aangemaakt_op: at,
        gewijzigd_op: at,
    }
}
