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
use std::net::{IpAddr, Ipv4Addr};
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
            Self::AbonnementAangemaakt | Self::AbonnementGewijzigd | Self::AbonnementVerwijderd => {
                Scope::AbonnementenBeheren
            }
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

/// Whose an abonnement is: the client with the authority it acted with (its gemeenten or organisatie,
/// [`crate::records::authority`]), so that a token of the same client for other gemeenten neither
/// sees nor changes it.
pub fn eigenaar(principal: &Principal) -> String {
    format!(
        "{}|{}",
        principal.client,
        crate::records::authority(principal)
    )
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
        let soorten = lijst(&mut errors, "soorten", gegevens.soorten, EventKind::parse);
        let gemeenten = lijst(
            &mut errors,
            "gemeenten",
            gegevens.gemeenten,
            |field, code| {
                let gemeente = GemeenteCode::parse(field, code)?;
                if principal.acts_for(&gemeente) {
                    Ok(gemeente)
                } else {
                    Err(FieldError::new(
                        field,
                        "gemeente",
                        "Alleen gemeenten waarvoor u optreedt.",
                    ))
                }
            },
        );
        errors.finish()?;
        let callback_url = callback_url.ok_or_else(FieldErrors::new)?;
        Ok(Abonnement {
            id: Uuid::now_v7(),
            callback_url,
            soorten,
            gemeenten,
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

/// The valid items of an optional list (absent, null or already reported invalid by the body's schema:
/// none), each parsed under its own name (`soorten[1]`), every invalid item named.
fn lijst<T: Ord>(
    errors: &mut FieldErrors,
    name: &str,
    input: Input<Vec<String>>,
    parse: impl Fn(&str, &str) -> Result<T, FieldError>,
) -> BTreeSet<T> {
    let Input::Value(items) = input else {
        return BTreeSet::new();
    };
    let mut out = BTreeSet::new();
    for (index, item) in items.iter().enumerate() {
        if let Some(value) = errors.take(parse(&format!("{name}[{index}]"), item)) {
            out.insert(value);
        }
    }
    out
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
    let Some(host) = host_van(authority) else {
        return Err(fout(
            "Een host als naam in ASCII (punycode) of als IP-adres in de gewone schrijfwijze, met een geldige poort.",
        ));
    };
    let lokaal = match host {
        Host::Ip(ip) => ip.is_loopback(),
        Host::Naam(naam) => naam.eq_ignore_ascii_case("localhost"),
    };
    match (scheme, omgeving) {
        ("https", Omgeving::Productie) => {
            if lokaal || matches!(host, Host::Ip(ip) if !adres_toegestaan(ip)) {
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

/// The host of a callback URL: an IP address, or a name that is resolved (and its addresses checked)
/// at delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Host<'a> {
    Ip(IpAddr),
    Naam(&'a str),
}

/// The host of an authority (`host`, `host:port`, `[v6]:port`), read as the URL parser that delivers
/// (WHATWG, the `url` crate) reads it, or `None` when it is no host Koers accepts. That parser reads
/// many forms as an IPv4 address: `127.1`, `2130706433`, `0x7f000001`, `0177.0.0.1`, `127.0.0.1.`,
/// percent-encoded or full-width digits, a host cut short by `\`; no DNS is asked, so only the check
/// here would see such an address. A name is therefore ASCII letters, digits, `-`, `_` and `.` (IDN as
/// punycode), and a host whose last label is a number must be a dotted-quad IPv4 address.
fn host_van(authority: &str) -> Option<Host<'_>> {
    let (host, port) = match authority.strip_prefix('[') {
        Some(rest) => {
            let (v6, na) = rest.split_once(']')?;
            let port = if na.is_empty() {
                None
            } else {
                Some(na.strip_prefix(':')?)
            };
            (Host::Ip(IpAddr::V6(v6.parse().ok()?)), port)
        }
        None => {
            let (naam, port) = match authority.rsplit_once(':') {
                Some((naam, port)) => (naam, Some(port)),
                None => (authority, None),
            };
            (naam_of_ipv4(naam)?, port)
        }
    };
    let poort_goed = port.is_none_or(|port| {
        port.is_empty() || (port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok())
    });
    poort_goed.then_some(host)
}

/// A host that is not an IPv6 literal: a name, or an IPv4 address in dotted-quad form (one dot at the
/// end allowed, as a URL parser allows it).
fn naam_of_ipv4(host: &str) -> Option<Host<'_>> {
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.is_empty()
        || !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        return None;
    }
    let laatste = host.rsplit('.').next().unwrap_or_default();
    let getal = laatste.bytes().all(|b| b.is_ascii_digit())
        || laatste
            .strip_prefix("0x")
            .or_else(|| laatste.strip_prefix("0X"))
            .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()));
    if getal {
        host.parse::<Ipv4Addr>()
            .ok()
            .map(|v4| Host::Ip(IpAddr::V4(v4)))
    } else {
        Some(Host::Naam(host))
    }
}

/// Whether Koers may connect to `ip` in production: a public unicast address, never the machine itself,
/// a private, shared (CGNAT), link-local (where cloud metadata lives), multicast, documentation or
/// reserved range (the IPv4 ranges also when embedded in IPv6: mapped, IPv4-compatible, 6to4, NAT64).
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
            let segments = v6.segments();
            let [first, second, third, ..] = segments;
            // 6to4 (2002::/16) reaches the IPv4 address in the next 32 bits.
            if first == 0x2002 {
                let [a, b] = second.to_be_bytes();
                let [c, d] = third.to_be_bytes();
                return adres_toegestaan(IpAddr::V4(Ipv4Addr::new(a, b, c, d)));
            }
            // ::/96: unspecified, loopback and the deprecated IPv4-compatible addresses (::a.b.c.d).
            !(segments.iter().take(6).all(|&s| s == 0)
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                // Site-local (fec0::/10), deprecated but still routed inside some networks.
                || (first & 0xffc0) == 0xfec0
                || (first == 0x2001 && second == 0x0db8)
                // NAT64 (64:ff9b::/96) reaches IPv4 addresses, private ones included.
                || (first == 0x0064 && second == 0xff9b))
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
    /// 10 s, 20 s, 40 s, … up to 4 hours, 16 failures in a row: about a day (15 waits, 78,070 s or
    /// 21.7 hours, before jitter) from the first failure to opgeschort.
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
        // A toeval that is no number (NaN) means no spread, not a wait of nothing.
        let toeval = if toeval.is_nan() {
            0.5
        } else {
            toeval.clamp(0.0, 1.0)
        };
        let spreiding = 0.8 + 0.4 * toeval;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{organisatie_url, pip_url};
    use crate::inburgeraar::InburgeraarId;
    use crate::testdata::ctx;
    use std::cell::Cell;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn gemeente(code: &str) -> GemeenteCode {
        GemeenteCode::parse("g", code).unwrap()
    }

    /// A gemeente's client: `ctx()`'s principal with these scopes and gemeenten.
    fn principal(scopes: &[Scope], gemeenten: &[&str]) -> Principal {
        let mut principal = ctx().principal;
        principal.scopes = scopes.iter().copied().collect();
        principal.gemeenten = gemeenten.iter().map(|code| gemeente(code)).collect();
        principal
    }

    /// A partner's client (acting for an organisatie, no gemeenten).
    fn partner(scopes: &[Scope]) -> Principal {
        let mut principal = principal(scopes, &[]);
        principal.organisatie = Some("org-1".to_owned());
        principal
    }

    fn event(
        kind: EventKind,
        persoon: Option<InburgeraarId>,
        gemeente_code: Option<&str>,
    ) -> Event {
        let url = match persoon {
            Some(id) => crate::events::person_url(kind, id),
            None => organisatie_url(Uuid::now_v7()),
        };
        Event {
            volgnummer: 7,
            id: Uuid::now_v7(),
            kind,
            url,
            inburgeraar_id: persoon,
            gemeente: gemeente_code.map(gemeente),
            organisatie_id: None,
            tijdstip: ctx().now,
            request_id: "r".to_owned(),
        }
    }

    fn pip_event(gemeente_code: Option<&str>) -> Event {
        event(
            EventKind::PipVastgesteld,
            Some(InburgeraarId::new()),
            gemeente_code,
        )
    }

    // --- adres_toegestaan ---------------------------------------------------------------------

    #[test]
    fn public_addresses_are_allowed() {
        for allowed in [
            "8.8.8.8",
            "1.1.1.1",
            "172.32.0.1",
            "172.15.255.255",
            "100.63.255.255",
            "100.128.0.1",
            "198.17.255.255",
            "198.20.0.1",
            "192.0.1.1",
            "223.255.255.255",
            "2a00:1450::1",
            "2001:4860:4860::8888",
        ] {
            assert!(adres_toegestaan(ip(allowed)), "{allowed} should be allowed");
        }
    }

    #[test]
    fn the_machine_private_shared_link_local_multicast_documentation_and_reserved_are_refused() {
        for refused in [
            "127.0.0.1",
            "127.255.255.254",
            "10.0.0.1",
            "10.255.255.255",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.0.1",
            "192.168.255.255",
            "169.254.169.254", // cloud metadata
            "169.254.0.1",
            "100.64.0.1", // shared address space (CGNAT)
            "100.127.255.255",
            "0.0.0.0",
            "0.1.2.3",
            "255.255.255.255",
            "224.0.0.1",
            "239.255.255.255",
            "198.18.0.1", // benchmarking
            "198.19.255.255",
            "192.0.0.1", // IETF protocol assignments
            "192.0.2.1", // documentation
            "198.51.100.1",
            "203.0.113.1",
            "240.0.0.1", // reserved
            "::1",
            "::",
            "fe80::1",
            "febf::1",
            "fc00::1",
            "fd00:ec2::254", // AWS metadata over IPv6
            "ff02::1",
            "ff0e::1",
            "::ffff:127.0.0.1", // IPv4-mapped
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a00:1", // NAT64 of 10.0.0.1
            "64:ff9b::808:808",
            "2001:db8::1", // documentation
        ] {
            assert!(
                !adres_toegestaan(ip(refused)),
                "{refused} should be refused"
            );
        }
    }

    #[test]
    fn a_mapped_public_ipv4_address_is_judged_as_that_address() {
        assert!(adres_toegestaan(ip("::ffff:8.8.8.8")));
        assert!(adres_toegestaan(IpAddr::V6(
            Ipv4Addr::new(8, 8, 8, 8).to_ipv6_mapped()
        )));
        assert!(!adres_toegestaan(IpAddr::V6(
            Ipv4Addr::new(192, 168, 1, 1).to_ipv6_mapped()
        )));
    }

    #[test]
    fn ipv4_compatible_site_local_and_6to4_forms_of_refused_addresses_are_refused() {
        for refused in [
            "::127.0.0.1", // IPv4-compatible (deprecated), ::7f00:1
            "::10.0.0.1",
            "::8.8.8.8",
            "fec0::1",           // site-local (deprecated)
            "2002:7f00:1::1",    // 6to4 of 127.0.0.1
            "2002:a00:1::",      // 6to4 of 10.0.0.1
            "2002:a9fe:a9fe::1", // 6to4 of 169.254.169.254
        ] {
            assert!(
                !adres_toegestaan(ip(refused)),
                "{refused} should be refused"
            );
        }
        // 6to4 of a public address is judged as that address.
        assert!(adres_toegestaan(ip("2002:808:808::1")));
        assert!(adres_toegestaan(IpAddr::V6(Ipv6Addr::new(
            0x2a00, 0x1450, 0, 0, 0, 0, 0, 1
        ))));
    }

    // --- callback_url -------------------------------------------------------------------------

    fn productie(url: &str) -> Result<String, FieldError> {
        callback_url("callbackUrl", url, Omgeving::Productie)
    }

    fn ontwikkeling(url: &str) -> Result<String, FieldError> {
        callback_url("callbackUrl", url, Omgeving::Ontwikkeling)
    }

    #[test]
    fn production_accepts_https_to_a_public_host_unchanged() {
        for url in [
            "https://ontvanger.example.nl/hook",
            "https://ontvanger.example.nl:8443/x?y=1",
            "https://ontvanger.example.nl",
            "https://8.8.8.8/hook",
            "https://[2a00:1450::1]:443/hook",
            "https://ontvanger.example.nl/a?b=c@d",
        ] {
            assert_eq!(productie(url), Ok(url.to_owned()), "{url}");
        }
    }

    #[test]
    fn production_refuses_http_local_private_metadata_credentials_fragments_and_spaces() {
        let lang = format!("https://ontvanger.example.nl/{}", "a".repeat(MAX_URL));
        for url in [
            "http://ontvanger.example.nl/hook",
            "https://localhost/hook",
            "https://LocalHost:8443/hook",
            "https://127.0.0.1/hook",
            "https://[::1]:8443/hook",
            "https://10.1.2.3/hook",
            "https://192.168.1.1/hook",
            "https://169.254.169.254/latest",
            "https://[fd00:ec2::254]/latest",
            "https://[::ffff:127.0.0.1]/hook",
            "https://user:pass@ontvanger.example.nl/hook",
            "https://user@ontvanger.example.nl/hook",
            "https://ontvanger.example.nl/hook#deel",
            "https://ontvanger.example.nl/ho ok",
            "https://ontvanger.example.nl/hook\n",
            " https://ontvanger.example.nl/hook",
            "https://ontvanger.example.nl/\thook",
            "https:///x",
            "https://?x",
            "/hook",
            "ontvanger.example.nl/hook",
            "ftp://ontvanger.example.nl/hook",
            "HTTPS://ontvanger.example.nl/hook",
            "",
            lang.as_str(),
        ] {
            let fout = productie(url).expect_err(url);
            assert_eq!(fout.name, "callbackUrl", "{url}");
            assert_eq!(fout.code, "format", "{url}");
        }
    }

    #[test]
    fn the_error_names_the_field_it_was_given() {
        let fout = callback_url("abonnement.url", "http://x.nl/", Omgeving::Productie).unwrap_err();
        assert_eq!(fout.name, "abonnement.url");
        assert_eq!(fout.code, "format");
    }

    #[test]
    fn the_length_bound_is_inclusive() {
        let basis = "https://ontvanger.example.nl/";
        let precies = format!("{basis}{}", "a".repeat(MAX_URL - basis.len()));
        assert_eq!(precies.len(), MAX_URL);
        assert!(productie(&precies).is_ok());
        assert!(productie(&format!("{precies}a")).is_err());
    }

    #[test]
    fn production_accepts_host_names_unresolved_they_are_checked_at_delivery_after_dns() {
        // Names are not resolved here: a name that points inside is refused when its resolved
        // addresses are checked at delivery (adres_toegestaan), not when the abonnement is made.
        for url in [
            "https://intern.local/x",
            "https://metadata.google.internal/x",
        ] {
            assert_eq!(productie(url), Ok(url.to_owned()));
        }
    }

    #[test]
    fn production_refuses_ip_addresses_written_in_forms_a_url_parser_reads_as_ipv4() {
        // A WHATWG URL parser (the url crate, so reqwest) reads each of these hosts as an IPv4
        // address on this machine, in a private network or of cloud metadata; no DNS is involved,
        // so the check at delivery of resolved names would not see them.
        for url in [
            "https://127.0.0.1./hook", // trailing dot
            "https://127.1/hook",      // shorthand
            "https://2130706433/hook", // one number: 127.0.0.1
            "https://0x7f000001/hook", // hexadecimal
            "https://0x7f.0.0.1/hook",
            "https://0177.0.0.1/hook",                     // octal
            "https://169.254.169.254./latest",             // trailing dot
            "https://0xa9fea9fe/latest",                   // 169.254.169.254
            "https://%31%32%37.0.0.1/hook",                // percent-encoded
            "https://127.0.0.1\\x.example.nl/hook",        // backslash ends the host
            "https://\u{ff11}\u{ff12}\u{ff17}.0.0.1/hook", // full-width digits, mapped by IDNA
            "https://[foo]/hook",                          // brackets without an IPv6 address
            "https://[::1]x/hook",
            "https://::1/hook", // IPv6 without brackets
            "https://ontvanger.example.nl:port/hook",
            "https://ontvanger.example.nl:99999/hook",
        ] {
            let fout = productie(url).expect_err(url);
            assert_eq!(
                (fout.name.as_str(), fout.code),
                ("callbackUrl", "format"),
                "{url}"
            );
        }
        // A name that ends in a dot (fully qualified) is still a name.
        assert!(productie("https://ontvanger.example.nl./hook").is_ok());
        assert!(productie("https://ontvanger.example.nl:/hook").is_ok());
    }

    #[test]
    fn development_also_accepts_http_to_the_local_machine() {
        for url in [
            "http://localhost:8080/hook",
            "http://127.0.0.1:9/x",
            "http://[::1]:8080/hook",
            "https://ontvanger.example.nl/hook",
            "https://127.0.0.1/hook",
        ] {
            assert_eq!(ontwikkeling(url), Ok(url.to_owned()), "{url}");
        }
        for url in [
            "http://example.nl/x",
            "http://10.0.0.1/x",
            "http://localhost.example.nl/x",
            "http://user:pass@localhost:8080/hook",
            "http://localhost:8080/hook#x",
            "ftp://localhost/x",
        ] {
            let fout = ontwikkeling(url).expect_err(url);
            assert_eq!(
                (fout.name.as_str(), fout.code),
                ("callbackUrl", "format"),
                "{url}"
            );
        }
    }

    // --- Herhaalschema ------------------------------------------------------------------------

    #[test]
    fn the_default_schedule_is_10_seconds_doubling_to_4_hours_for_16_failures() {
        let schema = Herhaalschema::default();
        assert_eq!(schema.basis, TimeDelta::seconds(10));
        assert_eq!(schema.maximum, TimeDelta::hours(4));
        assert_eq!(schema.pogingen, 16);
    }

    #[test]
    fn waits_double_from_the_base_up_to_the_maximum_without_spread_at_one_half() {
        let schema = Herhaalschema::default();
        assert_eq!(schema.wachttijd(0, 0.5), None);
        let verwacht = [
            10, 20, 40, 80, 160, 320, 640, 1_280, 2_560, 5_120, 10_240, // 10 × 2^(n-1)
            14_400, 14_400, 14_400, 14_400, // 20,480 and more, capped at 4 h
        ];
        for (n, seconden) in (1..).zip(verwacht) {
            assert_eq!(
                schema.wachttijd(n, 0.5),
                Some(TimeDelta::seconds(seconden)),
                "after failure {n}"
            );
        }
        // The 16th failure in a row suspends the abonnement, as does every later count.
        for n in [16, 17, 100, u32::MAX - 1, u32::MAX] {
            assert_eq!(schema.wachttijd(n, 0.5), None, "after failure {n}");
        }
    }

    #[test]
    fn the_spread_is_a_fifth_either_way() {
        let schema = Herhaalschema::default();
        assert_eq!(schema.wachttijd(1, 0.0), Some(TimeDelta::seconds(8)));
        assert_eq!(
            schema.wachttijd(1, 1.0 - f64::EPSILON),
            Some(TimeDelta::seconds(12))
        );
        assert_eq!(schema.wachttijd(1, 0.25), Some(TimeDelta::seconds(9)));
        assert_eq!(schema.wachttijd(15, 0.0), Some(TimeDelta::seconds(11_520)));
        assert_eq!(
            schema.wachttijd(15, 1.0 - f64::EPSILON),
            Some(TimeDelta::seconds(17_280))
        );
        // Outside [0, 1) it is clamped; no value gives a wait outside the spread.
        assert_eq!(schema.wachttijd(1, -3.0), Some(TimeDelta::seconds(8)));
        assert_eq!(schema.wachttijd(1, 7.0), Some(TimeDelta::seconds(12)));
        assert_eq!(
            schema.wachttijd(1, f64::INFINITY),
            Some(TimeDelta::seconds(12))
        );
        assert_eq!(
            schema.wachttijd(1, f64::NEG_INFINITY),
            Some(TimeDelta::seconds(8))
        );
    }

    #[test]
    fn a_toeval_that_is_no_number_means_no_spread_not_an_immediate_retry() {
        let schema = Herhaalschema::default();
        assert_eq!(schema.wachttijd(1, f64::NAN), Some(TimeDelta::seconds(10)));
        assert_eq!(schema.wachttijd(12, f64::NAN), Some(TimeDelta::hours(4)));
    }

    #[test]
    fn all_waits_before_suspension_add_up_to_about_a_day() {
        // By hand: failures 1..=11 wait 10 × (2^11 − 1) = 20,470 s; failures 12..=15 wait 4 h each,
        // 57,600 s; the 16th suspends. 78,070 s = 21 h 41 min 10 s from the first failure to the
        // 16th (before jitter).
        let schema = Herhaalschema::default();
        let totaal = (1..schema.pogingen)
            .map(|n| schema.wachttijd(n, 0.5).unwrap())
            .fold(TimeDelta::zero(), |a, b| a + b);
        assert_eq!(totaal, TimeDelta::seconds(78_070));
        assert!(totaal > TimeDelta::hours(20) && totaal < TimeDelta::hours(30));
        // With the most and least spread, still within a fifth either way.
        let langst = (1..schema.pogingen)
            .map(|n| schema.wachttijd(n, 1.0).unwrap())
            .fold(TimeDelta::zero(), |a, b| a + b);
        assert_eq!(langst, TimeDelta::seconds(93_684));
        let kortst = (1..schema.pogingen)
            .map(|n| schema.wachttijd(n, 0.0).unwrap())
            .fold(TimeDelta::zero(), |a, b| a + b);
        assert_eq!(kortst, TimeDelta::seconds(62_456));
    }

    #[test]
    fn huge_failure_counts_neither_overflow_nor_panic() {
        let schema = Herhaalschema {
            pogingen: u32::MAX,
            ..Herhaalschema::default()
        };
        for n in [31, 32, 33, 64, 1_000, u32::MAX - 1] {
            assert_eq!(
                schema.wachttijd(n, 0.5),
                Some(TimeDelta::hours(4)),
                "after failure {n}"
            );
        }
        assert_eq!(schema.wachttijd(u32::MAX, 0.5), None);
        // A maximum beyond what doubling can reach: the doubling's own bound.
        let ruim = Herhaalschema {
            basis: TimeDelta::seconds(1),
            maximum: TimeDelta::MAX,
            pogingen: u32::MAX,
        };
        assert_eq!(ruim.wachttijd(31, 0.5), Some(TimeDelta::seconds(1 << 30)));
        assert_eq!(
            ruim.wachttijd(32, 0.5),
            Some(TimeDelta::seconds(i64::from(i32::MAX)))
        );
        assert!(ruim.wachttijd(u32::MAX - 1, 1.0).is_some());
        let reusachtig = Herhaalschema {
            basis: TimeDelta::MAX,
            maximum: TimeDelta::MAX,
            pogingen: u32::MAX,
        };
        assert!(reusachtig.wachttijd(40, 1.0).is_some());
    }

    // --- Abonnement::nieuw --------------------------------------------------------------------

    fn gegevens(url: Option<&str>, soorten: &[&str], gemeenten: &[&str]) -> AbonnementGegevens {
        AbonnementGegevens {
            callback_url: url.map(str::to_owned).into(),
            soorten: Input::Value(soorten.iter().map(|s| (*s).to_owned()).collect()),
            gemeenten: Input::Value(gemeenten.iter().map(|s| (*s).to_owned()).collect()),
        }
    }

    fn namen(errors: &FieldErrors) -> Vec<(&str, &str)> {
        errors.0.iter().map(|e| (e.name.as_str(), e.code)).collect()
    }

    #[test]
    fn a_valid_abonnement_is_active_from_the_given_position() {
        let wie = principal(&[Scope::AbonnementenBeheren], &["0405", "0363"]);
        let now = ctx().now;
        let abonnement = Abonnement::nieuw(
            gegevens(
                Some("https://ontvanger.example.nl/hook"),
                &[
                    "pip.vastgesteld",
                    "inburgeraar.status-gewijzigd",
                    "pip.vastgesteld",
                ],
                &["0405"],
            ),
            &wie,
            Omgeving::Productie,
            41,
            now,
        )
        .unwrap();
        assert_eq!(abonnement.callback_url, "https://ontvanger.example.nl/hook");
        assert_eq!(
            abonnement.soorten,
            BTreeSet::from([EventKind::PipVastgesteld, EventKind::StatusGewijzigd])
        );
        assert_eq!(abonnement.gemeenten, BTreeSet::from([gemeente("0405")]));
        assert_eq!(abonnement.bevoegdheid, wie);
        assert_eq!(abonnement.status, AbonnementStatus::Actief);
        assert_eq!(abonnement.positie, 41);
        assert_eq!(abonnement.pogingen, 0);
        assert_eq!(abonnement.volgende_poging, None);
        assert_eq!(abonnement.laatste_fout, None);
        assert_eq!(abonnement.aangemaakt_op, now);
        assert_eq!(abonnement.gewijzigd_op, now);
        assert_eq!(abonnement.id.get_version_num(), 7);
    }

    #[test]
    fn without_kinds_or_gemeenten_an_abonnement_wants_all() {
        let wie = principal(&[Scope::AbonnementenBeheren], &["0405"]);
        for (soorten, gemeenten) in [
            (Input::Absent, Input::Absent),
            (Input::Null, Input::Null),
            (Input::Value(vec![]), Input::Value(vec![])),
        ] {
            let abonnement = Abonnement::nieuw(
                AbonnementGegevens {
                    callback_url: Input::Value("https://ontvanger.example.nl/hook".to_owned()),
                    soorten,
                    gemeenten,
                },
                &wie,
                Omgeving::Productie,
                0,
                ctx().now,
            )
            .unwrap();
            assert!(abonnement.soorten.is_empty());
            assert!(abonnement.gemeenten.is_empty());
        }
    }

    #[test]
    fn every_invalid_field_is_named_at_once() {
        let wie = principal(&[Scope::AbonnementenBeheren], &["0405"]);
        let errors = Abonnement::nieuw(
            gegevens(None, &["pip.vastgesteld", "pip.bestaat-niet"], &["0363"]),
            &wie,
            Omgeving::Productie,
            0,
            ctx().now,
        )
        .unwrap_err();
        assert_eq!(
            namen(&errors),
            [
                ("callbackUrl", "required"),
                ("soorten[1]", "enum"),
                ("gemeenten[0]", "gemeente"),
            ]
        );
    }

    #[test]
    fn every_invalid_item_of_a_list_is_named() {
        let wie = principal(&[Scope::AbonnementenBeheren], &["0405"]);
        let errors = Abonnement::nieuw(
            gegevens(
                Some("http://ontvanger.example.nl/hook"),
                &["x", "pip.vastgesteld", "y"],
                &["0405", "405", "0363"],
            ),
            &wie,
            Omgeving::Productie,
            0,
            ctx().now,
        )
        .unwrap_err();
        assert_eq!(
            namen(&errors),
            [
                ("callbackUrl", "format"),
                ("soorten[0]", "enum"),
                ("soorten[2]", "enum"),
                ("gemeenten[1]", "format"),
                ("gemeenten[2]", "gemeente"),
            ]
        );
    }

    #[test]
    fn a_partner_names_no_gemeenten() {
        let wie = partner(&[Scope::AbonnementenBeheren]);
        let errors = Abonnement::nieuw(
            gegevens(Some("https://ontvanger.example.nl/hook"), &[], &["0405"]),
            &wie,
            Omgeving::Productie,
            0,
            ctx().now,
        )
        .unwrap_err();
        assert_eq!(namen(&errors), [("gemeenten[0]", "gemeente")]);
        assert!(Abonnement::nieuw(
            gegevens(Some("https://ontvanger.example.nl/hook"), &[], &[]),
            &wie,
            Omgeving::Productie,
            0,
            ctx().now,
        )
        .is_ok());
    }

    #[test]
    fn the_callback_is_judged_for_the_environment() {
        let wie = principal(&[Scope::AbonnementenBeheren], &["0405"]);
        let maak = |omgeving| {
            Abonnement::nieuw(
                gegevens(Some("http://localhost:8080/hook"), &[], &[]),
                &wie,
                omgeving,
                0,
                ctx().now,
            )
        };
        assert_eq!(
            namen(&maak(Omgeving::Productie).unwrap_err()),
            [("callbackUrl", "format")]
        );
        assert_eq!(
            maak(Omgeving::Ontwikkeling).unwrap().callback_url,
            "http://localhost:8080/hook"
        );
    }

    #[test]
    fn a_callback_already_reported_by_the_schema_is_not_named_again() {
        let wie = principal(&[Scope::AbonnementenBeheren], &["0405"]);
        let errors = Abonnement::nieuw(
            AbonnementGegevens {
                callback_url: Input::Invalid,
                ..AbonnementGegevens::default()
            },
            &wie,
            Omgeving::Productie,
            0,
            ctx().now,
        )
        .unwrap_err();
        assert!(errors.is_empty());
    }

    // --- Abonnement::wil ----------------------------------------------------------------------

    fn abonnement(soorten: &[EventKind], gemeenten: &[&str]) -> Abonnement {
        let now = ctx().now;
        Abonnement {
            id: Uuid::now_v7(),
            callback_url: "https://ontvanger.example.nl/hook".to_owned(),
            soorten: soorten.iter().copied().collect(),
            gemeenten: gemeenten.iter().map(|code| gemeente(code)).collect(),
            bevoegdheid: principal(&[Scope::AbonnementenBeheren], &["0405", "0363"]),
            status: AbonnementStatus::Actief,
            positie: 0,
            pogingen: 0,
            volgende_poging: None,
            laatste_fout: None,
            aangemaakt_op: now,
            gewijzigd_op: now,
        }
    }

    #[test]
    fn without_filters_every_event_is_wanted() {
        let alles = abonnement(&[], &[]);
        assert!(alles.wil(&pip_event(Some("0405"))));
        assert!(alles.wil(&pip_event(None)));
        assert!(alles.wil(&event(EventKind::OrganisatieGeregistreerd, None, None)));
    }

    #[test]
    fn a_kind_filter_wants_only_those_kinds() {
        let pips = abonnement(&[EventKind::PipVastgesteld, EventKind::PipVerwijderd], &[]);
        assert!(pips.wil(&pip_event(Some("0405"))));
        assert!(pips.wil(&event(EventKind::PipVerwijderd, None, Some("0363"))));
        assert!(!pips.wil(&event(EventKind::PipAangemaakt, None, Some("0405"))));
    }

    #[test]
    fn a_gemeente_filter_wants_only_events_in_those_gemeenten() {
        let hoorn = abonnement(&[], &["0405"]);
        assert!(hoorn.wil(&pip_event(Some("0405"))));
        assert!(!hoorn.wil(&pip_event(Some("0363"))));
        assert!(!hoorn.wil(&pip_event(None)));
        assert!(!hoorn.wil(&event(EventKind::OrganisatieGeregistreerd, None, None)));
        let beide = abonnement(&[EventKind::PipVastgesteld], &["0405"]);
        assert!(beide.wil(&pip_event(Some("0405"))));
        assert!(!beide.wil(&event(EventKind::PipAangemaakt, None, Some("0405"))));
        assert!(!beide.wil(&pip_event(Some("0363"))));
    }

    // --- zichtbaar ----------------------------------------------------------------------------

    fn nooit() -> bool {
        panic!("gedekt is only asked for a partner's event about a person")
    }

    #[test]
    fn a_gemeente_with_the_read_scope_sees_its_own_gemeentes_events_only() {
        let hoorn = principal(&[Scope::PipLezen], &["0405"]);
        assert!(zichtbaar(&hoorn, &pip_event(Some("0405")), nooit));
        assert!(!zichtbaar(&hoorn, &pip_event(Some("0363")), nooit));
        assert!(!zichtbaar(&hoorn, &pip_event(None), nooit));
        let inburgeraars = principal(&[Scope::InburgeraarsLezen], &["0405"]);
        assert!(zichtbaar(
            &inburgeraars,
            &event(
                EventKind::InburgeraarGewijzigd,
                Some(InburgeraarId::new()),
                Some("0405")
            ),
            nooit
        ));
        assert!(zichtbaar(
            &principal(&[Scope::IntakeLezen], &["0405"]),
            &event(
                EventKind::BredeIntakeVastgelegd,
                Some(InburgeraarId::new()),
                Some("0405")
            ),
            nooit
        ));
    }

    #[test]
    fn without_the_read_scope_or_abonnementen_beheren_nothing_is_seen() {
        let hoorn = principal(
            &[
                Scope::InburgeraarsLezen,
                Scope::PipVaststellen,
                Scope::Beheer,
            ],
            &["0405"],
        );
        assert!(!zichtbaar(&hoorn, &pip_event(Some("0405")), nooit));
        assert!(!zichtbaar(
            &principal(&[], &["0405"]),
            &pip_event(Some("0405")),
            nooit
        ));
        assert!(!zichtbaar(
            &principal(&[Scope::PipLezen], &["0405"]),
            &event(
                EventKind::InburgeraarGewijzigd,
                Some(InburgeraarId::new()),
                Some("0405")
            ),
            nooit
        ));
    }

    #[test]
    fn abonnementen_beheren_alone_suffices() {
        let hoorn = principal(&[Scope::AbonnementenBeheren], &["0405"]);
        for kind in EventKind::ALL.iter().copied() {
            let e = event(kind, Some(InburgeraarId::new()), Some("0405"));
            assert!(zichtbaar(&hoorn, &e, nooit), "{}", kind.as_str());
            let elders = event(kind, Some(InburgeraarId::new()), Some("0363"));
            assert!(!zichtbaar(&hoorn, &elders, nooit), "{}", kind.as_str());
        }
    }

    #[test]
    fn events_of_no_gemeente_only_for_the_beheerder() {
        let organisatie = event(EventKind::OrganisatieGeregistreerd, None, None);
        assert!(zichtbaar(
            &principal(&[Scope::Beheer], &[]),
            &organisatie,
            nooit
        ));
        assert!(!zichtbaar(
            &principal(&[Scope::AbonnementenBeheren], &["0405"]),
            &organisatie,
            nooit
        ));
        // The beheerder sees no gemeente's events for being beheerder.
        assert!(!zichtbaar(
            &principal(&[Scope::Beheer, Scope::AbonnementenBeheren], &[]),
            &pip_event(Some("0405")),
            nooit
        ));
    }

    #[test]
    fn a_partner_sees_an_event_about_a_person_only_when_covered_in_a_category() {
        let taalschool = partner(&[Scope::PipLezen]);
        let e = pip_event(Some("0405"));
        assert!(zichtbaar(&taalschool, &e, || true));
        assert!(!zichtbaar(&taalschool, &e, || false));

        // Asked only when the scope allows, and only once.
        let gevraagd = Cell::new(0);
        let tel = || {
            gevraagd.set(gevraagd.get() + 1);
            true
        };
        assert!(!zichtbaar(&partner(&[Scope::InburgeraarsLezen]), &e, tel));
        assert_eq!(gevraagd.get(), 0);

        // A kind without a category is never a partner's, covered or not, and not asked.
        let beheer = partner(&[Scope::AbonnementenBeheren]);
        for kind in [
            EventKind::ToestemmingVastgelegd,
            EventKind::ToestemmingIngetrokken,
        ] {
            let toestemming = event(kind, Some(InburgeraarId::new()), Some("0405"));
            assert!(
                !zichtbaar(&beheer, &toestemming, nooit),
                "{}",
                kind.as_str()
            );
        }
        // Nor an event about no person.
        assert!(!zichtbaar(
            &beheer,
            &event(EventKind::OrganisatieGewijzigd, None, None),
            nooit
        ));
        let zonder_persoon = Event {
            inburgeraar_id: None,
            ..pip_event(Some("0405"))
        };
        assert!(!zichtbaar(&beheer, &zonder_persoon, nooit));
        // A covered partner sees it regardless of gemeente.
        assert!(zichtbaar(&beheer, &pip_event(Some("0363")), || true));
    }

    #[test]
    fn gedekt_is_not_asked_for_a_gemeente() {
        let gevraagd = Cell::new(false);
        let hoorn = principal(&[Scope::PipLezen], &["0405"]);
        assert!(zichtbaar(&hoorn, &pip_event(Some("0405")), || {
            gevraagd.set(true);
            false
        }));
        assert!(!zichtbaar(&hoorn, &pip_event(Some("0363")), || {
            gevraagd.set(true);
            true
        }));
        assert!(!gevraagd.get());
    }

    // --- cloudevent ---------------------------------------------------------------------------

    fn sleutels(ce: &serde_json::Value) -> BTreeSet<&str> {
        ce.as_object().unwrap().keys().map(String::as_str).collect()
    }

    #[test]
    fn a_cloudevent_is_thin_and_names_the_resource() {
        let persoon = InburgeraarId::new();
        let pip = Uuid::now_v7();
        let e = Event {
            volgnummer: 42,
            id: Uuid::now_v7(),
            kind: EventKind::PipVastgesteld,
            url: pip_url(persoon, pip),
            inburgeraar_id: Some(persoon),
            gemeente: Some(gemeente("0405")),
            organisatie_id: Some("org-1".to_owned()),
            tijdstip: chrono::NaiveDate::from_ymd_opt(2026, 12, 5)
                .unwrap()
                .and_hms_micro_opt(10, 0, 1, 234_567)
                .unwrap(),
            request_id: "req-1".to_owned(),
        };
        let ce = cloudevent(&e, "urn:nl:koers:test", "https://koers.example.nl/");
        assert_eq!(ce["specversion"], "1.0");
        assert_eq!(ce["id"], e.id.to_string());
        assert_eq!(ce["source"], "urn:nl:koers:test");
        assert_eq!(ce["type"], "nl.koers.pip.vastgesteld");
        assert_eq!(ce["subject"], persoon.to_string());
        assert_eq!(
            ce["dataref"],
            format!("https://koers.example.nl/api/v1/inburgeraars/{persoon}/pips/{pip}")
        );
        assert_eq!(ce["time"], "2026-12-05T10:00:01.234567Z");
        assert!(chrono::DateTime::parse_from_rfc3339(ce["time"].as_str().unwrap()).is_ok());
        assert_eq!(ce["sequence"], "00000000000000000042");
        assert_eq!(ce["gemeentecode"], "0405");
        assert_eq!(
            sleutels(&ce),
            BTreeSet::from([
                "specversion",
                "id",
                "source",
                "type",
                "time",
                "subject",
                "dataref",
                "sequence",
                "gemeentecode",
            ])
        );
        // The base with or without its slash.
        let zonder = cloudevent(&e, "urn:nl:koers:test", "https://koers.example.nl");
        assert_eq!(zonder["dataref"], ce["dataref"]);
    }

    #[test]
    fn without_a_person_the_subject_is_the_resources_id_and_without_a_gemeente_no_gemeentecode() {
        let organisatie = Uuid::now_v7();
        let e = Event {
            url: organisatie_url(organisatie),
            ..event(EventKind::OrganisatieGeregistreerd, None, None)
        };
        let ce = cloudevent(&e, "urn:nl:koers:test", "https://koers.example.nl/");
        assert_eq!(ce["subject"], organisatie.to_string());
        assert_eq!(ce["type"], "nl.koers.organisatie.geregistreerd");
        assert_eq!(
            ce["dataref"],
            format!("https://koers.example.nl/api/v1/organisaties/{organisatie}")
        );
        assert_eq!(ce["time"], "2026-12-05T10:00:00.000000Z");
        assert_eq!(
            sleutels(&ce),
            BTreeSet::from([
                "specversion",
                "id",
                "source",
                "type",
                "time",
                "subject",
                "dataref",
                "sequence",
            ])
        );
    }

    #[test]
    fn sequences_order_lexically_as_numbers() {
        let volgnummer = |n: i64| {
            let e = Event {
                volgnummer: n,
                ..pip_event(Some("0405"))
            };
            cloudevent(&e, "urn:x", "https://k.nl")["sequence"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        assert_eq!(volgnummer(9), "00000000000000000009");
        assert_eq!(volgnummer(10), "00000000000000000010");
        assert!(volgnummer(9) < volgnummer(10));
        assert!("9" > "10", "unpadded they would not");
        let reeks = [1, 9, 10, 99, 100, 12_345, i64::MAX];
        let teksten: Vec<String> = reeks.iter().map(|n| volgnummer(*n)).collect();
        let mut gesorteerd = teksten.clone();
        gesorteerd.sort();
        assert_eq!(teksten, gesorteerd);
        assert!(teksten.iter().all(|t| t.len() == 20));
        // i64::MAX has 19 digits: the widest sequence still has its leading zero.
        assert_eq!(volgnummer(i64::MAX), format!("0{}", i64::MAX));
    }
}
