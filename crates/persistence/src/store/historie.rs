//! `TrajectStore::traject_lijst`: a bounded read of the lists of a person's trajectory, each read from
//! its own table in the order it is shown, one page at a time (keyset: a page costs the same however
//! long the list is) or its last items.
//!
//! The order of a list, and so its positions:
//! - most lists in the order they grew: `volgorde`, a position is the `volgorde` of the last item read;
//! - the voortgangsgesprekken by (`datum`, `geregistreerd_op`, `volgorde`): `datum|geregistreerd_op|volgorde`;
//! - the participatieladder's measurements by (`datum`, `geregistreerd_op`, `id`), the order of
//!   `koers_domain::participatieladder::historie`: `datum|geregistreerd_op|id`.

use super::DieselStore;
use crate::connection::AnyConnection;
use crate::historie::{
    BesluitRow, BesluitSoort, ExamenresultaatRow, GevolgdeUrenRow, InschrijvingRow, MetingRow,
    StatuswijzigingRow, VerlengingRow, VoortgangsgesprekRow,
};
use crate::inburgeraars;
use crate::schema::{
    besluiten, examenresultaten, gevolgde_uren, inschrijvingen, participatieladder_metingen,
    statuswijzigingen, verlengingen, voortgangsgesprekken,
};
use crate::trajecten;
use crate::transactions::Tx;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use koers_domain::inburgeraar::InburgeraarId;
use koers_domain::pagination::PageRequest;
use koers_domain::ports::{Lijstpagina, Lijstvraag, StoreError};
use koers_domain::records::{RequestContext, Verwerkingsactiviteit};
use koers_domain::traject::{Delen, Lijst, Selectie, Traject};

