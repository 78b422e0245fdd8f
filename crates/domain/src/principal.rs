//! Who calls: the verified claims of a bearer token, as the domain sees them.

use crate::gemeente::GemeenteCode;
use std::collections::BTreeSet;

/// The scopes of api.md. A scope grants an action; visibility is decided separately by gemeenten
/// (municipal clients) or toestemmingen (partners).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    InburgeraarsLezen,
    InburgeraarsSchrijven,
    IntakeLezen,
    IntakeSchrijven,
    GezondheidLezen,
    PipLezen,
    PipVaststellen,
    VoortgangAanleveren,
    ToestemmingenBeheren,
    StatistiekenLezen,
    AuditLezen,
    AbonnementenBeheren,
    Beheer,
}

impl Scope {
    pub const ALL: [Scope; 13] = [
        Scope::InburgeraarsLezen,
        Scope::InburgeraarsSchrijven,
        Scope::IntakeLezen,
        Scope::IntakeSchrijven,
        Scope::GezondheidLezen,
        Scope::PipLezen,
        Scope::PipVaststellen,
        Scope::VoortgangAanleveren,
        Scope::ToestemmingenBeheren,
        Scope::StatistiekenLezen,
        Scope::AuditLezen,
        Scope::AbonnementenBeheren,
        Scope::Beheer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::InburgeraarsLezen => "inburgeraars:lezen",
            Scope::InburgeraarsSchrijven => "inburgeraars:schrijven",
            Scope::IntakeLezen => "intake:lezen",
            Scope::IntakeSchrijven => "intake:schrijven",
            Scope::GezondheidLezen => "gezondheid:lezen",
            Scope::PipLezen => "pip:lezen",
            Scope::PipVaststellen => "pip:vaststellen",
            Scope::VoortgangAanleveren => "voortgang:aanleveren",
            Scope::ToestemmingenBeheren => "toestemmingen:beheren",
            Scope::StatistiekenLezen => "statistieken:lezen",
            Scope::AuditLezen => "audit:lezen",
            Scope::AbonnementenBeheren => "abonnementen:beheren",
            Scope::Beheer => "beheer",
        }
    }

    pub fn parse(input: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|scope| scope.as_str() == input)
    }
}

/// The caller of one request, built from a verified token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The client application (`sub`).
    pub client: String,
    /// The natural person behind the client, where the token names one.
    pub gebruiker: Option<String>,
    pub scopes: BTreeSet<Scope>,
    /// Municipal clients: the gemeenten the client acts for.
    pub gemeenten: BTreeSet<GemeenteCode>,
    /// Partner clients: the registered organisatie they act for.
    pub organisatie: Option<String>,
}

impl Principal {
    pub fn has_scope(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }

    pub fn acts_for(&self, gemeente: &GemeenteCode) -> bool {
        self.gemeenten.contains(gemeente)
    }
}
