//! The command tree (README.md, "First steps"). Exit status 0 on success, 1 on a runtime failure, 2 on bad
//! usage or bad input; errors go to stderr as one sentence naming the offending value.

use std::io::{Read as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::app::CommandError;
use crate::app::export as register;
use crate::auth;
use crate::clock::{Clock, SharedClock, SystemClock};
use crate::config::{ConfigError, Settings};
use crate::domain::directory::{self as dir};
use crate::domain::error::FieldError;
use crate::domain::locale::Locale;
use crate::domain::register::RegisterEntry;
use crate::domain::tenant::{Role, TenantScope};
use crate::notify::messages::{self, MailContext, MailKind};
use crate::notify::transport::{Outgoing, Transport};
use crate::scheduler::{Runner, Scheduler};
use crate::storage::audit_log;
use crate::storage::directory::{self, NewApiToken, NewClient, NewUser};
use crate::storage::{Database, DatabaseUrl, OnOpen, StorageError};
use crate::telemetry;
use crate::web::{AppState, Application, ServerOptions};

/// The actor recorded in the audit trail for changes made with the CLI.
const CLI_ACTOR: &str = "cli";

/// art33: data-breach incidents with 72-hour deadline alerts (GDPR art. 33).
#[derive(Debug, Parser)]
#[command(name = "art33", version, about, propagate_version = true)]
pub struct Cli {
    /// A TOML file read after every other configuration layer.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Apply pending migrations, then serve HTTP and run the scheduler and the mail outbox.
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Manage clients (controllers whose data we process).
    #[command(subcommand)]
    Client(ClientCommand),
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Check the audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Export data.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Check mail delivery; put failed mails back in the queue.
    #[command(subcommand)]
    Mail(MailCommand),
    /// Alert channels beyond e-mail: webhooks of a client or of the officers' team.
    #[command(subcommand)]
    Channel(ChannelCommand),
    /// Single sign-on (OpenID Connect).
    #[command(subcommand)]
    Oidc(OidcCommand),
    /// Tools for load tests and benchmarks (never on production data).
    #[command(subcommand)]
    Dev(DevCommand),
}

#[derive(Debug, Subcommand)]
enum OidcCommand {
    /// Print the single sign-on settings (never the client secret), whether password login is on,
    /// and whether the provider's discovery succeeds now (exit 1 when it fails).
    Status,
}

#[derive(Debug, Subcommand)]
enum DevCommand {
    /// Fill an empty database with realistic clients, users and incidents in every state; prints
    /// tokens and addresses for a load test as JSON.
    Seed(DevSeed),
    /// Plan alerts (a few of them due), time scheduler ticks and the sending of their mails through
    /// the configured transport; prints the figures as JSON.
    TickBench(DevTickBench),
}

#[derive(Debug, Args)]
struct DevSeed {
    /// Clients to make.
    #[arg(long, default_value_t = 10)]
    clients: usize,
    /// Incidents to make.
    #[arg(long, default_value_t = 100)]
    incidents: usize,
    /// The password of every user made.
    #[arg(long, default_value = "load test passphrase 2026")]
    password: String,
}

#[derive(Debug, Args)]
struct DevTickBench {
    /// Alerts to plan in all.
    #[arg(long, default_value_t = 100_000)]
    planned: usize,
    /// Of which due now.
    #[arg(long, default_value_t = 1_000)]
    due: usize,
    /// Ticks to time, each with `due` alerts due; the figures give their median.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..))]
    rounds: u16,
}

#[derive(Debug, Subcommand)]
enum ChannelCommand {
    /// Add a channel; prints its id, and for a generic webhook its signing secret (shown once).
    Add(ChannelAdd),
    /// List the active channels (URLs masked: host and last four characters).
    List,
    /// Remove a channel: it receives nothing more, and its URL and secret are forgotten.
    Remove(ChannelId),
    /// Queue a test message to a channel; the running server's webhook loop delivers it, and
    /// `art33 channel list` shows the outcome.
    Test(ChannelId),
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("owner").required(true).args(["client", "team"])))]
struct ChannelAdd {
    /// The client whose alerts the channel receives (slug).
    #[arg(long, value_name = "SLUG")]
    client: Option<String>,
    /// The officers' team's channel: every client's alerts.
    #[arg(long)]
    team: bool,
    /// webhook (generic JSON, Standard Webhooks signature), teams, slack or mattermost.
    #[arg(long)]
    kind: String,
    /// The endpoint: https://… (http:// only to 127.0.0.1, ::1 or localhost).
    #[arg(long)]
    url: String,
}