/// Where a range of a list starts (reading up) or ends (reading down).
#[derive(Clone, Copy)]
enum Grens<'a> {
    /// The whole list.
    Geen,
    /// The items after this position.
    Na(&'a str),
    /// The items up to and including this position.
    TotEnMet(&'a str),
}

/// Which way a list is read: from its first item, or from its last.
#[derive(Clone, Copy)]
enum Richting {
    Op,
    Af,
}

/// The storage of one list as a bounded read sees it.
trait Historie {
    type Row;

    /// At most `limit` rows of `person` within `grens`, in the list's order or against it.
    fn rijen(
        conn: &mut AnyConnection,
        person: &str,
        grens: Grens<'_>,
        richting: Richting,
        limit: i64,
    ) -> Tx<Vec<Self::Row>>;

    /// The position of a row in the list's order.
    fn positie(row: &Self::Row) -> String;

    /// Makes the list of `traject` the items of `rows`.
    fn zet(traject: &mut Traject, rows: Vec<Self::Row>) -> Tx<()>;
}

/// A position that is not of this list's shape: only a position Koers made for this list gets here
/// (cursors are signed and bound to their list), so it is a fault, not the caller's.
fn vreemde_positie(positie: &str) -> StoreError {
    StoreError::internal(format!("list position of another shape: {positie:?}"))
}

/// The `volgorde` of a position.
fn volgorde_van(positie: &str) -> Result<i64, StoreError> {
    positie.parse().map_err(|_| vreemde_positie(positie))
}

/// The format of `geregistreerd_op` in a position.
const TIJD: &str = "%Y-%m-%dT%H:%M:%S%.f";

/// The date, registration time and last key of a position `datum|geregistreerd_op|laatst`.
fn tijd_van<T: std::str::FromStr>(
    positie: &str,
) -> Result<(NaiveDate, NaiveDateTime, T), StoreError> {
    let mut parts = positie.splitn(3, '|');
    let (Some(datum), Some(op), Some(laatst)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(vreemde_positie(positie));
    };
    let datum =
        NaiveDate::parse_from_str(datum, "%Y-%m-%d").map_err(|_| vreemde_positie(positie))?;
    let op = NaiveDateTime::parse_from_str(op, TIJD).map_err(|_| vreemde_positie(positie))?;
    let laatst = laatst.parse().map_err(|_| vreemde_positie(positie))?;
    Ok((datum, op, laatst))
}

/// The storage of a list in the order it grew (`volgorde`); `$soort` names the besluiten that belong to
/// the list where two lists share a table.
macro_rules! in_volgorde {
    ($naam:ident, $veld:ident, $row:ty, $table:ident $(, soort: $soort:expr)?) => {
        struct $naam;

        impl Historie for $naam {
            type Row = $row;

            fn rijen(
                conn: &mut AnyConnection,
                person: &str,
                grens: Grens<'_>,
                richting: Richting,
                limit: i64,
            ) -> Tx<Vec<$row>> {
                let mut query = $table::table
                    .filter($table::inburgeraar_id.eq(person))
                    $(.filter($table::soort.eq($soort.as_str())))?
                    .into_boxed();
                query = match grens {
                    Grens::Geen => query,
                    Grens::Na(positie) => query.filter($table::volgorde.gt(volgorde_van(positie)?)),
                    Grens::TotEnMet(positie) => {
                        query.filter($table::volgorde.le(volgorde_van(positie)?))
                    }
                };
                query = match richting {
                    Richting::Op => query.order($table::volgorde.asc()),
                    Richting::Af => query.order($table::volgorde.desc()),
                };
                Ok(query.limit(limit).select(<$row>::as_select()).load(conn)?)
            }

            fn positie(row: &$row) -> String {
                row.volgorde.to_string()
            }

            fn zet(traject: &mut Traject, rows: Vec<$row>) -> Tx<()> {
                traject.$veld = rows
                    .into_iter()
                    .map(<$row>::into_domain)
                    .collect::<Result<_, _>>()?;
                Ok(())
            }
        }
    };
}

/// The storage of a list shown by date and registration, then `$laatst` (of type `$soort`).
macro_rules! op_datum {
    ($naam:ident, $veld:ident, $row:ty, $table:ident, $laatst:ident: $soort:ty) => {
        struct $naam;

        impl Historie for $naam {
            type Row = $row;

            fn rijen(
                conn: &mut AnyConnection,
                person: &str,
                grens: Grens<'_>,
                richting: Richting,
                limit: i64,
            ) -> Tx<Vec<$row>> {
                use $table::{datum, geregistreerd_op, $laatst};
                let mut query = $table::table
                    .filter($table::inburgeraar_id.eq(person))
                    .into_boxed();
                query = match grens {
                    Grens::Geen => query,
                    Grens::Na(positie) => {
                        let (d, op, l) = tijd_van::<$soort>(positie)?;
                        query.filter(
                            datum
                                .gt(d)
                                .or(datum.eq(d).and(geregistreerd_op.gt(op)))
                                .or(datum.eq(d).and(geregistreerd_op.eq(op)).and($laatst.gt(l))),
                        )
                    }
                    Grens::TotEnMet(positie) => {
                        let (d, op, l) = tijd_van::<$soort>(positie)?;
                        query.filter(
                            datum
                                .lt(d)
                                .or(datum.eq(d).and(geregistreerd_op.lt(op)))
                                .or(datum.eq(d).and(geregistreerd_op.eq(op)).and($laatst.le(l))),
                        )
                    }
                };
                query = match richting {
                    Richting::Op => {
                        query.order((datum.asc(), geregistreerd_op.asc(), $laatst.asc()))
                    }
                    Richting::Af => {
                        query.order((datum.desc(), geregistreerd_op.desc(), $laatst.desc()))
                    }
                };
                Ok(query.limit(limit).select(<$row>::as_select()).load(conn)?)
            }

            fn positie(row: &$row) -> String {
                format!(
                    "{}|{}|{}",
                    row.datum,
                    row.geregistreerd_op.format(TIJD),
                    row.$laatst
                )
            }

            fn zet(traject: &mut Traject, rows: Vec<$row>) -> Tx<()> {
                traject.$veld = rows
                    .into_iter()
                    .map(<$row>::into_domain)
                    .collect::<Result<_, _>>()?;
                Ok(())
            }
        }
    };
}

in_volgorde!(Verlengingen, verlengingen, VerlengingRow, verlengingen);
in_volgorde!(Ontheffingen, ontheffingen, BesluitRow, besluiten, soort: BesluitSoort::Ontheffing);
in_volgorde!(Vrijstellingen, vrijstellingen, BesluitRow, besluiten, soort: BesluitSoort::Vrijstelling);
in_volgorde!(
    Statushistorie,
    statushistorie,
    StatuswijzigingRow,
    statuswijzigingen
);
in_volgorde!(
    Inschrijvingen,
    inschrijvingen,
    InschrijvingRow,
    inschrijvingen
);
in_volgorde!(GevolgdeUren, gevolgde_uren, GevolgdeUrenRow, gevolgde_uren);
in_volgorde!(
    Examenresultaten,
    examenresultaten,
    ExamenresultaatRow,
    examenresultaten
);
op_datum!(
    Gesprekken,
    voortgangsgesprekken,
    VoortgangsgesprekRow,
    voortgangsgesprekken,
    volgorde: i64
);
op_datum!(
    Metingen,
    participatieladder,
    MetingRow,
    participatieladder_metingen,
    id: String
);

/// Evaluates `$body` with `$opslag` naming the storage of `$lijst`.
macro_rules! met_opslag {
    ($lijst:expr, |$opslag:ident| $body:expr) => {
        match $lijst {
            Lijst::Verlengingen => {
                type $opslag = Verlengingen;
                $body
            }
            Lijst::Ontheffingen => {
                type $opslag = Ontheffingen;
                $body
            }
            Lijst::Vrijstellingen => {
                type $opslag = Vrijstellingen;
                $body
            }
            Lijst::Statushistorie => {
                type $opslag = Statushistorie;
                $body
            }
            Lijst::Inschrijvingen => {
                type $opslag = Inschrijvingen;
                $body
            }
            Lijst::GevolgdeUren => {
                type $opslag = GevolgdeUren;
                $body
            }
            Lijst::Examenresultaten => {
                type $opslag = Examenresultaten;
                $body
            }
            Lijst::Voortgangsgesprekken => {
                type $opslag = Gesprekken;
                $body
            }
            Lijst::Participatieladder => {
                type $opslag = Metingen;
                $body
            }
        }
    };
}

/// One page of a list into `pagina`: its items, the position after them when more follow, and with
/// `rand` the item before the page and the list's last item.
fn pagina<H: Historie>(
    conn: &mut AnyConnection,
    person: &str,
    page: &PageRequest,
    rand: bool,
    pagina: &mut Lijstpagina,
) -> Tx<()> {
    let grens = page.after.as_deref().map_or(Grens::Geen, Grens::Na);
    let mut rows = H::rijen(conn, person, grens, Richting::Op, i64::from(page.size) + 1)?;
    if rows.len() > page.size as usize {
        rows.truncate(page.size as usize);
        pagina.volgende = rows.last().map(H::positie);
    }
    H::zet(&mut pagina.traject, rows)?;
    if rand {
        if let Some(after) = page.after.as_deref() {
            let voor = H::rijen(conn, person, Grens::TotEnMet(after), Richting::Af, 1)?;
            H::zet(&mut pagina.voor, voor)?;
        }
        let laatste = H::rijen(conn, person, Grens::Geen, Richting::Af, 1)?;
        H::zet(&mut pagina.laatste, laatste)?;
    }
    Ok(())
}

/// The last `n` items of a list into `pagina`, in the list's order; `true` when earlier items were
/// left out.
fn laatste<H: Historie>(
    conn: &mut AnyConnection,
    person: &str,
    n: u32,
    pagina: &mut Lijstpagina,
) -> Tx<bool> {
    let mut rows = H::rijen(conn, person, Grens::Geen, Richting::Af, i64::from(n) + 1)?;
    let afgekapt = rows.len() > n as usize;
    rows.truncate(n as usize);
    rows.reverse();
    H::zet(&mut pagina.traject, rows)?;
    Ok(afgekapt)
}

/// The lesson hours of every month of hours of `person`.
fn lesuren(conn: &mut AnyConnection, person: &str) -> Tx<u32> {
    let uren: Vec<i64> = gevolgde_uren::table
        .filter(gevolgde_uren::inburgeraar_id.eq(person))
        .select(gevolgde_uren::lesuren)
        .load(conn)?;
    let totaal: i64 = uren.iter().sum();
    Ok(u32::try_from(totaal.max(0)).unwrap_or(u32::MAX))
}

impl DieselStore {
    /// See [`koers_domain::ports::TrajectStore::traject_lijst`].
    pub(super) fn lees_traject_lijst(
        &self,
        ctx: &RequestContext,
        id: InburgeraarId,
        vraag: &Lijstvraag,
    ) -> Result<Option<Lijstpagina>, StoreError> {
        let activiteit = Verwerkingsactiviteit::TrajectRaadplegen;
        self.read_logged(ctx, activiteit, |conn| {
            let Some(person) = inburgeraars::get_visible(conn, ctx, activiteit, id)?? else {
                return Ok((None, Vec::new()));
            };
            let document = trajecten::load(conn, id, Selectie::Lijsten(Delen::GEEN))?.traject;
            let mut found = Lijstpagina {
                person,
                traject: document,
                volgende: None,
                afgekapt: Delen::GEEN,
                voor: Traject::default(),
                laatste: Traject::default(),
                lesuren: 0,
            };
            let key = id.to_string();
            let gelezen = match vraag {
                Lijstvraag::Pagina { lijst, page, rand } => {
                    met_opslag!(*lijst, |Opslag| pagina::<Opslag>(
                        conn, &key, page, *rand, &mut found
                    ))?;
                    Delen::GEEN.met(*lijst)
                }
                Lijstvraag::Laatste { lijsten, n } => {
                    for lijst in Lijst::ALL.into_iter().filter(|l| lijsten.bevat(*l)) {
                        if met_opslag!(lijst, |Opslag| laatste::<Opslag>(
                            conn, &key, *n, &mut found
                        ))? {
                            found.afgekapt = found.afgekapt.met(lijst);
                        }
                    }
                    *lijsten
                }
            };
            if gelezen.bevat(Lijst::GevolgdeUren) {
                found.lesuren = lesuren(conn, &key)?;
            }
            Ok((Some(found), vec![id]))
        })
    }
}
