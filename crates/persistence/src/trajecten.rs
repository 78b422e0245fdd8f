//! The trajectory aggregate: one JSON document per person with a version for optimistic concurrency.

use crate::connection::AnyConnection;
use crate::schema::trajecten::{self, dsl};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use koers_domain::inburgeraar::InburgeraarId;
use koers_domain::ports::StoreError;
use koers_domain::traject::Traject;

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = trajecten)]
pub struct TrajectRow {
    pub inburgeraar_id: String,
    pub versie: i64,
    pub data: String,
    pub gewijzigd_op: NaiveDateTime,
}

/// The stored trajectory and its version (0 when none is stored yet).
pub fn load(
    conn: &mut AnyConnection,
    id: InburgeraarId,
) -> Result<Result<(Traject, i64), StoreError>, DieselError> {
    let row = dsl::trajecten
        .filter(dsl::inburgeraar_id.eq(id.to_string()))
        .select(TrajectRow::as_select())
        .first(conn)
        .optional()?;
    Ok(match row {
        None => Ok((Traject::default(), 0)),
        Some(row) => decode(id, &row.data).map(|traject| (traject, row.versie)),
    })
}

/// The stored trajectories of `ids` (an empty one for a person without any), in the order given.
pub fn load_many(
    conn: &mut AnyConnection,
    ids: &[InburgeraarId],
) -> Result<Result<Vec<Traject>, StoreError>, DieselError> {
    let keys: Vec<String> = ids.iter().map(ToString::to_string).collect();
    let stored: std::collections::HashMap<String, String> = dsl::trajecten
        .filter(dsl::inburgeraar_id.eq_any(&keys))
        .select((dsl::inburgeraar_id, dsl::data))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    Ok(ids
        .iter()
        .zip(&keys)
        .map(|(id, key)| {
            stored
                .get(key)
                .map_or_else(|| Ok(Traject::default()), |data| decode(*id, data))
        })
        .collect())
}

fn decode(id: InburgeraarId, data: &str) -> Result<Traject, StoreError> {
    serde_json::from_str(data)
        .map_err(|e| StoreError::internal_by(format!("stored trajectory of {id}"), e))
}

/// A first row for a trajectory (version 1).
pub fn row(
    id: InburgeraarId,
    traject: &Traject,
    now: NaiveDateTime,
) -> Result<TrajectRow, DieselError> {
    Ok(TrajectRow {
        inburgeraar_id: id.to_string(),
        versie: 1,
        data: serde_json::to_string(traject)
            .map_err(|e| DieselError::SerializationError(Box::new(e)))?,
        gewijzigd_op: now,
    })
}

/// Stores the trajectory if it is still at `versie`; `false` when another change came first.
pub fn save(
    conn: &mut AnyConnection,
    id: InburgeraarId,
    versie: i64,
    traject: &Traject,
    now: NaiveDateTime,
) -> Result<bool, DieselError> {
    let data =
        serde_json::to_string(traject).map_err(|e| DieselError::SerializationError(Box::new(e)))?;
    if versie == 0 {
        let row = TrajectRow {
            inburgeraar_id: id.to_string(),
            versie: 1,
            data,
            gewijzigd_op: now,
        };
        // Another change that also found none stored may have come first.
        return match diesel::insert_into(dsl::trajecten)
            .values(&row)
            .execute(conn)
        {
            Ok(_) => Ok(true),
            Err(error) if crate::error::violated(&error) == Some(crate::error::Uniek::Traject) => {
                Ok(false)
            }
            Err(error) => Err(error),
        };
    }
    let changed = diesel::update(
        dsl::trajecten
            .filter(dsl::inburgeraar_id.eq(id.to_string()))
            .filter(dsl::versie.eq(versie)),
    )
    .set((
        dsl::versie.eq(versie + 1),
        dsl::data.eq(data),
        dsl::gewijzigd_op.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}