#[derive(Debug, Args)]
struct ChannelId {
    /// The channel's id (`ch_…`, from `art33 channel list`).
    id: String,
}

#[derive(Debug, Subcommand)]
enum MailCommand {
    /// Send one test e-mail through the configured transport.
    Test(MailTest),
    /// Put failed mails back in the queue, due at once, with their Message-IDs; prints how many.
    Retry(MailRetry),
}

#[derive(Debug, Args)]
struct MailRetry {
    /// The mails given up (status failed): the ones to retry. Required, so that the command says
    /// what it touches.
    #[arg(long, required = true)]
    failed: bool,
    /// Only the mails about this client's incidents (slug).
    #[arg(long, value_name = "SLUG")]
    client: Option<String>,
}

#[derive(Debug, Args)]
struct MailTest {
    /// Recipient.
    #[arg(long)]
    to: String,
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Recompute every audit chain (each client's and the system chain): prints `ok N events`, or
    /// names the chain and its first broken event (exit 1).
    Verify(AuditVerify),
}

#[derive(Debug, Args)]
struct AuditVerify {
    /// Only this client's chain (slug), with the system chain whose checkpoints it is checked
    /// against.
    #[arg(long, conflicts_with = "export")]
    client: Option<String>,
    /// Verify a client's JSON register export offline: its events against its chain head. Opens no
    /// database.
    #[arg(long, value_name = "FILE")]
    export: Option<std::path::PathBuf>,
}

#[derive(Debug, Subcommand)]
enum ExportCommand {
    /// Write the breach register (art. 33(5)) to stdout, with the audit chain head.
    Register(ExportRegister),
}

#[derive(Debug, Args)]
struct ExportRegister {
    /// Only this client (slug).
    #[arg(long)]
    client: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    format: RegisterFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RegisterFormat {
    Csv,
    Json,
}

#[derive(Debug, Subcommand)]
enum ClientCommand {
    /// Register a client; prints its slug.
    Add(ClientAdd),
    /// Set what is given of a client's profile (the AP form's chapter 3, the lead supervisory
    /// authority, the data subjects' languages); prints the whole profile as JSON. An empty value
    /// clears a field.
    Profile(Box<ClientProfileArgs>),
}

#[derive(Debug, Args)]
struct ClientProfileArgs {
    /// The client's slug.
    #[arg(long)]
    slug: String,
    /// Legal name (AP 3.1.1a).
    #[arg(long)]
    legal_name: Option<String>,
    /// Street, postcode and town, as one text (AP 3.1.1c).
    #[arg(long)]
    address: Option<String>,
    /// KvK number: 8 digits (AP 3.1.1e).
    #[arg(long)]
    kvk: Option<String>,
    /// Sector code (AP 3.1.2), e.g. healthcare, education, ict.
    #[arg(long, value_name = "CODE")]
    sector: Option<String>,
    /// The DPO's registration number at the AP (FG-registratienummer, AP 3.1.1d).
    #[arg(long)]
    dpo_registration: Option<String>,
    /// The EEA country of the main establishment, whose authority leads (default NL).
    #[arg(long, value_name = "CC")]
    lead_authority: Option<String>,
    /// Whether the controller is established outside the EEA (no one-stop-shop).
    #[arg(long, value_name = "true|false")]
    outside_eea: Option<bool>,
    /// Who notifies the AP (AP 3.2.1): name.
    #[arg(long)]
    notifier_name: Option<String>,
    /// The notifier's position.
    #[arg(long)]
    notifier_position: Option<String>,
    /// The notifier's telephone number.
    #[arg(long)]
    notifier_phone: Option<String>,
    /// The notifier's e-mail address (default: the DPO's).
    #[arg(long)]
    notifier_email: Option<String>,
    /// The AP's contact point if other than the notifier (AP 3.2.2): name.
    #[arg(long)]
    contact_name: Option<String>,
    /// The contact point's position.
    #[arg(long)]
    contact_position: Option<String>,
    /// The contact point's e-mail address.
    #[arg(long)]
    contact_email: Option<String>,
    /// The contact point's telephone number.
    #[arg(long)]
    contact_phone: Option<String>,
    /// A language of the data subjects (repeatable; replaces the list; default the client's).
    #[arg(long = "subject-locale", value_enum, value_name = "nl|en")]
    subject_locales: Vec<LocaleArg>,
}

impl ClientProfileArgs {
    /// The flags given, as fields of the profile's JSON object, each with its flag name.
    fn given(&self) -> Vec<(&'static str, &'static str, serde_json::Value)> {
        use serde_json::Value;
        let text = |v: &Option<String>| v.as_ref().map(|s| Value::from(s.as_str()));
        let fields = [
            ("legal_name", "legal-name", text(&self.legal_name)),
            ("address", "address", text(&self.address)),
            ("kvk_number", "kvk", text(&self.kvk)),
            ("sector", "sector", text(&self.sector)),
            ("dpo_registration", "dpo-registration", text(&self.dpo_registration)),
            ("lead_authority", "lead-authority", text(&self.lead_authority)),
            ("outside_eea", "outside-eea", self.outside_eea.map(Value::from)),
            ("notifier_name", "notifier-name", text(&self.notifier_name)),
            ("notifier_position", "notifier-position", text(&self.notifier_position)),
            ("notifier_phone", "notifier-phone", text(&self.notifier_phone)),
            ("notifier_email", "notifier-email", text(&self.notifier_email)),
            ("contact_name", "contact-name", text(&self.contact_name)),
            ("contact_position", "contact-position", text(&self.contact_position)),
            ("contact_email", "contact-email", text(&self.contact_email)),
            ("contact_phone", "contact-phone", text(&self.contact_phone)),
            (
                "subject_locales",
                "subject-locale",
                (!self.subject_locales.is_empty()).then(|| {
                    Value::from(
                        self.subject_locales.iter().map(|l| locale_of(*l).as_str()).collect::<Vec<_>>(),
                    )
                }),
            ),
        ];
        fields.into_iter().filter_map(|(field, flag, value)| value.map(|v| (field, flag, v))).collect()
    }
}

fn locale_of(arg: LocaleArg) -> Locale {
    match arg {
        LocaleArg::Nl => Locale::Nl,
        LocaleArg::En => Locale::En,
    }
}

#[derive(Debug, Args)]
struct ClientAdd {
    /// Short unique name; the prefix of incident references (ACME-2026-0007).
    #[arg(long)]
    slug: String,
    /// Display name.
    #[arg(long)]
    name: String,
    /// The client's DPO address: told of every suspected breach.
    #[arg(long)]
    dpo_email: String,
    /// The DPO's name.
    #[arg(long)]
    dpo_name: Option<String>,
    /// A further escalation address (repeatable).
    #[arg(long = "escalation-email", value_name = "EMAIL")]
    escalation_emails: Vec<String>,
    /// Language of mails to this client.
    #[arg(long, value_enum, default_value = "nl")]
    locale: LocaleArg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LocaleArg {
    Nl,
    En,
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create a user; prints its e-mail address.
    Add(UserAdd),
}

#[derive(Debug, Args)]
struct UserAdd {
    /// Login and mail address.
    #[arg(long)]
    email: String,
    /// What the user may do.
    #[arg(long, value_enum)]
    role: RoleArg,
    /// The client (slug) of a dpo, or of a reporter bound to one client.
    #[arg(long)]
    client: Option<String>,
    /// Display name.
    #[arg(long)]
    name: Option<String>,
    /// Read a password (at least 12 characters) from standard input.
    #[arg(long)]
    password_stdin: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RoleArg {
    Reporter,
    Dpo,
    Officer,
    Admin,
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Create an API token for a user and print it once, alone on stdout.
    Create(TokenCreate),
}

#[derive(Debug, Args)]
struct TokenCreate {
    /// The user's e-mail address.
    #[arg(long)]
    email: String,
    /// What the token is for.
    #[arg(long)]
    label: Option<String>,
}

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Bad usage or input: exit 2.
    #[error("{0}")]
    BadInput(String),
    /// The work could not be done: exit 1.
    #[error("{0}")]
    Runtime(String),
}

impl Failure {
    /// The process exit status.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::BadInput(_) => 2,
            Failure::Runtime(_) => 1,
        }
    }
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Self {
        Failure::BadInput(e.to_string())
    }
}

impl From<FieldError> for Failure {
    fn from(e: FieldError) -> Self {
        Failure::BadInput(format!("--{}: {}", e.field, e.message))
    }
}

impl From<StorageError> for Failure {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::UnsupportedScheme(_) | StorageError::Conflict(_) => {
                Failure::BadInput(e.to_string())
            }
            other => Failure::Runtime(other.to_string()),
        }
    }
}

