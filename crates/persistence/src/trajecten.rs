//! The trajectory of a person in storage: a document of what is edited as a whole (the brede intake,
//! the PIPs, the onderdelen, the ontzorging; [`crate::dokument`]) with a version, and the lists that
//! grow with history in tables of their own ([`crate::historie`]), one row per item.
//!
//! A change writes only what it changed: the document when it changed, and per list the rows that
//! are new, changed or gone. A push therefore inserts or replaces one row and never rewrites history.
//! Every change bumps the version of the person's `trajecten` row, which is what a change planned on
//! an older snapshot (SQLite's grouped commits) is checked against.
//!
//! `volgorde` keeps each list in order: a row moved in from an older document has its index (from 0),
//! a row written by a change gets `versie << 20 | k`, the new version of the trajectory shifted past any
//! index a document could hold, plus its place among the items the change added.

use crate::connection::AnyConnection;
use crate::dokument;
use crate::historie::{
    BesluitRow, BesluitSoort, ExamenresultaatRow, GevolgdeUrenRow, InschrijvingRow, MetingRow,
    StatuswijzigingRow, VerlengingRow, VoortgangsgesprekRow,
};
use crate::schema::{
    besluiten, examenresultaten, gevolgde_uren, inschrijvingen, participatieladder_metingen,
    statuswijzigingen, trajecten, verlengingen, voortgangsgesprekken,
};
use crate::transactions::Tx;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use koers_domain::inburgeraar::InburgeraarId;
use koers_domain::ports::StoreError;
use koers_domain::traject::{Delen, Lijst, Selectie, Traject};
use koers_domain::voortgang::Verwant;
use std::collections::HashMap;

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = trajecten)]
pub struct TrajectRow {
    pub inburgeraar_id: String,
    pub versie: i64,
    pub data: String,
    pub gewijzigd_op: NaiveDateTime,
    pub vorm: i32,
}

/// A trajectory as loaded for a change: the version it was at, and where each loaded item is stored.
pub struct Geladen {
    pub traject: Traject,
    pub versie: i64,
    plaatsen: Plaatsen,
}

/// Per list, the `volgorde` of each loaded item, in list order.
#[derive(Default)]
struct Plaatsen([Vec<i64>; Lijst::ALL.len()]);

impl Plaatsen {
    fn van(&self, lijst: Lijst) -> &[i64] {
        &self.0[lijst as usize]
    }

    fn zet(&mut self, lijst: Lijst, volgordes: Vec<i64>) {
        self.0[lijst as usize] = volgordes;
    }
}

/// The first `volgorde` of the items a change at `versie` (the new version) adds.
fn eerste_volgorde(versie: i64) -> i64 {
    versie << 20
}

/// A batch insert, dispatched per backend (batch inserts do not compile through `MultiConnection`).
macro_rules! insert_rows {
    ($conn:expr, $table:path, $rows:expr) => {{
        // PostgreSQL takes at most 65,535 bind parameters per statement: 12 columns x 4,000 rows fits.
        for chunk in $rows.chunks(4_000) {
            let insert = diesel::insert_into($table).values(chunk);
            match &mut *$conn {
                AnyConnection::Postgresql(pg) => insert.execute(pg)?,
                AnyConnection::Sqlite(sqlite) => insert.execute(sqlite)?,
            };
        }
    }};
}

