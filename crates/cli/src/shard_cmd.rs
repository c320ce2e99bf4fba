//! `ascribe store shard …` and `ascribe store stats`: making a sharded
//! PostgreSQL store and showing where its rows are. Once made, a sharded
//! store is opened like any PostgreSQL store, by its coordinator's URL in
//! `--database` / `ASCRIBE_DATABASE`.

use crate::database::{database_url, open_postgres, Database};
use crate::exit;
use anyhow::Result;
use std::fmt::Write as _;

/// `ascribe store shard …`
#[derive(clap::Subcommand)]
pub enum ShardCommand {
    /// Make a sharded store: the schema on the coordinator and on every
    /// shard, the shard list recorded on the coordinator (without
    /// passwords: a shard URL without one uses the coordinator's when the
    /// user is the same). Then use the coordinator's URL as --database.
    /// Running it again with the same list is harmless; the list (order
    /// and count) is fixed once made.
    Init {
        /// The coordinator (holds the small reference tables and the shard
        /// list); defaults to --database / ASCRIBE_DATABASE.
        #[arg(long, value_name = "URL")]
        coordinator: Option<String>,
        /// A shard, in order (repeat: --shard URL1 --shard URL2 …).
        #[arg(long = "shard", value_name = "URL", required = true)]
        shards: Vec<String>,
        /// Output as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Check that the shards agree with the coordinator (--database): each
    /// intelligence source's records all there, no rows of a source the
    /// coordinator does not list (left by an import interrupted between
    /// commits); the code index verified across the nodes and the rows an
    /// interrupted `index add` left on the shards (orphans). Exit 1 when
    /// they disagree, listing how.
    Check {
        /// Output as one JSON object.
        #[arg(long)]
        json: bool,
    },
}

#[cfg(feature = "postgres")]
pub fn run(cmd: ShardCommand) -> Result<String> {
    use ascribe_store_pg::shard::{NodeSpec, ShardedStore};
    match cmd {
        ShardCommand::Init {
            coordinator,
            shards,
            json,
        } => {
            let Some(coord) = coordinator.or_else(|| database_url().map(str::to_string)) else {
                return Err(exit(
                    2,
                    "store shard init: give --coordinator URL (or --database / ASCRIBE_DATABASE)",
                ));
            };
            for u in std::iter::once(&coord).chain(&shards) {
                if !ascribe_store_pg::is_postgres_url(u) {
                    return Err(exit(
                        2,
                        format!("{}: not a postgres:// URL", ascribe_store_pg::redact_url(u)),
                    ));
                }
            }
            let specs: Vec<NodeSpec> = shards
                .iter()
                .map(|u| NodeSpec {
                    url: u.clone(),
                    schema: None,
                })
                .collect();
            let s = ShardedStore::init(&coord, None, &specs)?;
            if json {
                return Ok(serde_json::to_string_pretty(&serde_json::json!({
                    "coordinator": s.name(),
                    "layout": s.layout(),
                }))? + "\n");
            }
            let mut o = format!(
                "sharded store {}: coordinator {}\n",
                s.layout().id,
                s.name()
            );
            for l in s.shard_labels() {
                let _ = writeln!(o, "  {l}");
            }
            let _ = writeln!(
                o,
                "use it with --database {} (or ASCRIBE_DATABASE)",
                s.name()
            );
            Ok(o)
        }
        ShardCommand::Check { json } => {
            let Some(url) = database_url() else {
                return Err(exit(
                    2,
                    "store shard check: give the coordinator as --database URL (or ASCRIBE_DATABASE)",
                ));
            };
            let Database::Sharded(s) = open_postgres(url)? else {
                return Err(exit(
                    2,
                    format!(
                        "{} is not a sharded store (store shard init makes one)",
                        ascribe_store_pg::redact_url(url)
                    ),
                ));
            };
            let mut problems = s.check()?;
            // the code index: its counts and checksums across the nodes, and the rows an
            // interrupted `index add` left on the shards (orphans)
            let code = ascribe_store_pg::ShardedCodeStore::open_read_only(url, false)?;
            problems.extend(
                code.verify()?
                    .problems
                    .into_iter()
                    .map(|p| format!("code index: {p}")),
            );
            for x in code.orphans()? {
                problems.push(format!(
                    "{} holds {} function(s) and {} posting(s) at or above the coordinator's code allocator (an interrupted `index add`: readers ignore them, the next `ascribe index add` removes them)",
                    x.shard, x.functions, x.postings
                ));
            }
            let o = if json {
                serde_json::to_string_pretty(&serde_json::json!({
                    "coordinator": s.name(),
                    "consistent": problems.is_empty(),
                    "problems": problems,
                }))? + "\n"
            } else if problems.is_empty() {
                format!(
                    "{}: the {} shards agree with the coordinator\n",
                    s.name(),
                    s.shard_count()
                )
            } else {
                problems.iter().map(|p| format!("{p}\n")).collect()
            };
            if problems.is_empty() {
                Ok(o)
            } else {
                crate::emit(&o)?;
                Err(exit(
                    1,
                    format!(
                        "{} disagreement(s) between the shards and the coordinator",
                        problems.len()
                    ),
                ))
            }
        }
    }
}

#[cfg(not(feature = "postgres"))]
pub fn run(_cmd: ShardCommand) -> Result<String> {
    Err(exit(
        2,
        "this ascribe was built without PostgreSQL support (cargo feature `postgres`)",
    ))
}

/// `ascribe store stats`: rows per table and node.
pub fn stats(json: bool) -> Result<String> {
    let Some(url) = database_url() else {
        return Err(exit(
            2,
            "store stats reads a PostgreSQL store: give --database URL (or ASCRIBE_DATABASE); for the embedded store see `kb stats` and `intel stats`",
        ));
    };
    // an unreachable shard is shown as such, not an error
    crate::database::set_allow_partial(true);
    let db = open_postgres(url)?;
    stats_of(&db, json)
}

#[cfg(feature = "postgres")]
fn stats_of(db: &Database, json: bool) -> Result<String> {
    match db {
        Database::Sharded(s) => {
            let t = s.table_counts()?;
            let labels = s.shard_labels();
            if json {
                return Ok(serde_json::to_string_pretty(&serde_json::json!({
                    "coordinator": s.name(),
                    "shards": labels,
                    "tables": t,
                }))? + "\n");
            }
            let mut o = format!("{}\n", db.location());
            for (i, l) in labels.iter().enumerate() {
                let _ = writeln!(o, "  s{}  {l}", i + 1);
            }
            let _ = write!(
                o,
                "{:<16} {:<20} {:>12}",
                "table", "placement", "coordinator"
            );
            for i in 0..labels.len() {
                let _ = write!(o, " {:>12}", format!("s{}", i + 1));
            }
            o.push('\n');
            let mut down = false;
            for x in &t {
                let p = match x.placement {
                    ascribe_store_pg::shard::Placement::Coordinator => "coordinator".to_string(),
                    ascribe_store_pg::shard::Placement::Sharded(c) => format!("hash({c})"),
                };
                let _ = write!(o, "{:<16} {:<20} {:>12}", x.table, p, x.coordinator);
                for c in &x.shards {
                    match c {
                        Some(n) => {
                            let _ = write!(o, " {n:>12}");
                        }
                        None => {
                            down = true;
                            let _ = write!(o, " {:>12}", "unreachable");
                        }
                    }
                }
                o.push('\n');
            }
            if down {
                let _ = writeln!(o, "some shards did not answer: their counts are missing");
            }
            Ok(o)
        }
        Database::Postgres(p) => {
            let mut rows = Vec::new();
            for (table, col) in ascribe_store_pg::DISTRIBUTION {
                rows.push((*table, *col, p.count_rows(table)?));
            }
            if json {
                let v: Vec<_> = rows
                    .iter()
                    .map(|(t, c, n)| serde_json::json!({"table": t, "distribution": c, "rows": n}))
                    .collect();
                return Ok(serde_json::to_string_pretty(&serde_json::json!({
                    "database": p.name(), "tables": v,
                }))? + "\n");
            }
            let mut o = format!("{} (not sharded)\n", p.name());
            for (t, _, n) in rows {
                let _ = writeln!(o, "{t:<16} {n:>12}");
            }
            Ok(o)
        }
        Database::Sqlite(_) => Err(exit(2, "store stats reads a PostgreSQL store")),
    }
}

#[cfg(not(feature = "postgres"))]
fn stats_of(_db: &Database, _json: bool) -> Result<String> {
    Err(exit(2, "store stats reads a PostgreSQL store"))
}