/// Parses the process arguments, runs the command and turns the outcome into an exit status.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<(), Failure> {
    // Offline: an auditor checks an export without a database or any configuration.
    if let Command::Audit(AuditCommand::Verify(AuditVerify { export: Some(file), .. })) = &cli.command {
        return audit_verify_export(file);
    }
    let settings = Settings::load(cli.config.clone())?;
    let clock: SharedClock = Arc::new(SystemClock);
    match cli.command {
        Command::Serve => serve(settings, clock),
        Command::Migrate => {
            telemetry::init(&settings.log);
            let (_db, applied) = Database::open(&settings.database, OnOpen::Migrate)?;
            if applied.is_empty() {
                println!("database is up to date");
            } else {
                println!("applied {} migration(s): {}", applied.len(), applied.join(", "));
            }
            Ok(())
        }
        Command::Client(ClientCommand::Add(args)) => client_add(&settings, clock.as_ref(), args),
        Command::Client(ClientCommand::Profile(args)) => client_profile(&settings, clock.as_ref(), *args),
        Command::User(UserCommand::Add(args)) => user_add(&settings, clock.as_ref(), args),
        Command::Token(TokenCommand::Create(args)) => token_create(&settings, clock.as_ref(), args),
        Command::Audit(AuditCommand::Verify(args)) => audit_verify(&settings, args.client.as_deref()),
        Command::Export(ExportCommand::Register(args)) => export_register(&settings, clock.as_ref(), args),
        Command::Mail(MailCommand::Test(args)) => mail_test(&settings, clock.as_ref(), args),
        Command::Oidc(OidcCommand::Status) => oidc_status(&settings, clock.as_ref()),
        Command::Mail(MailCommand::Retry(args)) => mail_retry(&settings, clock.as_ref(), args),
        Command::Channel(command) => channel(&settings, clock.as_ref(), command),
        Command::Dev(DevCommand::Seed(args)) => {
            let mut settings = settings;
            let db = open_current(&settings)?;
            adopt_stored_secret_key(&mut settings, &db, clock.as_ref())?;
            let plan = crate::seed::SeedPlan { clients: args.clients, incidents: args.incidents };
            let seeded = crate::seed::seed(&db, &settings, plan, &args.password, clock.now())?;
            println!("{}", serde_json::to_string_pretty(&seeded).unwrap_or_default());
            Ok(())
        }
        Command::Dev(DevCommand::TickBench(args)) => {
            let mut settings = settings;
            let db = open_current(&settings)?;
            adopt_stored_secret_key(&mut settings, &db, clock.as_ref())?;
            let figures = crate::seed::tick_bench(
                &db,
                &settings,
                args.planned,
                args.due,
                usize::from(args.rounds),
                clock.now(),
            )
            .map_err(|e| match e {
                crate::seed::BenchError::Storage(e) => Failure::from(e),
                crate::seed::BenchError::Bench(why) => Failure::Runtime(why),
            })?;
            println!("{}", serde_json::to_string_pretty(&figures).unwrap_or_default());
            Ok(())
        }
    }
}

