//! The words of the board's mail, in English and Korean (`{}` placeholders, filled in order).

/// Every string of the board's mail in one language.
pub struct MailTexts {
    pub greeting: &'static str,
    pub verify_subject: &'static str,
    pub verify_body: &'static str,
    pub verify_change_subject: &'static str,
    pub verify_change_body: &'static str,
    pub reset_subject: &'static str,
    pub reset_body: &'static str,
    pub address_in_use_subject: &'static str,
    pub address_in_use_body: &'static str,
    pub address_changed_subject: &'static str,
    pub address_changed_body: &'static str,
    /// The subject of a notification's mail: what happened, then the question's subject.
    pub notification_subject: &'static str,
    pub notification_open: &'static str,
    pub notification_footer: &'static str,
    pub signature: &'static str,
    /// A digest's subject: how many unread.
    pub digest_subject: &'static str,
    pub digest_intro: &'static str,
    /// After the listed ones: how many more the inbox holds, and where.
    pub digest_more: &'static str,
    pub digest_footer: &'static str,
}

pub const EN: MailTexts = MailTexts {
    greeting: "Hello {},",
    verify_subject: "Confirm your email address",
    verify_body: "Welcome to {}! Confirm that this address is yours by opening this link (it works for 7 days):\n\n{}\n\nUntil then your account works, but no notifications are mailed to you.\nIf you did not sign up, ignore this mail: nothing happens.",
    verify_change_subject: "Confirm your new email address",
    verify_change_body: "You asked to move your account at {} to this address. Open this link to confirm it (it works for 7 days):\n\n{}\n\nIf it was not you, ignore this mail: nothing changes.",
    reset_subject: "Reset your password",
    reset_body: "Someone, hopefully you, asked to reset your password at {}. Open this link to choose a new one (it works once, for one hour):\n\n{}\n\nSetting it signs you out everywhere else. If you did not ask, ignore this mail: your password stays as it is.",
    address_in_use_subject: "Someone tried to use your email address",
    address_in_use_body: "Someone tried to sign up at {}, or to move an account there, with this address, which is already your account's. Nothing changed.\n\nIf it was you, log in: {}\nForgot your password? {}",
    address_changed_subject: "Your email address was changed",
    address_changed_body: "The email address of your account at {} is now {}. Mail goes there from now on.\n\nIf you did not do this, reset your password at once: {}",
    notification_subject: "{}: {}",
    notification_open: "Open it:",
    notification_footer: "You get this mail because you chose to hear of this by mail.\nStop these mails: {}\nChoose what you get by mail: {}",
    signature: "— {}",
    digest_subject: "Your day on {}: {} unread",
    digest_intro: "Since your last digest:",
    digest_more: "And {} more in your inbox: {}",
    digest_footer: "You get this digest once a day because you chose it.\nStop these mails: {}\nChoose what you get by mail: {}",
};

pub const KO: MailTexts = MailTexts {
    greeting: "{}님, 안녕하세요.",
    verify_subject: "이메일 주소를 확인해 주세요",
    verify_body: "{}에 오신 것을 환영합니다! 이 주소가 회원님의 것임을 확인하려면 아래 링크를 여세요(7일 동안 유효합니다).\n\n{}\n\n확인 전에도 계정은 쓸 수 있지만 알림 메일은 보내지 않습니다.\n가입한 적이 없다면 이 메일을 무시하세요. 아무 일도 일어나지 않습니다.",
    verify_change_subject: "새 이메일 주소를 확인해 주세요",
    verify_change_body: "{}의 계정을 이 주소로 옮기겠다고 요청하셨습니다. 확인하려면 아래 링크를 여세요(7일 동안 유효합니다).\n\n{}\n\n본인이 요청하지 않았다면 이 메일을 무시하세요. 아무것도 바뀌지 않습니다.",
    reset_subject: "비밀번호 재설정",
    reset_body: "{}에서 회원님의 비밀번호 재설정을 요청했습니다. 새 비밀번호를 정하려면 아래 링크를 여세요(한 시간 동안 한 번만 쓸 수 있습니다).\n\n{}\n\n새 비밀번호를 정하면 다른 모든 기기에서 로그아웃됩니다. 요청하지 않았다면 이 메일을 무시하세요. 비밀번호는 그대로입니다.",
    address_in_use_subject: "누군가 회원님의 이메일 주소를 쓰려고 했습니다",
    address_in_use_body: "누군가 이미 회원님의 계정에 쓰이고 있는 이 주소로 {}에 가입하거나 계정을 옮기려고 했습니다. 아무것도 바뀌지 않았습니다.\n\n본인이었다면 로그인하세요: {}\n비밀번호를 잊으셨나요? {}",
    address_changed_subject: "이메일 주소가 바뀌었습니다",
    address_changed_body: "{}의 회원님 계정 이메일 주소가 이제 {}입니다. 앞으로 메일은 그 주소로 갑니다.\n\n직접 바꾸지 않았다면 지금 바로 비밀번호를 재설정하세요: {}",
    notification_subject: "{}: {}",
    notification_open: "바로 가기:",
    notification_footer: "이 알림을 메일로 받겠다고 설정하셔서 보내 드리는 메일입니다.\n이런 메일 그만 받기: {}\n메일로 받을 알림 고르기: {}",
    signature: "— {}",
    digest_subject: "{}의 하루: 읽지 않은 알림 {}개",
    digest_intro: "지난 요약 메일 이후:",
    digest_more: "알림함에 {}개가 더 있습니다: {}",
    digest_footer: "하루 요약 메일을 받겠다고 설정하셔서 하루에 한 번 보내 드리는 메일입니다.\n이런 메일 그만 받기: {}\n메일로 받을 알림 고르기: {}",
};
