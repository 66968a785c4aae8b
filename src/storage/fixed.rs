//! Query pieces that write constants into the SQL text instead of binding them, for the statements
//! every page view runs.
//!
//! A bound value costs more than its bytes. PostgreSQL plans a statement with parameters again at
//! each execution until a generic plan looks as good as the custom ones, which it never does for a
//! bound `LIMIT`; and a bound state cannot select a partial index. SQLite re-prepares a statement
//! whenever its bound `LIMIT` is set again (see `clippy.toml`), and diesel does not cache a
//! statement with a bound `IN` list on SQLite at all. The values here are fixed by the types, so the
//! statements keep a static query id: each is prepared once per connection, and on PostgreSQL one
//! without any other parameter runs on its generic plan, planned once.
//!
//! Beside them are the shapes that keep those statements cheap to send: [`union_all`] (two reads in
//! one round trip) and [`WrittenOnce`] (the SQL text written once per thread).

use std::marker::PhantomData;

use diesel::backend::Backend;
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::result::{Error as DieselError, QueryResult};
use diesel::sql_types::{Bool, Text};

use super::backend::MultiBackend;

/// Texts known when compiling, such as a set of states.
pub trait Texts: 'static {
    /// The texts: at least one, none with a quote.
    const TEXTS: &'static [&'static str];
}

/// `(column IN ('a', 'b'))` (`NOT IN` when `NEGATED`; `=` or `<>` for one text) with the texts in
/// the SQL. Made by [`one_of`] and [`none_of`].
#[derive(Debug, Clone, Copy)]
pub struct TextIn<C, T, const NEGATED: bool> {
    column: C,
    texts: PhantomData<T>,
}

/// `column` is one of `T::TEXTS`.
pub fn one_of<T: Texts, C>(column: C) -> TextIn<C, T, false> {
    TextIn { column, texts: PhantomData }
}

/// `column` is none of `T::TEXTS`.
pub fn none_of<T: Texts, C>(column: C) -> TextIn<C, T, true> {
    TextIn { column, texts: PhantomData }
}

impl<C, T, const NEGATED: bool> Expression for TextIn<C, T, NEGATED>
where
    C: Expression<SqlType = Text>,
{
    type SqlType = Bool;
}

impl<C, T, QS, const NEGATED: bool> AppearsOnTable<QS> for TextIn<C, T, NEGATED> where
    C: AppearsOnTable<QS> + Expression<SqlType = Text>
{
}

impl<C, T, QS, const NEGATED: bool> SelectableExpression<QS> for TextIn<C, T, NEGATED> where
    C: SelectableExpression<QS> + Expression<SqlType = Text>
{
}

impl<C, T, GB, const NEGATED: bool> ValidGrouping<GB> for TextIn<C, T, NEGATED>
where
    C: ValidGrouping<GB>,
{
    type IsAggregate = C::IsAggregate;
}

impl<C, T, const NEGATED: bool> QueryId for TextIn<C, T, NEGATED>
where
    C: QueryId,
    T: Texts,
{
    type QueryId = TextIn<C::QueryId, T, NEGATED>;

    const HAS_STATIC_QUERY_ID: bool = C::HAS_STATIC_QUERY_ID;
}

impl<C, T, DB, const NEGATED: bool> QueryFragment<DB> for TextIn<C, T, NEGATED>
where
    DB: Backend,
    C: QueryFragment<DB>,
    T: Texts,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        if T::TEXTS.is_empty() || T::TEXTS.iter().any(|t| t.contains('\'')) {
            return Err(DieselError::QueryBuilderError("fixed texts must be some and unquoted".into()));
        }
        out.push_sql("(");
        self.column.walk_ast(out.reborrow())?;
        if let [text] = T::TEXTS {
            out.push_sql(if NEGATED { " <> '" } else { " = '" });
            out.push_sql(text);
            out.push_sql("')");
            return Ok(());
        }
        out.push_sql(if NEGATED { " NOT IN (" } else { " IN (" });
        for (i, text) in T::TEXTS.iter().enumerate() {
            out.push_sql(if i == 0 { "'" } else { ", '" });
            out.push_sql(text);
            out.push_sql("'");
        }
        out.push_sql("))");
        Ok(())
    }
}

