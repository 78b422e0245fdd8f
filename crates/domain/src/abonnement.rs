//! Abonnementen on the events of Koers, and the rules of what flows out: who may see which event (in
//! the change feed and at every delivery), which callback addresses may be called, how failed
//! deliveries are retried, and what a delivered event looks like (a thin CloudEvent).

use crate::error::{FieldError, FieldErrors};
use crate::events::{Event, EventKind};
use crate::gemeente::GemeenteCode;
use crate::input::{self, Input};
use crate::principal::{Principal, Scope};
use chrono::{NaiveDateTime, TimeDelta};
use std::collections::BTreeSet;
use std::net::IpAddr;
use uuid::Uuid;

text_enum! {
    /// Whether events are delivered to an abonnement. `opgeschort`: delivery kept failing (or the
    /// caller paused it); nothing is delivered until it is actief again, and then delivery resumes
    /// where it stopped.
    AbonnementStatus {
        Actief => "actief",
        Opgeschort => "opgeschort",
    }
}

impl EventKind {
    /// The scope that reads what the event points at: with it (or with `abonnementen:beheren`) a
    /// caller may see the event, within what it may see of the person.
    pub fn leesscope(self) -> Scope {
        match self {
            Self::InburgeraarGeregistreerd | Self::InburgeraarGewijzigd => Scope::InburgeraarsLezen,
            Self::BredeIntakeVastgelegd => Scope::IntakeLezen,
            Self::StatusGewijzigd
            | Self::TrajectGewijzigd
            | Self::PipAangemaakt
            | Self::PipVastgesteld
            | Self::PipVerwijderd
            | Self::OnderdeelGewijzigd
            | Self::OntheffingVerleend
            | Self::VrijstellingVerleend
            | Self::TermijnVerlengd
            | Self::OntzorgingGewijzigd
            | Self::VoortgangsgesprekVastgelegd
            | Self::MetingVastgelegd
            | Self::InschrijvingAangeleverd
            | Self::GevolgdeUrenAangeleverd
            | Self::ExamenresultaatAangeleverd => Scope::PipLezen,
            Self::ToestemmingVastgelegd | Self::ToestemmingIngetrokken => {
                Scope::ToestemmingenBeheren
            }
            Self::OrganisatieGeregistreerd
            | Self::OrganisatieGewijzigd
            | Self::InstellingenGewijzigd => Scope::Beheer,
        }
    }

    /// The CloudEvents `type`: reverse DNS, then the kind (`nl.koers.pip.vastgesteld`).
    pub fn cloudevent_type(self) -> String {
        format!("nl.koers.{}", self.as_str())
    }
}

/// Whether `principal` may see `event`, given whether a toestemming of the partner it acts for covers
/// the event's person for the event's category today (`gedekt`, asked only for a partner's event about
/// a person). A gemeente sees the events of its gemeenten; the beheerder also those of no gemeente
/// (organisaties); a partner only events about people it covers now, in categories its toestemming
/// covers. Seeing an event needs `abonnementen:beheren` or the scope that reads its resource.
pub fn zichtbaar(principal: &Principal, event: &Event, gedekt: impl FnOnce() -> bool) -> bool {
    let scope = principal.has_scope(Scope::AbonnementenBeheren)
        || principal.has_scope(event.kind.leesscope());
    if !scope {
        return false;
    }
    if principal.organisatie.is_some() {
        return event.inburgeraar_id.is_some() && event.kind.categorie().is_some() && gedekt();
    }
    match &event.gemeente {
        Some(gemeente) => principal.acts_for(gemeente),
        None => principal.has_scope(Scope::Beheer),
    }
}

/// An abonnement: where events go, which ones, and with whose authority. The signing secret is kept
/// apart: it is shown once, when it is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Abonnement {
    pub id: Uuid,
    pub callback_url: String,
    /// The kinds wanted; empty for all.
    pub soorten: BTreeSet<EventKind>,
    /// The gemeenten wanted, within the creator's; empty for all of them.
    pub gemeenten: BTreeSet<GemeenteCode>,
    /// The authority of the token that made it: checked again for every event at delivery.
    pub bevoegdheid: Principal,
    pub status: AbonnementStatus,
    /// The sequence number of the last event delivered (or passed over as not for it).
    pub positie: i64,
    /// Failed attempts since the last delivery.
    pub pogingen: u32,
    pub volgende_poging: Option<NaiveDateTime>,
    pub laatste_fout: Option<String>,
    pub aangemaakt_op: NaiveDateTime,
    pub gewijzigd_op: NaiveDateTime,
}

