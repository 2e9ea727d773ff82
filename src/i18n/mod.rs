//! The UI in English and Korean: every string a view shows lives in `en.rs` or `ko.rs`, one struct each.

mod en;
mod ko;
mod mail;

pub use mail::MailTexts;

use time::{OffsetDateTime, UtcOffset};

use crate::domain::{
    FieldError, Problem,
    moderation::{CloseReason, LogAction},
    policy::{Denied, Role},
};

/// A language the UI speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Ko,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ko];

    /// The code used in the `lang` cookie and the `lang` attribute of `<html>`.
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Ko => "ko",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|lang| lang.code() == code)
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Self::En => &en::TEXTS,
            Self::Ko => &ko::TEXTS,
        }
    }

    /// The words of the board's mail.
    pub fn mail(self) -> &'static MailTexts {
        match self {
            Self::En => &mail::EN,
            Self::Ko => &mail::KO,
        }
    }

    /// The language a visitor gets: the `lang` cookie, else the best match in `Accept-Language`, else English.
    pub fn choose(cookie: Option<&str>, accept_language: Option<&str>) -> Self {
        cookie
            .and_then(Self::from_code)
            .or_else(|| accept_language.and_then(best_accepted))
            .unwrap_or(Self::En)
    }

    /// A large count in a few characters, as the reader's language shortens it: `1.2k` (English) or
    /// `1.2천`, `12만` (Korean); exact below a thousand. Cut down, not rounded up: 1,999 is `1.9k`.
    pub fn compact(self, n: i64) -> String {
        let units: &[(i64, &str)] = match self {
            Self::En => &[(1_000_000_000, "b"), (1_000_000, "m"), (1_000, "k")],
            Self::Ko => &[(100_000_000, "억"), (10_000, "만"), (1_000, "천")],
        };
        let Some(&(unit, suffix)) = units.iter().find(|(unit, _)| n >= *unit) else {
            return n.to_string();
        };
        let tenths = n / (unit / 10);
        if tenths < 100 && tenths % 10 != 0 {
            format!("{}.{}{suffix}", tenths / 10, tenths % 10)
        } else {
            format!("{}{suffix}", n / unit)
        }
    }

    /// A timestamp (UTC seconds), shown at `offset`, the way people of this language write it.
    pub fn format_datetime(self, unix_seconds: i64, offset: UtcOffset) -> String {
        let Ok(at) = OffsetDateTime::from_unix_timestamp(unix_seconds) else {
            return String::new();
        };
        let at = at.to_offset(offset);
        let (hour12, is_pm) = match at.hour() {
            0 => (12, false),
            h @ 1..=11 => (h, false),
            12 => (12, true),
            h => (h - 12, true),
        };
        match self {
            // pybo's `%Y년 %m월 %d일 %p %I:%M`, with the Korean words for AM/PM.
            Self::Ko => format!(
                "{}년 {:02}월 {:02}일 {} {:02}:{:02}",
                at.year(),
                u8::from(at.month()),
                at.day(),
                if is_pm { "오후" } else { "오전" },
                hour12,
                at.minute()
            ),
            Self::En => format!(
                "{} {}, {} {}:{:02} {}",
                month_abbreviation(at.month()),
                at.day(),
                at.year(),
                hour12,
                at.minute(),
                if is_pm { "PM" } else { "AM" }
            ),
        }
    }
}

fn month_abbreviation(month: time::Month) -> &'static str {
    use time::Month::*;
    match month {
        January => "Jan",
        February => "Feb",
        March => "Mar",
        April => "Apr",
        May => "May",
        June => "Jun",
        July => "Jul",
        August => "Aug",
        September => "Sep",
        October => "Oct",
        November => "Nov",
        December => "Dec",
    }
}

/// The supported language with the highest `q` in an `Accept-Language` header.
fn best_accepted(header: &str) -> Option<Lang> {
    let mut best: Option<(Lang, f32)> = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let quality = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())
            .unwrap_or(0.0);
        let primary = tag.split('-').next().unwrap_or_default();
        if let Some(lang) = Lang::from_code(primary)
            && quality > 0.0
            && best.is_none_or(|(_, q)| quality > q)
        {
            best = Some((lang, quality));
        }
    }
    best.map(|(lang, _)| lang)
}

