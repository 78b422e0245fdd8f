//! The rows of `abonnementen`: an abonnement with its authority (the principal that made it) and its
//! signing secrets as JSON.

use crate::schema::abonnementen;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use koers_domain::abonnement::{Abonnement, AbonnementStatus};
use koers_domain::events::EventKind;
use koers_domain::gemeente::GemeenteCode;
use koers_domain::ports::StoreError;
use koers_domain::principal::{Principal, Scope};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = abonnementen)]
#[diesel(treat_none_as_null = true)]
pub struct AbonnementRow {
    pub id: String,
    pub callback_url: String,
    pub soorten: String,
    pub gemeenten: String,
    pub eigenaar: String,
    pub bevoegdheid: String,
    pub geheimen: String,
    pub status: String,
    pub positie: i64,
    pub pogingen: i32,
    pub volgende_poging: Option<NaiveDateTime>,
    pub laatste_fout: Option<String>,
    pub geclaimd_door: Option<String>,
    pub geclaimd_tot: Option<NaiveDateTime>,
    pub aangemaakt_op: NaiveDateTime,
    pub gewijzigd_op: NaiveDateTime,
}

/// The principal an abonnement acts with, as stored.
#[derive(Debug, Serialize, Deserialize)]
struct Bevoegdheid {
    client: String,
    gebruiker: Option<String>,
    scopes: Vec<String>,
    gemeenten: Vec<String>,
    organisatie: Option<String>,
}

/// A signing secret, and until when it stays valid after a newer one took over.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Geheim {
    pub geheim: String,
    pub geldig_tot: Option<NaiveDateTime>,
}

fn corrupt(what: &str, id: &str) -> StoreError {
    StoreError::internal(format!("stored abonnement {id}: {what}"))
}

fn woorden<T>(tekst: &str, parse: impl Fn(&str) -> Option<T>) -> Option<Vec<T>> {
    tekst.split_whitespace().map(parse).collect()
}

impl AbonnementRow {
    /// The row of a new abonnement with its first secret.
    ///
    /// # Errors
    /// A value that does not serialise (a bug).
    pub fn nieuw(abonnement: &Abonnement, geheim: &str) -> Result<Self, StoreError> {
        let p = &abonnement.bevoegdheid;
        let bevoegdheid = Bevoegdheid {
            client: p.client.clone(),
            gebruiker: p.gebruiker.clone(),
            scopes: p.scopes.iter().map(|s| s.as_str().to_owned()).collect(),
            gemeenten: p.gemeenten.iter().map(|g| g.as_str().to_owned()).collect(),
            organisatie: p.organisatie.clone(),
        };
        let geheimen = vec![Geheim {
            geheim: geheim.to_owned(),
            geldig_tot: None,
        }];
        let json = |e: serde_json::Error| StoreError::internal_by("abonnement value", e);
        Ok(Self {
            id: abonnement.id.to_string(),
            callback_url: abonnement.callback_url.clone(),
            soorten: abonnement
                .soorten
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            gemeenten: abonnement
                .gemeenten
                .iter()
                .map(|g| g.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            eigenaar: koers_domain::abonnement::eigenaar(p),
            bevoegdheid: serde_json::to_string(&bevoegdheid).map_err(json)?,
            geheimen: serde_json::to_string(&geheimen).map_err(json)?,
            status: abonnement.status.as_str().to_owned(),
            positie: abonnement.positie,
            pogingen: i32::try_from(abonnement.pogingen).unwrap_or(i32::MAX),
            volgende_poging: abonnement.volgende_poging,
            laatste_fout: abonnement.laatste_fout.clone(),
            geclaimd_door: None,
            geclaimd_tot: None,
            aangemaakt_op: abonnement.aangemaakt_op,
            gewijzigd_op: abonnement.gewijzigd_op,
        })
    }

    /// The abonnement (without its secrets).
    ///
    /// # Errors
    /// A stored value that does not parse (a broken database).
    pub fn into_domain(self) -> Result<Abonnement, StoreError> {
        let id = self.id.clone();
        let bevoegdheid: Bevoegdheid =
            serde_json::from_str(&self.bevoegdheid).map_err(|_| corrupt("bevoegdheid", &id))?;
        let gemeente = |code: &str| GemeenteCode::parse("gemeente", code).ok();
        Ok(Abonnement {
            id: self.id.parse().map_err(|_| corrupt("id", &id))?,
            callback_url: self.callback_url,
            soorten: woorden(&self.soorten, EventKind::from_text)
                .ok_or_else(|| corrupt("soorten", &id))?
                .into_iter()
                .collect(),
            gemeenten: woorden(&self.gemeenten, gemeente)
                .ok_or_else(|| corrupt("gemeenten", &id))?
                .into_iter()
                .collect(),
            bevoegdheid: Principal {
                client: bevoegdheid.client,
                gebruiker: bevoegdheid.gebruiker,
                scopes: bevoegdheid
                    .scopes
                    .iter()
                    .map(|s| Scope::parse(s))
                    .collect::<Option<_>>()
                    .ok_or_else(|| corrupt("scopes", &id))?,
                gemeenten: bevoegdheid
                    .gemeenten
                    .iter()
                    .map(|g| gemeente(g))
                    .collect::<Option<_>>()
                    .ok_or_else(|| corrupt("bevoegde gemeenten", &id))?,
                organisatie: bevoegdheid.organisatie,
            },
            status: AbonnementStatus::from_text(&self.status)
                .ok_or_else(|| corrupt("status", &id))?,
            positie: self.positie,
            pogingen: u32::try_from(self.pogingen).unwrap_or_default(),
            volgende_poging: self.volgende_poging,
            laatste_fout: self.laatste_fout,
            aangemaakt_op: self.aangemaakt_op,
            gewijzigd_op: self.gewijzigd_op,
        })
    }

    /// `nieuw` as the newest secret; those still valid at `now` stay valid until `tot`.
    ///
    /// # Errors
    /// A stored value that does not parse.
    pub fn vernieuw_geheim(
        &mut self,
        nieuw: &str,
        now: NaiveDateTime,
        tot: NaiveDateTime,
    ) -> Result<(), StoreError> {
        let mut geheimen: Vec<Geheim> = vec![Geheim {
            geheim: nieuw.to_owned(),
            geldig_tot: None,
        }];
        geheimen.extend(self.geheimen(now)?.into_iter().map(|geheim| Geheim {
            geheim,
            geldig_tot: Some(tot),
        }));
        self.geheimen = serde_json::to_string(&geheimen)
            .map_err(|e| StoreError::internal_by("abonnement value", e))?;
        Ok(())
    }

    /// The secrets, newest first, that are still valid at `now`.
    ///
    /// # Errors
    /// A stored value that does not parse.
    pub fn geheimen(&self, now: NaiveDateTime) -> Result<Vec<String>, StoreError> {
        let geheimen: Vec<Geheim> =
            serde_json::from_str(&self.geheimen).map_err(|_| corrupt("geheimen", &self.id))?;
        Ok(geheimen
            .into_iter()
            .filter(|g| g.geldig_tot.is_none_or(|tot| now < tot))
            .map(|g| g.geheim)
            .collect())
    }
}
