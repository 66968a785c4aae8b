//! The load test's floor: the least a page of art33's stack can cost on this machine.
//!
//! One actix-web route, `GET /{client-slug}`, reads the 50 newest incidents of that client through
//! an r2d2 pool of diesel connections and renders them with a minimal askama template: no
//! session, no authorisation, no texts, no clocks. `benches/load/run.sh` serves it on the seeded
//! database beside `art33 serve` and gives every page's throughput as a share of this one's, so
//! that "close to the limit" is measured on the machine that runs the test.
//!
//! ```text
//! cargo run --release --example floor -- sqlite:///tmp/load.db 127.0.0.1:18034
//! curl http://127.0.0.1:18034/client-001
//! ```

use std::process::ExitCode;

use actix_web::{App, HttpResponse, HttpServer, web};
use askama::Template;
use diesel::r2d2::{ConnectionManager, Pool};
use diesel::sql_types::{Text, Timestamp};
use diesel::{PgConnection, QueryableByName, RunQueryDsl, SqliteConnection};

/// The pool size of `art33 serve` (`database.pool_size` in config/default.toml).
const POOL_SIZE: u32 = 8;

/// The statement, with the placeholder each engine takes. The limit is in the text: a bound
/// `LIMIT ?` makes SQLite prepare the statement again on every call.
const NEWEST_PG: &str = "SELECT i.reference, i.title, i.state, i.reported_at FROM incidents i \
     JOIN clients c ON c.id = i.client_id WHERE c.slug = $1 ORDER BY i.reported_at DESC LIMIT 50";
const NEWEST_SQLITE: &str = "SELECT i.reference, i.title, i.state, i.reported_at FROM incidents i \
     JOIN clients c ON c.id = i.client_id WHERE c.slug = ? ORDER BY i.reported_at DESC LIMIT 50";

/// One row of the page.
#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    reference: String,
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Text)]
    state: String,
    #[diesel(sql_type = Timestamp)]
    reported_at: chrono::NaiveDateTime,
}

/// The page: a table of the rows, escaped as art33's pages are.
#[derive(Template)]
#[template(
    ext = "html",
    source = "<!doctype html><html><head><meta charset=\"utf-8\"><title>{{ client }}</title></head><body>\
<h1>{{ client }}</h1><table><tr><th>Reference</th><th>Title</th><th>State</th><th>Reported</th></tr>\
{% for row in rows %}<tr><td>{{ row.reference }}</td><td>{{ row.title }}</td><td>{{ row.state }}</td>\
<td>{{ row.reported_at.format(\"%Y-%m-%d %H:%M\") }}</td></tr>{% endfor %}</table></body></html>"
)]
struct Page {
    client: String,
    rows: Vec<Row>,
}

/// A pool on either engine.
#[derive(Clone)]
enum Db {
    Postgres(Pool<ConnectionManager<PgConnection>>),
    Sqlite(Pool<ConnectionManager<SqliteConnection>>),
}

impl Db {
    fn open(url: &str) -> Result<Self, String> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            let manager = ConnectionManager::<SqliteConnection>::new(path);
            Ok(Db::Sqlite(Pool::builder().max_size(POOL_SIZE).build(manager).map_err(|e| e.to_string())?))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let manager = ConnectionManager::<PgConnection>::new(url);
            Ok(Db::Postgres(Pool::builder().max_size(POOL_SIZE).build(manager).map_err(|e| e.to_string())?))
        } else {
            Err(format!("not a sqlite:// or postgres:// URL: {url}"))
        }
    }

    /// The 50 newest incidents of the client with this slug (on the calling thread).
    fn newest(&self, slug: &str) -> Result<Vec<Row>, String> {
        let text = |e: &dyn std::fmt::Display| e.to_string();
        match self {
            Db::Postgres(pool) => {
                let mut conn = pool.get().map_err(|e| text(&e))?;
                diesel::sql_query(NEWEST_PG).bind::<Text, _>(slug).load(&mut conn).map_err(|e| text(&e))
            }
            Db::Sqlite(pool) => {
                let mut conn = pool.get().map_err(|e| text(&e))?;
                diesel::sql_query(NEWEST_SQLITE).bind::<Text, _>(slug).load(&mut conn).map_err(|e| text(&e))
            }
        }
    }
}

async fn page(db: web::Data<Db>, slug: web::Path<String>) -> HttpResponse {
    let client = slug.into_inner();
    let db = db.get_ref().clone();
    let query = client.clone();
    // Off the actix worker, as art33 runs its queries (tokio's blocking pool).
    let rows = match web::block(move || db.newest(&query)).await {
        Ok(Ok(rows)) => rows,
        Ok(Err(e)) => return HttpResponse::InternalServerError().body(e),
        Err(e) => return HttpResponse::InternalServerError().body(e.to_string()),
    };
    match (Page { client, rows }).render() {
        Ok(html) => HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html),
        Err(e) => HttpResponse::InternalServerError().body(e.to_string()),
    }
}

#[actix_web::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(url), Some(listen)) = (args.next(), args.next()) else {
        eprintln!("usage: floor DATABASE_URL LISTEN_ADDRESS");
        return ExitCode::from(2);
    };
    let db = match Db::open(&url) {
        Ok(db) => web::Data::new(db),
        Err(e) => {
            eprintln!("floor: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Workers as `art33 serve` has them: actix's default, one per core.
    let server =
        HttpServer::new(move || App::new().app_data(db.clone()).route("/{client}", web::get().to(page)))
            .bind(&listen);
    let served = match server {
        Ok(server) => server.run().await,
        Err(e) => Err(e),
    };
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("floor: {e}");
            ExitCode::FAILURE
        }
    }
}
