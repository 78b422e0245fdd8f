//! Rows and writes of what every processing leaves behind: audit entries, processing-log lines and
//! idempotency records. Called inside the transaction of the change or read they belong to.

use crate::connection::AnyConnection;
use crate::schema::{audit_entries, idempotente_antwoorden, verwerkingen};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use koers_domain::inburgeraar::InburgeraarId;
use koers_domain::ports::StoreError;
use koers_domain::records::{
    pseudonymise, truncate_to_micros, Antwoord, AuditActie, AuditEntry, IdempotencyRecord,
    RequestContext, Verwerking, VerwerkingStatus, Verwerkingsactiviteit,
};
use uuid::Uuid;

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_entries)]
pub struct AuditRow {
    pub id: String,
    pub inburgeraar_id: String,
    pub resource: String,
    pub resource_id: String,
    pub actie: String,
    pub client: String,
    pub gebruiker: Option<String>,
    pub oude_waarde: Option<String>,
    pub nieuwe_waarde: Option<String>,
    pub tijdstip: NaiveDateTime,
    pub request_id: String,
}

impl AuditRow {
    pub fn into_domain(self) -> Result<AuditEntry, StoreError> {
        let parse_json = |text: Option<String>| {
            text.map(|t| serde_json::from_str(&t))
                .transpose()
                .map_err(|e| StoreError::internal_by("audit value", e))
        };
        Ok(AuditEntry {
            inburgeraar_id: parse_id(&self.inburgeraar_id)?,
            actie: AuditActie::from_text(&self.actie)
                .ok_or_else(|| StoreError::internal(format!("audit actie {}", self.actie)))?,
            oude_waarde: parse_json(self.oude_waarde)?,
            nieuwe_waarde: parse_json(self.nieuwe_waarde)?,
            id: self.id,
            resource: self.resource,
            resource_id: self.resource_id,
            client: self.client,
            gebruiker: self.gebruiker,
            tijdstip: self.tijdstip,
            request_id: self.request_id,
        })
    }
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = verwerkingen)]
pub struct VerwerkingRow {
    pub id: String,
    pub trace_id: String,
    pub span_id: String,
    pub activiteit_id: String,
    pub activiteit_naam: String,
    pub betrokkene: String,
    pub status: String,
    pub client: String,
    pub gebruiker: Option<String>,
    pub organisatie: Option<String>,
    pub start_tijd: NaiveDateTime,
    pub eind_tijd: NaiveDateTime,
    pub toestemming_id: Option<String>,
}

impl VerwerkingRow {
    pub fn into_domain(self) -> Verwerking {
        Verwerking {
            status: if self.status == VerwerkingStatus::Ok.as_str() {
                VerwerkingStatus::Ok
            } else {
                VerwerkingStatus::Fout
            },
            id: self.id,
            trace_id: self.trace_id,
            span_id: self.span_id,
            activiteit_id: self.activiteit_id,
            activiteit_naam: self.activiteit_naam,
            betrokkene: self.betrokkene,
            client: self.client,
            gebruiker: self.gebruiker,
            organisatie: self.organisatie,
            start_tijd: self.start_tijd,
            eind_tijd: self.eind_tijd,
            toestemming_id: self.toestemming_id,
        }
    }
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = idempotente_antwoorden)]
pub struct IdempotencyRow {
    pub client: String,
    pub bevoegdheid: String,
    pub sleutel: String,
    pub request_hash: String,
    pub inburgeraar_id: Option<String>,
    pub activiteit: Option<String>,
    pub status: i32,
    pub location: Option<String>,
    pub body: String,
    pub aangemaakt_op: NaiveDateTime,
}

impl IdempotencyRow {
    pub fn into_domain(self) -> Result<IdempotencyRecord, StoreError> {
        let activiteit = self
            .activiteit
            .map(|id| {
                Verwerkingsactiviteit::from_id(&id)
                    .ok_or_else(|| StoreError::internal(format!("stored activiteit {id:?}")))
            })
            .transpose()?;
        Ok(IdempotencyRecord {
            client: self.client,
            authority: self.bevoegdheid,
            key: self.sleutel,
            request_hash: self.request_hash,
            subject: self.inburgeraar_id.as_deref().map(parse_id).transpose()?,
            activiteit,
            antwoord: Antwoord {
                status: u16::try_from(self.status)
                    .map_err(|e| StoreError::internal_by("stored status", e))?,
                location: self.location,
                body: serde_json::from_str(&self.body)
                    .map_err(|e| StoreError::internal_by("stored answer", e))?,
            },
            created: self.aangemaakt_op,
        })
    }
}