/// A condition known when compiling, such as `outbox.status = 'failed'`: written into the SQL as
/// is, to match a partial index's predicate. Unlike `diesel::dsl::sql`, it has a static query id,
/// so statements using it are prepared once per connection.
pub trait Sql: 'static {
    /// The condition's SQL (names qualified by their table, nothing from outside).
    const SQL: &'static str;
}

/// `(T::SQL)`. Made by [`condition`].
#[derive(Debug, Clone, Copy)]
pub struct Condition<T>(PhantomData<T>);

/// The condition `T::SQL`.
pub fn condition<T: Sql>() -> Condition<T> {
    Condition(PhantomData)
}

impl<T> Expression for Condition<T> {
    type SqlType = Bool;
}

impl<T, QS> AppearsOnTable<QS> for Condition<T> {}

impl<T, QS> SelectableExpression<QS> for Condition<T> {}

impl<T, GB> ValidGrouping<GB> for Condition<T> {
    type IsAggregate = diesel::expression::is_aggregate::Never;
}

impl<T: Sql> QueryId for Condition<T> {
    type QueryId = Condition<T>;

    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<T: Sql, DB: Backend> QueryFragment<DB> for Condition<T> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("(");
        out.push_sql(T::SQL);
        out.push_sql(")");
        Ok(())
    }
}

/// A query with ` LIMIT N` written after it. Made by [`FixedLimitDsl::fixed_limit`]; only for a
/// query that has no `LIMIT`, `OFFSET` or locking clause of its own.
#[derive(Debug, Clone, Copy)]
pub struct Limited<Q, const N: u32>(Q);

/// [`Limited`] for any query.
pub trait FixedLimitDsl: Sized {
    /// At most `N` rows, with `N` in the SQL text.
    fn fixed_limit<const N: u32>(self) -> Limited<Self, N> {
        Limited(self)
    }
}

impl<Q: Query> FixedLimitDsl for Q {}

impl<Q: Query, const N: u32> Query for Limited<Q, N> {
    type SqlType = Q::SqlType;
}

impl<Q: QueryId, const N: u32> QueryId for Limited<Q, N> {
    type QueryId = Limited<Q::QueryId, N>;

    const HAS_STATIC_QUERY_ID: bool = Q::HAS_STATIC_QUERY_ID;
}

impl<Q, DB, const N: u32> QueryFragment<DB> for Limited<Q, N>
where
    DB: Backend,
    Q: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(" LIMIT ");
        out.push_sql(&N.to_string());
        Ok(())
    }
}

impl<Q, Conn, const N: u32> diesel::RunQueryDsl<Conn> for Limited<Q, N> {}

/// `(query)`: a query of at most one row as a value, without the `LIMIT ?` that diesel's
/// `single_value` binds (and that makes SQLite prepare the statement again at every call). Only
/// for an aggregate or a lookup by a unique key; uncorrelated, so it appears in any `SELECT`.
/// Made by [`scalar`].
#[derive(Debug, Clone, Copy)]
pub struct Scalar<Q>(Q);

/// `query` as a value (`NULL` when it yields no row).
pub fn scalar<Q: Query>(query: Q) -> Scalar<Q> {
    Scalar(query)
}

impl<Q> Expression for Scalar<Q>
where
    Q: Query,
    Q::SqlType: diesel::sql_types::IntoNullable,
    <Q::SqlType as diesel::sql_types::IntoNullable>::Nullable: diesel::expression::TypedExpressionType,
{
    type SqlType = <Q::SqlType as diesel::sql_types::IntoNullable>::Nullable;
}

impl<Q, QS> AppearsOnTable<QS> for Scalar<Q> where Scalar<Q>: Expression {}

impl<Q, QS> SelectableExpression<QS> for Scalar<Q> where Scalar<Q>: Expression {}

impl<Q, GB> ValidGrouping<GB> for Scalar<Q> {
    type IsAggregate = diesel::expression::is_aggregate::Never;
}

impl<Q: QueryId> QueryId for Scalar<Q> {
    type QueryId = Scalar<Q::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = Q::HAS_STATIC_QUERY_ID;
}

impl<Q, DB> QueryFragment<DB> for Scalar<Q>
where
    DB: Backend,
    Q: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("(");
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(")");
        Ok(())
    }
}

