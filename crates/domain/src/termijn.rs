//! The deadline calculus of the Wet inburgering 2021: the inburgeringstermijn, the PIP deadline, the last
//! date for a route switch and the warnings around them. Computed, never typed in.

use chrono::{Days, Months, NaiveDate};
use serde::Serialize;

/// Length of the inburgeringstermijn (Wi2021 art. 7: three years).
pub const TERMIJN_MAANDEN: u32 = 36;
/// A route switch is possible until 18 months after the term start (except onderwijsroute to B1-route).
pub const SCHAKEL_MAANDEN: u32 = 18;
/// The PIP is due ten weeks after the notice or the settling in the gemeente (Besluit art. 5.3).
pub const PIP_TERMIJN_DAGEN: u64 = 70;
/// An awaited third-party report extends the PIP deadline to two weeks after its arrival.
pub const PIP_VERLENGING_DAGEN: u64 = 14;
/// DUO's `verwijtbaar = Nee` window: the last two months before the term ends.
pub const WAARSCHUWING_TERMIJN_MAANDEN: u32 = 2;
/// AOW age used for the warning (67 years; the exact age depends on the birth year, so this is a
/// warning, never a rejection).
pub const AOW_LEEFTIJD_JAREN: u32 = 67;
/// Warn this many months before the AOW age (DUO event SS128).
pub const AOW_WAARSCHUWING_MAANDEN: u32 = 6;

/// The Z-route norms: (lesuren, participatie-uren for asielstatushouders).
pub const Z_ROUTE_DEFAULTS: (u32, u32) = (800, 800);

/// Adds months, clamping to the last day of a shorter month (31 January + 1 month = 28/29 February).
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// Subtracts months with the same clamping.
pub fn sub_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_sub_months(Months::new(months))
        .unwrap_or(NaiveDate::MIN)
}

pub fn add_days(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days))
        .unwrap_or(NaiveDate::MAX)
}

/// The term starts the day after the first PIP is dated; later PIPs never move it.
pub fn termijn_start(eerste_dagtekening: NaiveDate) -> NaiveDate {
    add_days(eerste_dagtekening, 1)
}

/// The last day of the term: start plus three years plus every extension (in months).
pub fn termijn_einde(start: NaiveDate, verlengingen_maanden: &[u32]) -> NaiveDate {
    let extra: u32 = verlengingen_maanden.iter().sum();
    add_months(start, TERMIJN_MAANDEN + extra)
}

/// The last date on which the route may switch (not for onderwijsroute to B1-route).
pub fn laatste_schakeldatum(start: NaiveDate) -> NaiveDate {
    add_months(start, SCHAKEL_MAANDEN)
}

/// When the PIP is due: ten weeks after the notice, or after settling when that is later; an awaited
/// third-party report moves it to two weeks after the report arrived, when that is later still.
pub fn pip_deadline(
    datum_kennisgeving: NaiveDate,
    datum_vestiging: Option<NaiveDate>,
    ontvangst_informatie_derden: Option<NaiveDate>,
) -> NaiveDate {
    let basis = datum_vestiging.map_or(datum_kennisgeving, |v| v.max(datum_kennisgeving));
    let regulier = add_days(basis, PIP_TERMIJN_DAGEN);
    match ontvangst_informatie_derden {
        Some(ontvangst) => regulier.max(add_days(ontvangst, PIP_VERLENGING_DAGEN)),
        None => regulier,
    }
}

/// The day a person reaches the AOW age used for warnings.
pub fn aow_datum(geboortedatum: NaiveDate) -> NaiveDate {
    add_months(geboortedatum, AOW_LEEFTIJD_JAREN * 12)
}

/// A warning about a date that is near or passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Waarschuwing {
    pub soort: &'static str,
    pub datum: NaiveDate,
    pub omschrijving: &'static str,
}

/// The computed term of one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Termijn {
    pub datum_start: NaiveDate,
    pub datum_einde: NaiveDate,
    pub laatste_schakeldatum: NaiveDate,
    pub verlengd_maanden: u32,
}

impl Termijn {
    pub fn bereken(eerste_dagtekening: NaiveDate, verlengingen_maanden: &[u32]) -> Self {
        let datum_start = termijn_start(eerste_dagtekening);
        Self {
            datum_start,
            datum_einde: termijn_einde(datum_start, verlengingen_maanden),
            laatste_schakeldatum: laatste_schakeldatum(datum_start),
            verlengd_maanden: verlengingen_maanden.iter().sum(),
        }
    }

    /// The term has run out on `today`.
    pub fn overschreden(&self, today: NaiveDate) -> bool {
        today > self.datum_einde
    }

    /// `today` lies in the last two months of the term (DUO's window for `verwijtbaar = Nee`).
    pub fn in_eindfase(&self, today: NaiveDate) -> bool {
        today <= self.datum_einde
            && today >= sub_months(self.datum_einde, WAARSCHUWING_TERMIJN_MAANDEN)
    }
}