/// Outside production without a configured `server.secret_key`: signs links with the key kept in
/// the database, storing this run's generated key first if none is kept yet (replicas starting
/// together agree on the first one stored). Answers whether it did.
fn adopt_stored_secret_key(
    settings: &mut Settings,
    db: &Database,
    clock: &dyn Clock,
) -> Result<bool, Failure> {
    let Some(candidate) = settings.secret_key_candidate() else { return Ok(false) };
    let now = clock.now();
    let stored = db.run_blocking(|conn| {
        crate::storage::instance_secrets::get_or_insert(
            conn,
            crate::storage::instance_secrets::SECRET_KEY,
            &candidate,
            now,
        )
    })?;
    settings.adopt_stored_secret_key(&stored)?;
    Ok(true)
}

fn open_current(settings: &Settings) -> Result<Database, Failure> {
    Ok(Database::open(&settings.database, OnOpen::RequireCurrentSchema)?.0)
}

fn serve(settings: Settings, clock: SharedClock) -> Result<(), Failure> {
    DatabaseUrl::parse(settings.database.url.expose())?;
    telemetry::init(&settings.log);
    let mut settings = settings;
    let (db, applied) = Database::open(&settings.database, OnOpen::Migrate)?;
    if !applied.is_empty() {
        tracing::info!(migrations = ?applied, "applied migrations");
    }
    if adopt_stored_secret_key(&mut settings, &db, clock.as_ref())? {
        tracing::warn!(
            "server.secret_key is not set: using the key kept in the database (made at the first start), so acknowledgement links survive restarts; set server.secret_key in production"
        );
    }
    let runtime = runtime()?;
    runtime.block_on(async move {
        // lettre's connection pool needs the runtime to exist.
        let transport =
            Transport::from_settings(&settings.mail).map_err(|e| Failure::BadInput(e.to_string()))?;
        let settings = Arc::new(settings);
        let grace = Duration::from_secs(settings.server.shutdown_timeout_seconds);
        let runner = Runner::new(db.clone(), settings.clone(), clock.clone(), transport.clone());
        let state = AppState {
            db: db.clone(),
            clock,
            settings: settings.clone(),
            scheduler: runner.status(),
            metrics: runner.metrics(),
            standings: Default::default(),
            sso: Default::default(),
        };
        // Signals are handled here, not by actix: at SIGTERM the scheduler must stop claiming mail at
        // once, while the server finishes its requests.
        let app = Application::build(state, ServerOptions { handle_signals: false, ..ServerOptions::default() })
            .map_err(|e| Failure::Runtime(e.to_string()))?;
        let server = app.handle();
        let address = app.local_addr();
        let metrics_address = app.metrics_addr();
        let scheduler = Scheduler::start(runner)
            .await
            .map_err(|e| Failure::Runtime(format!("cannot start the scheduler: {e}")))?;
        tracing::info!(
            backend = db.backend().name(),
            mail = %transport.describe(),
            tick_seconds = settings.scheduler.tick_seconds,
            "listening on http://{address}"
        );
        match (metrics_address, settings.server.metrics_token.is_some()) {
            (Some(metrics), guarded) => tracing::info!(
                also_on_main_port_with_token = guarded,
                "metrics on http://{metrics}/metrics, without a token"
            ),
            (None, true) => tracing::info!("metrics on http://{address}/metrics, with the metrics token"),
            (None, false) => {
                tracing::info!("metrics are off (set server.metrics_token or server.metrics_listen)")
            }
        }
        let served = app.run_until_stopped();
        tokio::pin!(served);
        let served = tokio::select! {
            result = &mut served => {
                scheduler.stop(grace).await;
                result
            }
            signal = shutdown_signal() => {
                tracing::info!(signal, "stopping: no new mail is claimed; requests and the mail in flight finish");
                // The command is sent at once; the server future, polled below, carries it out.
                drop(server.stop(true));
                let (result, ()) = tokio::join!(served, scheduler.stop(grace));
                result
            }
        };
        served.map_err(|e| Failure::Runtime(format!("the server stopped with an error: {e}")))?;
        tracing::info!("stopped");
        Ok(())
    })
}

