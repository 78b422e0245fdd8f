//! `BezorgStore`: which node delivers which abonnement's events, how far each is, and the delivery log.
//! Claims are leases in the abonnement's row (`geclaimd_door`, `geclaimd_tot`); on PostgreSQL the row
//! to claim is picked with `FOR UPDATE SKIP LOCKED`, so nodes never wait for each other or take the
//! same one.

use super::gebeurtenissen::{dekking, gedekt};
use super::DieselStore;
use crate::abonnementen::AbonnementRow;
use crate::connection::AnyConnection;
use crate::events;
use crate::schema::{abonnementen, afleveringen};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use koers_domain::abonnement::{eigenaar, zichtbaar, AbonnementStatus};
use koers_domain::pagination::{Page, PageRequest};
use koers_domain::ports::{Aflevering, BezorgStore, Bezorgd, Bezorging, StoreError, Uitgaand};
use koers_domain::principal::Principal;
use koers_domain::records::{RequestContext, Verwerkingsactiviteit};
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = afleveringen)]
struct AfleveringRow {
    id: String,
    abonnement_id: String,
    volgnummer: i64,
    gebeurtenis_id: String,
    tijdstip: NaiveDateTime,
    statuscode: Option<i32>,
    fout: Option<String>,
    duur_ms: i32,
    geslaagd: bool,
}

impl AfleveringRow {
    fn from_domain(a: &Aflevering) -> Self {
        Self {
            id: a.id.to_string(),
            abonnement_id: a.abonnement_id.to_string(),
            volgnummer: a.volgnummer,
            gebeurtenis_id: a.gebeurtenis_id.to_string(),
            tijdstip: a.tijdstip,
            statuscode: a.statuscode.map(i32::from),
            fout: a.fout.clone(),
            duur_ms: i32::try_from(a.duur_ms).unwrap_or(i32::MAX),
            geslaagd: a.geslaagd,
        }
    }

    fn into_domain(self) -> Result<Aflevering, StoreError> {
        let broken =
            |what: &str| StoreError::internal(format!("stored aflevering {}: {what}", self.id));
        Ok(Aflevering {
            id: self.id.parse().map_err(|_| broken("id"))?,
            abonnement_id: self
                .abonnement_id
                .parse()
                .map_err(|_| broken("abonnement"))?,
            volgnummer: self.volgnummer,
            gebeurtenis_id: self
                .gebeurtenis_id
                .parse()
                .map_err(|_| broken("gebeurtenis"))?,
            tijdstip: self.tijdstip,
            statuscode: self.statuscode.and_then(|c| u16::try_from(c).ok()),
            fout: self.fout,
            duur_ms: u32::try_from(self.duur_ms).unwrap_or_default(),
            geslaagd: self.geslaagd,
        })
    }
}

/// The abonnementen with events up to `laatste` due at `now`: active, not waiting for a retry, claimed
/// by no one (or by a node whose claim ran out), and behind the last event.
macro_rules! verschuldigd {
    ($now:expr, $laatste:expr) => {
        abonnementen::table
            .filter(abonnementen::status.eq(AbonnementStatus::Actief.as_str()))
            .filter(
                abonnementen::volgende_poging
                    .is_null()
                    .or(abonnementen::volgende_poging.le($now)),
            )
            .filter(
                abonnementen::geclaimd_tot
                    .is_null()
                    .or(abonnementen::geclaimd_tot.lt($now)),
            )
            .filter(abonnementen::positie.lt($laatste))
    };
}

/// The id of an abonnement with events due, locked for this transaction (on PostgreSQL skipping rows
/// other nodes are claiming).
fn te_claimen(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    laatste: i64,
) -> Result<Option<String>, diesel::result::Error> {
    let query = verschuldigd!(now, laatste)
        .order((abonnementen::volgende_poging.asc(), abonnementen::id.asc()))
        .select(abonnementen::id);
    match conn {
        AnyConnection::Postgresql(pg) => query.for_update().skip_locked().first(pg).optional(),
        AnyConnection::Sqlite(sqlite) => query.first(sqlite).optional(),
    }
}