/// The storage of one list: how its rows are read, written and told apart. `$soort` names the
/// besluiten that belong to the list where two lists share a table.
macro_rules! lijst_opslag {
    (
        $naam:ident, $lijst:expr, $veld:ident, $item:ty, $row:ty, $table:ident,
        id: |$id_item:ident| $id:expr,
        row: |$p:ident, $v:ident, $i:ident| $new:expr
        $(, soort: $soort:expr)?
    ) => {
        struct $naam;

        impl $naam {
            /// The rows of `people`, each person's in list order.
            fn load(
                conn: &mut AnyConnection,
                people: &[String],
            ) -> Result<Vec<$row>, DieselError> {
                $table::table
                    .filter($table::inburgeraar_id.eq_any(people))
                    $(.filter($table::soort.eq($soort.as_str())))?
                    .order(($table::inburgeraar_id.asc(), $table::volgorde.asc()))
                    .select(<$row>::as_select())
                    .load(conn)
            }

            fn items(traject: &Traject) -> &[$item] {
                &traject.$veld
            }

            fn items_mut(traject: &mut Traject) -> &mut Vec<$item> {
                &mut traject.$veld
            }

            fn id($id_item: &$item) -> Option<String> {
                $id
            }

            fn row($p: InburgeraarId, $v: i64, $i: &$item) -> $row {
                $new
            }

            fn insert(conn: &mut AnyConnection, rows: &[$row]) -> Result<(), DieselError> {
                if let [row] = rows {
                    diesel::insert_into($table::table).values(row).execute(conn)?;
                } else {
                    insert_rows!(conn, $table::table, rows);
                }
                Ok(())
            }

            fn update(conn: &mut AnyConnection, row: &$row) -> Result<(), DieselError> {
                diesel::update(
                    $table::table
                        .filter($table::inburgeraar_id.eq(&row.inburgeraar_id))
                        $(.filter($table::soort.eq($soort.as_str())))?
                        .filter($table::volgorde.eq(row.volgorde)),
                )
                .set(row)
                .execute(conn)?;
                Ok(())
            }

            fn delete(
                conn: &mut AnyConnection,
                person: InburgeraarId,
                volgordes: &[i64],
            ) -> Result<(), DieselError> {
                if volgordes.is_empty() {
                    return Ok(());
                }
                diesel::delete(
                    $table::table
                        .filter($table::inburgeraar_id.eq(person.to_string()))
                        $(.filter($table::soort.eq($soort.as_str())))?
                        .filter($table::volgorde.eq_any(volgordes)),
                )
                .execute(conn)?;
                Ok(())
            }

            /// Puts the rows of one person, in list order, into the loaded trajectory.
            fn plaats(geladen: &mut Geladen, rows: Vec<$row>) -> Tx<()> {
                let volgordes = rows.iter().map(|r| r.volgorde).collect();
                *Self::items_mut(&mut geladen.traject) = rows
                    .into_iter()
                    .map(<$row>::into_domain)
                    .collect::<Result<_, _>>()?;
                geladen.plaatsen.zet($lijst, volgordes);
                Ok(())
            }

            /// Fills the list of each loaded trajectory (`people` and `into` in the same order).
            fn fill(
                conn: &mut AnyConnection,
                people: &[String],
                into: &mut [(&mut Traject, &mut Plaatsen)],
            ) -> Tx<()> {
                let rows = Self::load(conn, people)?;
                let index: HashMap<&str, usize> =
                    people.iter().enumerate().map(|(i, p)| (p.as_str(), i)).collect();
                let mut per_person: Vec<(Vec<$item>, Vec<i64>)> =
                    people.iter().map(|_| (Vec::new(), Vec::new())).collect();
                for row in rows {
                    let Some(&at) = index.get(row.inburgeraar_id.as_str()) else {
                        continue;
                    };
                    let volgorde = row.volgorde;
                    per_person[at].0.push(row.into_domain()?);
                    per_person[at].1.push(volgorde);
                }
                for ((traject, plaatsen), (items, volgordes)) in into.iter_mut().zip(per_person) {
                    *Self::items_mut(traject) = items;
                    plaatsen.zet($lijst, volgordes);
                }
                Ok(())
            }

            /// Writes the difference between the loaded list and the changed one.
            fn save(
                conn: &mut AnyConnection,
                person: InburgeraarId,
                versie: i64,
                geladen: &Geladen,
                after: &Traject,
            ) -> Tx<()> {
                let before = Self::items(&geladen.traject);
                let plaatsen = geladen.plaatsen.van($lijst);
                let after = Self::items(after);
                if before == after {
                    return Ok(());
                }
                let plan = verschil(before, plaatsen, after, Self::id);
                Self::delete(conn, person, &plan.weg)?;
                for (volgorde, item) in plan.gewijzigd {
                    Self::update(conn, &Self::row(person, volgorde, item))?;
                }
                let nieuw: Vec<$row> = plan
                    .nieuw
                    .into_iter()
                    .zip(eerste_volgorde(versie)..)
                    .map(|(item, volgorde)| Self::row(person, volgorde, item))
                    .collect();
                Self::insert(conn, &nieuw)?;
                Ok(())
            }
        }
    };
}