pub fn parse_id(text: &str) -> Result<InburgeraarId, StoreError> {
    Uuid::parse_str(text)
        .map(InburgeraarId)
        .map_err(|e| StoreError::internal_by(format!("stored id {text:?}"), e))
}

fn now() -> NaiveDateTime {
    truncate_to_micros(chrono::Utc::now().naive_utc())
}

/// Stores one processing-log line per person, in one statement.
pub fn log_verwerkingen(
    conn: &mut AnyConnection,
    ctx: &RequestContext,
    pseudonym_key: &str,
    activiteit: Verwerkingsactiviteit,
    subjects: &[InburgeraarId],
) -> Result<(), DieselError> {
    let rows = verwerking_rows(conn, ctx, pseudonym_key, activiteit, subjects)?;
    insert_verwerkingen(conn, &rows)
}

/// The processing-log lines of one processing, one per person (reads the toestemmingen a partner
/// relied on).
pub fn verwerking_rows(
    conn: &mut AnyConnection,
    ctx: &RequestContext,
    pseudonym_key: &str,
    activiteit: Verwerkingsactiviteit,
    subjects: &[InburgeraarId],
) -> Result<Vec<VerwerkingRow>, DieselError> {
    if subjects.is_empty() {
        return Ok(Vec::new());
    }
    let grondslagen = grondslagen(conn, ctx, activiteit, subjects)?;
    Ok(rows_for(
        ctx,
        pseudonym_key,
        activiteit,
        subjects,
        &grondslagen,
    ))
}

/// For each subject, the toestemming a partner relies on in this activity (by person id); empty for a
/// gemeente, whose basis is its public task.
pub fn grondslagen(
    conn: &mut AnyConnection,
    ctx: &RequestContext,
    activiteit: Verwerkingsactiviteit,
    subjects: &[InburgeraarId],
) -> Result<std::collections::HashMap<String, String>, DieselError> {
    // A partner's processing names the toestemming it relied on (AVG art. 15: on which basis).
    match &ctx.principal.organisatie {
        Some(organisatie) => crate::partners::dekkende_toestemmingen(
            conn,
            organisatie,
            activiteit,
            ctx.now.date(),
            subjects,
        ),
        None => Ok(std::collections::HashMap::new()),
    }
}

/// The processing-log lines of one processing with the toestemmingen already known.
pub fn rows_for(
    ctx: &RequestContext,
    pseudonym_key: &str,
    activiteit: Verwerkingsactiviteit,
    subjects: &[InburgeraarId],
    grondslagen: &std::collections::HashMap<String, String>,
) -> Vec<VerwerkingRow> {
    let end = now();
    subjects
        .iter()
        .map(|subject| VerwerkingRow {
            id: Uuid::now_v7().to_string(),
            trace_id: ctx.trace_id.clone(),
            span_id: ctx.span_id.clone(),
            activiteit_id: activiteit.id().to_owned(),
            activiteit_naam: activiteit.naam().to_owned(),
            betrokkene: pseudonymise(pseudonym_key, *subject),
            status: VerwerkingStatus::Ok.as_str().to_owned(),
            client: ctx.principal.client.clone(),
            gebruiker: ctx.principal.gebruiker.clone(),
            organisatie: ctx.principal.organisatie.clone(),
            start_tijd: ctx.now,
            eind_tijd: end.max(ctx.now),
            toestemming_id: grondslagen.get(&subject.to_string()).cloned(),
        })
        .collect()
}