/// Whether any abonnement has events due, without locking anything.
fn te_claimen_gelezen(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
    laatste: i64,
) -> Result<bool, diesel::result::Error> {
    diesel::select(diesel::dsl::exists(verschuldigd!(now, laatste))).get_result(conn)
}

impl BezorgStore for DieselStore {
    fn claim_bezorging(
        &self,
        node: &str,
        now: NaiveDateTime,
        tot: NaiveDateTime,
        batch: usize,
    ) -> Result<Option<Bezorging>, StoreError> {
        // A read first, which on SQLite takes no write lock: an idle node looks often.
        let due = self.read(|conn| {
            let laatste = events::laatste(conn)?;
            Ok(te_claimen_gelezen(conn, now, laatste)?)
        })?;
        if !due {
            return Ok(None);
        }
        self.transaction(|conn| {
            // Only final events go out: on PostgreSQL none past a number below which a transaction
            // may still commit.
            let laatste = match events::final_tot(conn)? {
                Some(tot) => tot,
                None => events::laatste(conn)?,
            };
            let Some(id) = te_claimen(conn, now, laatste)? else {
                return Ok(None);
            };
            diesel::update(abonnementen::table.filter(abonnementen::id.eq(&id)))
                .set((
                    abonnementen::geclaimd_door.eq(node),
                    abonnementen::geclaimd_tot.eq(tot),
                ))
                .execute(conn)?;
            let row: AbonnementRow = abonnementen::table
                .filter(abonnementen::id.eq(&id))
                .select(AbonnementRow::as_select())
                .first(conn)?;
            let geheimen = row.geheimen(now)?;
            let abonnement = row.into_domain()?;
            let limit = i64::try_from(batch).unwrap_or(i64::MAX);
            let found: Vec<_> = events::after(conn, abonnement.positie, limit)??
                .into_iter()
                .filter(|e| e.volgnummer <= laatste)
                .collect();
            if found.is_empty() {
                // Nothing is left between its position and the last final event (the events there
                // passed their keeping time): it moves on to that event, and nothing is claimed.
                diesel::update(abonnementen::table.filter(abonnementen::id.eq(&id)))
                    .set((
                        abonnementen::positie.eq(laatste),
                        abonnementen::geclaimd_door.eq(None::<String>),
                        abonnementen::geclaimd_tot.eq(None::<NaiveDateTime>),
                    ))
                    .execute(conn)?;
                return Ok(None);
            }
            // The abonnement's authority decides now, per event, as everywhere in Koers.
            let bevoegdheid = &abonnement.bevoegdheid;
            let dekking = match &bevoegdheid.organisatie {
                Some(organisatie) => dekking(conn, organisatie, &found, now.date())?,
                None => HashMap::new(),
            };
            let events = found
                .into_iter()
                .map(|event| {
                    let toestemming = gedekt(&dekking, &event).cloned();
                    let gaat = abonnement.wil(&event)
                        && zichtbaar(bevoegdheid, &event, || toestemming.is_some());
                    Uitgaand {
                        event,
                        gaat,
                        toestemming,
                    }
                })
                .collect();
            Ok(Some(Bezorging {
                abonnement,
                geheimen,
                events,
            }))
        })
    }