/// Waits for SIGTERM or SIGINT; answers which.
async fn shutdown_signal() -> &'static str {
    use tokio::signal::unix::{SignalKind, signal};
    match (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) {
        (Ok(mut term), Ok(mut int)) => tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = int.recv() => "SIGINT",
        },
        _ => {
            tracing::warn!("cannot listen for SIGTERM; stopping on Ctrl-C only");
            let _ = tokio::signal::ctrl_c().await;
            "SIGINT"
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Runtime(format!("cannot start the async runtime: {e}")))
}

fn oidc_status(settings: &Settings, clock: &dyn Clock) -> Result<(), Failure> {
    use crate::web::oidc::{DiscoveryStatus, Sso, status_rows};
    let sso = Sso::new();
    if let Some(oidc) = &settings.auth.oidc {
        let now = clock.now();
        // The outcome is recorded in the status the rows show.
        let _ = runtime()?.block_on(sso.metadata(oidc, now));
    }
    let status = sso.status();
    for (label, value) in status_rows(&settings.auth, &status, Locale::En) {
        println!("{label}: {value}");
    }
    match status {
        DiscoveryStatus::Failed(_, reason) => Err(Failure::Runtime(format!(
            "the discovery of the OpenID provider at auth.oidc.issuer_url failed: {reason}"
        ))),
        _ => Ok(()),
    }
}

