-- Log-in attempts and sign-ups, counted in tables every app server shares, so a limit holds however many
-- servers a client's requests reach. Moments are microseconds on the database's clock (the servers' own
-- clocks may disagree). UNLOGGED: they are not the board's data, they need no WAL or replica, and a crash
-- that empties them only forgets a few minutes of attempts. The hourly purge deletes what left its window.
CREATE UNLOGGED TABLE login_attempts (
    name_key TEXT NOT NULL,
    client TEXT NOT NULL,
    at_us BIGINT NOT NULL,
    -- A successful log-in clears the pair's count and the name's, not the client's.
    counts_for_pair BOOLEAN NOT NULL DEFAULT TRUE,
    counts_for_name BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE INDEX login_attempts_by_name ON login_attempts (name_key, at_us);
CREATE INDEX login_attempts_by_client ON login_attempts (client, at_us);

-- A pair that logged in lately: others guessing the name do not slow it down.
CREATE UNLOGGED TABLE login_vouchers (
    name_key TEXT NOT NULL,
    client TEXT NOT NULL,
    at_us BIGINT NOT NULL,
    PRIMARY KEY (name_key, client)
);

CREATE UNLOGGED TABLE signup_attempts (
    client TEXT NOT NULL,
    at_us BIGINT NOT NULL
);
CREATE INDEX signup_attempts_by_client ON signup_attempts (client, at_us);