/// `SELECT * FROM (first) AS lhs UNION ALL SELECT * FROM (second) AS rhs`: two statements'
/// rows in one round trip, each query keeping its own `ORDER BY` and `LIMIT`. Made by
/// [`union_all`].
///
/// Written the same on both engines, so it runs on the multi-backend connection (diesel's own
/// `union_all` is per backend). SQL does not promise the order of a `UNION ALL`: callers split the
/// rows and sort each part again.
#[derive(Debug, Clone, Copy)]
pub struct UnionAll<A, B>(A, B);

/// Both queries' rows, in one statement (see [`UnionAll`]).
pub fn union_all<A, B>(first: A, second: B) -> UnionAll<A, B>
where
    A: Query,
    B: Query<SqlType = A::SqlType>,
{
    UnionAll(first, second)
}

impl<A: Query, B> Query for UnionAll<A, B> {
    type SqlType = A::SqlType;
}

impl<A: QueryId, B: QueryId> QueryId for UnionAll<A, B> {
    type QueryId = UnionAll<A::QueryId, B::QueryId>;

    const HAS_STATIC_QUERY_ID: bool = A::HAS_STATIC_QUERY_ID && B::HAS_STATIC_QUERY_ID;
}

impl<A, B, DB> QueryFragment<DB> for UnionAll<A, B>
where
    DB: Backend,
    A: QueryFragment<DB>,
    B: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("SELECT * FROM (");
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(") AS lhs UNION ALL SELECT * FROM (");
        self.1.walk_ast(out.reborrow())?;
        out.push_sql(") AS rhs");
        Ok(())
    }
}

impl<A, B, Conn> diesel::RunQueryDsl<Conn> for UnionAll<A, B> {}

/// A query whose SQL text is written once per thread and backend instead of at every execution.
/// Diesel's connection over both backends (`AnyConnection`) writes the SQL of a statement anew each
/// time it runs it, twice (to learn whether the statement may be cached, then to bind its values),
/// even when the prepared statement is taken from the connection's cache: for the statements every
/// page view runs, a tenth of the incident page. The text of a query with a static query id that
/// diesel may cache is fixed by its type, which is what diesel's statement cache relies on too; any
/// other query (an `IN` list of bound values on SQLite, say) is written each time, as before. Made
/// by [`WrittenOnceDsl::written_once`].
#[derive(Debug, Clone, Copy)]
pub struct WrittenOnce<Q>(Q);

/// [`WrittenOnce`] for any query.
pub trait WrittenOnceDsl: Sized {
    /// This query, its SQL written once per thread and backend.
    fn written_once(self) -> WrittenOnce<Self> {
        WrittenOnce(self)
    }
}

impl<Q: Query> WrittenOnceDsl for Q {}

impl<Q: Query> Query for WrittenOnce<Q> {
    type SqlType = Q::SqlType;
}

impl<Q: QueryId> QueryId for WrittenOnce<Q> {
    // The same statement as the query itself: it shares its prepared statement.
    type QueryId = Q::QueryId;

    const HAS_STATIC_QUERY_ID: bool = Q::HAS_STATIC_QUERY_ID;
}

/// What [`WrittenOnce`] remembers of one query type on one backend: its SQL when diesel may cache
/// the statement (its text is then its type's), `None` when not (its text may vary with its values).
struct Written {
    sql: Option<String>,
}

type WrittenKey = (std::any::TypeId, std::mem::Discriminant<MultiBackend>);

thread_local! {
    static WRITTEN: std::cell::RefCell<
        std::collections::HashMap<WrittenKey, Written, foldhash::fast::FixedState>,
    > = std::cell::RefCell::default();
}

impl<Q: QueryFragment<MultiBackend> + QueryId> WrittenOnce<Q> {
    /// `read` of what is remembered of this query on `backend`, written first if need be; `None`
    /// for a query without a static query id.
    fn remembered<R>(
        &self,
        backend: &MultiBackend,
        read: impl FnOnce(&Written) -> R,
    ) -> QueryResult<Option<R>> {
        let Some(id) = Q::query_id() else { return Ok(None) };
        let key = (id, std::mem::discriminant(backend));
        if !WRITTEN.with_borrow(|written| written.contains_key(&key)) {
            // Written outside the borrow: a query may hold another.
            let written = self.write(backend)?;
            WRITTEN.with_borrow_mut(|remembered| remembered.insert(key, written));
        }
        Ok(WRITTEN.with_borrow(|written| written.get(&key).map(read)))
    }

