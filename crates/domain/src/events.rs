//! What Koers tells the systems around it: every change writes one event (and a second when it moves
//! the person's status) in the same transaction as the change, into the outbox `gebeurtenissen`. The
//! change feed, webhooks, the DUO link and the statistics read that outbox, each at its own position.
//!
//! An event is thin: what happened, to which resource (its URL), about whom (the person's id, never a
//! BSN or a name), in which gemeente, by which partner organisatie, and when. A reader fetches the
//! content with its own token, so authorisation is checked where the data is read.

use crate::gemeente::GemeenteCode;
use crate::inburgeraar::InburgeraarId;
use crate::partner::Gegevenscategorie;
use crate::records::RequestContext;
use chrono::NaiveDateTime;
use uuid::Uuid;

text_enum! {
    /// What happened. The wire names are `resource.verleden-tijd`, stable: subscribers filter on them.
    /// `traject.gewijzigd` was a change of several parts at once (demo data was loaded that way before
    /// every change became a command of its own): no longer written, but found in existing outboxes.
    #[derive(PartialOrd, Ord)]
    EventKind {
        InburgeraarGeregistreerd => "inburgeraar.geregistreerd",
        InburgeraarGewijzigd => "inburgeraar.gewijzigd",
        StatusGewijzigd => "inburgeraar.status-gewijzigd",
        TrajectGewijzigd => "traject.gewijzigd",
        BredeIntakeVastgelegd => "brede-intake.vastgelegd",
        PipAangemaakt => "pip.aangemaakt",
        PipVastgesteld => "pip.vastgesteld",
        PipVerwijderd => "pip.verwijderd",
        OnderdeelGewijzigd => "onderdeel.gewijzigd",
        OntheffingVerleend => "ontheffing.verleend",
        VrijstellingVerleend => "vrijstelling.verleend",
        TermijnVerlengd => "termijn.verlengd",
        OntzorgingGewijzigd => "ontzorging.gewijzigd",
        VoortgangsgesprekVastgelegd => "voortgangsgesprek.vastgelegd",
        MetingVastgelegd => "participatieladder-meting.vastgelegd",
        InschrijvingAangeleverd => "inschrijving.aangeleverd",
        GevolgdeUrenAangeleverd => "gevolgde-uren.aangeleverd",
        ExamenresultaatAangeleverd => "examenresultaat.aangeleverd",
        ToestemmingVastgelegd => "toestemming.vastgelegd",
        ToestemmingIngetrokken => "toestemming.ingetrokken",
        OrganisatieGeregistreerd => "organisatie.geregistreerd",
        OrganisatieGewijzigd => "organisatie.gewijzigd",
        InstellingenGewijzigd => "gemeente-instellingen.gewijzigd",
        AbonnementAangemaakt => "abonnement.aangemaakt",
        AbonnementGewijzigd => "abonnement.gewijzigd",
        AbonnementVerwijderd => "abonnement.verwijderd",
    }
}