lijst_opslag!(
    Verlengingen, Lijst::Verlengingen, verlengingen,
    koers_domain::traject::Verlenging, VerlengingRow, verlengingen,
    id: |item| Some(item.id.clone()),
    row: |p, v, i| VerlengingRow::from_domain(p, v, i)
);
lijst_opslag!(
    Ontheffingen, Lijst::Ontheffingen, ontheffingen,
    koers_domain::traject::Besluit, BesluitRow, besluiten,
    id: |item| Some(item.id.clone()),
    row: |p, v, i| BesluitRow::from_domain(p, v, BesluitSoort::Ontheffing, i),
    soort: BesluitSoort::Ontheffing
);
lijst_opslag!(
    Vrijstellingen, Lijst::Vrijstellingen, vrijstellingen,
    koers_domain::traject::Besluit, BesluitRow, besluiten,
    id: |item| Some(item.id.clone()),
    row: |p, v, i| BesluitRow::from_domain(p, v, BesluitSoort::Vrijstelling, i),
    soort: BesluitSoort::Vrijstelling
);
lijst_opslag!(
    Statushistorie, Lijst::Statushistorie, statushistorie,
    koers_domain::status::Statuswijziging, StatuswijzigingRow, statuswijzigingen,
    id: |_item| None,
    row: |p, v, i| StatuswijzigingRow::from_domain(p, v, i)
);
lijst_opslag!(
    Inschrijvingen, Lijst::Inschrijvingen, inschrijvingen,
    koers_domain::voortgang::Inschrijving, InschrijvingRow, inschrijvingen,
    id: |item| Some(item.id.to_string()),
    row: |p, v, i| InschrijvingRow::from_domain(p, v, i)
);
lijst_opslag!(
    GevolgdeUren, Lijst::GevolgdeUren, gevolgde_uren,
    koers_domain::voortgang::GevolgdeUren, GevolgdeUrenRow, gevolgde_uren,
    id: |item| Some(item.id.to_string()),
    row: |p, v, i| GevolgdeUrenRow::from_domain(p, v, i)
);
lijst_opslag!(
    Examenresultaten, Lijst::Examenresultaten, examenresultaten,
    koers_domain::voortgang::Examenresultaat, ExamenresultaatRow, examenresultaten,
    id: |item| Some(item.id.to_string()),
    row: |p, v, i| ExamenresultaatRow::from_domain(p, v, i)
);
lijst_opslag!(
    Gesprekken, Lijst::Voortgangsgesprekken, voortgangsgesprekken,
    koers_domain::gesprekken::Voortgangsgesprek, VoortgangsgesprekRow, voortgangsgesprekken,
    id: |item| Some(item.id.to_string()),
    row: |p, v, i| VoortgangsgesprekRow::from_domain(p, v, i)
);
lijst_opslag!(
    Metingen, Lijst::Participatieladder, participatieladder,
    koers_domain::participatieladder::Meting, MetingRow, participatieladder_metingen,
    id: |item| Some(item.id.to_string()),
    row: |p, v, i| MetingRow::from_domain(p, v, i)
);

/// What a change did to one list: the rows to delete, the rows changed in place (at their
/// `volgorde`), and the items to add at the end.
struct Verschil<'a, T> {
    weg: Vec<i64>,
    gewijzigd: Vec<(i64, &'a T)>,
    nieuw: Vec<&'a T>,
}

/// The difference of a list before and after a change. Items with an id are matched by it: one kept
/// keeps its place (changed in place when its content changed), one gone is deleted, one new is added
/// at the end. Items without an id (the status history) only grow: what follows the stored ones is
/// added; anything else rewrites the loaded rows.
fn verschil<'a, T: PartialEq>(
    before: &[T],
    plaatsen: &[i64],
    after: &'a [T],
    id: impl Fn(&T) -> Option<String>,
) -> Verschil<'a, T> {
    let mut plan = Verschil {
        weg: Vec::new(),
        gewijzigd: Vec::new(),
        nieuw: Vec::new(),
    };
    if before.iter().any(|item| id(item).is_none()) || after.iter().any(|item| id(item).is_none()) {
        if after.starts_with(before) {
            plan.nieuw = after[before.len()..].iter().collect();
        } else {
            plan.weg = plaatsen.to_vec();
            plan.nieuw = after.iter().collect();
        }
        return plan;
    }
    let stored: HashMap<String, (&T, i64)> = before
        .iter()
        .zip(plaatsen)
        .filter_map(|(item, volgorde)| Some((id(item)?, (item, *volgorde))))
        .collect();
    let mut kept = std::collections::HashSet::new();
    for item in after {
        let key = id(item).unwrap_or_default();
        match stored.get(&key) {
            Some((old, volgorde)) => {
                kept.insert(key);
                if *old != item {
                    plan.gewijzigd.push((*volgorde, item));
                }
            }
            None => plan.nieuw.push(item),
        }
    }
    plan.weg = before
        .iter()
        .zip(plaatsen)
        .filter(|(item, _)| id(item).is_none_or(|key| !kept.contains(&key)))
        .map(|(_, volgorde)| *volgorde)
        .collect();
    plan
}