    fn write(&self, backend: &MultiBackend) -> QueryResult<Written> {
        if !self.0.is_safe_to_cache_prepared(backend)? {
            return Ok(Written { sql: None });
        }
        type Builder = <MultiBackend as Backend>::QueryBuilder;
        let mut builder = match backend {
            MultiBackend::Postgresql(_) => Builder::Postgresql(Default::default()),
            MultiBackend::Sqlite(_) => Builder::Sqlite(Default::default()),
        };
        self.0.to_sql(&mut builder, backend)?;
        Ok(Written { sql: Some(diesel::query_builder::QueryBuilder::finish(builder)) })
    }
}

impl<Q: QueryFragment<MultiBackend> + QueryId> QueryFragment<MultiBackend> for WrittenOnce<Q> {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        self.0.walk_ast(out)
    }

    fn to_sql(
        &self,
        out: &mut <MultiBackend as Backend>::QueryBuilder,
        backend: &MultiBackend,
    ) -> QueryResult<()> {
        use diesel::query_builder::QueryBuilder;
        let pushed =
            self.remembered(backend, |written| written.sql.as_deref().map(|sql| out.push_sql(sql)))?;
        match pushed.flatten() {
            Some(()) => Ok(()),
            None => self.0.to_sql(out, backend),
        }
    }

    fn is_safe_to_cache_prepared(&self, backend: &MultiBackend) -> QueryResult<bool> {
        match self.remembered(backend, |written| written.sql.is_some())? {
            Some(safe) => Ok(safe),
            None => self.0.is_safe_to_cache_prepared(backend),
        }
    }
}

