//! Field-level validation errors, collected so that every invalid field is reported at once.

use serde::Serialize;

/// One invalid input field: its name (a JSON pointer-like dotted path), a stable code and a reason in Dutch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub name: String,
    pub code: &'static str,
    pub reason: String,
}

impl FieldError {
    pub fn new(name: impl Into<String>, code: &'static str, reason: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            code,
            reason: reason.into(),
        }
    }
}

/// A collection of [`FieldError`]s; empty means valid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, error: FieldError) {
        self.0.push(error);
    }

    pub fn add(&mut self, name: impl Into<String>, code: &'static str, reason: impl Into<String>) {
        self.push(FieldError::new(name, code, reason));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Records the error of a parse result under `name` and returns its value, if any.
    pub fn take<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.push(error);
                None
            }
        }
    }

    /// `Ok(())` when no error was collected, otherwise all of them.
    ///
    /// # Errors
    /// Returns the collected errors when there is at least one.
    pub fn finish(self) -> Result<(), FieldErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl From<FieldError> for FieldErrors {
    fn from(error: FieldError) -> Self {
        Self(vec![error])
    }
}