/// Runs `$body` for the storage of every list in `$delen`, with `$opslag` naming the list's storage.
macro_rules! elke_lijst {
    ($delen:expr, |$opslag:ident| $body:block) => {
        elke_lijst!(@ $delen, $opslag, $body,
            Verlengingen => Verlengingen, Ontheffingen => Ontheffingen,
            Vrijstellingen => Vrijstellingen, Statushistorie => Statushistorie,
            Inschrijvingen => Inschrijvingen, GevolgdeUren => GevolgdeUren,
            Examenresultaten => Examenresultaten, Voortgangsgesprekken => Gesprekken,
            Participatieladder => Metingen)
    };
    (@ $delen:expr, $opslag:ident, $body:block, $($lijst:ident => $storage:ident),+) => {{
        let delen: Delen = $delen;
        $(
            if delen.bevat(Lijst::$lijst) {
                type $opslag = $storage;
                $body
            }
        )+
    }};
}

/// The stored document of `id`: its version (0 when none is stored yet) and the trajectory with the
/// document's parts filled.
fn load_document(conn: &mut AnyConnection, id: InburgeraarId) -> Tx<(Traject, i64)> {
    let row = trajecten::table
        .filter(trajecten::inburgeraar_id.eq(id.to_string()))
        .select(TrajectRow::as_select())
        .first(conn)
        .optional()?;
    Ok(match row {
        None => (Traject::default(), 0),
        Some(row) => (dokument::decode(row.vorm, &row.data)?, row.versie),
    })
}

/// The stored trajectory of `id` as `selectie` asks, with its version (0 when none is stored yet).
///
/// # Errors
/// A database error, or stored data that does not read back.
pub fn load(conn: &mut AnyConnection, id: InburgeraarId, selectie: Selectie) -> Tx<Geladen> {
    let (traject, versie) = load_document(conn, id)?;
    let mut geladen = Geladen {
        traject,
        versie,
        plaatsen: Plaatsen::default(),
    };
    match selectie {
        Selectie::Lijsten(delen) => {
            let people = [id.to_string()];
            elke_lijst!(delen, |Opslag| {
                let rows = Opslag::load(conn, &people)?;
                Opslag::plaats(&mut geladen, rows)?;
            });
        }
        Selectie::Verwant(verwant) => load_verwant(conn, id, verwant, &mut geladen)?,
    }
    Ok(geladen)
}

/// Loads only the earlier items a push may replace or flag.
fn load_verwant(
    conn: &mut AnyConnection,
    id: InburgeraarId,
    verwant: Verwant,
    geladen: &mut Geladen,
) -> Tx<()> {
    let person = id.to_string();
    match verwant {
        Verwant::Inschrijving {
            organisatie_id,
            soort,
            datum_start,
        } => {
            let mut query = inschrijvingen::table
                .filter(inschrijvingen::inburgeraar_id.eq(&person))
                .filter(inschrijvingen::soort.eq(soort.as_str()))
                .filter(inschrijvingen::datum_start.eq(datum_start))
                .into_boxed();
            query = match organisatie_id {
                Some(o) => query.filter(inschrijvingen::organisatie_id.eq(o.to_string())),
                None => query.filter(inschrijvingen::organisatie_id.is_null()),
            };
            let rows = query
                .order(inschrijvingen::volgorde.asc())
                .select(InschrijvingRow::as_select())
                .load(conn)?;
            Inschrijvingen::plaats(geladen, rows)
        }
        Verwant::GevolgdeUren {
            organisatie_id,
            maand,
        } => {
            let mut query = gevolgde_uren::table
                .filter(gevolgde_uren::inburgeraar_id.eq(&person))
                .filter(gevolgde_uren::maand.eq(maand))
                .into_boxed();
            query = match organisatie_id {
                Some(o) => query.filter(gevolgde_uren::organisatie_id.eq(o.to_string())),
                None => query.filter(gevolgde_uren::organisatie_id.is_null()),
            };
            let rows = query
                .order(gevolgde_uren::volgorde.asc())
                .select(GevolgdeUrenRow::as_select())
                .load(conn)?;
            GevolgdeUren::plaats(geladen, rows)
        }
        Verwant::Examen { bron, .. } | Verwant::Examens { bron } => {
            let mut query = examenresultaten::table
                .filter(examenresultaten::inburgeraar_id.eq(&person))
                .filter(examenresultaten::bron.eq(bron.as_str()))
                .into_boxed();
            if let Verwant::Examen {
                onderdeel,
                niveau,
                datum_examen,
                ..
            } = verwant
            {
                query = query
                    .filter(examenresultaten::onderdeel.eq(onderdeel.as_str()))
                    .filter(examenresultaten::niveau.eq(niveau.as_str()))
                    .filter(examenresultaten::datum_examen.eq(datum_examen));
            }
            let rows = query
                .order(examenresultaten::volgorde.asc())
                .select(ExamenresultaatRow::as_select())
                .load(conn)?;
            Examenresultaten::plaats(geladen, rows)
        }
    }
}