/// Fills `{}` placeholders in order.
pub fn fill(template: &str, values: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut values = values.iter();
    let mut rest = template;
    while let Some(at) = rest.find("{}") {
        out.push_str(&rest[..at]);
        out.push_str(values.next().copied().unwrap_or_default());
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

/// Every string of the UI in one language.
pub struct Texts {
    pub language_name: &'static str,
    pub language_label: &'static str,
    pub site_name: &'static str,
    pub skip_to_content: &'static str,
    pub nav_questions: &'static str,
    pub nav_login: &'static str,
    pub nav_signup: &'static str,
    pub nav_logout: &'static str,
    pub nav_account: &'static str,
    pub close: &'static str,

    pub questions_title: &'static str,
    pub questions_empty: &'static str,

    pub signup_title: &'static str,
    pub signup_submit: &'static str,
    pub signup_have_account: &'static str,
    pub username: &'static str,
    pub username_hint: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub password_hint: &'static str,
    pub password_again: &'static str,

    pub login_title: &'static str,
    pub login_submit: &'static str,
    pub login_no_account: &'static str,
    pub login_throttled: &'static str,
    pub signups_throttled: &'static str,
    pub searches_throttled: &'static str,
    pub server_busy: &'static str,

    pub account_title: &'static str,
    pub account_joined: &'static str,
    pub account_password_title: &'static str,
    pub account_password_help: &'static str,
    pub account_current_password: &'static str,
    pub account_new_password: &'static str,
    pub account_new_password_again: &'static str,
    pub account_password_submit: &'static str,
    pub account_sessions_title: &'static str,
    pub account_session_this: &'static str,
    pub account_session_unknown_device: &'static str,
    pub account_session_signed_in: &'static str,
    pub account_session_last_seen: &'static str,
    pub account_session_end: &'static str,
    pub account_session_end_label: &'static str,
    pub account_sessions_end_others: &'static str,

    pub flash_signed_up: &'static str,
    pub flash_logged_in: &'static str,
    pub flash_logged_out: &'static str,

    pub problem_required: &'static str,
    pub problem_username_length: &'static str,
    pub problem_username_characters: &'static str,
    pub problem_username_taken: &'static str,
    pub problem_username_look_alike: &'static str,
    pub problem_username_mixed_scripts: &'static str,
    pub problem_email_invalid: &'static str,
    pub problem_email_taken: &'static str,
    pub problem_password_too_short: &'static str,
    pub problem_password_too_long: &'static str,
    pub problem_passwords_differ: &'static str,
    pub problem_wrong_password: &'static str,
    pub problem_login_failed: &'static str,

    pub ask_question: &'static str,
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub search_submit: &'static str,
    pub search_results: &'static str,
    pub search_results_one: &'static str,
    pub search_results_capped: &'static str,
    pub search_any_word: &'static str,
    pub search_cut_short: &'static str,
    pub search_needs_word: &'static str,
    /// A search box holding only punctuation or marks: `{}` is what was typed.
    pub search_no_words: &'static str,
    /// Under a result whose subject and body do not hold the words: they are in its answers or author.
    pub search_found_elsewhere: &'static str,
    pub search_no_results: &'static str,
    pub search_clear: &'static str,
    pub sort_label: &'static str,
    pub sort_recent: &'static str,
    pub sort_relevance: &'static str,
    pub sort_likes: &'static str,
    pub sort_answers: &'static str,
    /// The list's tab of questions no one has answered yet.
    pub sort_unanswered: &'static str,
    /// The list's tab of questions with no accepted answer.
    pub sort_unaccepted: &'static str,
    /// A list row's state, in words beside its icon.
    pub state_unanswered: &'static str,
    pub state_answered: &'static str,
    pub state_accepted: &'static str,
    /// The badge on the answer its question's author accepted.
    pub accepted_answer: &'static str,
    /// The question author's control on an answer, and the one that takes the mark back.
    pub accept_answer: &'static str,
    pub unaccept_answer: &'static str,
    /// Under the answers' heading, for the asker while no answer is accepted.
    pub accept_hint: &'static str,
    pub list_number: &'static str,
    pub list_subject: &'static str,
    pub list_author: &'static str,
    pub list_date: &'static str,
    pub answer_count_label: &'static str,
    pub answer_count_label_one: &'static str,
    pub like_count_label: &'static str,
    pub like_count_label_one: &'static str,
    pub liked: &'static str,
    pub pagination_label: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub page_label: &'static str,
    pub edited: &'static str,
    pub answers_heading: &'static str,
    pub answers_heading_one: &'static str,
    pub answer_sort_label: &'static str,
    pub answer_sort_likes: &'static str,
    pub answer_sort_recent: &'static str,
    pub edit: &'static str,
    pub delete: &'static str,
    pub save: &'static str,
    pub cancel: &'static str,
    pub like: &'static str,
    pub like_question_label: &'static str,
    pub like_answer_label: &'static str,
    pub like_login: &'static str,
    pub like_own_post: &'static str,
    pub answer_label: &'static str,
    pub answer_submit: &'static str,
    pub answer_login_prompt: &'static str,
    pub question_new_title: &'static str,
    pub question_edit_title: &'static str,
    pub answer_edit_title: &'static str,
    pub subject: &'static str,
    pub content: &'static str,
    pub content_hint: &'static str,
    pub question_submit: &'static str,
    pub delete_question_title: &'static str,
    pub delete_question_body: &'static str,
    pub delete_answer_title: &'static str,
    pub delete_answer_body: &'static str,
    /// The same, for the accepted answer: its mark goes with it.
    pub delete_question_body_theirs: &'static str,
    pub delete_answer_body_theirs: &'static str,
    pub delete_accepted_note: &'static str,
    pub flash_question_deleted: &'static str,
    pub deleted_by: &'static str,
    pub deleted_explained: &'static str,
    pub deleted_with_question: &'static str,
    pub undelete: &'static str,
    pub purge: &'static str,
    pub deleted_answers_heading: &'static str,
    pub purge_question_title: &'static str,
    pub purge_question_body: &'static str,
    pub purge_answer_title: &'static str,
    pub purge_answer_body: &'static str,
    pub flash_question_undeleted: &'static str,
    pub flash_answer_undeleted: &'static str,
    pub deleted_badge: &'static str,
    pub deleted_title: &'static str,
    pub deleted_by_moderator_note: &'static str,
    pub deleted_on_deleted_question: &'static str,
    pub flash_question_purged: &'static str,
    pub flash_answer_purged: &'static str,
    pub post_by: &'static str,
    pub flash_answer_deleted: &'static str,
    pub comments_on_question_label: &'static str,
    pub comments_on_answer_label: &'static str,
    pub comments_title_of: &'static str,
    pub comments_answer_by: &'static str,
    pub comment_add: &'static str,
    pub comment_login: &'static str,
    pub comments_more_one: &'static str,
    pub comments_more: &'static str,
    pub comment_label: &'static str,
    pub comment_submit: &'static str,
    pub comment_hint: &'static str,
    pub comment_edit_title: &'static str,
    pub delete_comment_title: &'static str,
    pub delete_comment_body: &'static str,
    pub comments_page_title: &'static str,
    pub comments_on_question: &'static str,
    pub comments_on_answer: &'static str,
    pub comments_back: &'static str,
    pub comments_none: &'static str,
    pub share_link: &'static str,
    pub share_answer_title: &'static str,
    pub share_comment_title: &'static str,
    pub flash_comment_deleted: &'static str,
    pub flash_password_changed: &'static str,
    pub flash_session_ended: &'static str,
    pub flash_token_revoked: &'static str,
    pub tokens_title: &'static str,
    pub tokens_help: &'static str,
    pub tokens_docs: &'static str,
    pub tokens_created: &'static str,
    pub tokens_created_label: &'static str,
    pub tokens_none: &'static str,
    pub tokens_made: &'static str,
    pub tokens_last_used: &'static str,
    pub tokens_never_used: &'static str,
    pub tokens_expires: &'static str,
    pub tokens_never_expires: &'static str,
    pub tokens_revoke: &'static str,
    pub tokens_name: &'static str,
    pub tokens_name_hint: &'static str,
    pub tokens_scope: &'static str,
    pub token_scope_read: &'static str,
    pub token_scope_write: &'static str,
    pub tokens_scope_read_help: &'static str,
    pub tokens_scope_write_help: &'static str,
    pub tokens_expires_label: &'static str,
    pub tokens_expires_hint: &'static str,
    pub tokens_create: &'static str,
    pub tokens_password_hint: &'static str,
    pub flash_other_sessions_ended: &'static str,
    pub views_one: &'static str,
    pub site_description: &'static str,
    pub list_description: &'static str,
    pub page_number: &'static str,
    pub views: &'static str,
    pub problem_subject_too_long: &'static str,
    pub problem_content_too_long: &'static str,
    pub problem_comment_too_long: &'static str,
    pub problem_tag_too_long: &'static str,
    pub problem_tag_characters: &'static str,
    pub problem_tag_needs_letter: &'static str,
    pub problem_too_many_tags: &'static str,
    pub problem_token_name_invalid: &'static str,
    pub problem_token_scope_invalid: &'static str,
    pub problem_date_invalid: &'static str,
    pub problem_expiry_out_of_range: &'static str,
    pub problem_too_many_tokens: &'static str,
    pub problem_nul_character: &'static str,
    pub problem_suspension_out_of_range: &'static str,
    pub problem_note_too_long: &'static str,
    pub problem_close_reason_invalid: &'static str,
    pub problem_duplicate_invalid: &'static str,
    pub problem_duplicate_of_itself: &'static str,
    pub problem_duplicate_missing: &'static str,
    pub problem_duplicate_loop: &'static str,
    pub problem_role_invalid: &'static str,
    pub problem_already_closed: &'static str,
    pub problem_too_fast: &'static str,
    pub problem_repeated: &'static str,
    pub problem_too_many_links: &'static str,
    /// A JSON API 422's message (its `fields` say what is wrong).
    pub api_invalid: &'static str,
    pub api_docs_title: &'static str,
    pub api_docs_example_token: &'static str,
    pub api_docs_tokens: &'static str,
    pub api_docs_tokens_link: &'static str,
    pub api_docs_document: &'static str,
    pub api_docs_schemas: &'static str,
    pub api_docs_token_needed: &'static str,
    pub api_docs_token_optional: &'static str,
    pub api_docs_no_token: &'static str,
    pub api_docs_parameter: &'static str,
    pub api_docs_in: &'static str,
    pub api_docs_type: &'static str,
    pub api_docs_about: &'static str,
    pub api_docs_required: &'static str,
    pub api_docs_body: &'static str,
    pub api_docs_one_of: &'static str,
    pub api_docs_field: &'static str,
    pub api_docs_always: &'static str,
    /// A problem with one part of a field: the part, then the problem.
    pub problem_about: &'static str,
    pub nav_tags: &'static str,
    pub tags_label: &'static str,
    pub tags_hint: &'static str,
    pub tags_title: &'static str,
    pub tags_intro: &'static str,
    pub tags_filter_label: &'static str,
    pub tags_filter_placeholder: &'static str,
    pub tags_filter_submit: &'static str,
    pub tags_empty: &'static str,
    pub tags_none_match: &'static str,
    pub tag_question_count_one: &'static str,
    pub tag_question_count: &'static str,
    pub tagged_title: &'static str,
    pub tag_description: &'static str,
    pub tags_description: &'static str,
    pub all_tags: &'static str,
    pub similar_title: &'static str,
    pub related_title: &'static str,
    pub nav_users: &'static str,
    pub users_title: &'static str,
    pub users_intro: &'static str,
    pub users_filter_label: &'static str,
    pub users_filter_placeholder: &'static str,
    pub users_filter_submit: &'static str,
    pub users_empty: &'static str,
    pub users_none_match: &'static str,
    pub users_description: &'static str,
    pub reputation_label: &'static str,
    pub reputation_of: &'static str,
    pub reputation_help: &'static str,
    pub profile_joined: &'static str,
    pub profile_questions: &'static str,
    pub profile_answers: &'static str,
    pub profile_accepted: &'static str,
    pub profile_likes: &'static str,
    pub profile_top_tags: &'static str,
    pub profile_posts_label: &'static str,
    pub profile_tabs_label: &'static str,
    pub profile_no_questions: &'static str,
    pub profile_no_answers: &'static str,
    pub profile_no_deleted: &'static str,
    pub profile_description: &'static str,
    pub profile_answer_to: &'static str,
    pub feed_questions_title: &'static str,
    pub feed_tag_title: &'static str,
    pub feed_answers_title: &'static str,
    pub feed_answer_entry_title: &'static str,
    pub feed_link_title: &'static str,
    pub follow: &'static str,
    pub account_followed_tags: &'static str,
    pub account_no_followed_tags: &'static str,
    pub account_followed_questions: &'static str,
    pub account_no_followed_questions: &'static str,
    pub account_followed_questions_more: &'static str,
    pub following: &'static str,
    pub follow_question_label: &'static str,
    pub follow_tag_label: &'static str,
    pub follow_login: &'static str,
    pub notifications_title: &'static str,
    pub notifications_unread: &'static str,
    pub notifications_empty: &'static str,
    pub notifications_no_older: &'static str,
    pub notifications_mark_all_read: &'static str,
    pub notifications_older: &'static str,
    pub notifications_newest: &'static str,
    pub notifications_new: &'static str,
    pub notification_answer: &'static str,
    pub notification_comment_on_question: &'static str,
    pub notification_comment_on_answer: &'static str,
    pub notification_accepted: &'static str,
    pub notification_mention: &'static str,
    pub notification_followed_answer: &'static str,
    pub notification_tagged_question: &'static str,

    pub error_request_id: &'static str,
    pub error_back_home: &'static str,
    pub error_400_title: &'static str,
    pub error_400_body: &'static str,
    pub error_403_title: &'static str,
    pub error_403_body: &'static str,
    pub error_csrf_title: &'static str,
    pub error_csrf_body: &'static str,
    pub error_404_title: &'static str,
    pub error_404_body: &'static str,
    pub error_405_title: &'static str,
    pub error_405_body: &'static str,
    pub error_413_title: &'static str,
    pub error_413_body: &'static str,
    pub error_429_title: &'static str,
    pub error_500_title: &'static str,
    pub error_500_body: &'static str,
    pub login_forgot: &'static str,
    pub forgot_title: &'static str,
    pub forgot_help: &'static str,
    pub forgot_submit: &'static str,
    pub check_inbox_title: &'static str,
    pub forgot_sent: &'static str,
    pub mail_requests_throttled: &'static str,
    pub reset_title: &'static str,
    pub reset_help: &'static str,
    pub reset_submit: &'static str,
    pub link_invalid_title: &'static str,
    pub link_invalid: &'static str,
    pub link_ask_again: &'static str,
    pub flash_password_reset: &'static str,
    pub verified_title: &'static str,
    pub verified_body: &'static str,
    pub verified_moved: &'static str,
    pub verified_taken: &'static str,
    pub verified_log_in: &'static str,
    pub verified_continue: &'static str,
    pub signup_sent: &'static str,
    pub flash_signed_up_confirm: &'static str,
    pub account_email_title: &'static str,
    pub account_email_verified: &'static str,
    pub account_email_unverified: &'static str,
    pub account_email_resend: &'static str,
    pub account_email_pending: &'static str,
    pub account_email_new: &'static str,
    pub account_email_help: &'static str,
    pub account_email_submit: &'static str,
    pub flash_email_link_sent: &'static str,
    pub flash_verification_sent: &'static str,
    pub account_mail_title: &'static str,
    pub account_mail_help: &'static str,
    pub mail_kind_answer: &'static str,
    pub mail_kind_comment: &'static str,
    pub mail_kind_accepted: &'static str,
    pub mail_kind_mention: &'static str,
    pub mail_kind_followed_answer: &'static str,
    pub mail_kind_tagged_question: &'static str,
    pub account_mail_submit: &'static str,
    pub flash_mail_choices_saved: &'static str,
    pub unsubscribe_title: &'static str,
    pub unsubscribe_question: &'static str,
    pub unsubscribe_submit: &'static str,
    pub unsubscribe_done: &'static str,
    pub unsubscribe_settings: &'static str,
    pub problem_same_email: &'static str,
    pub verify_before_posting: &'static str,
    pub deleted_user: &'static str,
    pub account_delete_title: &'static str,
    pub account_delete_help: &'static str,
    pub account_delete_submit: &'static str,
    pub flash_account_deleted: &'static str,
    pub confirm_title: &'static str,
    pub confirm_help: &'static str,
    pub confirm_submit: &'static str,
    pub verified_account_ready: &'static str,
    pub verified_name_taken: &'static str,
    pub account_mail_digest: &'static str,
    pub mail_digest_label: &'static str,
    pub flash_question_closed: &'static str,
    pub flash_question_reopened: &'static str,
    pub flash_user_suspended: &'static str,
    pub flash_suspension_lifted: &'static str,
    pub flash_role_changed: &'static str,
    pub error_suspended_title: &'static str,
    pub error_suspended: &'static str,
    pub error_question_closed: &'static str,
    pub closed_title: &'static str,
    pub closed_as: &'static str,
    pub closed_duplicate_of: &'static str,
    pub closed_duplicate_gone: &'static str,
    pub closed_no_answers: &'static str,
    pub closed_someone: &'static str,
    pub close_reason_duplicate: &'static str,
    pub close_reason_off_topic: &'static str,
    pub close_reason_needs_details: &'static str,
    pub close_reason_other: &'static str,
    pub close_reason_duplicate_help: &'static str,
    pub close_reason_off_topic_help: &'static str,
    pub close_reason_needs_details_help: &'static str,
    pub close_reason_other_help: &'static str,
    pub reopen: &'static str,
    pub close_question_title: &'static str,
    pub close_question_intro: &'static str,
    pub close_reason_label: &'static str,
    pub close_duplicate_label: &'static str,
    pub close_note_label: &'static str,
    pub close_submit: &'static str,
    pub role_user: &'static str,
    pub role_moderator: &'static str,
    pub role_admin: &'static str,
    pub role_label: &'static str,
    pub role_save: &'static str,
    pub suspend: &'static str,
    pub unsuspend: &'static str,
    pub suspend_title: &'static str,
    pub suspend_intro: &'static str,
    pub suspend_until_label: &'static str,
    pub suspend_reason_label: &'static str,
    pub suspend_submit: &'static str,
    pub suspended_through: &'static str,
    pub nav_moderation_log: &'static str,
    pub nav_admin_users: &'static str,
    pub admin_users_title: &'static str,
    pub admin_users_intro: &'static str,
    pub admin_users_search: &'static str,
    pub admin_users_none: &'static str,
    pub admin_users_name: &'static str,
    pub admin_users_state: &'static str,
    pub state_active: &'static str,
    pub state_suspended: &'static str,
    pub you: &'static str,
    pub log_title: &'static str,
    pub log_intro: &'static str,
    pub log_empty: &'static str,
    pub log_when: &'static str,
    pub log_who: &'static str,
    pub log_what: &'static str,
    pub log_on: &'static str,
    pub log_detail: &'static str,
    pub log_operator: &'static str,
    pub log_older: &'static str,
    pub log_newest: &'static str,
    pub log_action_close: &'static str,
    pub log_action_reopen: &'static str,
    pub log_action_suspend: &'static str,
    pub log_action_unsuspend: &'static str,
    pub log_action_role: &'static str,
    pub log_action_edit: &'static str,
    pub log_action_rollback: &'static str,
    pub problem_flag_reason_invalid: &'static str,
    pub flag_link: &'static str,
    pub flag_title: &'static str,
    pub flag_intro: &'static str,
    pub flag_reason_label: &'static str,
    pub flag_reason_spam: &'static str,
    pub flag_reason_rude: &'static str,
    pub flag_reason_other: &'static str,
    pub flag_note_label: &'static str,
    pub flag_note_hint: &'static str,
    pub flag_submit: &'static str,
    pub flag_post_label: &'static str,
    pub flash_flagged: &'static str,
    pub flash_already_flagged: &'static str,
    pub flash_flags_dismissed: &'static str,
    pub hidden_post: &'static str,
    pub hidden_subject: &'static str,
    pub hidden_badge: &'static str,
    pub review_title: &'static str,
    pub review_intro: &'static str,
    pub review_empty: &'static str,
    pub review_flag_count: &'static str,
    pub review_dismiss: &'static str,
    pub review_open: &'static str,
    pub review_on_question: &'static str,
    pub nav_review: &'static str,
    pub flag_reason_name_spam: &'static str,
    pub flag_reason_name_rude: &'static str,
    pub flag_reason_name_other: &'static str,
    pub log_action_delete: &'static str,
    pub log_action_dismiss: &'static str,
    pub log_action_undelete: &'static str,
    pub log_action_purge: &'static str,
    pub refused_not_moderator: &'static str,
    pub refused_not_admin: &'static str,
    pub refused_protected: &'static str,
    pub refused_deleted_by_moderator: &'static str,
    pub refused_question_deleted: &'static str,
    pub refused_own_role: &'static str,
    pub problem_revision_is_current: &'static str,
    pub edit_summary_label: &'static str,
    pub edit_summary_hint: &'static str,
    pub edit_summary_required_hint: &'static str,
    pub edited_by: &'static str,
    pub history_link: &'static str,
    pub revisions_question_title: &'static str,
    pub revisions_answer_title: &'static str,
    pub revisions_comment_title: &'static str,
    pub revisions_under: &'static str,
    pub revisions_legend: &'static str,
    pub revision_number: &'static str,
    pub revision_original: &'static str,
    pub revision_current: &'static str,
    pub revision_rolled_back: &'static str,
    pub revision_unchanged: &'static str,
    pub revision_rollback: &'static str,
    pub revision_back: &'static str,
    pub diff_added: &'static str,
    pub diff_removed: &'static str,
    pub flash_rolled_back: &'static str,
}

impl Texts {
    /// "N answers" under a question, with the singular English needs.
    pub fn answers_heading(&self, count: i64) -> String {
        let template = if count == 1 {
            self.answers_heading_one
        } else {
            self.answers_heading
        };
        fill(template, &[&count.to_string()])
    }

    /// The link that shows a post's comments beyond the first few.
    pub fn comments_more(&self, count: i64) -> String {
        let template = if count == 1 {
            self.comments_more_one
        } else {
            self.comments_more
        };
        fill(template, &[&count.to_string()])
    }

    /// The answer-count badge's label on the list.
    pub fn answer_count(&self, count: i64) -> String {
        let template = if count == 1 {
            self.answer_count_label_one
        } else {
            self.answer_count_label
        };
        fill(template, &[&count.to_string()])
    }

    pub fn close_reason(&self, reason: CloseReason) -> &'static str {
        match reason {
            CloseReason::Duplicate => self.close_reason_duplicate,
            CloseReason::OffTopic => self.close_reason_off_topic,
            CloseReason::NeedsDetails => self.close_reason_needs_details,
            CloseReason::Other => self.close_reason_other,
        }
    }

    pub fn close_reason_help(&self, reason: CloseReason) -> &'static str {
        match reason {
            CloseReason::Duplicate => self.close_reason_duplicate_help,
            CloseReason::OffTopic => self.close_reason_off_topic_help,
            CloseReason::NeedsDetails => self.close_reason_needs_details_help,
            CloseReason::Other => self.close_reason_other_help,
        }
    }

    pub fn role(&self, role: Role) -> &'static str {
        match role {
            Role::User => self.role_user,
            Role::Moderator => self.role_moderator,
            Role::Admin => self.role_admin,
        }
    }

    pub fn log_action(&self, action: LogAction) -> &'static str {
        match action {
            LogAction::Close => self.log_action_close,
            LogAction::Reopen => self.log_action_reopen,
            LogAction::Suspend => self.log_action_suspend,
            LogAction::Unsuspend => self.log_action_unsuspend,
            LogAction::Role => self.log_action_role,
            LogAction::Edit => self.log_action_edit,
            LogAction::Rollback => self.log_action_rollback,
            LogAction::Delete => self.log_action_delete,
            LogAction::Dismiss => self.log_action_dismiss,
            LogAction::Undelete => self.log_action_undelete,
            LogAction::Purge => self.log_action_purge,
        }
    }

    /// Why staff's action was refused, for the 403 page.
    pub fn refusal(&self, why: Denied) -> &'static str {
        match why {
            Denied::NotModerator => self.refused_not_moderator,
            Denied::NotAdmin => self.refused_not_admin,
            Denied::Protected => self.refused_protected,
            Denied::OwnRole => self.refused_own_role,
            Denied::DeletedByModerator => self.refused_deleted_by_moderator,
            Denied::QuestionDeleted => self.refused_question_deleted,
            Denied::NotAuthor
            | Denied::OwnPost
            | Denied::AddressUnconfirmed
            | Denied::QuestionClosed
            | Denied::Limited(_) => self.error_403_body,
        }
    }

    pub fn problem(&self, problem: Problem) -> &'static str {
        match problem {
            Problem::Required => self.problem_required,
            Problem::UsernameLength => self.problem_username_length,
            Problem::UsernameCharacters => self.problem_username_characters,
            Problem::UsernameTaken => self.problem_username_taken,
            Problem::UsernameLookAlike => self.problem_username_look_alike,
            Problem::UsernameMixedScripts => self.problem_username_mixed_scripts,
            Problem::EmailInvalid => self.problem_email_invalid,
            Problem::EmailTaken => self.problem_email_taken,
            Problem::PasswordTooShort => self.problem_password_too_short,
            Problem::PasswordTooLong => self.problem_password_too_long,
            Problem::PasswordsDiffer => self.problem_passwords_differ,
            Problem::WrongPassword => self.problem_wrong_password,
            Problem::SameEmail => self.problem_same_email,
            Problem::LoginFailed => self.problem_login_failed,
            Problem::SubjectTooLong => self.problem_subject_too_long,
            Problem::ContentTooLong => self.problem_content_too_long,
            Problem::CommentTooLong => self.problem_comment_too_long,
            Problem::TagTooLong => self.problem_tag_too_long,
            Problem::TagCharacters => self.problem_tag_characters,
            Problem::TagNeedsLetter => self.problem_tag_needs_letter,
            Problem::TooManyTags => self.problem_too_many_tags,
            Problem::TokenNameInvalid => self.problem_token_name_invalid,
            Problem::TokenScopeInvalid => self.problem_token_scope_invalid,
            Problem::DateInvalid => self.problem_date_invalid,
            Problem::ExpiryOutOfRange => self.problem_expiry_out_of_range,
            Problem::TooManyTokens => self.problem_too_many_tokens,
            Problem::NulCharacter => self.problem_nul_character,
            Problem::SuspensionOutOfRange => self.problem_suspension_out_of_range,
            Problem::NoteTooLong => self.problem_note_too_long,
            Problem::CloseReasonInvalid => self.problem_close_reason_invalid,
            Problem::DuplicateInvalid => self.problem_duplicate_invalid,
            Problem::DuplicateOfItself => self.problem_duplicate_of_itself,
            Problem::DuplicateMissing => self.problem_duplicate_missing,
            Problem::DuplicateLoop => self.problem_duplicate_loop,
            Problem::RoleInvalid => self.problem_role_invalid,
            Problem::AlreadyClosed => self.problem_already_closed,
            Problem::TooFast => self.problem_too_fast,
            Problem::Repeated => self.problem_repeated,
            Problem::TooManyLinks => self.problem_too_many_links,
            Problem::RevisionIsCurrent => self.problem_revision_is_current,
            Problem::FlagReasonInvalid => self.problem_flag_reason_invalid,
        }
    }

    /// The message for a field's problem, naming the part of the field it is about when there is one.
    pub fn field_problem(&self, error: &FieldError) -> String {
        let problem = self.problem(error.problem);
        match (&error.about, error.problem) {
            // A number that belongs inside the message (seconds to wait, links allowed).
            (Some(number), Problem::TooFast | Problem::TooManyLinks) => fill(problem, &[number]),
            (Some(part), _) => fill(self.problem_about, &[part, problem]),
            (None, _) => problem.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_counts_shorten_as_each_language_does() {
        for (n, en, ko) in [
            (0, "0", "0"),
            (999, "999", "999"),
            (1_000, "1k", "1천"),
            (1_234, "1.2k", "1.2천"),
            (1_999, "1.9k", "1.9천"),
            (12_345, "12k", "1.2만"),
            (999_999, "999k", "99만"),
            (1_250_000, "1.2m", "125만"),
            (123_456_789, "123m", "1.2억"),
        ] {
            assert_eq!(Lang::En.compact(n), en, "{n}");
            assert_eq!(Lang::Ko.compact(n), ko, "{n}");
        }
    }

    #[test]
    fn the_cookie_wins_then_accept_language_then_english() {
        assert_eq!(Lang::choose(Some("ko"), Some("en")), Lang::Ko);
        assert_eq!(Lang::choose(Some("xx"), Some("ko-KR,ko;q=0.9")), Lang::Ko);
        assert_eq!(Lang::choose(None, Some("fr, en;q=0.5, ko;q=0.8")), Lang::Ko);
        assert_eq!(Lang::choose(None, Some("ko;q=0, en;q=0.1")), Lang::En);
        assert_eq!(Lang::choose(None, Some("fr")), Lang::En);
        assert_eq!(Lang::choose(None, Some(";;q=,")), Lang::En);
        assert_eq!(Lang::choose(None, None), Lang::En);
    }

    #[test]
    fn korean_dates_follow_pybos_format() {
        // 2026-11-25 17:02:00 UTC
        assert_eq!(
            Lang::Ko.format_datetime(1_795_626_120, UtcOffset::UTC),
            "2026년 11월 25일 오후 05:02"
        );
        assert_eq!(
            Lang::En.format_datetime(1_795_626_120, UtcOffset::UTC),
            "Nov 25, 2026 5:02 PM"
        );
        // Midnight is 12 AM, not 0 AM.
        assert_eq!(
            Lang::En.format_datetime(1_795_564_800, UtcOffset::UTC),
            "Nov 25, 2026 12:00 AM"
        );
        assert_eq!(
            Lang::Ko.format_datetime(1_795_564_800, UtcOffset::UTC),
            "2026년 11월 25일 오전 12:00"
        );
    }

    #[test]
    fn dates_are_shown_at_the_configured_offset() {
        let korea = UtcOffset::from_hms(9, 0, 0).expect("offset");
        // 17:02 UTC is 02:02 the next morning in Seoul.
        assert_eq!(
            Lang::Ko.format_datetime(1_795_626_120, korea),
            "2026년 11월 26일 오전 02:02"
        );
    }

    #[test]
    fn fill_replaces_placeholders_in_order() {
        assert_eq!(fill("try in {} s ({})", &["5", "x"]), "try in 5 s (x)");
        assert_eq!(fill("no placeholder", &["5"]), "no placeholder");
    }
}