/// Stores processing-log lines, in as few statements as the backend allows.
pub fn insert_verwerkingen(
    conn: &mut AnyConnection,
    rows: &[VerwerkingRow],
) -> Result<(), DieselError> {
    // PostgreSQL takes at most 65,535 bind parameters per statement: 13 columns x 4,000 rows fits.
    const ROWS_PER_STATEMENT: usize = 4_000;
    metrics::counter!("koers_verwerkingen_written_total").increment(rows.len() as u64);
    if let [row] = rows {
        // One line (the common case) is a statement the connection keeps prepared.
        diesel::insert_into(verwerkingen::table)
            .values(row)
            .execute(conn)?;
        return Ok(());
    }
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        // Batch inserts do not compile through `MultiConnection`: dispatch per backend.
        let insert = diesel::insert_into(verwerkingen::table).values(chunk);
        match conn {
            AnyConnection::Postgresql(pg) => insert.execute(pg)?,
            AnyConnection::Sqlite(sqlite) => insert.execute(sqlite)?,
        };
    }
    Ok(())
}

/// What changed, for the audit trail (the domain's type).
pub use koers_domain::vastlegging::AuditWijziging as Change;

/// Stores one audit entry.
pub fn audit(
    conn: &mut AnyConnection,
    ctx: &RequestContext,
    change: Change<'_>,
) -> Result<(), DieselError> {
    insert_audit(conn, &audit_row(ctx, change))
}

/// The audit entry of a change by the caller of `ctx`.
pub fn audit_row(ctx: &RequestContext, change: Change<'_>) -> AuditRow {
    AuditRow {
        id: Uuid::now_v7().to_string(),
        inburgeraar_id: change.inburgeraar_id.to_string(),
        resource: change.resource.to_owned(),
        resource_id: change.resource_id,
        actie: change.actie.as_str().to_owned(),
        client: ctx.principal.client.clone(),
        gebruiker: ctx.principal.gebruiker.clone(),
        oude_waarde: change.oude_waarde.map(|v| v.to_string()),
        nieuwe_waarde: change.nieuwe_waarde.map(|v| v.to_string()),
        tijdstip: ctx.now,
        request_id: ctx.request_id.clone(),
    }
}

pub fn insert_audit(conn: &mut AnyConnection, row: &AuditRow) -> Result<(), DieselError> {
    diesel::insert_into(audit_entries::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Stores the first answer to an idempotent request.
pub fn remember_answer(
    conn: &mut AnyConnection,
    record: &IdempotencyRecord,
) -> Result<(), DieselError> {
    let row = IdempotencyRow {
        client: record.client.clone(),
        bevoegdheid: record.authority.clone(),
        sleutel: record.key.clone(),
        request_hash: record.request_hash.clone(),
        inburgeraar_id: record.subject.map(|id| id.to_string()),
        activiteit: record.activiteit.map(|a| a.id().to_owned()),
        status: i32::from(record.antwoord.status),
        location: record.antwoord.location.clone(),
        body: record.antwoord.body.to_string(),
        aangemaakt_op: record.created,
    };
    diesel::insert_into(idempotente_antwoorden::table)
        .values(&row)
        .execute(conn)?;
    Ok(())
}

/// The answer the caller of `ctx` stored under `key`, if it may still see the person it is about.
pub fn find_answer(
    conn: &mut AnyConnection,
    ctx: &RequestContext,
    key: &str,
) -> Result<Result<koers_domain::ports::Replay, StoreError>, DieselError> {
    use koers_domain::ports::Replay;
    let Some(row) = idempotente_antwoorden::table
        .filter(idempotente_antwoorden::client.eq(&ctx.principal.client))
        .filter(
            idempotente_antwoorden::bevoegdheid
                .eq(koers_domain::records::authority(&ctx.principal)),
        )
        .filter(idempotente_antwoorden::sleutel.eq(key))
        .select(IdempotencyRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(Ok(Replay::Absent));
    };
    let record = match row.into_domain() {
        Ok(record) => record,
        Err(error) => return Ok(Err(error)),
    };
    // The answer may show a person: only a caller that may still see that person, in the activity
    // the write was, gets it again (a withdrawn toestemming hides it at once).
    if let Some(subject) = record.subject {
        let activiteit = record
            .activiteit
            .unwrap_or(Verwerkingsactiviteit::InburgeraarRaadplegen);
        match crate::inburgeraars::get_visible(conn, ctx, activiteit, subject)? {
            Ok(Some(_)) => {}
            Ok(None) => return Ok(Ok(Replay::Hidden)),
            Err(error) => return Ok(Err(error)),
        }
    }
    Ok(Ok(Replay::Stored(record)))
}
