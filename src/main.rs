use std::{io::IsTerminal, process::ExitCode};

use clap::Parser;
use miniboard::{
    app::{App, shutdown_signal},
    cli::{Cli, Command, TokenAction, UserAction},
    config::{Config, parse_database},
    store::{Store, StoreError, sqlite::backup},
};

fn main() -> ExitCode {
    limit_malloc_arenas();
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref(), |name| std::env::var(name).ok()) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("miniboard: configuration error: {err}");
            return ExitCode::from(2);
        }
    };
    match cli.command.unwrap_or(Command::Serve) {
        Command::Config => {
            print!("{}", config.describe());
            ExitCode::SUCCESS
        }
        Command::Migrate => {
            init_logging(&config.log);
            let migrated = one_task(async {
                let store = Store::open(&config.database).await?;
                store.schema_version().await
            });
            match migrated {
                Ok(version) => {
                    println!("{}: schema version {version}", config.database);
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    eprintln!("miniboard: {err}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Backup { file } => match config.database.sqlite_path() {
            Some(database) => report_check("backup", &file, backup::backup(database, &file)),
            None => on_postgres("backup", "pg_dump"),
        },
        Command::Restore { file } => match config.database.sqlite_path() {
            Some(database) => report_check("restore", database, backup::restore(database, &file)),
            None => on_postgres("restore", "pg_restore"),
        },
        Command::Copy { from, to } => {
            init_logging(&config.log);
            copy_board(&from, &to)
        }
        Command::Seed {
            users,
            questions,
            answers,
            likes,
            comments,
            accepted,
            views,
            seed,
            thread,
        } => {
            let plan = miniboard::seed::SeedPlan {
                users,
                questions,
                answers,
                likes,
                comments,
                accepted,
                views,
                seed,
                thread,
            };
            let seeded = one_task(async {
                let store = Store::open(&config.database).await?;
                miniboard::seed::run(&store, plan).await
            });
            match seeded {
                Ok(report) => {
                    println!(
                        "{}: added {} users, {} questions, {} answers, {} likes, {} comments, \
                         {} accepted answers, {} views in {:.1} s",
                        config.database,
                        report.users,
                        report.questions,
                        report.answers,
                        report.likes,
                        report.comments,
                        report.accepted,
                        report.views,
                        report.seconds
                    );
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    eprintln!("miniboard: seed failed: {err}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::User {
            action: UserAction::Role { username, role },
        } => match one_task(miniboard::board::moderation::set_role_from_shell(
            &config.database,
            &username,
            &role,
        )) {
            Ok((name, was)) => {
                println!("{name}: {} -> {}", was.code(), role.trim());
                ExitCode::SUCCESS
            }
            Err(problem) => {
                eprintln!("miniboard: user role: {problem}");
                ExitCode::FAILURE
            }
        },
        Command::User {
            action: UserAction::List { staff },
        } => {
            println!("id\tname\trole\tjoined\tsuspended through");
            let printed = one_task(miniboard::board::moderation::each_account(
                &config.database,
                staff,
                |account| {
                    let joined = time::OffsetDateTime::from_unix_timestamp(account.joined_at)
                        .map(|at| at.date().to_string())
                        .unwrap_or_default();
                    let suspended = account
                        .suspension
                        .as_ref()
                        .map(|s| miniboard::domain::moderation::last_day(s.until))
                        .unwrap_or_default();
                    println!(
                        "{}\t{}\t{}\t{joined}\t{suspended}",
                        account.id.0,
                        account.username,
                        account.role.code()
                    );
                },
            ));
            match printed {
                Ok(()) => ExitCode::SUCCESS,
                Err(problem) => {
                    eprintln!("miniboard: user list: {problem}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Token {
            action:
                TokenAction::Create {
                    username,
                    scope,
                    name,
                    expires,
                },
        } => {
            // The operator stands in for the password: nothing to type.
            let form = miniboard::domain::tokens::TokenForm {
                current_password: String::new(),
                name,
                scope,
                expires,
            };
            match one_task(miniboard::board::tokens::create_for(
                &config.database,
                &username,
                &form,
            )) {
                Ok(token) => {
                    println!("{}", token.as_str());
                    ExitCode::SUCCESS
                }
                Err(problem) => {
                    eprintln!("miniboard: token: {problem}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Serve => {
            init_logging(&config.log);
            serve(config)
        }
    }
}

/// `miniboard copy`: both databases held against servers where the engine allows it, the board copied,
/// and what was copied printed.
fn copy_board(from: &str, to: &str) -> ExitCode {
    let (from, to) = match (parse_database(from), parse_database(to)) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(problem), _) => {
            eprintln!("miniboard: copy: --from {problem}");
            return ExitCode::from(2);
        }
        (_, Err(problem)) => {
            eprintln!("miniboard: copy: --to {problem}");
            return ExitCode::from(2);
        }
    };
    if from == to {
        eprintln!("miniboard: copy: --from and --to name the same database");
        return ExitCode::from(2);
    }
    if let Some(path) = from.sqlite_path().filter(|path| !path.is_file()) {
        eprintln!("miniboard: copy: --from {} does not exist", path.display());
        return ExitCode::from(2);
    }
    let copied = one_task(async {
        let _held: Vec<_> = [&from, &to]
            .into_iter()
            .filter_map(|database| database.sqlite_path())
            .map(backup::hold_exclusively)
            .collect::<Result<_, _>>()?;
        for (side, database) in [("the source", &from), ("the target", &to)] {
            miniboard::store::copy::refuse_while_served(side, database).await?;
        }
        let source = Store::open(&from).await?;
        let target = Store::open(&to).await?;
        miniboard::store::copy::copy(&source, &target).await
    });
    match copied {
        Ok(copied) => {
            let tables: Vec<String> = copied
                .tables
                .iter()
                .map(|(table, rows)| format!("{rows} {table}"))
                .collect();
            println!(
                "copied {from} to {to}: {}; every count matches and the counters count their rows",
                tables.join(", ")
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("miniboard: copy failed: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Backup and restore copy a SQLite file; a PostgreSQL server has its own tools for that.
fn on_postgres(what: &str, tool: &str) -> ExitCode {
    eprintln!(
        "miniboard: {what} works on a SQLite database; this one is on PostgreSQL: use {tool} (see DEPLOY.md)"
    );
    ExitCode::from(2)
}

/// Prints what a backup or restore produced, or why it failed.
fn report_check(
    what: &str,
    file: &std::path::Path,
    outcome: Result<backup::Checked, StoreError>,
) -> ExitCode {
    match outcome {
        Ok(checked) => {
            println!(
                "{what}: {} is intact (integrity_check ok), schema version {}, {} questions",
                file.display(),
                checked.schema_version,
                checked.questions
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("miniboard: {what} failed: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Runs one operator command's storage work to completion on a small runtime of its own.
fn one_task<T>(work: impl Future<Output = Result<T, StoreError>>) -> Result<T, StoreError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| StoreError::Refused(format!("cannot start the runtime: {err}")))?
        .block_on(work)
}

fn serve(config: Config) -> ExitCode {
    // Blocking threads run SQLite and argon2; more of them than pooled connections would only wait.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(16)
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("miniboard: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let mut shutdown = Box::pin(shutdown_signal());
        // Building a lost search index can take minutes on a big board: a stop asked for meanwhile is
        // honoured at once (what was built is not committed; the next start builds it again).
        let built = tokio::select! {
            built = App::build(config) => built,
            () = &mut shutdown => {
                tracing::info!("stopped while starting");
                return ExitCode::SUCCESS;
            }
        };
        let app = match built {
            Ok(app) => app,
            Err(err) => {
                tracing::error!("{err:#}");
                eprintln!("miniboard: {err:#}");
                return ExitCode::FAILURE;
            }
        };
        match app.run_until(shutdown).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("miniboard: {err}");
                ExitCode::FAILURE
            }
        }
    })
}

fn init_logging(filter: &str) {
    // The PostgreSQL client logs every statement's parameters at debug (passwords' hashes, the secret key):
    // never below info unless the filter names it.
    let filter = if filter.contains("tokio_postgres") {
        filter.to_owned()
    } else {
        format!("{filter},tokio_postgres=info")
    };
    // The filter was validated with the configuration.
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}

/// glibc gives each thread that allocates an arena of its own, up to eight per core, and keeps what each
/// one frees: the executor's and the storage pool's threads doubled peak memory in a read/write mix (68 MB
/// against 43 MB with two arenas per core). `MALLOC_ARENA_MAX` in the environment still decides if set
/// (and then the mmap threshold is left alone too).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    if std::env::var_os("MALLOC_ARENA_MAX").is_some() {
        return;
    }
    let arenas = std::thread::available_parallelism().map_or(2, |cores| cores.get() * 2);
    // SAFETY: mallopt only changes the allocator's settings, and this runs first in main, before any
    // other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, arenas as libc::c_int);
        // A fixed threshold: big blocks (argon2's 19 MB per hash) are always their own mapping, returned
        // when freed. With glibc's sliding threshold the first free raised it to 19 MB, later hashes came
        // from the arenas and stayed there: 200 log-ins held 239 MB.
        libc::mallopt(libc::M_MMAP_THRESHOLD, 4 * 1024 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}