impl EventKind {
    /// The resource as the audit trail names it.
    pub fn resource(self) -> &'static str {
        match self {
            Self::InburgeraarGeregistreerd | Self::InburgeraarGewijzigd => "inburgeraar",
            Self::StatusGewijzigd => "status",
            Self::TrajectGewijzigd => "traject",
            Self::BredeIntakeVastgelegd => "brede-intake",
            Self::PipAangemaakt | Self::PipVastgesteld | Self::PipVerwijderd => "pip",
            Self::OnderdeelGewijzigd => "onderdeel",
            Self::OntheffingVerleend => "ontheffing",
            Self::VrijstellingVerleend => "vrijstelling",
            Self::TermijnVerlengd => "verlenging",
            Self::OntzorgingGewijzigd => "ontzorging",
            Self::VoortgangsgesprekVastgelegd => "voortgangsgesprek",
            Self::MetingVastgelegd => "participatieladder-meting",
            Self::InschrijvingAangeleverd => "inschrijving",
            Self::GevolgdeUrenAangeleverd => "gevolgde-uren",
            Self::ExamenresultaatAangeleverd => "examenresultaat",
            Self::ToestemmingVastgelegd | Self::ToestemmingIngetrokken => "toestemming",
            Self::OrganisatieGeregistreerd | Self::OrganisatieGewijzigd => "organisatie",
            Self::InstellingenGewijzigd => "gemeente-instellingen",
            Self::AbonnementAangemaakt | Self::AbonnementGewijzigd | Self::AbonnementVerwijderd => {
                "abonnement"
            }
        }
    }

    /// The category of data a partner's toestemming must cover to read what the event points at;
    /// `None` for events that are the gemeente's (or the beheerder's) alone.
    pub fn categorie(self) -> Option<Gegevenscategorie> {
        use Gegevenscategorie as C;
        match self {
            Self::InburgeraarGeregistreerd | Self::InburgeraarGewijzigd => {
                Some(C::Persoonsgegevens)
            }
            Self::StatusGewijzigd
            | Self::TrajectGewijzigd
            | Self::BredeIntakeVastgelegd
            | Self::PipAangemaakt
            | Self::PipVastgesteld
            | Self::PipVerwijderd
            | Self::OnderdeelGewijzigd
            | Self::OntheffingVerleend
            | Self::VrijstellingVerleend
            | Self::TermijnVerlengd
            | Self::OntzorgingGewijzigd
            | Self::VoortgangsgesprekVastgelegd
            | Self::MetingVastgelegd => Some(C::Traject),
            Self::InschrijvingAangeleverd | Self::GevolgdeUrenAangeleverd => Some(C::Voortgang),
            Self::ExamenresultaatAangeleverd => Some(C::Examenresultaten),
            Self::ToestemmingVastgelegd
            | Self::ToestemmingIngetrokken
            | Self::OrganisatieGeregistreerd
            | Self::OrganisatieGewijzigd
            | Self::InstellingenGewijzigd
            | Self::AbonnementAangemaakt
            | Self::AbonnementGewijzigd
            | Self::AbonnementVerwijderd => None,
        }
    }
}

/// The path of the API's resources; an event's URL is this joined with the resource's own path.
pub const API_BASE: &str = "/api/v1";

/// The URL (a path under the API's base) of what a person's change is about, for a kind whose resource
/// is one per person or a list of the person's (an item that has a URL of its own is given its URL by
/// the change itself).
pub fn person_url(kind: EventKind, person: InburgeraarId) -> String {
    let base = format!("{API_BASE}/inburgeraars/{person}");
    let sub = match kind {
        EventKind::InburgeraarGeregistreerd
        | EventKind::InburgeraarGewijzigd
        | EventKind::TrajectGewijzigd => return base,
        EventKind::StatusGewijzigd => "statuswijzigingen",
        EventKind::BredeIntakeVastgelegd => "brede-intake",
        EventKind::PipAangemaakt | EventKind::PipVastgesteld | EventKind::PipVerwijderd => "pips",
        EventKind::OnderdeelGewijzigd => "onderdelen",
        EventKind::OntheffingVerleend => "ontheffingen",
        EventKind::VrijstellingVerleend => "vrijstellingen",
        EventKind::TermijnVerlengd => "verlengingen",
        EventKind::OntzorgingGewijzigd => "ontzorging",
        EventKind::VoortgangsgesprekVastgelegd => "voortgangsgesprekken",
        EventKind::MetingVastgelegd => "participatieladder-metingen",
        EventKind::InschrijvingAangeleverd
        | EventKind::GevolgdeUrenAangeleverd
        | EventKind::ExamenresultaatAangeleverd => "voortgang",
        EventKind::ToestemmingVastgelegd | EventKind::ToestemmingIngetrokken => "toestemmingen",
        EventKind::OrganisatieGeregistreerd
        | EventKind::OrganisatieGewijzigd
        | EventKind::InstellingenGewijzigd
        | EventKind::AbonnementAangemaakt
        | EventKind::AbonnementGewijzigd
        | EventKind::AbonnementVerwijderd => return base,
    };
    format!("{base}/{sub}")
}

/// The URL of one PIP version.
pub fn pip_url(person: InburgeraarId, pip: impl std::fmt::Display) -> String {
    format!("{}/{pip}", person_url(EventKind::PipAangemaakt, person))
}

/// The URL of an organisatie.
pub fn organisatie_url(id: Uuid) -> String {
    format!("{API_BASE}/organisaties/{id}")
}

/// The URL of a toestemming.
pub fn toestemming_url(id: Uuid) -> String {
    format!("{API_BASE}/toestemmingen/{id}")
}

/// The URL of an abonnement.
pub fn abonnement_url(id: Uuid) -> String {
    format!("{API_BASE}/abonnementen/{id}")
}

