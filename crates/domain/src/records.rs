//! What every processing leaves behind: the audit trail, the processing log (Logboek Dataverwerkingen)
//! and idempotency records; plus the context of the request that causes them.

use crate::inburgeraar::InburgeraarId;
use crate::principal::Principal;
use chrono::{NaiveDateTime, Timelike};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The context of one request: who, when, and the identifiers that tie its traces together.
#[derive(Debug, Clone)]
pub struct RequestContext {
    pub principal: Principal,
    /// W3C trace id (32 hex characters), taken from `traceparent` or made up.
    pub trace_id: String,
    /// The span of this request (16 hex characters).
    pub span_id: String,
    /// The request id, also returned as `X-Request-Id`.
    pub request_id: String,
    /// The moment the request started, UTC, truncated to microseconds (both backends keep that).
    pub now: NaiveDateTime,
}

/// Truncates a timestamp to microseconds, the precision PostgreSQL keeps, so that what is written is
/// what is read back on both backends.
pub fn truncate_to_micros(moment: NaiveDateTime) -> NaiveDateTime {
    let nanos = moment.nanosecond() / 1_000 * 1_000;
    moment.with_nanosecond(nanos).unwrap_or(moment)
}

/// The processing activities of the register (verwerkingsactiviteiten), with stable ids for the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verwerkingsactiviteit {
    InburgeraarRegistreren,
    InburgeraarRaadplegen,
    InburgeraarsOpvragen,
    InburgeraarZoeken,
    InburgeraarWijzigen,
    AudittrailRaadplegen,
    VerwerkingenRaadplegen,
    TrajectRaadplegen,
    TrajectWijzigen,
    ToestemmingVastleggen,
    ToestemmingRaadplegen,
    ToestemmingIntrekken,
    VoortgangAanleveren,
    ExamenresultaatAanleveren,
    SignaleringenRaadplegen,
    GebeurtenissenVolgen,
    GebeurtenisAfleveren,
}

impl Verwerkingsactiviteit {
    pub const ALL: [Verwerkingsactiviteit; 17] = [
        Self::InburgeraarRegistreren,
        Self::InburgeraarRaadplegen,
        Self::InburgeraarsOpvragen,
        Self::InburgeraarZoeken,
        Self::InburgeraarWijzigen,
        Self::AudittrailRaadplegen,
        Self::VerwerkingenRaadplegen,
        Self::TrajectRaadplegen,
        Self::TrajectWijzigen,
        Self::ToestemmingVastleggen,
        Self::ToestemmingRaadplegen,
        Self::ToestemmingIntrekken,
        Self::VoortgangAanleveren,
        Self::ExamenresultaatAanleveren,
        Self::SignaleringenRaadplegen,
        Self::GebeurtenissenVolgen,
        Self::GebeurtenisAfleveren,
    ];

