package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.SessionSummary;
import dev.agentmesh.testsupport.PostgresTestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class PostgresSessionStoreTest {

  private static final PostgresTestDatabase DB = PostgresTestDatabase.get();
  private static final List<String> SCHEMAS = new ArrayList<>();
  private final JsonMapper json = JsonMapper.builder().build();

  @BeforeAll
  static void announce() {
    System.out.println(
        "[agentmesh] PostgresSessionStoreTest on "
            + DB.description()
            + (DB.isEmbedded() ? " (embedded)" : ""));
  }

  @AfterAll
  static void dropSchemas() {
    SCHEMAS.forEach(DB::dropSchema);
  }

  private static String schema() {
    String schema = PostgresTestDatabase.newSchema("pgtest");
    SCHEMAS.add(schema);
    return schema;
  }

  @Test
  void nodesStartingTogetherApplyTheSchemaExactlyOnce() throws Exception {
    String schema = schema();
    int nodes = 4;
    CyclicBarrier start = new CyclicBarrier(nodes);
    ExecutorService pool = Executors.newFixedThreadPool(nodes);
    try {
      List<Future<PostgresSessionStore>> started = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        started.add(
            pool.submit(
                () -> {
                  start.await(30, TimeUnit.SECONDS);
                  return PostgresSessionStore.builder(DB.dataSource())
                      .schema(schema)
                      .migrate(true)
                      .build();
                }));
      }
      for (Future<PostgresSessionStore> f : started) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(
            query(
                "SELECT count(*) || ':' || max(version) FROM \""
                    + schema
                    + "\".agentmesh_schema_version"))
        .isEqualTo("5:5");
  }

  @Test
  void payloadsAreJsonbThatSqlCanQuery() throws Exception {
    String schema = schema();
    PostgresSessionStore store =
        PostgresSessionStore.builder(DB.dataSource()).schema(schema).migrate(true).build();
    Instant t0 = Instant.parse("2026-03-01T09:00:00Z");
    store.append(
        "s-1",
        0,
        List.of(new NewEvent("tool.returned", 2, json.readTree("{\"tool\":\"crm\",\"n\":7}"), t0)),
        SessionSummary.builder("s-1").agent("triage").createdAt(t0).updatedAt(t0).build());

    assertThat(
            query(
                "SELECT pg_typeof(payload)::text || ' ' || (payload->>'tool') || ' '"
                    + " || type_version FROM \""
                    + schema
                    + "\".agentmesh_events"))
        .isEqualTo("jsonb crm 2");
  }

  @Test
  void theSchemaFilesAreNamedForFlyway() {
    assertThat(Migrations.read("postgresql", "V1__sessions.sql"))
        .contains("CREATE TABLE IF NOT EXISTS agentmesh_events");
    assertThat(
            PostgresSessionStoreTest.class.getResource("/db/agentmesh/postgresql/V1__sessions.sql"))
        .isNotNull();
    assertThat(PostgresSessionStoreTest.class.getResource("/db/agentmesh/sqlite/V1__sessions.sql"))
        .isNotNull();
  }

  @Test
  void aSchemaNameThatIsNotAPlainIdentifierIsRefused() {
    assertThatThrownBy(() -> PostgresSessionStore.builder(DB.dataSource()).schema("x\"; drop"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "schema must be a lower-case SQL identifier ([a-z_][a-z0-9_]*, at most 63 "
                + "characters) but was 'x\"; drop'");
  }

  @Test
  void aStoreOverAnUnmigratedSchemaFailsNamingTheMigrateCall() {
    PostgresSessionStore store =
        PostgresSessionStore.builder(DB.dataSource())
            .schema(PostgresTestDatabase.newSchema("never_created"))
            .migrate(false)
            .build();
    assertThatThrownBy(() -> store.find("s-1"))
        .isInstanceOf(dev.agentmesh.sessions.spi.SessionStoreException.class)
        .hasMessageStartingWith("PostgresSessionStore failed to find session 's-1': ")
        .hasMessageContaining("(SQLState 42P01)")
        .hasMessageEndingWith(
            "the agentmesh tables do not exist: build the store with "
                + "PostgresSessionStore.builder(dataSource).build() (it migrates unless migrate(false) is "
                + "set), or have your Flyway apply classpath:db/agentmesh/postgresql to this schema");
  }

  @Test
  void theDocumentedFactoryWorksOnAnEmptyDatabase() throws Exception {
    String schema = schema();
    DB.execute("CREATE SCHEMA \"" + schema + "\"");
    org.postgresql.ds.PGSimpleDataSource empty = new org.postgresql.ds.PGSimpleDataSource();
    String url = ((com.zaxxer.hikari.HikariDataSource) DB.dataSource()).getJdbcUrl();
    empty.setURL(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);

    PostgresSessionStore store = PostgresSessionStore.create(empty);
    Instant t0 = Instant.parse("2026-03-01T09:00:00Z");
    store.append(
        "s-1",
        0,
        List.of(new NewEvent("session.created", 1, json.readTree("{}"), t0)),
        SessionSummary.builder("s-1").agent("triage").createdAt(t0).updatedAt(t0).build());

    assertThat(store.find("s-1")).map(SessionSummary::version).contains(1L);
    assertThat(query("SELECT count(*) FROM \"" + schema + "\".agentmesh_events")).isEqualTo("1");
  }

  @Test
  void aSchemaOfAnOlderReleaseIsUpgradedByTheNextMigratingStore() throws Exception {
    String schema = schema();
    DB.execute("CREATE SCHEMA \"" + schema + "\"");
    for (String sql : Migrations.statements(Migrations.read("postgresql", "V1__sessions.sql"))) {
      DB.execute("BEGIN; SET LOCAL search_path TO \"" + schema + "\"; " + sql + "; COMMIT");
    }
    PostgresSessionStore stale =
        PostgresSessionStore.builder(DB.dataSource()).schema(schema).migrate(false).build();
    assertThatThrownBy(() -> stale.claim("a", Instant.EPOCH, java.time.Duration.ofSeconds(1), 1))
        .hasMessageContaining("the agentmesh tables are older than this release");

    PostgresSessionStore.builder(DB.dataSource()).schema(schema).build();

    assertThat(stale.claim("a", Instant.EPOCH, java.time.Duration.ofSeconds(1), 1)).isEmpty();
    assertThat(stale.findRow("sessions.once", "k")).as("V3's rows table").isEmpty();
  }

  @Test
  void aVersion4SchemaWithDataIsUpgradedToVersion5KeepingEveryQueryServed() throws Exception {
    String schema = schema();
    DB.execute("CREATE SCHEMA \"" + schema + "\"");
    for (String file : Migrations.FILES.subList(0, 4)) {
      for (String sql : Migrations.statements(Migrations.read("postgresql", file))) {
        DB.execute("BEGIN; SET LOCAL search_path TO \"" + schema + "\"; " + sql + "; COMMIT");
      }
    }
    DB.execute(
        "CREATE TABLE \""
            + schema
            + "\".agentmesh_schema_version (version INTEGER NOT NULL PRIMARY KEY,"
            + " description TEXT NOT NULL, applied_at TEXT NOT NULL)");
    DB.execute(
        "INSERT INTO \""
            + schema
            + "\".agentmesh_schema_version VALUES (1, 'sessions', 'x'), (2, 'lease_epoch', 'x'),"
            + " (3, 'rows', 'x'), (4, 'retention', 'x')");
    Instant t0 = Instant.parse("2026-03-01T09:00:00Z");
    PostgresSessionStore old =
        PostgresSessionStore.builder(DB.dataSource()).schema(schema).migrate(false).build();
    old.append(
        "s-1",
        0,
        List.of(new NewEvent("session.created", 1, json.readTree("{}"), t0)),
        SessionSummary.builder("s-1")
            .agent("triage")
            .participants(java.util.Set.of("ana"))
            .createdAt(t0)
            .updatedAt(t0)
            .build());

    PostgresSessionStore store =
        PostgresSessionStore.builder(DB.dataSource()).schema(schema).build();

    assertThat(
            store
                .query(dev.agentmesh.sessions.spi.SessionQuery.builder().participant("ana").build())
                .sessions())
        .extracting(SessionSummary::id)
        .containsExactly("s-1");
    assertThat(query("SELECT max(version) FROM \"" + schema + "\".agentmesh_schema_version"))
        .isEqualTo("5");
    assertThat(indexes(schema))
        .contains("agentmesh_sessions_participant_lists_idx", "agentmesh_rows_of_session_idx")
        .doesNotContain(
            "agentmesh_sessions_participants_idx",
            "agentmesh_rows_session_idx",
            "agentmesh_rows_by_session_idx");
    assertThat(
            query(
                "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid = '\""
                    + schema
                    + "\".agentmesh_events'::regclass"))
        .as("the events' foreign key is gone")
        .isEqualTo("0");
  }

  @Test
  void version5CanBeAppliedAgainOverItself() throws Exception {
    String schema = schema();
    PostgresSessionStore.builder(DB.dataSource()).schema(schema).build();
    for (String sql :
        Migrations.statements(Migrations.read("postgresql", "V5__lighter_creates.sql"))) {
      DB.execute("BEGIN; SET LOCAL search_path TO \"" + schema + "\"; " + sql + "; COMMIT");
    }
    assertThat(indexes(schema))
        .contains("agentmesh_sessions_participant_lists_idx", "agentmesh_rows_of_session_idx");
  }

  @Test
  void theParticipantFilterAsTheStoreWritesItIsServedByThePartialIndex() throws Exception {
    String schema = schema();
    PostgresSessionStore.builder(DB.dataSource()).schema(schema).build();
    String plan;
    try (Connection c = DB.dataSource().getConnection();
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("SET LOCAL enable_seqscan = off");
      try (ResultSet rs =
          s.executeQuery(
              "EXPLAIN SELECT id FROM \""
                  + schema
                  + "\".agentmesh_sessions WHERE true AND "
                  + PostgresSessionStore.PARTICIPANT_FILTER.replace("?", "'ana'")
                  + " ORDER BY created_at, id LIMIT 51")) {
        StringBuilder lines = new StringBuilder();
        while (rs.next()) {
          lines.append(rs.getString(1)).append('\n');
        }
        plan = lines.toString();
      }
      c.rollback();
    }
    assertThat(plan).contains("agentmesh_sessions_participant_lists_idx");
  }

  private static String indexes(String schema) throws Exception {
    return query(
        "SELECT string_agg(indexname, ',') FROM pg_indexes WHERE schemaname = '" + schema + "'");
  }

  private static String query(String sql) throws Exception {
    try (Connection c = DB.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