/// The URL of a gemeente's settings.
pub fn instellingen_url(gemeente: &GemeenteCode) -> String {
    format!("{API_BASE}/gemeenten/{}/instellingen", gemeente.as_str())
}

/// A change to a person's trajectory as its event will name it: the kind, and the URL of the
/// resource when it has one of its own (a PIP version, one onderdeel); otherwise
/// [`person_url`] names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wijziging {
    pub kind: EventKind,
    pub url: Option<String>,
}

impl Wijziging {
    /// A change of a kind whose resource is the person's (its URL follows from the kind).
    pub fn of(kind: EventKind) -> Self {
        Self { kind, url: None }
    }

    /// A change of the resource at `url` (a path under [`API_BASE`]).
    pub fn at(kind: EventKind, url: impl Into<String>) -> Self {
        Self {
            kind,
            url: Some(url.into()),
        }
    }
}

/// One event, as stored in the outbox. `volgnummer` is given by the outbox when it is written
/// (0 before that).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub volgnummer: i64,
    pub id: Uuid,
    pub kind: EventKind,
    /// The resource's URL: a path under [`API_BASE`].
    pub url: String,
    pub inburgeraar_id: Option<InburgeraarId>,
    pub gemeente: Option<GemeenteCode>,
    /// The partner organisatie that made the change, when a partner did.
    pub organisatie_id: Option<String>,
    pub tijdstip: NaiveDateTime,
    /// The request that made the change, to correlate with the audit trail and the logs.
    pub request_id: String,
}

impl Event {
    /// The event of a change made in `ctx`.
    pub fn new(
        ctx: &RequestContext,
        kind: EventKind,
        url: String,
        inburgeraar_id: Option<InburgeraarId>,
        gemeente: Option<GemeenteCode>,
    ) -> Self {
        Self {
            volgnummer: 0,
            id: Uuid::now_v7(),
            kind,
            url,
            inburgeraar_id,
            gemeente,
            organisatie_id: ctx.principal.organisatie.clone(),
            tijdstip: ctx.now,
            request_id: ctx.request_id.clone(),
        }
    }

    /// The event of a change to a person: at the change's own URL, or the one its kind names.
    pub fn about(
        ctx: &RequestContext,
        wijziging: &Wijziging,
        person: InburgeraarId,
        gemeente: &GemeenteCode,
    ) -> Self {
        let url = wijziging
            .url
            .clone()
            .unwrap_or_else(|| person_url(wijziging.kind, person));
        Self::at_person(ctx, wijziging.kind, url, person, gemeente)
    }

    /// The event of a change at `url` about a person of `gemeente`.
    pub fn at_person(
        ctx: &RequestContext,
        kind: EventKind,
        url: String,
        person: InburgeraarId,
        gemeente: &GemeenteCode,
    ) -> Self {
        Self::new(ctx, kind, url, Some(person), Some(gemeente.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_resource_dot_past_tense_and_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for kind in EventKind::ALL {
            let text = kind.as_str();
            assert!(seen.insert(text), "{text} twice");
            let (resource, verb) = text.split_once('.').unwrap();
            assert!(!resource.is_empty() && !verb.is_empty(), "{text}");
            assert!(
                text.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '.' || c == '-'),
                "{text}"
            );
            assert_eq!(EventKind::from_text(text), Some(*kind));
        }
    }

    #[test]
    fn a_person_url_is_under_the_person() {
        let person = InburgeraarId(Uuid::from_u128(1));
        let base = format!("/api/v1/inburgeraars/{person}");
        assert_eq!(person_url(EventKind::InburgeraarGewijzigd, person), base);
        assert_eq!(
            person_url(EventKind::ExamenresultaatAangeleverd, person),
            format!("{base}/voortgang")
        );
        assert_eq!(
            person_url(EventKind::MetingVastgelegd, person),
            format!("{base}/participatieladder-metingen")
        );
    }

    #[test]
    fn partners_read_pushes_under_their_own_categories() {
        assert_eq!(
            EventKind::ExamenresultaatAangeleverd.categorie(),
            Some(Gegevenscategorie::Examenresultaten)
        );
        assert_eq!(
            EventKind::GevolgdeUrenAangeleverd.categorie(),
            Some(Gegevenscategorie::Voortgang)
        );
        assert_eq!(EventKind::ToestemmingIngetrokken.categorie(), None);
    }
}
