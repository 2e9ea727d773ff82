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
    /// A field that may be left empty (a question's tags).
    pub required: bool,
    pub max_length: Option<usize>,
}

/// A multi-line field, with the same label, hint and error handling as [`field`].
pub struct TextArea<'a> {
    pub name: &'static str,
    pub label: &'a str,
    pub value: &'a str,
    pub hint: Option<&'a str>,
    pub rows: u32,
    pub max_length: usize,
    /// Distinguishes two forms with the same field on one page (an inline edit beside the answer form).
    pub id_suffix: &'a str,
    /// Takes the focus when it appears (a form opened in place).
    pub autofocus: bool,
    /// A field that must be filled (all but a closing's note).
    pub required: bool,
}

/// The ids and messages around one control: its hint, its error, and what `aria-describedby` lists.
struct Around<'a> {
    id: String,
    hint: Option<(String, &'a str)>,
    error: Option<(String, String)>,
}

impl<'a> Around<'a> {
    fn new(
        t: &Texts,
        name: &str,
        suffix: &str,
        hint: Option<&'a str>,
        errors: &[FieldError],
    ) -> Self {
        let id = format!("field-{name}{suffix}");
        Self {
            hint: hint.map(|text| (format!("{id}-hint"), text)),
            // Every problem of the field (each wrong tag of a question's tags), one after another.
            error: Some(
                errors
                    .iter()
                    .filter(|e| e.field == name)
                    .map(|e| t.field_problem(e))
                    .collect::<Vec<_>>()
                    .join(" "),
            )
            .filter(|message| !message.is_empty())
            .map(|message| (format!("{id}-error"), message)),
            id,
        }
    }

    fn described_by(&self) -> Option<String> {
        let ids: Vec<&str> = [
            self.hint.as_ref().map(|h| h.0.as_str()),
            self.error.as_ref().map(|e| e.0.as_str()),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }

    fn invalid(&self) -> Option<&'static str> {
        self.error.as_ref().map(|_| "true")
    }

    fn below(&self) -> Markup {
        html! {
            @if let Some((id, hint)) = &self.hint { div.form-text #(id) { (hint) } }
            @if let Some((id, message)) = &self.error { div.invalid-feedback #(id) { (message) } }
        }
    }
}

/// Help fetched while a field is typed in (htmx, debounced; a newer request replaces one in flight): the
/// field's value goes to `url` and the answer fills `target`. Without JavaScript the field works the same.
pub struct Assist<'a> {
    pub url: &'a str,
    /// A selector.
    pub target: &'a str,
    /// The `<datalist>` the answer fills, offered by the browser as the field's suggestions.
    pub list: Option<&'a str>,
}

/// The edit summary of an edit form: what changed and why.
pub struct SummaryInput<'a> {
    pub value: &'a str,
    /// A moderator editing someone else's post says why.
    pub required: bool,
}

impl<'a> SummaryInput<'a> {
    /// The summary as typed (none yet on a new form), required when the editor is not `author`.
    pub fn of(
        typed: Option<&'a str>,
        author: crate::domain::ids::UserId,
        editor: crate::domain::ids::UserId,
    ) -> Self {
        Self {
            value: typed.unwrap_or_default(),
            required: author != editor,
        }
    }
}

/// The edit summary's field (`id_suffix` as [`TextArea::id_suffix`]).
pub fn summary_field(
    t: &Texts,
    input: &SummaryInput,
    errors: &[FieldError],
    id_suffix: &str,
) -> Markup {
    let hint = if input.required {
        t.edit_summary_required_hint
    } else {
        t.edit_summary_hint
    };
    render_field(
        t,
        Field {
            name: "summary",
            label: t.edit_summary_label,
            input_type: "text",
            value: input.value,
            hint: Some(hint),
            autocomplete: "off",
            required: input.required,
            max_length: Some(crate::domain::moderation::NOTE_MAX_CHARS),
        },
        errors,
        None,
        id_suffix,
    )
}

/// A required choice among radio buttons (a closing's reason, a flag's), its problem beside it.
pub struct Choice<'a> {
    pub name: &'static str,
    pub legend: &'a str,
    /// Each option's value and label.
    pub options: Vec<(&'static str, Markup)>,
    /// The value chosen so far ('' for none).
    pub chosen: &'a str,
}

pub fn choice(t: &Texts, choice: &Choice, errors: &[FieldError]) -> Markup {
    let problems: Vec<String> = errors
        .iter()
        .filter(|e| e.field == choice.name)
        .map(|e| t.field_problem(e))
        .collect();
    let error_id = format!("field-{}-error", choice.name);
    html! {
        fieldset.mb-3 aria-describedby=[(!problems.is_empty()).then_some(&error_id)] {
            legend.form-label.fs-6 { (choice.legend) }
            @for (value, label) in &choice.options {
                div.form-check {
                    input.form-check-input #{(choice.name) "-" (value)} type="radio" name=(choice.name)
                        value=(value) checked[choice.chosen.trim() == *value] required;
                    label.form-check-label for={(choice.name) "-" (value)} { (label) }
                }
            }
            @if !problems.is_empty() {
                div.text-danger.small #(error_id) { "⚠ " (problems.join(" ")) }
            }
        }
    }
}

/// Renders `field`, marked invalid with its message when `errors` has one for it.
pub fn field(t: &Texts, field: Field, errors: &[FieldError]) -> Markup {
    field_with(t, field, errors, None)
}

/// [`field`] in one of several forms of a page that ask for the same field (the account page's current
/// password): `form` keeps its id apart from the others'.
pub fn field_in(t: &Texts, form: &str, field: Field, errors: &[FieldError]) -> Markup {
    render_field(t, field, errors, None, &format!("-{form}"))
}

/// [`field`], with help fetched as it is typed in.
pub fn field_with(
    t: &Texts,
    field: Field,
    errors: &[FieldError],
    assist: Option<&Assist>,
) -> Markup {
    render_field(t, field, errors, assist, "")
}

fn render_field(
    t: &Texts,
    field: Field,
    errors: &[FieldError],
    assist: Option<&Assist>,
    id_suffix: &str,
) -> Markup {
    let around = Around::new(t, field.name, id_suffix, field.hint, errors);
    html! {
        div.mb-3 {
            label.form-label for=(around.id) { (field.label) }
            input.form-control.is-invalid[around.error.is_some()] #(around.id) type=(field.input_type)
                name=(field.name) value=(field.value) autocomplete=(field.autocomplete) required[field.required]
                maxlength=[field.max_length]
                aria-invalid=[around.invalid()] aria-describedby=[around.described_by()]
                list=[assist.and_then(|a| a.list)]
                hx-get=[assist.map(|a| a.url)] hx-target=[assist.map(|a| a.target)]
                hx-trigger=[assist.map(|_| "input changed delay:300ms")]
                hx-swap=[assist.map(|_| "innerHTML")] hx-sync=[assist.map(|_| "this:replace")];
            (around.below())
        }
    }
}

pub fn textarea(t: &Texts, area: TextArea, errors: &[FieldError]) -> Markup {
    let around = Around::new(t, area.name, area.id_suffix, area.hint, errors);
    html! {
        div.mb-3 {
            label.form-label for=(around.id) { (area.label) }
            textarea.form-control.is-invalid[around.error.is_some()] #(around.id) name=(area.name)
                rows=(area.rows) required[area.required] maxlength=(area.max_length) autofocus[area.autofocus]
                aria-invalid=[around.invalid()] aria-describedby=[around.described_by()] { (area.value) }
            (around.below())
        }
    }
}