fn mail_test(settings: &Settings, clock: &dyn Clock, args: MailTest) -> Result<(), Failure> {
    let to = dir::normalize_email("to", &args.to)?;
    let transport = Transport::from_settings(&settings.mail).map_err(|e| Failure::BadInput(e.to_string()))?;
    let context = MailContext::for_test(&transport.describe(), &settings.mail.from, clock.now());
    let rendered = messages::render(MailKind::Test, &context)
        .map_err(|e| Failure::Runtime(format!("cannot render the test mail: {e}")))?;
    let outgoing = Outgoing {
        to: to.clone(),
        subject: rendered.subject,
        text: rendered.text,
        html: Some(rendered.html),
        message_id: crate::notify::message_id(&settings.mail.from),
    };
    let limit = Duration::from_secs(settings.mail.timeout_seconds.max(1) * 2);
    let sent = runtime()?.block_on(async {
        match tokio::time::timeout(limit, transport.send(&settings.mail.from, &outgoing)).await {
            Ok(result) => result.map_err(|e| e.message),
            Err(_) => Err(format!("no answer within {} seconds", limit.as_secs())),
        }
    });
    match sent {
        Ok(reply) => {
            println!("sent to {to} via {}: {reply}", transport.describe());
            Ok(())
        }
        Err(reason) => {
            Err(Failure::Runtime(format!("could not send to {to} via {}: {reason}", transport.describe())))
        }
    }
}

fn mail_retry(settings: &Settings, clock: &dyn Clock, args: MailRetry) -> Result<(), Failure> {
    debug_assert!(args.failed, "clap requires --failed");
    let db = open_current(settings)?;
    let now = clock.now();
    let requeued = db
        .run_blocking(|conn| crate::app::requeue::by_operator(conn, CLI_ACTOR, args.client.as_deref(), now))
        .map_err(|e| match e {
            CommandError::Invalid(field) => Failure::from(field),
            other => Failure::Runtime(other.to_string()),
        })?;
    println!("requeued {requeued} failed {}", if requeued == 1 { "mail" } else { "mails" });
    Ok(())
}

fn channel(settings: &Settings, clock: &dyn Clock, command: ChannelCommand) -> Result<(), Failure> {
    use crate::app::channels::{self, Owner};
    let db = open_current(settings)?;
    let now = clock.now();
    let failure = |e: CommandError| match e {
        CommandError::Invalid(field) => Failure::from(field),
        CommandError::NotFound => Failure::BadInput("no such active channel".into()),
        other => Failure::Runtime(other.to_string()),
    };
    match command {
        ChannelCommand::Add(args) => {
            let owner = match args.client {
                Some(slug) => Owner::Client(slug),
                None => Owner::Team,
            };
            let added = db
                .run_blocking(|conn| channels::add(conn, None, CLI_ACTOR, &owner, &args.kind, &args.url, now))
                .map_err(failure)?;
            println!("{}", added.id);
            if let Some(secret) = added.secret {
                println!("secret {secret}");
                eprintln!(
                    "The signing secret is shown only now: give it to the receiver, which verifies webhook-signature with it."
                );
            }
        }
        ChannelCommand::List => {
            let list = db.run_blocking(|conn| channels::list(conn, None)).map_err(failure)?;
            for c in list {
                let test = match (&c.last_test, c.last_test_code, &c.last_test_error) {
                    (None, _, _) => "-".to_string(),
                    (Some(status), Some(code), _) => format!("{status} (HTTP {code})"),
                    (Some(status), None, Some(error)) => format!("{status} ({error})"),
                    (Some(status), None, None) => status.clone(),
                };
                println!(
                    "{}\t{}\t{}\t{}\ttest: {test}",
                    c.id,
                    c.client.as_deref().map_or("--team".to_string(), |s| format!("--client {s}")),
                    c.kind,
                    c.url
                );
            }
        }
        ChannelCommand::Remove(args) => {
            db.run_blocking(|conn| channels::remove(conn, None, CLI_ACTOR, &args.id, now))
                .map_err(failure)?;
            println!("removed {}", args.id.trim());
        }
        ChannelCommand::Test(args) => {
            let id = db
                .run_blocking(|conn| channels::test(conn, None, CLI_ACTOR, settings, &args.id, now))
                .map_err(failure)?;
            println!("queued test message {id}");
        }
    }
    Ok(())
}