impl<Q, Conn> diesel::RunQueryDsl<Conn> for WrittenOnce<Q> {}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;
    use diesel::query_builder::QueryId;

    use super::*;
    use crate::storage::schema::incidents;

    struct Open;
    impl Texts for Open {
        const TEXTS: &'static [&'static str] = &["reported", "confirmed"];
    }
    struct Running;
    impl Texts for Running {
        const TEXTS: &'static [&'static str] = &["confirmed"];
    }

    fn sql<Q: QueryFragment<diesel::sqlite::Sqlite>>(query: &Q) -> String {
        diesel::debug_query::<diesel::sqlite::Sqlite, _>(query).to_string()
    }

    #[test]
    fn texts_and_limit_are_in_the_sql_and_the_query_id_is_static() {
        let query = incidents::table
            .filter(none_of::<Open, _>(incidents::state))
            .filter(one_of::<Running, _>(incidents::state).or(one_of::<Open, _>(incidents::state)))
            .order(incidents::updated_at.desc())
            .select(incidents::id)
            .fixed_limit::<100>();
        assert_eq!(
            sql(&query),
            "SELECT `incidents`.`id` FROM `incidents` WHERE ((`incidents`.`state` NOT IN ('reported', \
             'confirmed')) AND ((`incidents`.`state` = 'confirmed') OR (`incidents`.`state` IN \
             ('reported', 'confirmed')))) ORDER BY `incidents`.`updated_at` DESC LIMIT 100 -- binds: []"
        );
        fn static_id<Q: QueryId>(_: &Q) -> bool {
            Q::HAS_STATIC_QUERY_ID && Q::query_id().is_some()
        }
        assert!(static_id(&query));
        struct Failed;
        impl Sql for Failed {
            const SQL: &'static str = "outbox.status = 'failed'";
        }
        let failed = crate::storage::schema::outbox::table
            .filter(condition::<Failed>())
            .select(crate::storage::schema::outbox::id)
            .fixed_limit::<20>();
        assert_eq!(
            sql(&failed),
            "SELECT `outbox`.`id` FROM `outbox` WHERE (outbox.status = 'failed') LIMIT 20 -- binds: []"
        );
        assert!(static_id(&failed), "a condition keeps the statement cacheable");
        let single = incidents::table.filter(none_of::<Running, _>(incidents::state)).select(incidents::id);
        assert_eq!(
            sql(&single),
            "SELECT `incidents`.`id` FROM `incidents` WHERE (`incidents`.`state` <> 'confirmed') -- binds: []",
            "one text: <>, in parentheses like every other operand"
        );
    }

    #[test]
    fn a_scalar_subquery_binds_no_limit_and_keeps_a_static_query_id() {
        let last = incidents::table
            .filter(incidents::ref_year.eq(2026))
            .select(diesel::dsl::max(incidents::ref_number));
        let query =
            diesel::select((scalar(last), scalar(incidents::table.select(diesel::dsl::count_star()))));
        assert_eq!(
            sql(&query),
            "SELECT (SELECT max(`incidents`.`ref_number`) FROM `incidents` WHERE (`incidents`.`ref_year` = ?)), \
             (SELECT COUNT(*) FROM `incidents`) -- binds: [2026]"
        );
        fn static_id<Q: QueryId>(_: &Q) -> bool {
            Q::HAS_STATIC_QUERY_ID && Q::query_id().is_some()
        }
        assert!(static_id(&query));
    }

    /// A query that counts how often it is walked, on this thread; `SAFE` or not to cache.
    #[derive(Debug, Clone, Copy)]
    struct Probe<const SAFE: bool>;

    thread_local! {
        static WALKS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    }

    impl<const SAFE: bool> Query for Probe<SAFE> {
        type SqlType = diesel::sql_types::Integer;
    }

    impl<const SAFE: bool> QueryId for Probe<SAFE> {
        type QueryId = Self;
        const HAS_STATIC_QUERY_ID: bool = true;
    }

    impl<const SAFE: bool> QueryFragment<MultiBackend> for Probe<SAFE> {
        fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
            WALKS.set(WALKS.get() + 1);
            if !SAFE {
                out.unsafe_to_cache_prepared();
            }
            out.push_sql("SELECT 1");
            Ok(())
        }
    }

    fn written<Q: QueryFragment<MultiBackend>>(query: &Q, backend: &MultiBackend) -> String {
        type Builder = <MultiBackend as Backend>::QueryBuilder;
        let mut builder = match backend {
            MultiBackend::Postgresql(_) => Builder::Postgresql(Default::default()),
            MultiBackend::Sqlite(_) => Builder::Sqlite(Default::default()),
        };
        query.to_sql(&mut builder, backend).unwrap();
        diesel::query_builder::QueryBuilder::finish(builder)
    }

    #[test]
    fn a_query_written_once_is_written_once_per_backend_with_the_same_text() {
        let backends =
            [MultiBackend::Sqlite(diesel::sqlite::Sqlite), MultiBackend::Postgresql(diesel::pg::Pg)];
        // A page's query: the same text as the query itself, on each backend.
        let query = || {
            incidents::table
                .filter(incidents::id.eq("x"))
                .filter(one_of::<Running, _>(incidents::state))
                .select((incidents::id, incidents::title))
                .fixed_limit::<5>()
        };
        for backend in &backends {
            let once = query().written_once();
            assert_eq!(written(&once, backend), written(&query(), backend));
            assert_eq!(written(&once, backend), written(&query(), backend), "and again, from memory");
            assert!(once.is_safe_to_cache_prepared(backend).unwrap());
        }
        assert!(written(&query().written_once(), &backends[0]).contains('?'));
        assert!(written(&query().written_once(), &backends[1]).contains("$1"), "each backend its own text");

        // Written when first asked for (whether it may be cached, then its text), never again.
        let probe = Probe::<true>.written_once();
        for backend in &backends {
            let before = WALKS.get();
            assert!(probe.is_safe_to_cache_prepared(backend).unwrap());
            assert_eq!(written(&probe, backend), "SELECT 1");
            let first = WALKS.get() - before;
            assert!(first > 0);
            for _ in 0..3 {
                assert_eq!(written(&probe, backend), "SELECT 1");
                assert!(probe.is_safe_to_cache_prepared(backend).unwrap());
            }
            assert_eq!(WALKS.get() - before, first, "not written again");
        }
        // A statement diesel may not cache may change its text with its values: written every time.
        let unsafe_probe = Probe::<false>.written_once();
        let before = WALKS.get();
        for _ in 0..3 {
            assert_eq!(written(&unsafe_probe, &backends[0]), "SELECT 1");
            assert!(!unsafe_probe.is_safe_to_cache_prepared(&backends[0]).unwrap());
        }
        assert!(WALKS.get() - before > 3, "its text written at each call");
    }
}