    fn vastleggen_aflevering(
        &self,
        node: &str,
        aflevering: &Aflevering,
        tot: NaiveDateTime,
        door: &Principal,
        uitgaand: &Uitgaand,
    ) -> Result<(), StoreError> {
        let row = AfleveringRow::from_domain(aflevering);
        // The receiver got the event: a processing of the person's data, by the abonnement's authority.
        let regels = match (uitgaand.event.inburgeraar_id, aflevering.statuscode) {
            (Some(person), Some(_)) => {
                let ctx = RequestContext {
                    principal: door.clone(),
                    trace_id: Uuid::new_v4().simple().to_string(),
                    span_id: Uuid::new_v4().simple().to_string()[..16].to_owned(),
                    request_id: format!("aflevering-{}", aflevering.id),
                    now: aflevering.tijdstip,
                };
                let basis: HashMap<String, String> = uitgaand
                    .toestemming
                    .iter()
                    .map(|t| (person.to_string(), t.clone()))
                    .collect();
                crate::records::rows_for(
                    &ctx,
                    self.key(),
                    Verwerkingsactiviteit::GebeurtenisAfleveren,
                    &[person],
                    &basis,
                )
            }
            _ => Vec::new(),
        };
        self.transaction(|conn| {
            let eigen = abonnementen::table
                .filter(abonnementen::id.eq(aflevering.abonnement_id.to_string()))
                .filter(abonnementen::geclaimd_door.eq(node));
            // A node that lost its claim (it ran out) records nothing: another delivers now.
            let verlengd = diesel::update(eigen.clone())
                .set(abonnementen::geclaimd_tot.eq(tot))
                .execute(conn)?;
            if verlengd == 0 {
                return Ok(());
            }
            diesel::insert_into(afleveringen::table)
                .values(&row)
                .execute(conn)?;
            crate::records::insert_verwerkingen(conn, &regels)?;
            if aflevering.geslaagd {
                diesel::update(eigen.filter(abonnementen::positie.lt(aflevering.volgnummer)))
                    .set((
                        abonnementen::positie.eq(aflevering.volgnummer),
                        abonnementen::pogingen.eq(0),
                        abonnementen::volgende_poging.eq(None::<NaiveDateTime>),
                        abonnementen::laatste_fout.eq(None::<String>),
                    ))
                    .execute(conn)?;
            }
            Ok(())
        })
    }

    fn einde_bezorging(
        &self,
        node: &str,
        abonnement: Uuid,
        bezorgd: &Bezorgd,
        now: NaiveDateTime,
    ) -> Result<(), StoreError> {
        self.transaction(|conn| {
            let eigen = abonnementen::table
                .filter(abonnementen::id.eq(abonnement.to_string()))
                .filter(abonnementen::geclaimd_door.eq(node));
            match bezorgd {
                Bezorgd::Tot { positie } => {
                    diesel::update(eigen.clone().filter(abonnementen::positie.lt(positie)))
                        .set(abonnementen::positie.eq(positie))
                        .execute(conn)?;
                }
                Bezorgd::Mislukt {
                    positie,
                    volgende_poging,
                    fout,
                } => {
                    diesel::update(eigen.clone().filter(abonnementen::positie.lt(positie)))
                        .set(abonnementen::positie.eq(positie))
                        .execute(conn)?;
                    let status = match volgende_poging {
                        Some(_) => AbonnementStatus::Actief,
                        None => AbonnementStatus::Opgeschort,
                    };
                    diesel::update(eigen.clone())
                        .set((
                            abonnementen::pogingen.eq(abonnementen::pogingen + 1),
                            abonnementen::volgende_poging.eq(volgende_poging),
                            abonnementen::laatste_fout.eq(Some(fout.clone())),
                            abonnementen::status.eq(status.as_str()),
                            abonnementen::gewijzigd_op.eq(now),
                        ))
                        .execute(conn)?;
                }
            }
            diesel::update(eigen)
                .set((
                    abonnementen::geclaimd_door.eq(None::<String>),
                    abonnementen::geclaimd_tot.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)?;
            Ok(())
        })
    }

    fn afleveringen(
        &self,
        ctx: &RequestContext,
        abonnement: Uuid,
        page: &PageRequest,
    ) -> Result<Option<Page<Aflevering>>, StoreError> {
        self.read(|conn| {
            let eigen = diesel::select(diesel::dsl::exists(
                abonnementen::table
                    .filter(abonnementen::id.eq(abonnement.to_string()))
                    .filter(abonnementen::eigenaar.eq(eigenaar(&ctx.principal))),
            ))
            .get_result::<bool>(conn)?;
            if !eigen {
                return Ok(None);
            }
            let mut query = afleveringen::table
                .filter(afleveringen::abonnement_id.eq(abonnement.to_string()))
                .into_boxed();
            if let Some(after) = &page.after {
                query = query.filter(afleveringen::id.lt(after.clone()));
            }
            let rows: Vec<AfleveringRow> = query
                .order(afleveringen::id.desc())
                .limit(i64::from(page.size) + 1)
                .select(AfleveringRow::as_select())
                .load(conn)?;
            let items = rows
                .into_iter()
                .map(AfleveringRow::into_domain)
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Some(Page::from_overfetch(items, page.size, |a| {
                a.id.to_string()
            })))
        })
    }
}
