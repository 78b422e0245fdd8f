//! Named schemas for the domain's closed value lists: one component per list, built from the domain's
//! own values, used by requests and answers alike. A field holding a domain enum declares its schema
//! with `#[schema(value_type = schemas::Doelgroep)]` (or `Option<…>` for a nullable one, which the
//! contract writes as a reference plus `null`, so that generators make one type).

use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::RefOr;

/// A string enumeration with its description; the first value is the example.
pub fn values(list: Vec<&'static str>, description: &str) -> RefOr<Schema> {
    let example = list.first().copied().unwrap_or_default();
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .enum_values(Some(list))
        .description(Some(description))
        .examples([serde_json::json!(example)])
        .into()
}

/// Declares the named schema of a domain value list (`text_enum!` in the domain).
macro_rules! value_list {
    ($(#[doc = $doc:literal])+ $name:ident => $domain:ty) => {
        $(#[doc = $doc])+
        pub struct $name;

        impl utoipa::PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                values(
                    <$domain>::ALL.iter().map(|value| value.as_str()).collect(),
                    concat!($($doc, "\n"),+).trim(),
                )
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }
        }
    };
}

value_list! {
    /// Doelgroep, de waarden van DUO's `GedetailleerdeDoelgroep` (API Inburgeringsplicht).
    Doelgroep => koers_domain::inburgeraar::Doelgroep
}

value_list! {
    /// Wettelijk regime: `WI2021` voor een inburgeringsplicht vanaf 1 januari 2022, `WI2013` daarvoor.
    Regime => koers_domain::inburgeraar::Regime
}

value_list! {
    /// Fase van het inburgeringstraject; afgeleid door Koers, niet te schrijven.
    InburgeraarStatus => koers_domain::inburgeraar::InburgeraarStatus
}

/// A reference to the named schema of a value list, for parameters.
pub fn of<T: utoipa::ToSchema>() -> RefOr<Schema> {
    RefOr::Ref(utoipa::openapi::Ref::from_schema_name(T::name()))
}

/// The same enumeration, also allowing `null` (for optional fields that accept and return `null`).
pub fn nullable(schema: RefOr<Schema>) -> RefOr<Schema> {
    match schema {
        RefOr::T(Schema::Object(mut object)) => {
            object.schema_type = SchemaType::from_iter([Type::String, Type::Null]);
            if let Some(values) = object.enum_values.as_mut() {
                values.push(serde_json::Value::Null);
            }
            RefOr::T(Schema::Object(object))
        }
        other => other,
    }
}
