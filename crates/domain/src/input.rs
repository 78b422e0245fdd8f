//! What a client gives, as the HTTP layer hands it over in typed commands: a field may be absent, null,
//! a value, or already found invalid (reported by the body's schema). The rules here and in the
//! resources' modules judge the values once.

use crate::error::{FieldError, FieldErrors};
use chrono::{Datelike, NaiveDate};

/// The longest free text Koers keeps where a field names no bound of its own (the contract's
/// `maxLength` for text).
pub const MAX_TEKST: usize = 4000;

/// One field of a request body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Input<T> {
    #[default]
    Absent,
    Null,
    Value(T),
    /// Already reported (by the body's schema); rules skip it so that it is named once.
    Invalid,
}

impl<T> Input<T> {
    pub fn is_absent(&self) -> bool {
        matches!(self, Input::Absent)
    }
}

/// A field that was sent or not: `None` is absent.
impl<T> From<Option<T>> for Input<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Input::Absent, Input::Value)
    }
}

/// Read from a JSON Merge Patch (RFC 7396) field: `null` is `Null`, a value is `Value`; a field that
/// is not there is `Absent` (the field's default).
impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Input<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.map_or(Input::Null, Input::Value))
    }
}

/// Parses a required field: absent or null is `required`.
pub fn required<T, U>(
    errors: &mut FieldErrors,
    name: &str,
    input: Input<T>,
    parse: impl FnOnce(&str, T) -> Result<U, FieldError>,
) -> Option<U> {
    match input {
        Input::Absent | Input::Null => {
            errors.add(name, "required", "Dit veld is verplicht.");
            None
        }
        Input::Invalid => None,
        Input::Value(value) => errors.take(parse(name, value)),
    }
}

/// Parses an optional field: absent or null is `None`; the outer `None` means invalid.
pub fn optional<T, U>(
    errors: &mut FieldErrors,
    name: &str,
    input: Input<T>,
    parse: impl FnOnce(&str, T) -> Result<U, FieldError>,
) -> Option<Option<U>> {
    match input {
        Input::Absent | Input::Null => Some(None),
        Input::Invalid => None,
        Input::Value(value) => errors.take(parse(name, value)).map(Some),
    }
}

/// A change to one field in a PATCH: keep, clear, or set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change<T> {
    Keep,
    Clear,
    Set(T),
}

/// Parses one PATCH field. `nullable` says whether null clears it or is refused.
pub fn change<T, U>(
    errors: &mut FieldErrors,
    name: &str,
    input: Input<T>,
    nullable: bool,
    parse: impl FnOnce(&str, T) -> Result<U, FieldError>,
) -> Change<U> {
    match input {
        Input::Absent | Input::Invalid => Change::Keep,
        Input::Null if nullable => Change::Clear,
        Input::Null => {
            errors.add(name, "required", "Dit veld kan niet leeg worden gemaakt.");
            Change::Keep
        }
        Input::Value(value) => match parse(name, value) {
            Ok(parsed) => Change::Set(parsed),
            Err(error) => {
                errors.push(error);
                Change::Keep
            }
        },
    }
}

impl<T: Clone> Change<T> {
    pub fn apply_to(&self, current: &T) -> T {
        match self {
            Change::Set(value) => value.clone(),
            Change::Keep | Change::Clear => current.clone(),
        }
    }
}

impl<T: Clone> Change<T> {
    pub fn apply_to_option(&self, current: &Option<T>) -> Option<T> {
        match self {
            Change::Keep => current.clone(),
            Change::Clear => None,
            Change::Set(value) => Some(value.clone()),
        }
    }
}

