//! Per-gemeente settings: local policy where the law leaves room (the cadence of voortgangsgesprekken,
//! ontzorgen beyond the legal six months) and how far ahead the worklist warns.

use crate::error::{FieldError, FieldErrors};
use crate::input::{self, Input};
use crate::termijn;
use serde::{Deserialize, Serialize};
use std::ops::RangeInclusive;

/// No legal cadence for voortgangsgesprekken was found; three months is common local practice.
pub const GESPREK_CADANS_MAANDEN: u32 = 3;
/// Participatiewet art. 56a: the first six months of welfare are ontzorgd at least.
pub const ONTZORGEN_MAANDEN: u32 = 6;
/// Warn this many days before the PIP deadline.
pub const HORIZON_PIP_DAGEN: u32 = 14;
/// Warn this many months before the term ends (DUO's `verwijtbaar = Nee` window).
pub const HORIZON_TERMIJN_MAANDEN: u32 = termijn::WAARSCHUWING_TERMIJN_MAANDEN;
/// Warn this many days before the last date for a route switch.
pub const HORIZON_SCHAKELDATUM_DAGEN: u32 = 60;
/// Warn this many months before the AOW age (DUO event SS128).
pub const HORIZON_AOW_MAANDEN: u32 = termijn::AOW_WAARSCHUWING_MAANDEN;
/// Warn this many days before a voortgangsgesprek is due.
pub const HORIZON_GESPREK_DAGEN: u32 = 14;

const CADANS: RangeInclusive<u32> = 1..=12;
const ONTZORGEN: RangeInclusive<u32> = ONTZORGEN_MAANDEN..=36;
const HORIZON_DAGEN: RangeInclusive<u32> = 0..=365;
const HORIZON_MAANDEN: RangeInclusive<u32> = 0..=24;

/// The settings of one gemeente. Stored settings that lack a newer field read it as its default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct GemeenteInstellingen {
    /// Months between voortgangsgesprekken (1..=12).
    pub gesprek_cadans_maanden: u32,
    /// Minimum length of ontzorgen in months (6..=36); more than 6 extends it beyond the law.
    pub ontzorgen_maanden: u32,
    pub horizon_pip_dagen: u32,
    pub horizon_termijn_maanden: u32,
    pub horizon_schakeldatum_dagen: u32,
    pub horizon_aow_maanden: u32,
    pub horizon_gesprek_dagen: u32,
}

impl Default for GemeenteInstellingen {
    fn default() -> Self {
        Self {
            gesprek_cadans_maanden: GESPREK_CADANS_MAANDEN,
            ontzorgen_maanden: ONTZORGEN_MAANDEN,
            horizon_pip_dagen: HORIZON_PIP_DAGEN,
            horizon_termijn_maanden: HORIZON_TERMIJN_MAANDEN,
            horizon_schakeldatum_dagen: HORIZON_SCHAKELDATUM_DAGEN,
            horizon_aow_maanden: HORIZON_AOW_MAANDEN,
            horizon_gesprek_dagen: HORIZON_GESPREK_DAGEN,
        }
    }
}

/// A change to the settings; every field may be left out.
#[derive(Debug, Clone, Default)]
pub struct GemeenteInstellingenWijziging {
    pub gesprek_cadans_maanden: Input<i64>,
    pub ontzorgen_maanden: Input<i64>,
    pub horizon_pip_dagen: Input<i64>,
    pub horizon_termijn_maanden: Input<i64>,
    pub horizon_schakeldatum_dagen: Input<i64>,
    pub horizon_aow_maanden: Input<i64>,
    pub horizon_gesprek_dagen: Input<i64>,
}

fn binnen(
    range: RangeInclusive<u32>,
    eenheid: &'static str,
) -> impl Fn(&str, i64) -> Result<u32, FieldError> {
    move |field, value| {
        u32::try_from(value)
            .ok()
            .filter(|v| range.contains(v))
            .ok_or_else(|| {
                FieldError::new(
                    field,
                    "range",
                    format!(
                        "Een geheel aantal {eenheid} van {} tot en met {}.",
                        range.start(),
                        range.end()
                    ),
                )
            })
    }
}

