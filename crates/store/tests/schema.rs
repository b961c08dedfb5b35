//! The two backends' migrations give the same schema: the same tables, each with the same
//! columns, and the same indexes on the same columns. A migration written for one backend and
//! forgotten (or spelled differently) for the other fails here.

use gongkai_store::Db;
use gongkai_store::testing::TestDb;
use std::collections::BTreeMap;

/// Table → columns (sorted), and index name → (table, columns in index order).
#[derive(Debug, PartialEq, Eq)]
struct Schema {
    tables: BTreeMap<String, Vec<String>>,
    indexes: BTreeMap<String, (String, Vec<String>)>,
}

async fn sqlite_schema(db: &Db) -> Schema {
    let Db::Sqlite(p) = db else {
        panic!("not SQLite")
    };
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name NOT LIKE '_sqlx%' ORDER BY name",
    )
    .fetch_all(p)
    .await
    .unwrap();
    let mut s = Schema {
        tables: BTreeMap::new(),
        indexes: BTreeMap::new(),
    };
    for (t,) in tables {
        let cols: Vec<(String,)> = sqlx::query_as("SELECT name FROM pragma_table_info($1)")
            .bind(&t)
            .fetch_all(p)
            .await
            .unwrap();
        let mut cols: Vec<String> = cols.into_iter().map(|c| c.0).collect();
        cols.sort();
        // Named indexes only: SQLite's automatic ones (for UNIQUE and PRIMARY KEY) have
        // PostgreSQL counterparts under other names, and the constraints are compared as columns.
        let idx: Vec<(String,)> = sqlx::query_as(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 \
             AND name NOT LIKE 'sqlite_autoindex%'",
        )
        .bind(&t)
        .fetch_all(p)
        .await
        .unwrap();
        for (i,) in idx {
            let ic: Vec<(i64, Option<String>)> =
                sqlx::query_as("SELECT seqno, name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&i)
                    .fetch_all(p)
                    .await
                    .unwrap();
            let cols = ic
                .into_iter()
                .map(|c| c.1.unwrap_or_else(|| "(expression)".into()));
            s.indexes.insert(i, (t.clone(), cols.collect()));
        }
        s.tables.insert(t, cols);
    }
    s
}

async fn postgres_schema(db: &Db) -> Schema {
    let Db::Postgres(p) = db else {
        panic!("not PostgreSQL")
    };
    let cols: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%' \
         ORDER BY table_name, column_name",
    )
    .fetch_all(p)
    .await
    .unwrap();
    let mut s = Schema {
        tables: BTreeMap::new(),
        indexes: BTreeMap::new(),
    };
    for (t, c) in cols {
        s.tables.entry(t).or_default().push(c);
    }
    // Indexes made by CREATE INDEX, not those behind PRIMARY KEY and UNIQUE constraints.
    let idx: Vec<(String, String, Vec<String>)> = sqlx::query_as(
        "SELECT i.relname::text, t.relname::text, \
                array_agg(COALESCE(a.attname::text, '(expression)') ORDER BY k.ord) \
         FROM pg_index x \
         JOIN pg_class i ON i.oid = x.indexrelid \
         JOIN pg_class t ON t.oid = x.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord) \
         LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
         WHERE n.nspname = current_schema() AND t.relname NOT LIKE '_sqlx%' \
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) \
         GROUP BY i.relname, t.relname",
    )
    .fetch_all(p)
    .await
    .unwrap();
    for (i, t, c) in idx {
        s.indexes.insert(i, (t, c));
    }
    s
}

#[tokio::test]
async fn sqlite_and_postgres_migrations_give_the_same_tables_columns_and_indexes() {
    let (a, b) = (TestDb::sqlite().await, TestDb::postgres().await);
    let (sa, sb) = (sqlite_schema(&a.db).await, postgres_schema(&b.db).await);
    assert!(!sa.tables.is_empty() && !sa.indexes.is_empty(), "{sa:#?}");
    for (t, cols) in &sa.tables {
        assert_eq!(Some(cols), sb.tables.get(t), "columns of table {t}");
    }
    assert_eq!(
        sa.tables.keys().collect::<Vec<_>>(),
        sb.tables.keys().collect::<Vec<_>>(),
        "tables"
    );
    assert_eq!(sa.indexes, sb.indexes, "indexes");
    a.cleanup().await;
    b.cleanup().await;
}
