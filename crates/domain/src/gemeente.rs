//! CBS gemeentecodes.

use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A CBS gemeentecode: exactly four digits, such as `0405` for Hoorn.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct GemeenteCode(String);

impl GemeenteCode {
    /// Parses a gemeentecode.
    ///
    /// # Errors
    /// `format` when the input is not four digits.
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        if input.len() == 4 && input.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(input.to_owned()))
        } else {
            Err(FieldError::new(
                field,
                "format",
                "Een gemeentecode bestaat uit vier cijfers (CBS-code), bijvoorbeeld 0405.",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for GemeenteCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_digits_only() {
        assert!(GemeenteCode::parse("g", "0405").is_ok());
        assert!(GemeenteCode::parse("g", "405").is_err());
        assert!(GemeenteCode::parse("g", "04050").is_err());
        assert!(GemeenteCode::parse("g", "04a5").is_err());
    }
}