fn client_add(settings: &Settings, clock: &dyn Clock, args: ClientAdd) -> Result<(), Failure> {
    let locale = locale_of(args.locale);
    let new = NewClient::validated(
        &args.slug,
        &args.name,
        &args.dpo_email,
        args.dpo_name.as_deref(),
        &args.escalation_emails,
        locale,
    )?;
    let db = open_current(settings)?;
    let now = clock.now();
    let client = db.run_blocking(|conn| directory::insert_client(conn, CLI_ACTOR, &new, now))?;
    println!("{}", client.slug);
    Ok(())
}

fn client_profile(settings: &Settings, clock: &dyn Clock, args: ClientProfileArgs) -> Result<(), Failure> {
    let given = args.given();
    let db = open_current(settings)?;
    let now = clock.now();
    let slug = args.slug.clone();
    let client = db.run_blocking(|conn| -> Result<Result<_, Failure>, StorageError> {
        let Some(client) = directory::client_by_slug(conn, &slug)? else {
            return Ok(Err(Failure::BadInput(format!("--slug: no client with slug \"{slug}\""))));
        };
        if given.is_empty() {
            return Ok(Ok(client));
        }
        // The stored profile with the flags laid over it, read by the one parser of profiles.
        let mut object = client.profile.to_json();
        for (field, _, value) in &given {
            object.insert((*field).to_string(), value.clone());
        }
        let profile = match dir::ClientProfile::parse(&object, client.locale) {
            Ok(profile) => profile,
            Err(e) => {
                let flag =
                    given.iter().find(|(field, _, _)| *field == e.field).map_or(e.field.as_str(), |g| g.1);
                return Ok(Err(Failure::BadInput(format!("--{flag}: {}", e.message))));
            }
        };
        match directory::set_client_profile(conn, CLI_ACTOR, &client.id, &profile, now)? {
            Some(client) => Ok(Ok(client)),
            None => Ok(Err(Failure::BadInput(format!("--slug: no client with slug \"{slug}\"")))),
        }
    })??;
    let mut object = client.profile.to_json();
    object.insert("slug".to_string(), client.slug.clone().into());
    let text = serde_json::to_string_pretty(&serde_json::Value::Object(object))
        .map_err(|e| Failure::Runtime(e.to_string()))?;
    println!("{text}");
    Ok(())
}

fn user_add(settings: &Settings, clock: &dyn Clock, args: UserAdd) -> Result<(), Failure> {
    let role = match args.role {
        RoleArg::Reporter => Role::Reporter,
        RoleArg::Dpo => Role::Dpo,
        RoleArg::Officer => Role::Officer,
        RoleArg::Admin => Role::Admin,
    };
    // Check what can be checked before reading a password or opening the database.
    let email = dir::normalize_email("email", &args.email)?;
    dir::validate_user_client(role, args.client.is_some())?;
    let password_hash = if args.password_stdin {
        let mut password = String::new();
        std::io::stdin()
            .read_to_string(&mut password)
            .map_err(|e| Failure::Runtime(format!("cannot read the password from standard input: {e}")))?;
        let password = password.trim_end_matches(['\r', '\n']);
        let inputs =
            [email.as_str(), args.name.as_deref().unwrap_or(""), settings.organisation.name.as_str()];
        Some(auth::hash_password(password, &inputs).map_err(|e| {
            Failure::BadInput(format!("--password-stdin: {}", e.message(crate::domain::locale::Locale::En)))
        })?)
    } else {
        None
    };
    let db = open_current(settings)?;
    let now = clock.now();
    let user = db.run_blocking(|conn| {
        let client_id = match &args.client {
            Some(slug) => match directory::client_by_slug(conn, slug)? {
                Some(client) => Some(client.id),
                None => {
                    return Ok(Err(Failure::BadInput(format!("--client: no client with slug \"{slug}\""))));
                }
            },
            None => None,
        };
        let new = match NewUser::validated(&email, role, client_id, args.name.as_deref(), password_hash) {
            Ok(new) => new,
            Err(e) => return Ok(Err(e.into())),
        };
        directory::insert_user(conn, CLI_ACTOR, &new, now).map(Ok)
    })??;
    println!("{}", user.email);
    Ok(())
}