impl Abonnement {
    /// Whether the abonnement asked for `event` (its kinds and gemeenten); whether its authority may
    /// see it is [`zichtbaar`].
    pub fn wil(&self, event: &Event) -> bool {
        (self.soorten.is_empty() || self.soorten.contains(&event.kind))
            && (self.gemeenten.is_empty()
                || event
                    .gemeente
                    .as_ref()
                    .is_some_and(|g| self.gemeenten.contains(g)))
    }
}

/// What a client gives to make an abonnement.
#[derive(Debug, Clone, Default)]
pub struct AbonnementGegevens {
    pub callback_url: Input<String>,
    pub soorten: Input<Vec<String>>,
    pub gemeenten: Input<Vec<String>>,
}

/// Where Koers runs: in production callbacks must be https to public addresses; in development http to
/// the local machine is allowed, for testing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Omgeving {
    Productie,
    Ontwikkeling,
}

/// At most this long, a callback URL.
pub const MAX_URL: usize = 2_000;

impl Abonnement {
    /// A new, active abonnement of `principal`, delivering the events after `positie` (the outbox's
    /// last sequence number now: an abonnement gets what happens from now on).
    ///
    /// # Errors
    /// Every invalid field: a callback URL that is no absolute http(s) URL Koers may call in
    /// `omgeving`, unknown kinds, gemeenten the caller does not act for (or any for a partner).
    pub fn nieuw(
        gegevens: AbonnementGegevens,
        principal: &Principal,
        omgeving: Omgeving,
        positie: i64,
        now: NaiveDateTime,
    ) -> Result<Abonnement, FieldErrors> {
        let mut errors = FieldErrors::new();
        let callback_url =
            input::required(&mut errors, "callbackUrl", gegevens.callback_url, |f, v| {
                callback_url(f, &v, omgeving)
            });
        let soorten = input::optional(&mut errors, "soorten", gegevens.soorten, |f, v| {
            v.iter()
                .enumerate()
                .map(|(i, s)| EventKind::parse(&format!("{f}[{i}]"), s))
                .collect::<Result<BTreeSet<_>, _>>()
        });
        let gemeenten = input::optional(&mut errors, "gemeenten", gegevens.gemeenten, |f, v| {
            v.iter()
                .enumerate()
                .map(|(i, code)| {
                    let field = format!("{f}[{i}]");
                    let gemeente = GemeenteCode::parse(&field, code)?;
                    if principal.acts_for(&gemeente) {
                        Ok(gemeente)
                    } else {
                        Err(FieldError::new(
                            field,
                            "gemeente",
                            "Alleen gemeenten waarvoor u optreedt.",
                        ))
                    }
                })
                .collect::<Result<BTreeSet<_>, _>>()
        });
        errors.finish()?;
        let callback_url = callback_url.ok_or_else(FieldErrors::new)?;
        Ok(Abonnement {
            id: Uuid::now_v7(),
            callback_url,
            soorten: soorten.flatten().unwrap_or_default(),
            gemeenten: gemeenten.flatten().unwrap_or_default(),
            bevoegdheid: principal.clone(),
            status: AbonnementStatus::Actief,
            positie,
            pogingen: 0,
            volgende_poging: None,
            laatste_fout: None,
            aangemaakt_op: now,
            gewijzigd_op: now,
        })
    }
}

