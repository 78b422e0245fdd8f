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

impl FieldErrors {
    /// These errors (a body's schema's, found first) and `later` ones (the domain's rules) together: a
    /// later error about a field already named here, about a part of it or about a whole it is part of,
    /// is left out, so that each field is reported once (the schema left the field out of the value,
    /// which the rules may then report as missing).
    pub fn aangevuld(&self, later: FieldErrors) -> FieldErrors {
        let within = |inner: &str, outer: &str| {
            inner == outer
                || inner
                    .strip_prefix(outer)
                    .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
        };
        let covered = |name: &str| {
            self.0
                .iter()
                .any(|n| within(name, &n.name) || within(&n.name, name))
        };
        let mut all = self.clone();
        all.0
            .extend(later.0.into_iter().filter(|e| !covered(&e.name)));
        all
    }

    /// A result judged by the domain's rules, joined with these earlier errors: a value the rules
    /// accepted is still refused when there were errors before them.
    ///
    /// # Errors
    /// Every error from both, each field once.
    pub fn samen<U>(&self, later: Result<U, FieldErrors>) -> Result<U, FieldErrors> {
        match later {
            Ok(value) if self.is_empty() => Ok(value),
            Ok(_) => Err(self.clone()),
            Err(errors) => Err(self.aangevuld(errors)),
        }
    }
}

impl From<FieldError> for FieldErrors {
    fn from(error: FieldError) -> Self {
        Self(vec![error])
    }
}