fn token_create(settings: &Settings, clock: &dyn Clock, args: TokenCreate) -> Result<(), Failure> {
    let email = dir::normalize_email("email", &args.email)?;
    let label = dir::validate_optional_name("label", args.label.as_deref(), dir::LABEL_MAX)?;
    let db = open_current(settings)?;
    let now = clock.now();
    let token = auth::issue_api_token();
    db.run_blocking(|conn| {
        let Some(user) = directory::user_by_email(conn, &email)? else {
            return Ok(Err(Failure::BadInput(format!("--email: no user with e-mail \"{email}\""))));
        };
        let stored = NewApiToken {
            user_id: user.id,
            label,
            prefix: token.prefix.clone(),
            digest: token.digest.clone(),
        };
        directory::insert_token(conn, CLI_ACTOR, &stored, now).map(Ok)
    })??;
    println!("{}", token.secret);
    Ok(())
}

fn audit_verify(settings: &Settings, client: Option<&str>) -> Result<(), Failure> {
    let db = open_current(settings)?;
    let chain = match client {
        Some(slug) => match db.run_blocking(|conn| directory::client_by_slug(conn, slug))? {
            Some(found) => Some(found.id.0),
            None => {
                return Err(Failure::from(FieldError::new(
                    "client",
                    format!("no client with slug \"{slug}\""),
                )));
            }
        },
        None => None,
    };
    match db.run_blocking(|conn| audit_log::verify(conn, chain.as_deref()))? {
        Ok(verified) => {
            println!("ok {} events", verified.events());
            Ok(())
        }
        Err(broken) => Err(Failure::Runtime(format!("audit chain broken at {broken}"))),
    }
}

fn audit_verify_export(file: &std::path::Path) -> Result<(), Failure> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Failure::Runtime(format!("cannot read {}: {e}", file.display())))?;
    match crate::export::verify_export(&text) {
        Ok((_, count)) => {
            println!("ok {count} events");
            Ok(())
        }
        Err(crate::export::ExportCheckError::Broken(broken)) => {
            Err(Failure::Runtime(format!("audit chain broken at {broken}")))
        }
        Err(shape) => Err(Failure::Runtime(shape.to_string())),
    }
}

fn export_register(settings: &Settings, clock: &dyn Clock, args: ExportRegister) -> Result<(), Failure> {
    let db = open_current(settings)?;
    let now = clock.now();
    let format = match args.format {
        RegisterFormat::Csv => "csv",
        RegisterFormat::Json => "json",
    };
    let policy = settings.escalation.clone();
    let export = db
        .run_blocking(|conn| {
            register::export(conn, CLI_ACTOR, &TenantScope::All, args.client.as_deref(), format, now, &policy)
        })
        .map_err(|e| match e {
            CommandError::Invalid(field) => Failure::from(field),
            other => Failure::Runtime(other.to_string()),
        })?;
    let entries: Vec<RegisterEntry> = export.entries(now, &policy);
    let bytes = match args.format {
        RegisterFormat::Json => crate::export::register_json(&export, &entries, args.client.as_deref(), now)
            .map_err(|e| Failure::Runtime(format!("cannot write the register: {e}")))?,
        RegisterFormat::Csv => crate::export::register_csv(&export, &entries)
            .map_err(|e| Failure::Runtime(format!("cannot write the register: {e}")))?,
    };
    std::io::stdout()
        .lock()
        .write_all(&bytes)
        .map_err(|e| Failure::Runtime(format!("cannot write the register: {e}")))
}