/// A callback URL Koers may call in `omgeving`: absolute, http(s), no credentials or fragment; in
/// production https to a host that is no address Koers must not call (the resolved addresses are
/// checked again at every delivery, see [`adres_toegestaan`]).
///
/// # Errors
/// `format` with the reason.
pub fn callback_url(field: &str, value: &str, omgeving: Omgeving) -> Result<String, FieldError> {
    let fout = |reden: &str| FieldError::new(field, "format", reden);
    if value.len() > MAX_URL {
        return Err(fout("Hoogstens 2000 tekens."));
    }
    let Some((scheme, rest)) = value.split_once("://") else {
        return Err(fout(
            "Een absolute URL met https:// (of http:// naar localhost bij ontwikkeling).",
        ));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if value.contains('#') || authority.contains('@') || authority.is_empty() {
        return Err(fout(
            "Zonder gebruikersnaam, wachtwoord of fragment, met een host.",
        ));
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(fout("Zonder spaties of stuurtekens."));
    }
    let host = host_van(authority);
    let lokaal = is_localhost(host);
    match (scheme, omgeving) {
        ("https", Omgeving::Productie) => {
            if lokaal || host.parse::<IpAddr>().is_ok_and(|ip| !adres_toegestaan(ip)) {
                return Err(fout(
                    "Geen adres op deze machine, in een privé- of link-local-netwerk of van metadata.",
                ));
            }
        }
        ("https", Omgeving::Ontwikkeling) => {}
        ("http", Omgeving::Ontwikkeling) if lokaal => {}
        _ => {
            return Err(fout(
                "Alleen https (bij ontwikkeling ook http naar localhost of 127.0.0.1).",
            ))
        }
    }
    Ok(value.to_owned())
}

/// The host of an authority (`host`, `host:port`, `[v6]:port`), without brackets.
fn host_van(authority: &str) -> &str {
    if let Some(rest) = authority.strip_prefix('[') {
        return rest.split(']').next().unwrap_or_default();
    }
    authority
        .rsplit_once(':')
        .map_or(authority, |(host, _)| host)
}

fn is_localhost(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Whether Koers may connect to `ip` in production: a public unicast address, never the machine itself,
/// a private, shared (CGNAT), link-local (where cloud metadata lives), multicast, documentation or
/// reserved range (the IPv4 ranges also when mapped into IPv6).
pub fn adres_toegestaan(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            !(v4.is_unspecified()
                || v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0 && c == 0)
                || (a == 198 && (b == 18 || b == 19))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return adres_toegestaan(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_unspecified()
                || v6.is_loopback()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || (first == 0x2001 && v6.segments()[1] == 0x0db8)
                // NAT64 (64:ff9b::/96) reaches IPv4 addresses, private ones included.
                || (first == 0x0064 && v6.segments()[1] == 0xff9b))
        }
    }
}

/// When failed deliveries are tried again: `basis` after the first failure, doubling up to `maximum`,
/// each wait spread by up to a fifth either way (jitter, so that receivers coming back are not hit by
/// every sender at once); after `pogingen` failures in a row the abonnement is opgeschort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Herhaalschema {
    pub basis: TimeDelta,
    pub maximum: TimeDelta,
    pub pogingen: u32,
}

impl Default for Herhaalschema {
    /// 10 s, 20 s, 40 s, … up to 4 hours, 16 failures in a row: about a day (25.6 hours, before jitter)
    /// from the first failure to opgeschort.
    fn default() -> Self {
        Self {
            basis: TimeDelta::seconds(10),
            maximum: TimeDelta::hours(4),
            pogingen: 16,
        }
    }
}

impl Herhaalschema {
    /// The wait after the `mislukt`-th failure in a row (from 1), with `toeval` in [0, 1) choosing the
    /// jitter; `None` when the abonnement is to be opgeschort instead.
    pub fn wachttijd(&self, mislukt: u32, toeval: f64) -> Option<TimeDelta> {
        if mislukt == 0 || mislukt >= self.pogingen {
            return None;
        }
        let factor = 2_i32.checked_pow(mislukt - 1).unwrap_or(i32::MAX);
        let zonder = self
            .basis
            .checked_mul(factor)
            .map_or(self.maximum, |t| t.min(self.maximum));
        let spreiding = 0.8 + 0.4 * toeval.clamp(0.0, 1.0);
        let millis = (zonder.num_milliseconds() as f64 * spreiding).round() as i64;
        Some(TimeDelta::milliseconds(millis.max(0)))
    }
}

/// An event as delivered: a CloudEvent (1.0, structured JSON) after the NL GOV profile, thin. `bron`
/// is the deployment's URN (`source`), `basis` the API's absolute base URL for `dataref`.
pub fn cloudevent(event: &Event, bron: &str, basis: &str) -> serde_json::Value {
    let subject = event
        .inburgeraar_id
        .map(|id| id.to_string())
        .unwrap_or_else(|| event.url.rsplit('/').next().unwrap_or_default().to_owned());
    let mut ce = serde_json::json!({
        "specversion": "1.0",
        "id": event.id.to_string(),
        "source": bron,
        "type": event.kind.cloudevent_type(),
        "time": event.tijdstip.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        "subject": subject,
        "dataref": format!("{}{}", basis.trim_end_matches('/'), event.url),
        // The sequence extension: a string that orders lexically, so zero-padded.
        "sequence": format!("{:020}", event.volgnummer),
    });
    if let (Some(gemeente), Some(object)) = (&event.gemeente, ce.as_object_mut()) {
        object.insert("gemeentecode".to_owned(), gemeente.as_str().into());
    }
    ce
}
