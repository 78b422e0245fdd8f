//! The burgerservicenummer and its 11-proef.

use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A BSN: nine digits whose weighted sum (9, 8, ..., 2, -1) is a multiple of 11 and not zero.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Bsn(String);

impl Bsn {
    /// Parses a BSN.
    ///
    /// # Errors
    /// `format` when the input is not nine digits, `elfproef` when the digits fail the 11-proef.
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        if input.len() != 9 || !input.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new(
                field,
                "format",
                "Een BSN bestaat uit precies negen cijfers.",
            ));
        }
        if !passes_elfproef(input) {
            return Err(FieldError::new(
                field,
                "elfproef",
                "Het BSN voldoet niet aan de elfproef.",
            ));
        }
        Ok(Self(input.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Bsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The 11-proef for a BSN of nine ASCII digits. An all-zero number is refused.
pub fn passes_elfproef(digits: &str) -> bool {
    let bytes = digits.as_bytes();
    if bytes.len() != 9 || !bytes.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: i64 = bytes
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let digit = i64::from(b - b'0');
            let weight = if i == 8 { -1 } else { 9 - i as i64 };
            digit * weight
        })
        .sum();
    sum != 0 && sum % 11 == 0
}

/// Completes eight digits to a valid BSN when some last digit makes the 11-proef pass.
/// Used by the demo and synthetic data; returns `None` when no last digit fits.
pub fn complete_bsn(first_eight: u32) -> Option<String> {
    let prefix = format!("{first_eight:08}");
    if prefix.len() != 8 {
        return None;
    }
    (0..=9)
        .map(|last| format!("{prefix}{last}"))
        .find(|candidate| passes_elfproef(candidate))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_valid_and_invalid_numbers() {
        assert!(passes_elfproef("111222333"));
        assert!(passes_elfproef("123456782"));
        assert!(!passes_elfproef("123456789"));
        assert!(!passes_elfproef("000000000"));
        assert!(!passes_elfproef("12345678"));
        assert!(!passes_elfproef("12345678a"));
    }

    #[test]
    fn parse_reports_the_right_code() {
        assert_eq!(Bsn::parse("bsn", "12345").unwrap_err().code, "format");
        assert_eq!(Bsn::parse("bsn", "123456789").unwrap_err().code, "elfproef");
        assert_eq!(
            Bsn::parse("bsn", "123456782").unwrap().as_str(),
            "123456782"
        );
    }

    proptest! {
        #[test]
        fn completed_numbers_pass(prefix in 1u32..99_999_999) {
            if let Some(bsn) = complete_bsn(prefix) {
                prop_assert!(passes_elfproef(&bsn));
                prop_assert!(Bsn::parse("bsn", &bsn).is_ok());
            }
        }

        #[test]
        fn changing_one_digit_breaks_the_check(prefix in 1u32..99_999_999, pos in 0usize..9, delta in 1u8..10) {
            if let Some(bsn) = complete_bsn(prefix) {
                let mut bytes = bsn.into_bytes();
                bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
                let changed = String::from_utf8(bytes).unwrap();
                // A single changed digit shifts the weighted sum by weight * delta, never a multiple of 11.
                prop_assert!(!passes_elfproef(&changed));
            }
        }

        #[test]
        fn parse_never_panics(input in ".{0,20}") {
            let _ = Bsn::parse("bsn", &input);
        }

        #[test]
        fn non_nine_digit_strings_are_refused(input in "[0-9]{0,8}|[0-9]{10,12}") {
            prop_assert_eq!(Bsn::parse("bsn", &input).unwrap_err().code, "format");
        }
    }
}