/// A calendar date in `YYYY-MM-DD`, strictly: four-digit year, two-digit month and day.
///
/// # Errors
/// `date` when the text is not a real calendar date in that form.
pub fn parse_date(name: &str, input: &str) -> Result<NaiveDate, FieldError> {
    let well_formed = input.len() == 10
        && input.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    let parsed = well_formed
        .then(|| NaiveDate::parse_from_str(input, "%Y-%m-%d").ok())
        .flatten();
    parsed.ok_or_else(|| {
        FieldError::new(
            name,
            "date",
            "Geen geldige datum; gebruik het formaat JJJJ-MM-DD (RFC 3339 full-date).",
        )
    })
}

/// A date that must lie on or before `today` (a fact that already happened), and not before 1900.
///
/// # Errors
/// `future` for a date after `today`, `date` for one before 1900.
pub fn past_date(name: &str, date: NaiveDate, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    if date > today {
        return Err(FieldError::new(
            name,
            "future",
            "De datum mag niet in de toekomst liggen.",
        ));
    }
    if date.year() < 1900 {
        return Err(FieldError::new(
            name,
            "date",
            "De datum mag niet voor 1900 liggen.",
        ));
    }
    Ok(date)
}

/// White space as ECMA-262 defines it (`\s` in the contract's patterns, which clients evaluate):
/// what free text is trimmed of. U+0085 is not, U+FEFF is (Rust's `char::is_whitespace` differs in
/// both), so that what the contract calls visible is never trimmed away.
pub fn is_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
                | '\u{FEFF}'
    )
}

/// Free text with a trimmed length between `min` and `max` characters.
///
/// # Errors
/// `minLength` or `maxLength` when the trimmed text is too short or too long.
pub fn parse_text(name: &str, input: &str, min: usize, max: usize) -> Result<String, FieldError> {
    let trimmed = input.trim_matches(is_space);
    let length = trimmed.chars().count();
    if length < min {
        return Err(FieldError::new(
            name,
            "minLength",
            format!("Minimaal {min} teken(s) nodig."),
        ));
    }
    if length > max {
        return Err(FieldError::new(
            name,
            "maxLength",
            format!("Maximaal {max} tekens toegestaan."),
        ));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_of_ecma_white_space_only() {
        assert_eq!(parse_text("t", "\u{FEFF} a \u{3000}", 1, 10).unwrap(), "a");
        assert_eq!(parse_text("t", "\u{85}", 1, 10).unwrap(), "\u{85}");
        assert_eq!(parse_text("t", "\u{200B}", 1, 10).unwrap(), "\u{200B}");
        assert_eq!(
            parse_text("t", "\u{FEFF}", 1, 10).unwrap_err().code,
            "minLength"
        );
    }

    #[test]
    fn dates_are_strict() {
        assert!(parse_date("d", "2024-02-29").is_ok());
        assert!(parse_date("d", "2023-02-29").is_err());
        assert!(parse_date("d", "2024-2-9").is_err());
        assert!(parse_date("d", "2024-02-29T00:00:00Z").is_err());
        assert!(parse_date("d", "+02024-02-2").is_err());
    }

    #[test]
    fn past_dates_refuse_the_future() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let date = |text: &str| parse_date("d", text).unwrap();
        assert!(past_date("d", date("2026-11-23"), today).is_ok());
        assert_eq!(
            past_date("d", date("2026-11-24"), today).unwrap_err().code,
            "future"
        );
        assert_eq!(
            past_date("d", date("1899-12-31"), today).unwrap_err().code,
            "date"
        );
    }

    #[test]
    fn required_and_optional_fields() {
        let mut errors = FieldErrors::new();
        let r: Option<String> =
            required(&mut errors, "naam", Input::<String>::Absent, |_, v| Ok(v));
        assert!(r.is_none());
        let o: Option<Option<String>> =
            optional(&mut errors, "x", Input::<String>::Null, |_, v| Ok(v));
        assert_eq!(o, Some(None));
        let skipped: Option<String> =
            required(&mut errors, "y", Input::<String>::Invalid, |_, v| Ok(v));
        assert!(skipped.is_none());
        assert_eq!(errors.0.len(), 1);
        assert_eq!(errors.0[0].name, "naam");
    }
}