    /// The activity with this [`Verwerkingsactiviteit::id`].
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.id() == id)
    }

    pub fn id(self) -> &'static str {
        match self {
            Self::InburgeraarRegistreren => "inburgeraar-registreren",
            Self::InburgeraarRaadplegen => "inburgeraar-raadplegen",
            Self::InburgeraarsOpvragen => "inburgeraars-opvragen",
            Self::InburgeraarZoeken => "inburgeraar-zoeken",
            Self::InburgeraarWijzigen => "inburgeraar-wijzigen",
            Self::AudittrailRaadplegen => "audittrail-raadplegen",
            Self::VerwerkingenRaadplegen => "verwerkingen-raadplegen",
            Self::TrajectRaadplegen => "traject-raadplegen",
            Self::TrajectWijzigen => "traject-wijzigen",
            Self::ToestemmingVastleggen => "toestemming-vastleggen",
            Self::ToestemmingRaadplegen => "toestemming-raadplegen",
            Self::ToestemmingIntrekken => "toestemming-intrekken",
            Self::VoortgangAanleveren => "voortgang-aanleveren",
            Self::ExamenresultaatAanleveren => "examenresultaat-aanleveren",
            Self::SignaleringenRaadplegen => "signaleringen-raadplegen",
            Self::GebeurtenissenVolgen => "gebeurtenissen-volgen",
            Self::GebeurtenisAfleveren => "gebeurtenis-afleveren",
        }
    }

    pub fn naam(self) -> &'static str {
        match self {
            Self::InburgeraarRegistreren => "Inburgeraar registreren",
            Self::InburgeraarRaadplegen => "Inburgeraar raadplegen",
            Self::InburgeraarsOpvragen => "Inburgeraars opvragen (lijst)",
            Self::InburgeraarZoeken => "Inburgeraar zoeken op identificatie",
            Self::InburgeraarWijzigen => "Inburgeraar wijzigen",
            Self::AudittrailRaadplegen => "Audittrail raadplegen",
            Self::VerwerkingenRaadplegen => "Verwerkingen raadplegen",
            Self::TrajectRaadplegen => {
                "Inburgeringstraject raadplegen (intake, PIP, termijn, onderdelen, besluiten)"
            }
            Self::TrajectWijzigen => {
                "Inburgeringstraject wijzigen (intake, PIP, termijn, onderdelen, besluiten)"
            }
            Self::ToestemmingVastleggen => {
                "Toestemming of grondslag voor gegevensdeling vastleggen"
            }
            Self::ToestemmingRaadplegen => "Toestemmingen raadplegen",
            Self::ToestemmingIntrekken => "Toestemming intrekken",
            Self::VoortgangAanleveren => "Inschrijving of gevolgde uren aanleveren",
            Self::ExamenresultaatAanleveren => "Examenresultaat aanleveren",
            Self::SignaleringenRaadplegen => "Signaleringen (werklijst) raadplegen",
            Self::GebeurtenissenVolgen => "Gebeurtenissen volgen (wijzigingen, zonder inhoud)",
            Self::GebeurtenisAfleveren => {
                "Gebeurtenis afleveren aan een abonnement (wijziging, zonder inhoud)"
            }
        }
    }

    /// The category of data a partner needs a toestemming for to take part in this activity; `None`
    /// for activities that are the gemeente's alone.
    pub fn categorie(self) -> Option<crate::partner::Gegevenscategorie> {
        use crate::partner::Gegevenscategorie as C;
        match self {
            Self::InburgeraarRaadplegen | Self::InburgeraarsOpvragen | Self::InburgeraarZoeken => {
                Some(C::Persoonsgegevens)
            }
            Self::TrajectRaadplegen => Some(C::Traject),
            Self::VoortgangAanleveren => Some(C::Voortgang),
            Self::ExamenresultaatAanleveren => Some(C::Examenresultaten),
            Self::InburgeraarRegistreren
            | Self::InburgeraarWijzigen
            | Self::AudittrailRaadplegen
            | Self::VerwerkingenRaadplegen
            | Self::TrajectWijzigen
            | Self::ToestemmingVastleggen
            | Self::ToestemmingRaadplegen
            | Self::ToestemmingIntrekken
            | Self::SignaleringenRaadplegen
            // A partner follows events under the toestemming of each event's category, checked per event.
            | Self::GebeurtenissenVolgen
            | Self::GebeurtenisAfleveren => None,
        }
    }

    /// Whether the activity changes data (a write) or only reads it.
    pub fn is_write(self) -> bool {
        matches!(
            self,
            Self::InburgeraarRegistreren
                | Self::InburgeraarWijzigen
                | Self::TrajectWijzigen
                | Self::ToestemmingVastleggen
                | Self::ToestemmingIntrekken
                | Self::VoortgangAanleveren
                | Self::ExamenresultaatAanleveren
        )
    }
}

/// The pseudonym under which a person appears in the processing log: a keyed SHA-256 of the id, so
/// the log names no one directly but the register can still find a person's lines.
pub fn pseudonymise(key: &str, id: InburgeraarId) -> String {
    let mut hasher = Sha256::new();
    hasher.update(key.as_bytes());
    hasher.update([0u8]);
    hasher.update(id.0.as_bytes());
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// One line of the processing log, after the Logboek Dataverwerkingen standard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verwerking {
    pub id: String,
    pub trace_id: String,
    pub span_id: String,
    pub activiteit_id: String,
    pub activiteit_naam: String,
    pub betrokkene: String,
    pub status: VerwerkingStatus,
    pub client: String,
    pub gebruiker: Option<String>,
    pub organisatie: Option<String>,
    pub start_tijd: NaiveDateTime,
    pub eind_tijd: NaiveDateTime,
    /// The toestemming a partner's processing relied on.
    pub toestemming_id: Option<String>,
}

/// Whether the processing succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum VerwerkingStatus {
    #[serde(rename = "OK")]
    Ok,
    #[serde(rename = "FOUT")]
    Fout,
}

impl VerwerkingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "OK",
            Self::Fout => "FOUT",
        }
    }
}

/// One entry of the audit trail: a change, with the values before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub id: String,
    pub inburgeraar_id: InburgeraarId,
    pub resource: String,
    pub resource_id: String,
    pub actie: AuditActie,
    pub client: String,
    pub gebruiker: Option<String>,
    pub oude_waarde: Option<serde_json::Value>,
    pub nieuwe_waarde: Option<serde_json::Value>,
    pub tijdstip: NaiveDateTime,
    pub request_id: String,
}

/// The kind of change an audit entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AuditActie {
    #[serde(rename = "aangemaakt")]
    Aangemaakt,
    #[serde(rename = "gewijzigd")]
    Gewijzigd,
    #[serde(rename = "verwijderd")]
    Verwijderd,
}

impl AuditActie {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Aangemaakt => "aangemaakt",
            Self::Gewijzigd => "gewijzigd",
            Self::Verwijderd => "verwijderd",
        }
    }

    pub fn from_text(text: &str) -> Option<Self> {
        [Self::Aangemaakt, Self::Gewijzigd, Self::Verwijderd]
            .into_iter()
            .find(|actie| actie.as_str() == text)
    }
}

/// What a changing POST answers: the status, where the created thing lives, and the body. A retry with
/// the same `Idempotency-Key` gets exactly this again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Antwoord {
    pub status: u16,
    pub location: Option<String>,
    pub body: serde_json::Value,
}

