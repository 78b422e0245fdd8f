//! Koers domain: the types, rules and deadlines of the Wet inburgering 2021.
//!
//! This crate is pure: it knows nothing of HTTP, databases or async runtimes. Input is parsed once into
//! newtypes here, rules are plain functions, and storage is reached only through the ports in [`ports`].

/// Declares a closed set of text values with their wire names in one place.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn from_text(text: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|value| value.as_str() == text)
            }

        }

        impl std::str::FromStr for $name {
            type Err = String;

            fn from_str(text: &str) -> Result<Self, String> {
                Self::from_text(text).ok_or_else(|| format!("not a {}: {text}", stringify!($name)))
            }
        }

        impl $name {
            /// Parses the wire value of a field.
            ///
            /// # Errors
            /// `enum` naming the allowed values.
            pub fn parse(field: &str, text: &str) -> Result<Self, $crate::error::FieldError> {
                Self::from_text(text).ok_or_else(|| {
                    let allowed: Vec<&str> = Self::ALL.iter().map(|value| value.as_str()).collect();
                    $crate::error::FieldError::new(field, "enum", format!("Toegestane waarden: {}.", allowed.join(", ")))
                })
            }
        }
    };
}

pub mod abonnement;
pub mod bsn;
pub mod commando;
pub mod error;
pub mod events;
pub mod gemeente;
pub mod gesprekken;
pub mod inburgeraar;
pub mod input;
pub mod instellingen;
pub mod ontzorging;
pub mod pagination;
pub mod participatieladder;
pub mod partner;
pub mod pip;
pub mod ports;
pub mod principal;
pub mod records;
pub mod signalering;
pub mod status;
pub mod termijn;
#[cfg(test)]
pub(crate) mod testdata;
pub mod traject;
pub mod vastlegging;
pub mod voortgang;

pub use error::{FieldError, FieldErrors};
