//! Schemas built from the domain's own value lists, so that the contract and the rules never disagree.

use koers_domain::inburgeraar::{Doelgroep, InburgeraarStatus, Regime};
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::RefOr;

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

fn text_enum(list: Vec<&'static str>, description: &str, example: &'static str) -> RefOr<Schema> {
    let mut schema = values(list, description);
    if let RefOr::T(Schema::Object(object)) = &mut schema {
        object.examples = vec![serde_json::json!(example)];
    }
    schema
}

pub fn doelgroep() -> RefOr<Schema> {
    text_enum(
        Doelgroep::ALL.iter().map(|d| d.as_str()).collect(),
        "Doelgroep, de waarden van DUO's `GedetailleerdeDoelgroep` (API Inburgeringsplicht).",
        "Asielstatushouder",
    )
}

pub fn regime() -> RefOr<Schema> {
    text_enum(
        Regime::ALL.iter().map(|r| r.as_str()).collect(),
        "Wettelijk regime: `WI2021` voor een inburgeringsplicht vanaf 1 januari 2022, `WI2013` daarvoor. Standaard `WI2021`.",
        "WI2021",
    )
}

pub fn regime_of_null() -> RefOr<Schema> {
    nullable(regime())
}

pub fn status() -> RefOr<Schema> {
    text_enum(
        InburgeraarStatus::ALL.iter().map(|s| s.as_str()).collect(),
        "Fase van het inburgeringstraject; afgeleid door Koers, niet te schrijven.",
        "aangemeld",
    )
}