impl Antwoord {
    /// `201 Created` at `location`.
    pub fn created(location: impl Into<String>, body: serde_json::Value) -> Self {
        Self {
            status: 201,
            location: Some(location.into()),
            body,
        }
    }

    /// `201 Created` without a location of its own.
    pub fn created_here(body: serde_json::Value) -> Self {
        Self {
            status: 201,
            location: None,
            body,
        }
    }

    /// `200 OK`.
    pub fn ok(body: serde_json::Value) -> Self {
        Self {
            status: 200,
            location: None,
            body,
        }
    }
}

/// The `Idempotency-Key` of a changing request and the fingerprint of what it asks. The store keeps the
/// first answer under the caller's client and authority (see [`authority`]) in the transaction of the
/// write it answers, so a crash never keeps one without the other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey {
    pub key: String,
    /// Fingerprint of method, path and body: the same key with another request is a conflict.
    pub fingerprint: String,
}

impl IdempotencyKey {
    /// The key under which one part of a larger request is kept (a person's items of a bulk call).
    /// The separator is a space, which a client's key cannot contain, so no client key collides.
    pub fn part(&self, part: &str, fingerprint: String) -> Self {
        Self {
            key: format!("{} {part}", self.key),
            fingerprint,
        }
    }
}

/// The first answer to a POST with an `Idempotency-Key`, stored with the write it answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyRecord {
    pub client: String,
    /// Digest of the authority the client acted with: a replay needs the same.
    pub authority: String,
    pub key: String,
    pub request_hash: String,
    /// The person the answer is about, whose visibility a replay checks again.
    pub subject: Option<InburgeraarId>,
    /// The activity the write was, which decides that visibility (a partner's toestemming category).
    pub activiteit: Option<Verwerkingsactiviteit>,
    pub antwoord: Antwoord,
    pub created: NaiveDateTime,
}

impl IdempotencyRecord {
    /// The record of `key` answered with `antwoord`, by the caller of `ctx`.
    pub fn new(
        ctx: &RequestContext,
        key: &IdempotencyKey,
        subject: Option<InburgeraarId>,
        activiteit: Option<Verwerkingsactiviteit>,
        antwoord: Antwoord,
    ) -> Self {
        Self {
            client: ctx.principal.client.clone(),
            authority: authority(&ctx.principal),
            key: key.key.clone(),
            request_hash: key.fingerprint.clone(),
            subject,
            activiteit,
            antwoord,
            created: ctx.now,
        }
    }
}

/// Digest of what a caller may act on: its gemeenten or organisatie. A stored answer belongs to the
/// client together with this authority, so a token of the same client for other gemeenten never
/// replays it.
pub fn authority(principal: &Principal) -> String {
    let gemeenten: Vec<&str> = principal.gemeenten.iter().map(|g| g.as_str()).collect();
    request_fingerprint(&[
        gemeenten.join(",").as_bytes(),
        principal
            .organisatie
            .as_deref()
            .unwrap_or_default()
            .as_bytes(),
    ])
}

/// SHA-256 of the parts of a request, hex encoded; the fingerprint of an idempotent request.
pub fn request_fingerprint(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn pseudonyms_depend_on_the_key_and_the_person() {
        let a = InburgeraarId(Uuid::from_u128(1));
        let b = InburgeraarId(Uuid::from_u128(2));
        assert_eq!(pseudonymise("k", a), pseudonymise("k", a));
        assert_ne!(pseudonymise("k", a), pseudonymise("k", b));
        assert_ne!(pseudonymise("k", a), pseudonymise("other", a));
        assert_eq!(pseudonymise("k", a).len(), 64);
    }

    #[test]
    fn activities_round_trip_through_their_ids() {
        for activiteit in Verwerkingsactiviteit::ALL {
            assert_eq!(
                Verwerkingsactiviteit::from_id(activiteit.id()),
                Some(activiteit)
            );
        }
        assert_eq!(Verwerkingsactiviteit::from_id("onbekend"), None);
    }

    #[test]
    fn authority_separates_gemeenten_and_organisaties() {
        use crate::gemeente::GemeenteCode;
        let principal = |gemeenten: &[&str], organisatie: Option<&str>| Principal {
            client: "c".to_owned(),
            gebruiker: None,
            scopes: std::collections::BTreeSet::new(),
            gemeenten: gemeenten
                .iter()
                .map(|g| GemeenteCode::parse("gemeente", g).unwrap())
                .collect(),
            organisatie: organisatie.map(str::to_owned),
        };
        let hoorn = authority(&principal(&["0405"], None));
        assert_eq!(hoorn, authority(&principal(&["0405"], None)));
        assert_ne!(hoorn, authority(&principal(&["0855"], None)));
        assert_ne!(hoorn, authority(&principal(&["0405", "0855"], None)));
        assert_ne!(hoorn, authority(&principal(&[], Some("0405"))));
    }

    #[test]
    fn fingerprints_separate_their_parts() {
        assert_ne!(
            request_fingerprint(&[b"ab", b"c"]),
            request_fingerprint(&[b"a", b"bc"])
        );
    }
}
