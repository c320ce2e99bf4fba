//! `ascribe serve`: the multi-user HTTP API and web interface
//! (crates/server), and `ascribe serve user add`. With `--database
//! postgres://…` (or `ASCRIBE_DATABASE`) the server keeps its records in
//! PostgreSQL and reads the knowledge base and intelligence from it.

use anyhow::Result;
use std::io::{IsTerminal, Read};
use std::path::PathBuf;

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ServeArgs {
    #[command(subcommand)]
    command: Option<ServeCommand>,
    /// Address to listen on (loopback by default; put a TLS proxy in front
    /// for anything else).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    listen: std::net::SocketAddr,
    /// Data directory: users, cases, versions, evidence, assessments, the
    /// knowledge base (default: the platform data directory, ascribe/server).
    /// With --database, only evidence files and analysis work directories.
    #[arg(long, global = true, env = "ASCRIBE_SERVER_DATA", value_name = "DIR")]
    data: Option<PathBuf>,
    /// Behind a TLS-terminating proxy: session cookies get `Secure`.
    #[arg(long)]
    tls_proxy: bool,
    /// Largest request body in MiB (uploads included).
    #[arg(long, default_value_t = 256, value_name = "MIB")]
    max_body_mib: usize,
    /// Analyses run at once (default: the number of cores).
    #[arg(long, value_name = "N")]
    workers: Option<usize>,
    /// PostgreSQL connections the server keeps (with --database).
    #[arg(long, default_value_t = 16, value_name = "N")]
    db_pool: u32,
}

#[derive(clap::Subcommand)]
enum ServeCommand {
    /// Accounts of the server.
    #[command(subcommand)]
    User(UserCommand),
}

#[derive(clap::Subcommand)]
enum UserCommand {
    /// Add an account. The password is read from standard input when it is
    /// not a terminal; otherwise one is generated and printed once.
    Add {
        /// User name (letters, digits, '.', '_', '-').
        name: String,
        /// What the account may do.
        #[arg(long, value_enum)]
        role: RoleArg,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum RoleArg {
    /// Reads the cases shared with them.
    Viewer,
    /// Creates, edits and analyses their cases and the cases shared with them.
    Analyst,
    /// Everything: every case, accounts, the audit log.
    Admin,
}

fn data_dir(data: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(d) = data {
        return Ok(d);
    }
    let dir = dirs::data_dir().ok_or_else(|| {
        crate::exit(
            1,
            "no platform data directory is known for this user; pass --data DIR",
        )
    })?;
    Ok(dir.join("ascribe").join("server"))
}

/// `--database` / `ASCRIBE_DATABASE`, checked to be PostgreSQL.
fn database() -> Result<Option<String>> {
    match crate::database::database_url() {
        None => Ok(None),
        Some(u) if u.starts_with("postgres://") || u.starts_with("postgresql://") => {
            Ok(Some(u.to_string()))
        }
        Some(_) => Err(crate::exit(
            2,
            "--database (ASCRIBE_DATABASE) takes a PostgreSQL URL, postgres://user:password@host/db",
        )),
    }
}

pub fn run(args: ServeArgs) -> Result<String> {
    let data = data_dir(args.data)?;
    let database = database()?;
    match args.command {
        Some(ServeCommand::User(UserCommand::Add { name, role })) => {
            let role = match role {
                RoleArg::Viewer => ascribe_server::db::Role::Viewer,
                RoleArg::Analyst => ascribe_server::db::Role::Analyst,
                RoleArg::Admin => ascribe_server::db::Role::Admin,
            };
            let stdin = std::io::stdin();
            let password = if stdin.is_terminal() {
                None
            } else {
                let mut s = String::new();
                stdin
                    .lock()
                    .take(4096)
                    .read_to_string(&mut s)
                    .map_err(|e| {
                        crate::exit(3, format!("reading the password from standard input: {e}"))
                    })?;
                let p = s.trim_end_matches(['\n', '\r']).to_string();
                (!p.is_empty()).then_some(p)
            };
            match ascribe_server::add_user(&data, database.as_deref(), &name, role, password) {
                Ok(Some(pw)) => Ok(format!(
                    "created user '{name}' ({})\npassword: {pw}\n(shown once)\n",
                    role.as_str()
                )),
                Ok(None) => Ok(format!("created user '{name}' ({})\n", role.as_str())),
                Err(ascribe_server::ServerError::Db(ascribe_server::db::DbError::Exists(w))) => {
                    Err(crate::exit(3, format!("{w} already exists")))
                }
                Err(ascribe_server::ServerError::Io(m)) => Err(crate::exit(3, m)),
                Err(e) => Err(e.into()),
            }
        }
        None => {
            if args.max_body_mib == 0 || args.max_body_mib > 4096 {
                return Err(crate::exit(2, "--max-body-mib is between 1 and 4096"));
            }
            let mut config = ascribe_server::Config::new(data);
            config.listen = args.listen;
            config.tls_proxy = args.tls_proxy;
            config.max_body = args.max_body_mib << 20;
            if let Some(w) = args.workers {
                config.analysis_workers = w.clamp(1, 64);
            }
            if args.db_pool == 0 || args.db_pool > 1000 {
                return Err(crate::exit(2, "--db-pool is between 1 and 1000"));
            }
            config.database = database;
            config.db_pool = args.db_pool;
            ascribe_server::run(config)?;
            Ok(String::new())
        }
    }
}
