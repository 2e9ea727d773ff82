//! Nothing acknowledged is lost when the server is killed with SIGKILL under load.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use rand::{Rng, SeedableRng, rngs::StdRng};
use reqwest::{Client, StatusCode};

use crate::{
    helpers::{ServerProcess, browser, csrf_token_in, sign_up_form},
    storage::{Probe, test_database},
};

/// What the clients were told, and what they could not be sure of.
#[derive(Default)]
struct Ledger {
    /// Answers whose POST was answered with a redirect to them.
    answers: Vec<i64>,
    /// (user, answer) -> liked, from the last acknowledged toggle.
    likes: HashMap<(usize, i64), bool>,
    /// Pairs with a toggle sent after the last acknowledgement: its outcome is unknown.
    uncertain: Vec<(usize, i64)>,
}

/// A token from a page the client can see: the log-in form for a visitor, the front page once logged in.
async fn csrf(client: &Client, base: &str, path: &str) -> String {
    let html = crate::helpers::page_text(client, &format!("{base}{path}")).await;
    csrf_token_in(&html).expect("token")
}

async fn sign_up(base: &str, name: &str) -> (Client, String) {
    let client = browser();
    let token = csrf(&client, base, "/login").await;
    let email = format!("{name}@example.com");
    let response = client
        .post(format!("{base}/signup"))
        .form(&sign_up_form(name, &email, &token))
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // Logged in now: the session's token, not the visitor's.
    let token = csrf(&client, base, "/").await;
    (client, token)
}

/// Posts answers and toggles likes on others' answers until the server stops answering.
async fn client_load(
    base: String,
    user: usize,
    client: Client,
    token: String,
    question: i64,
    ledger: Arc<Mutex<Ledger>>,
    seed: u64,
) {
    let mut rng = StdRng::seed_from_u64(seed);
    for n in 0.. {
        if n % 2 == 0 {
            let response = client
                .post(format!("{base}/questions/{question}/answers"))
                .form(&[
                    ("content", format!("answer {n} from user {user}")),
                    ("csrf_token", token.clone()),
                ])
                .send()
                .await;
            let Ok(response) = response else { return };
            let location = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            if response.status() != StatusCode::SEE_OTHER {
                return;
            }
            if let Some(id) = location
                .rsplit("#answer-")
                .next()
                .and_then(|id| id.parse().ok())
            {
                ledger.lock().expect("ledger").answers.push(id);
            }
        } else {
            let target = {
                let ledger = ledger.lock().expect("ledger");
                if ledger.answers.is_empty() {
                    continue;
                }
                ledger.answers[rng.random_range(0..ledger.answers.len())]
            };
            ledger
                .lock()
                .expect("ledger")
                .uncertain
                .push((user, target));
            let response = client
                .post(format!("{base}/answers/{target}/like"))
                .header("X-CSRF-Token", &token)
                .header("HX-Request", "true")
                .send()
                .await;
            let Ok(response) = response else { return };
            let status = response.status();
            let Ok(body) = response.text().await else {
                return;
            };
            let mut ledger = ledger.lock().expect("ledger");
            match status {
                StatusCode::OK => {
                    let liked = body.contains(r#"aria-pressed="true""#);
                    ledger.likes.insert((user, target), liked);
                    if let Some(at) = ledger.uncertain.iter().rposition(|p| *p == (user, target)) {
                        ledger.uncertain.remove(at);
                    }
                }
                // Its own answer: nothing changes, nothing is uncertain.
                StatusCode::FORBIDDEN => {
                    if let Some(at) = ledger.uncertain.iter().rposition(|p| *p == (user, target)) {
                        ledger.uncertain.remove(at);
                    }
                }
                _ => return,
            }
        }
    }
}

fn assert_consistent(storage: &Probe, ledger: &Ledger, user_ids: &[i64]) {
    if let Some(verdict) = storage.integrity_check() {
        assert_eq!(verdict, "ok");
    }
    for answer in &ledger.answers {
        assert!(
            storage.answer_exists(*answer),
            "acknowledged answer {answer} is missing"
        );
    }
    for ((user, answer), liked) in &ledger.likes {
        if ledger.uncertain.contains(&(*user, *answer)) {
            continue;
        }
        assert_eq!(
            storage.answer_liked_by(*answer, user_ids[*user]),
            *liked,
            "like by user {user} on answer {answer}"
        );
    }
    for (counter, drift) in storage.counter_drift() {
        assert_eq!(drift, 0, "{counter}");
    }
}

/// The server of a test that posts as fast as it can: the limits on writing are off, as for load tests.
const HAMMERED: &[(&str, &str)] = &[
    ("MINIBOARD_LOG", "warn,miniboard::app=info"),
    ("MINIBOARD_RATE_LIMITS", "off"),
];

#[tokio::test]
async fn acknowledged_writes_survive_kill_9_at_random_moments() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("durable.db");
    let mut rng = StdRng::seed_from_u64(0x6d62);
    let ledger = Arc::new(Mutex::new(Ledger::default()));

    let server = ServerProcess::start(&db, HAMMERED);
    let mut users = Vec::new();
    for n in 0..4 {
        users.push(sign_up(&server.base, &format!("writer{n}")).await);
    }
    let token = users[0].1.clone();
    let response = users[0]
        .0
        .post(format!("{}/questions", server.base))
        .form(&[
            ("subject", "Load"),
            ("content", "answers arrive"),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .expect("ask");
    let question: i64 = response.headers()["location"]
        .to_str()
        .expect("location")
        .trim_start_matches("/questions/")
        .parse()
        .expect("id");
    let storage = Probe::of(&test_database(&db));
    let user_ids: Vec<i64> = (0..4)
        .map(|n| storage.user_id(&format!("writer{n}")))
        .collect();
    let mut server = Some(server);

    for round in 0..4 {
        let running = match server.take() {
            Some(running) => running,
            None => ServerProcess::start(&db, HAMMERED),
        };
        let mut load = Vec::new();
        for (user, (client, token)) in users.iter().enumerate() {
            load.push(tokio::spawn(client_load(
                running.base.clone(),
                user,
                client.clone(),
                token.clone(),
                question,
                ledger.clone(),
                round * 10 + user as u64,
            )));
        }
        let acknowledged_before = ledger.lock().expect("ledger").answers.len();
        tokio::time::sleep(Duration::from_millis(rng.random_range(150..700))).await;
        // On a busy machine the first answers of a round can take longer than the pause: the kill waits for
        // one (up to 10 s), so every round kills a server that has written.
        for _ in 0..200 {
            if ledger.lock().expect("ledger").answers.len() > acknowledged_before {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        running.kill_9();
        for task in load {
            task.await.expect("client");
        }
        // Restarting opens and recovers the database; then everything acknowledged must be there.
        let restarted = ServerProcess::start(&db, HAMMERED);
        let health = reqwest::get(format!("{}/healthz", restarted.base))
            .await
            .expect("healthz");
        assert_eq!(health.status(), StatusCode::OK);
        {
            let ledger = ledger.lock().expect("ledger");
            assert!(!ledger.answers.is_empty(), "round {round} wrote something");
            assert_consistent(&storage, &ledger, &user_ids);
        }
        server = Some(restarted);
    }
    let ledger = ledger.lock().expect("ledger");
    assert!(
        ledger.answers.len() >= 8,
        "{} answers acknowledged",
        ledger.answers.len()
    );
    assert!(!ledger.likes.is_empty(), "some likes were acknowledged");
    drop(ledger);
    if let Some(running) = server {
        assert!(running.terminate().success());
    }
}
