//! `koers seed --demo`: the gemeenten of the field and a few dozen inburgeraars, registered through the
//! same domain rules and store as the API, so the demo data is valid by construction.

use anyhow::Context;
use koers_domain::bsn::complete_bsn;
use koers_domain::gemeente::GemeenteCode;
use koers_domain::inburgeraar::{Doelgroep, Inburgeraar, InburgeraarInput};
use koers_domain::input::Input;
use koers_domain::ports::Store;
use koers_domain::principal::{Principal, Scope};
use koers_domain::records::{truncate_to_micros, RequestContext};
use std::collections::BTreeSet;

/// The demo gemeenten of api.md: regio Westfriesland, Oss, and the Hart van Brabant gemeenten.
pub const DEMO_GEMEENTEN: [(&str, &str); 12] = [
    ("0498", "Drechterland"),
    ("0388", "Enkhuizen"),
    ("0405", "Hoorn"),
    ("1598", "Koggenland"),
    ("1911", "Medemblik"),
    ("0420", "Opmeer"),
    ("0532", "Stede Broec"),
    ("0828", "Oss"),
    ("0855", "Tilburg"),
    ("1723", "Alphen-Chaam"),
    ("0744", "Baarle-Nassau"),
    ("0784", "Gilze en Rijen"),
];

const VOORNAMEN: [&str; 12] = [
    "Amal",
    "Yonas",
    "Mariam",
    "Ahmad",
    "Selam",
    "Oleksandr",
    "Fatima",
    "Tesfay",
    "Nour",
    "Hamid",
    "Lina",
    "Daniel",
];
const ACHTERNAMEN: [&str; 9] = [
    "Haddad",
    "Tesfamariam",
    "Rahimi",
    "Al-Sayed",
    "Kovalenko",
    "Abebe",
    "Yousef",
    "Karimi",
    "Mengistu",
];

/// Loads the demo data when the register is empty; returns how many people were registered.
pub fn demo(store: &dyn Store) -> anyhow::Result<usize> {
    if store
        .has_inburgeraars()
        .context("cannot read the database")?
    {
        return Ok(0);
    }
    let now = truncate_to_micros(chrono::Utc::now().naive_utc());
    let principal = Principal {
        client: "koers-seed".to_owned(),
        gebruiker: None,
        scopes: BTreeSet::from([Scope::InburgeraarsSchrijven]),
        gemeenten: DEMO_GEMEENTEN
            .iter()
            .filter_map(|(code, _)| GemeenteCode::parse("gemeente", code).ok())
            .collect(),
        organisatie: None,
    };
    let ctx = RequestContext {
        principal,
        trace_id: format!("{:032x}", 1),
        span_id: format!("{:016x}", 1),
        request_id: "koers-seed-demo".to_owned(),
        now,
    };
    let mut count = 0;
    for index in 0..36u32 {
        let (gemeente, _) = DEMO_GEMEENTEN[index as usize % DEMO_GEMEENTEN.len()];
        let doelgroep = Doelgroep::ALL[index as usize % Doelgroep::ALL.len()];
        // Roughly 60 % asielstatushouders, as in the field.
        let doelgroep = if index % 5 < 3 {
            Doelgroep::Asielstatushouder
        } else {
            doelgroep
        };
        let days_ago = 20 + i64::from(index) * 17;
        let kennisgeving = (now.date() - chrono::Duration::days(days_ago))
            .format("%Y-%m-%d")
            .to_string();
        let vestiging = (now.date() - chrono::Duration::days(days_ago - 10))
            .format("%Y-%m-%d")
            .to_string();
        let input = InburgeraarInput {
            bsn: complete_bsn(10_000_000 + index * 7_919).map_or(Input::Absent, Input::Value),
            v_nummer: Input::Value(format!(
                "{:010}",
                3_000_000_000u64 + u64::from(index) * 1_013
            )),
            naam: Input::Value(format!(
                "{} {}",
                VOORNAMEN[index as usize % VOORNAMEN.len()],
                ACHTERNAMEN[index as usize % ACHTERNAMEN.len()]
            )),
            geboortedatum: Input::Value(format!(
                "{}-{:02}-{:02}",
                1970 + index % 35,
                1 + index % 12,
                1 + index % 28
            )),
            gemeente: Input::Value(gemeente.to_owned()),
            doelgroep: Input::Value(doelgroep.as_str().to_owned()),
            regime: Input::Value(if index % 9 == 8 { "WI2013" } else { "WI2021" }.to_owned()),
            datum_kennisgeving: Input::Value(kennisgeving),
            datum_vestiging: Input::Value(vestiging),
        };
        let person = Inburgeraar::register(input, &ctx.principal, now)
            .map_err(|errors| anyhow::anyhow!("demo person {index} is invalid: {errors:?}"))?;
        store
            .create_inburgeraar(&ctx, &person, None)
            .with_context(|| format!("cannot store demo person {index}"))?;
        count += 1;
    }
    Ok(count)
}