/// The warnings of a term on `today`: term end near or passed, and AOW age within six months or
/// before the term ends.
pub fn waarschuwingen(
    termijn: &Termijn,
    geboortedatum: Option<NaiveDate>,
    today: NaiveDate,
) -> Vec<Waarschuwing> {
    let mut out = Vec::new();
    if termijn.overschreden(today) {
        out.push(Waarschuwing {
            soort: "termijnOverschreden",
            datum: termijn.datum_einde,
            omschrijving: "De inburgeringstermijn is verstreken.",
        });
    } else if termijn.in_eindfase(today) {
        out.push(Waarschuwing {
            soort: "termijnEindeNadert",
            datum: termijn.datum_einde,
            omschrijving: "De inburgeringstermijn eindigt binnen twee maanden.",
        });
    }
    if let Some(geboortedatum) = geboortedatum {
        let aow = aow_datum(geboortedatum);
        if aow <= termijn.datum_einde || sub_months(aow, AOW_WAARSCHUWING_MAANDEN) <= today {
            out.push(Waarschuwing {
                soort: "aowLeeftijd",
                datum: aow,
                omschrijving: "De inburgeraar bereikt de AOW-leeftijd voor het einde van de termijn of binnen zes maanden; de inburgeringsplicht eindigt dan.",
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn hand_worked_terms() {
        // PIP dated 14 March 2025: the term runs from 15 March 2025 to 15 March 2028.
        let termijn = Termijn::bereken(d(2025, 3, 14), &[]);
        assert_eq!(termijn.datum_start, d(2025, 3, 15));
        assert_eq!(termijn.datum_einde, d(2028, 3, 15));
        assert_eq!(termijn.laatste_schakeldatum, d(2026, 9, 15));
        // Dated on 28 February 2027: start on 1 March 2027.
        assert_eq!(termijn_start(d(2027, 2, 28)), d(2027, 3, 1));
        // Dated 28 February 2024 (a leap year): start on leap day, end clamps to 28 February 2027 + ...
        let leap = Termijn::bereken(d(2024, 2, 28), &[]);
        assert_eq!(leap.datum_start, d(2024, 2, 29));
        assert_eq!(leap.datum_einde, d(2027, 2, 28));
        assert_eq!(leap.laatste_schakeldatum, d(2025, 8, 29));
        // An extension of six months and one of three.
        assert_eq!(
            Termijn::bereken(d(2025, 3, 14), &[6, 3]).datum_einde,
            d(2028, 12, 15)
        );
        // Month ends: start on 31 August, 18 months later is 28 February.
        assert_eq!(laatste_schakeldatum(d(2025, 8, 31)), d(2027, 2, 28));
    }

    #[test]
    fn pip_deadline_follows_the_later_date_and_third_party_reports() {
        assert_eq!(pip_deadline(d(2026, 1, 5), None, None), d(2026, 3, 16));
        assert_eq!(
            pip_deadline(d(2026, 1, 5), Some(d(2026, 2, 1)), None),
            d(2026, 4, 12)
        );
        assert_eq!(
            pip_deadline(d(2026, 1, 5), Some(d(2025, 12, 1)), None),
            d(2026, 3, 16)
        );
        // A report that arrives on 10 March moves the deadline to 24 March.
        assert_eq!(
            pip_deadline(d(2026, 1, 5), None, Some(d(2026, 3, 10))),
            d(2026, 3, 24)
        );
        // One that arrived early changes nothing.
        assert_eq!(
            pip_deadline(d(2026, 1, 5), None, Some(d(2026, 1, 20))),
            d(2026, 3, 16)
        );
    }

    #[test]
    fn warnings_near_the_end_and_for_the_aow_age() {
        let termijn = Termijn::bereken(d(2025, 3, 14), &[]);
        assert!(waarschuwingen(&termijn, None, d(2027, 1, 14)).is_empty());
        assert_eq!(
            waarschuwingen(&termijn, None, d(2028, 1, 15))[0].soort,
            "termijnEindeNadert"
        );
        assert_eq!(
            waarschuwingen(&termijn, None, d(2028, 3, 16))[0].soort,
            "termijnOverschreden"
        );
        let old = waarschuwingen(&termijn, Some(d(1961, 1, 1)), d(2026, 1, 1));
        assert_eq!(old[0].soort, "aowLeeftijd");
        assert_eq!(old[0].datum, d(2028, 1, 1));
        assert!(waarschuwingen(&termijn, Some(d(1990, 1, 1)), d(2026, 1, 1)).is_empty());
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (2000i32..2100, 1u32..=12, 1u32..=31)
            .prop_filter_map("a real date", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
    }

    proptest! {
        #[test]
        fn a_term_is_three_calendar_years(dagtekening in any_date()) {
            let termijn = Termijn::bereken(dagtekening, &[]);
            let days = (termijn.datum_einde - termijn.datum_start).num_days();
            // Three years are 1095 or 1096 days, never less, whatever leap days and month ends do.
            prop_assert!((1094..=1096).contains(&days), "{days} days");
            prop_assert_eq!(termijn.datum_einde.month(), termijn.datum_start.month());
            prop_assert!(termijn.datum_einde.day() <= termijn.datum_start.day());
            prop_assert!(termijn.datum_start < termijn.laatste_schakeldatum);
            prop_assert!(termijn.laatste_schakeldatum < termijn.datum_einde);
        }

        #[test]
        fn extensions_only_lengthen(dagtekening in any_date(), a in 0u32..24, b in 0u32..24) {
            let base = Termijn::bereken(dagtekening, &[]);
            let longer = Termijn::bereken(dagtekening, &[a, b]);
            prop_assert!(longer.datum_einde >= base.datum_einde);
            prop_assert_eq!(longer.datum_start, base.datum_start);
            prop_assert_eq!(longer.datum_einde, add_months(base.datum_start, 36 + a + b));
        }

        #[test]
        fn the_pip_deadline_is_never_before_ten_weeks(k in any_date(), v in proptest::option::of(any_date()), o in proptest::option::of(any_date())) {
            let deadline = pip_deadline(k, v, o);
            prop_assert!(deadline >= add_days(k, 70));
            if let Some(v) = v { prop_assert!(deadline >= add_days(v, 70)); }
            if let Some(o) = o { prop_assert!(deadline >= add_days(o, 14)); }
        }
    }
}
