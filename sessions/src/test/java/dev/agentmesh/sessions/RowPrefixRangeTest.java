package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.sessions.spi.RowQuery;
import dev.agentmesh.testsupport.PostgresTestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key-prefix row query is one index range scan, bounded at both ends, on PostgreSQL and SQLite: a
 * prefix with few rows costs those rows, not the rest of the namespace.
 */
class RowPrefixRangeTest {

  private static final PostgresTestDatabase DB = PostgresTestDatabase.get();
  private static final List<String> SCHEMAS = new ArrayList<>();

  @AfterAll
  static void dropSchemas() {
    SCHEMAS.forEach(DB::dropSchema);
  }

  @Test
  void thePrefixEndIsTheLeastKeyAboveEveryKeyStartingWithThePrefix() {
    assertThat(JdbcRows.prefixEnd("p/ana/")).isEqualTo("p/ana0");
    assertThat(JdbcRows.prefixEnd("a\uD7FF")).isEqualTo("a\uE000");
    assertThat(JdbcRows.prefixEnd("a\uFFFF")).isEqualTo("a\uD800\uDC00");
    assertThat(JdbcRows.prefixEnd("a\uDBFF\uDFFF")).isEqualTo("b");
    assertThat(JdbcRows.prefixEnd("a\uDBFF\uDFFF\uDBFF\uDFFF")).isEqualTo("b");
    assertThat(JdbcRows.prefixEnd("\uDBFF\uDFFF")).isNull();
  }

  @Test
  void onPostgresqlAPrefixQueryIsAnIndexRangeScanBoundedAtBothEnds() {
    String schema = PostgresTestDatabase.newSchema("rowrange");
    SCHEMAS.add(schema);
    PostgresSessionStore store =
        PostgresSessionStore.builder(DB.dataSource()).schema(schema).build();
    DB.execute(
        "INSERT INTO \""
            + schema
            + "\".agentmesh_rows (namespace, key, session_id, value) "
            + "SELECT 'review.queue', 'p/user:u' || (i % 50) || '/' || (i % 4) || '/' || i,"
            + " 's-' || i, '{}'::jsonb FROM generate_series(1, 20000) i");
    DB.execute("ANALYZE \"" + schema + "\".agentmesh_rows");

    String plan =
        String.join(
            "\n",
            store.explainRows(
                RowQuery.builder("review.queue")
                    .keyPrefix("p/user:u7/")
                    .afterKey("p/user:u7/1/")
                    .limit(51)
                    .build()));

    // An index scan or, for a range this small, a bitmap scan of the same index: bounded either way
    assertThat(plan)
        .containsPattern("Index Scan (using|on) agentmesh_rows_pkey")
        .contains(
            "Index Cond: ((namespace = 'review.queue'::text) AND (key >= 'p/user:u7/'::text) "
                + "AND (key < 'p/user:u70'::text) AND (key > 'p/user:u7/1/'::text))")
        .doesNotContain("Seq Scan");
  }

  @Test
  void onSqliteAPrefixQueryIsAnIndexRangeScanBoundedAtBothEnds(@TempDir Path dir) {
    SqliteSessionStore store = SqliteSessionStore.create(dir.resolve("rows.db"));

    String plan =
        String.join(
            "\n",
            store.explainRows(
                RowQuery.builder("review.queue").keyPrefix("p/user:u7/").limit(51).build()));

    assertThat(plan)
        .contains("USING INDEX sqlite_autoindex_agentmesh_rows_1 (namespace=? AND key>? AND key<?)")
        .doesNotContain("TEMP B-TREE");
  }
}
