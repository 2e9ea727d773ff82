//! `/api/docs`: the API's reference as a page, rendered from its OpenAPI document (so it says what the
//! server does): each operation with its parameters, body and responses, then each schema. No script:
//! it reads with JavaScript off, on a phone, and under the site's content security policy.

use maud::{Markup, html};
use serde_json::{Map, Value};

use super::{PageContext, layout::page};
use crate::i18n::Texts;

/// Text with `code` spans, as the document's descriptions write them.
fn prose(text: &str) -> Markup {
    html! {
        @for (n, part) in text.split('`').enumerate() {
            @if n % 2 == 1 { code { (part) } } @else { (part) }
        }
    }
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// A schema's type in words, a named one linked to its section.
fn type_of(schema: &Value) -> Markup {
    if let Some(name) = text(schema, "$ref").strip_prefix("#/components/schemas/") {
        return html! { a href=(format!("#schema-{name}")) { (name) } };
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        return html! { @for part in all { (type_of(part)) } };
    }
    match text(schema, "type") {
        "array" => html! { "[" (type_of(schema.get("items").unwrap_or(&Value::Null))) "]" },
        "" => html! { "any" },
        kind => {
            let format = text(schema, "format");
            html! { (kind) @if !format.is_empty() { " (" (format) ")" } }
        }
    }
}

/// The limits a schema puts on a value, in the document's words.
fn limits(schema: &Value) -> String {
    ["minimum", "maximum", "maxLength", "minLength"]
        .into_iter()
        .filter_map(|key| schema.get(key).map(|value| format!("{key} {value}")))
        .collect::<Vec<_>>()
        .join(", ")
}

fn operation_section(t: &Texts, method: &str, path: &str, operation: &Value) -> Markup {
    let id = text(operation, "operationId");
    let security = operation.get("security").and_then(Value::as_array);
    let token_optional =
        security.is_some_and(|all| all.iter().any(|s| s.as_object().is_some_and(Map::is_empty)));
    let token_needed = security.is_some() && !token_optional;
    html! {
        section.api-operation.mb-4.pb-3.border-bottom id=(id) {
            h3.h6.font-monospace.text-break {
                span.badge.text-bg-dark.me-2 { (method.to_uppercase()) } "/api/v1" (path)
            }
            p { (prose(text(operation, "summary"))) " " (prose(text(operation, "description"))) }
            p.small {
                @if token_needed { strong { (t.api_docs_token_needed) } }
                @else if token_optional { (t.api_docs_token_optional) }
                @else { (t.api_docs_no_token) }
            }
            @if let Some(parameters) = operation.get("parameters").and_then(Value::as_array) {
                div.table-responsive {
                    table.table.table-sm.small {
                        thead { tr { th scope="col" { (t.api_docs_parameter) } th scope="col" { (t.api_docs_in) } th scope="col" { (t.api_docs_type) } th scope="col" { (t.api_docs_about) } } }
                        tbody {
                            @for parameter in parameters {
                                @let schema = parameter.get("schema").unwrap_or(&Value::Null);
                                tr {
                                    td.font-monospace { (text(parameter, "name")) }
                                    td { (text(parameter, "in")) }
                                    td { (type_of(schema)) }
                                    td {
                                        @if parameter.get("required") == Some(&Value::Bool(true)) { (t.api_docs_required) " " }
                                        (prose(text(parameter, "description")))
                                        @let limits = limits(schema);
                                        @if !limits.is_empty() { " (" (limits) ")" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if let Some(body) = operation.pointer("/requestBody/content/application~1json; charset=utf-8/schema") {
                p.small { (t.api_docs_body) " " (type_of(body)) }
            }
            @if let Some(responses) = operation.get("responses").and_then(Value::as_object) {
                ul.small.list-unstyled.mb-0 {
                    @for (status, response) in responses {
                        li {
                            span.font-monospace.fw-semibold { (status) } " "
                            @if let Some(schema) = response.pointer("/content/application~1json; charset=utf-8/schema") {
                                "(" (type_of(schema)) ") "
                            }
                            (prose(text(response, "description")))
                        }
                    }
                }
            }
        }
    }
}

fn schema_section(t: &Texts, name: &str, schema: &Value) -> Markup {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|all| all.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    html! {
        section.mb-4 id=(format!("schema-{name}")) {
            h3.h6.font-monospace { (name) }
            p.small { (prose(text(schema, "description"))) }
            @if let Some(values) = schema.get("enum").and_then(Value::as_array) {
                p.small { (t.api_docs_one_of) " "
                    @for (n, value) in values.iter().enumerate() {
                        @if n > 0 { ", " } code { (value.as_str().unwrap_or_default()) }
                    }
                }
            }
            @if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                div.table-responsive {
                    table.table.table-sm.small {
                        thead { tr { th scope="col" { (t.api_docs_field) } th scope="col" { (t.api_docs_type) } th scope="col" { (t.api_docs_about) } } }
                        tbody {
                            @for (field, property) in properties {
                                tr {
                                    td.font-monospace { (field) }
                                    td { (type_of(property)) }
                                    td {
                                        @if required.contains(&field.as_str()) { (t.api_docs_always) " " }
                                        (prose(text(property, "description")))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The reference page for `document` (the API's OpenAPI document).
pub fn api_docs_page(ctx: &PageContext, document: &Value) -> Markup {
    let t = ctx.t();
    let empty = Map::new();
    let paths = document
        .get("paths")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let tags = document
        .get("tags")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let schemas = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    // Where the board answers: its public address, or where `cargo run` serves it.
    let base = ctx.public_url.as_deref().unwrap_or("http://127.0.0.1:8000");
    let example = format!(
        "export TOKEN=mbt_…   # {}\ncurl -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\\n  -d '{{\"subject\": \"How do I…?\", \"content\": \"…\", \"tags\": [\"api\"]}}' \\\n  {}/api/v1/questions\ncurl {}/api/v1/questions?q=api",
        t.api_docs_example_token, base, base,
    );
    let content = html! {
        h1.h3 { (t.api_docs_title) }
        p { (prose(text(document.get("info").unwrap_or(&Value::Null), "description"))) }
        p {
            (t.api_docs_tokens) " " a href="/account#tokens" { (t.api_docs_tokens_link) } " · "
            a href="/api/openapi.json" { (t.api_docs_document) }
        }
        pre.code-example.bg-body-tertiary.p-2.rounded.small { code { (example) } }
        @for tag in &tags {
            @let name = text(tag, "name");
            h2.h5.mt-4 id=(format!("tag-{name}")) { (name) }
            p.text-body-secondary { (prose(text(tag, "description"))) }
            @for (path, methods) in paths {
                @if let Some(methods) = methods.as_object() {
                    @for (method, operation) in methods {
                        @if operation.get("tags").and_then(Value::as_array)
                            .is_some_and(|all| all.iter().any(|t| t.as_str() == Some(name))) {
                            (operation_section(t, method, path, operation))
                        }
                    }
                }
            }
        }
        h2.h5.mt-4 #schemas { (t.api_docs_schemas) }
        @for (name, schema) in schemas {
            (schema_section(t, name, schema))
        }
    };
    page(ctx, t.api_docs_title, content)
}
