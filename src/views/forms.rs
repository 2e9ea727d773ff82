//! Form pieces: a labelled field with its hint and its error beside it (pybo's form_errors, per field).

use maud::{Markup, html};

use crate::{domain::FieldError, i18n::Texts};

/// One input and everything around it.
pub struct Field<'a> {
    pub name: &'static str,
    pub label: &'a str,
    pub input_type: &'static str,
    pub value: &'a str,
    pub hint: Option<&'a str>,
    pub autocomplete: &'static str,
    pub max_length: Option<usize>,
}

/// Renders `field`, marked invalid with its message when `errors` has one for it.
pub fn field(t: &Texts, field: Field, errors: &[FieldError]) -> Markup {
    let id = format!("field-{}", field.name);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let error = errors.iter().find(|e| e.field == field.name);
    let described_by = [
        field.hint.map(|_| hint_id.as_str()),
        error.map(|_| error_id.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    html! {
        div.mb-3 {
            label.form-label for=(id) { (field.label) }
            input.form-control.is-invalid[error.is_some()] #(id) type=(field.input_type) name=(field.name)
                value=(field.value) autocomplete=(field.autocomplete) required
                maxlength=[field.max_length]
                aria-invalid=[error.map(|_| "true")]
                aria-describedby=[Some(described_by).filter(|d| !d.is_empty())];
            @if let Some(hint) = field.hint {
                div.form-text #(hint_id) { (hint) }
            }
            @if let Some(error) = error {
                div.invalid-feedback #(error_id) { (t.problem(error.problem)) }
            }
        }
    }
}