/// The stored trajectories of `ids` with the lists of `delen` (an empty one for a person without
/// any), in the order given.
///
/// # Errors
/// A database error, or stored data that does not read back.
pub fn load_many(
    conn: &mut AnyConnection,
    ids: &[InburgeraarId],
    delen: Delen,
) -> Tx<Vec<Traject>> {
    let keys: Vec<String> = ids.iter().map(ToString::to_string).collect();
    let stored: HashMap<String, (i32, String)> = trajecten::table
        .filter(trajecten::inburgeraar_id.eq_any(&keys))
        .select((trajecten::inburgeraar_id, trajecten::vorm, trajecten::data))
        .load::<(String, i32, String)>(conn)?
        .into_iter()
        .map(|(id, vorm, data)| (id, (vorm, data)))
        .collect();
    let mut trajecten = keys
        .iter()
        .map(|key| {
            stored.get(key).map_or_else(
                || Ok(Traject::default()),
                |(vorm, data)| dokument::decode(*vorm, data),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut plaatsen: Vec<Plaatsen> = keys.iter().map(|_| Plaatsen::default()).collect();
    let mut into: Vec<(&mut Traject, &mut Plaatsen)> =
        trajecten.iter_mut().zip(plaatsen.iter_mut()).collect();
    elke_lijst!(delen, |Opslag| {
        Opslag::fill(conn, &keys, &mut into)?;
    });
    Ok(trajecten)
}

/// The document's parts of two trajectories are equal.
fn zelfde_document(a: &Traject, b: &Traject) -> bool {
    a.brede_intake == b.brede_intake
        && a.pips == b.pips
        && a.map == b.map
        && a.pvt == b.pvt
        && a.knm == b.knm
        && a.z_route == b.z_route
        && a.ontzorging == b.ontzorging
}

/// Stores the change from `geladen` to `after` if the trajectory is still at the version it was
/// loaded at; `false` when another change came first.
///
/// # Errors
/// A database error, or a document that does not serialise.
pub fn save(
    conn: &mut AnyConnection,
    id: InburgeraarId,
    geladen: &Geladen,
    after: &Traject,
    now: NaiveDateTime,
) -> Tx<bool> {
    let versie = geladen.versie + 1;
    let document =
        || dokument::encode(after).map_err(|e| StoreError::internal_by("trajectory document", e));
    if geladen.versie == 0 {
        let row = TrajectRow {
            inburgeraar_id: id.to_string(),
            versie,
            data: document()?,
            gewijzigd_op: now,
            vorm: dokument::VORM,
        };
        // Another change that also found none stored may have come first.
        match diesel::insert_into(trajecten::table)
            .values(&row)
            .execute(conn)
        {
            Ok(_) => {}
            Err(error) if crate::error::violated(&error) == Some(crate::error::Uniek::Traject) => {
                return Ok(false)
            }
            Err(error) => return Err(error.into()),
        }
    } else {
        let target = trajecten::table
            .filter(trajecten::inburgeraar_id.eq(id.to_string()))
            .filter(trajecten::versie.eq(geladen.versie));
        let changed = if zelfde_document(&geladen.traject, after) {
            diesel::update(target)
                .set((
                    trajecten::versie.eq(versie),
                    trajecten::gewijzigd_op.eq(now),
                ))
                .execute(conn)?
        } else {
            diesel::update(target)
                .set((
                    trajecten::versie.eq(versie),
                    trajecten::data.eq(document()?),
                    trajecten::vorm.eq(dokument::VORM),
                    trajecten::gewijzigd_op.eq(now),
                ))
                .execute(conn)?
        };
        if changed != 1 {
            return Ok(false);
        }
    }
    elke_lijst!(Delen::ALLES, |Opslag| {
        Opslag::save(conn, id, versie, geladen, after)?;
    });
    Ok(true)
}

/// The rows of many new trajectories at once (synthetic data): the documents, and every list's rows.
pub struct NieuweRijen {
    pub trajecten: Vec<TrajectRow>,
    verlengingen: Vec<VerlengingRow>,
    besluiten: Vec<BesluitRow>,
    statuswijzigingen: Vec<StatuswijzigingRow>,
    inschrijvingen: Vec<InschrijvingRow>,
    gevolgde_uren: Vec<GevolgdeUrenRow>,
    examenresultaten: Vec<ExamenresultaatRow>,
    gesprekken: Vec<VoortgangsgesprekRow>,
    metingen: Vec<MetingRow>,
}

/// The rows of new trajectories (version 1), for a bulk load.
///
/// # Errors
/// A document that does not serialise.
pub fn rows(
    people: &[(InburgeraarId, &Traject, NaiveDateTime)],
) -> Result<NieuweRijen, StoreError> {
    fn rijen<'a, T, R>(
        id: InburgeraarId,
        items: &'a [T],
        row: impl Fn(InburgeraarId, i64, &T) -> R + 'a,
    ) -> impl Iterator<Item = R> + 'a {
        items
            .iter()
            .zip(0..)
            .map(move |(item, volgorde)| row(id, volgorde, item))
    }
    let mut out = NieuweRijen {
        trajecten: Vec::new(),
        verlengingen: Vec::new(),
        besluiten: Vec::new(),
        statuswijzigingen: Vec::new(),
        inschrijvingen: Vec::new(),
        gevolgde_uren: Vec::new(),
        examenresultaten: Vec::new(),
        gesprekken: Vec::new(),
        metingen: Vec::new(),
    };
    for &(id, traject, now) in people {
        out.trajecten.push(TrajectRow {
            inburgeraar_id: id.to_string(),
            versie: 1,
            data: dokument::encode(traject)
                .map_err(|e| StoreError::internal_by("trajectory document", e))?,
            gewijzigd_op: now,
            vorm: dokument::VORM,
        });
        out.verlengingen
            .extend(rijen(id, &traject.verlengingen, Verlengingen::row));
        out.besluiten
            .extend(rijen(id, &traject.ontheffingen, Ontheffingen::row));
        out.besluiten
            .extend(rijen(id, &traject.vrijstellingen, Vrijstellingen::row));
        out.statuswijzigingen
            .extend(rijen(id, &traject.statushistorie, Statushistorie::row));
        out.inschrijvingen
            .extend(rijen(id, &traject.inschrijvingen, Inschrijvingen::row));
        out.gevolgde_uren
            .extend(rijen(id, &traject.gevolgde_uren, GevolgdeUren::row));
        out.examenresultaten
            .extend(rijen(id, &traject.examenresultaten, Examenresultaten::row));
        out.gesprekken
            .extend(rijen(id, &traject.voortgangsgesprekken, Gesprekken::row));
        out.metingen
            .extend(rijen(id, &traject.participatieladder, Metingen::row));
    }
    Ok(out)
}

/// Inserts the rows of new trajectories.
///
/// # Errors
/// A database error.
pub fn insert_new(conn: &mut AnyConnection, rows: &NieuweRijen) -> Tx<()> {
    // 14 columns x 2,000 rows stays under PostgreSQL's 65,535 bind parameters.
    for chunk in rows.trajecten.chunks(2_000) {
        insert_rows!(conn, trajecten::table, chunk);
    }
    insert_rows!(conn, verlengingen::table, rows.verlengingen);
    insert_rows!(conn, besluiten::table, rows.besluiten);
    insert_rows!(conn, statuswijzigingen::table, rows.statuswijzigingen);
    insert_rows!(conn, inschrijvingen::table, rows.inschrijvingen);
    insert_rows!(conn, gevolgde_uren::table, rows.gevolgde_uren);
    insert_rows!(conn, examenresultaten::table, rows.examenresultaten);
    insert_rows!(conn, voortgangsgesprekken::table, rows.gesprekken);
    insert_rows!(conn, participatieladder_metingen::table, rows.metingen);
    Ok(())
}
