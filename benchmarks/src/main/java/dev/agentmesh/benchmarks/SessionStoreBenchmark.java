package dev.agentmesh.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmesh.sessions.PostgresSessionStore;
import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.SessionSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Append throughput of {@link PostgresSessionStore} next to its floor: raw JDBC writing the same
 * rows (one event row plus the session row's update, in one transaction) over the same pool. Needs
 * PostgreSQL: {@code AGENTMESH_TEST_PG_URL} or 127.0.0.1:5432/test as user postgres.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SessionStoreBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SessionStoreBenchmark {

  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

  /** One schema and pool for the run. */
  @State(Scope.Benchmark)
  public static class Db {
    HikariDataSource dataSource;
    PostgresSessionStore store;
    String schema;
    final AtomicInteger sessions = new AtomicInteger();
    final JsonNode payload =
        JsonMapper.builder()
            .build()
            .readTree(
                "{\"author\":\"ana\","
                    + "\"text\":\"Please summarise yesterday's incidents and propose three follow-ups.\","
                    + "\"refs\":[\"INC-101\",\"INC-102\"],\"tokens\":{\"in\":812,\"out\":164}}");

    @Setup(Level.Trial)
    public void open() {
      String url =
          System.getenv()
              .getOrDefault(
                  "AGENTMESH_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(url);
      config.setMaximumPoolSize(8);
      dataSource = new HikariDataSource(config);
      schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
      store = PostgresSessionStore.builder(dataSource).schema(schema).migrate(true).build();
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
      try (Connection c = dataSource.getConnection();
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA \"" + schema + "\" CASCADE");
      }
      dataSource.close();
    }
  }

  /** Each thread appends to sessions of its own, so conflicts do not skew the numbers. */
  @State(Scope.Thread)
  public static class Writer {
    String storeSession;
    String rawSession;
    long storeVersion;
    long rawVersion;
    SessionSummary summary;

    @Setup(Level.Trial)
    public void create(Db db) throws SQLException {
      int n = db.sessions.incrementAndGet();
      storeSession = "store-" + n;
      rawSession = "raw-" + n;
      summary =
          SessionSummary.builder(storeSession)
              .agent("triage")
              .status("running")
              .runnable(true)
              .origin("bench")
              .createdAt(T0)
              .updatedAt(T0)
              .build();
      storeVersion = db.store.append(storeSession, 0, List.of(event(db)), summary);
      SessionSummary raw =
          SessionSummary.builder(rawSession)
              .agent("triage")
              .status("running")
              .runnable(true)
              .origin("bench")
              .createdAt(T0)
              .updatedAt(T0)
              .build();
      rawVersion = db.store.append(rawSession, 0, List.of(event(db)), raw);
    }
  }

  private static NewEvent event(Db db) {
    return new NewEvent("message.posted", 1, db.payload, T0);
  }

  @Benchmark
  public long storeAppend(Db db, Writer w) {
    w.storeVersion = db.store.append(w.storeSession, w.storeVersion, List.of(event(db)), w.summary);
    return w.storeVersion;
  }

  @Benchmark
  public long rawJdbcFloor(Db db, Writer w) throws SQLException {
    String events = "\"" + db.schema + "\".agentmesh_events";
    String sessions = "\"" + db.schema + "\".agentmesh_sessions";
    long next = w.rawVersion + 1;
    try (Connection c = db.dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE "
                      + sessions
                      + " SET updated_at = ?, version = ? WHERE id = ? AND version = ?");
          PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO "
                      + events
                      + " (session_id, version, type, type_version, payload, at)"
                      + " VALUES (?, ?, ?, ?, ?::jsonb, ?)")) {
        OffsetDateTime at = OffsetDateTime.ofInstant(T0, ZoneOffset.UTC);
        update.setObject(1, at);
        update.setLong(2, next);
        update.setString(3, w.rawSession);
        update.setLong(4, w.rawVersion);
        update.executeUpdate();
        insert.setString(1, w.rawSession);
        insert.setLong(2, next);
        insert.setString(3, "message.posted");
        insert.setInt(4, 1);
        insert.setString(5, db.payload.toString());
        insert.setObject(6, at);
        insert.executeUpdate();
      }
      c.commit();
      c.setAutoCommit(true);
    }
    w.rawVersion = next;
    return next;
  }
}