impl GemeenteInstellingen {
    /// Applies a change (PATCH semantics): an absent or null field keeps its current value.
    ///
    /// # Errors
    /// `range` for every field outside its bounds.
    pub fn wijzig(
        &self,
        input: GemeenteInstellingenWijziging,
    ) -> Result<GemeenteInstellingen, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut veld = |name: &str,
                        value: Input<i64>,
                        range: RangeInclusive<u32>,
                        eenheid: &'static str,
                        huidig: u32| {
            input::change(&mut errors, name, value, true, binnen(range, eenheid)).apply_to(&huidig)
        };
        let nieuw = GemeenteInstellingen {
            gesprek_cadans_maanden: veld(
                "gesprekCadansMaanden",
                input.gesprek_cadans_maanden,
                CADANS,
                "maanden",
                self.gesprek_cadans_maanden,
            ),
            ontzorgen_maanden: veld(
                "ontzorgenMaanden",
                input.ontzorgen_maanden,
                ONTZORGEN,
                "maanden",
                self.ontzorgen_maanden,
            ),
            horizon_pip_dagen: veld(
                "horizonPipDagen",
                input.horizon_pip_dagen,
                HORIZON_DAGEN,
                "dagen",
                self.horizon_pip_dagen,
            ),
            horizon_termijn_maanden: veld(
                "horizonTermijnMaanden",
                input.horizon_termijn_maanden,
                HORIZON_MAANDEN,
                "maanden",
                self.horizon_termijn_maanden,
            ),
            horizon_schakeldatum_dagen: veld(
                "horizonSchakeldatumDagen",
                input.horizon_schakeldatum_dagen,
                HORIZON_DAGEN,
                "dagen",
                self.horizon_schakeldatum_dagen,
            ),
            horizon_aow_maanden: veld(
                "horizonAowMaanden",
                input.horizon_aow_maanden,
                HORIZON_MAANDEN,
                "maanden",
                self.horizon_aow_maanden,
            ),
            horizon_gesprek_dagen: veld(
                "horizonGesprekDagen",
                input.horizon_gesprek_dagen,
                HORIZON_DAGEN,
                "dagen",
                self.horizon_gesprek_dagen,
            ),
        };
        errors.finish()?;
        Ok(nieuw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_law_and_the_term_constants() {
        let standaard = GemeenteInstellingen::default();
        assert_eq!(standaard.gesprek_cadans_maanden, 3);
        assert_eq!(standaard.ontzorgen_maanden, 6);
        assert_eq!(standaard.horizon_pip_dagen, 14);
        assert_eq!(
            standaard.horizon_termijn_maanden,
            termijn::WAARSCHUWING_TERMIJN_MAANDEN
        );
        assert_eq!(standaard.horizon_schakeldatum_dagen, 60);
        assert_eq!(
            standaard.horizon_aow_maanden,
            termijn::AOW_WAARSCHUWING_MAANDEN
        );
        assert_eq!(standaard.horizon_gesprek_dagen, 14);
    }

    #[test]
    fn absent_and_null_keep_the_current_value() {
        let huidig = GemeenteInstellingen {
            gesprek_cadans_maanden: 2,
            ..GemeenteInstellingen::default()
        };
        let nieuw = huidig
            .wijzig(GemeenteInstellingenWijziging {
                gesprek_cadans_maanden: Input::Null,
                ontzorgen_maanden: Input::Value(12),
                horizon_pip_dagen: Input::Value(0),
                ..GemeenteInstellingenWijziging::default()
            })
            .unwrap();
        assert_eq!(nieuw.gesprek_cadans_maanden, 2);
        assert_eq!(nieuw.ontzorgen_maanden, 12);
        assert_eq!(nieuw.horizon_pip_dagen, 0);
        assert_eq!(nieuw.horizon_gesprek_dagen, 14);
    }

    #[test]
    fn every_field_out_of_bounds_is_named() {
        let errors = GemeenteInstellingen::default()
            .wijzig(GemeenteInstellingenWijziging {
                gesprek_cadans_maanden: Input::Value(0),
                ontzorgen_maanden: Input::Value(5),
                horizon_pip_dagen: Input::Value(366),
                horizon_termijn_maanden: Input::Value(25),
                horizon_schakeldatum_dagen: Input::Value(-1),
                horizon_aow_maanden: Input::Value(i64::MAX),
                horizon_gesprek_dagen: Input::Value(365),
            })
            .unwrap_err();
        let names: Vec<_> = errors.0.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "gesprekCadansMaanden",
                "ontzorgenMaanden",
                "horizonPipDagen",
                "horizonTermijnMaanden",
                "horizonSchakeldatumDagen",
                "horizonAowMaanden"
            ]
        );
        assert!(errors.0.iter().all(|e| e.code == "range"));
        assert_eq!(
            errors.0[1].reason,
            "Een geheel aantal maanden van 6 tot en met 36."
        );
        assert_eq!(
            errors.0[2].reason,
            "Een geheel aantal dagen van 0 tot en met 365."
        );
    }

    #[test]
    fn stored_settings_without_newer_fields_read_as_defaults() {
        let stored: GemeenteInstellingen =
            serde_json::from_str(r#"{"gesprekCadansMaanden": 2}"#).unwrap();
        assert_eq!(stored.gesprek_cadans_maanden, 2);
        assert_eq!(stored.horizon_gesprek_dagen, HORIZON_GESPREK_DAGEN);
        let roundtrip: GemeenteInstellingen =
            serde_json::from_str(&serde_json::to_string(&stored).unwrap()).unwrap();
        assert_eq!(roundtrip, stored);
    }
}
