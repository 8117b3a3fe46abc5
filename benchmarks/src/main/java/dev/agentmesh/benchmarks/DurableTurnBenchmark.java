package dev.agentmesh.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmesh.core.AgentRequest;
import dev.agentmesh.core.AgentResult;
import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.PostgresSessionStore;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.Sessions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One durable agent turn on PostgreSQL: start a session and run its agent (a scripted model, so
 * only agentmesh and the database are measured) to completion, every step appended before the next:
 * created, run started, model called, model responded, output produced + completed (five
 * transactions), plus the lease. Next to it, the two floors: {@code rawJdbcFloor} writes the same
 * rows in the same transactions with plain JDBC (the floor of durability), and {@code
 * statelessCall} makes the same agent call without a session (the floor of the agent loop). Needs
 * PostgreSQL: {@code AGENTMESH_TEST_PG_URL} or 127.0.0.1:5432/test as user postgres.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar DurableTurnBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DurableTurnBenchmark {

  /** The mesh, the pool, and Sessions driving turns on the calling thread. */
  @State(Scope.Benchmark)
  public static class Env {
    HikariDataSource dataSource;
    String schema;
    Mesh mesh;
    Sessions sessions;

    @Setup(Level.Trial)
    public void open() {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(
          System.getenv()
              .getOrDefault(
                  "AGENTMESH_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"));
      config.setMaximumPoolSize(8);
      dataSource = new HikariDataSource(config);
      schema = "bench_turn_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
      ChatModel scripted =
          request -> ChatResponse.ofText("Priority: high. " + request.lastUserText());
      mesh =
          Mesh.builder()
              .model("default", scripted)
              .agent(AgentSpec.builder("triage").instructions("Triage the ticket.").build())
              .build();
      sessions =
          Sessions.builder(mesh)
              .store(PostgresSessionStore.builder(dataSource).schema(schema).migrate(true).build())
              .executor(Runnable::run)
              .build();
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
      sessions.close();
      try (Connection c = dataSource.getConnection();
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA \"" + schema + "\" CASCADE");
      }
      dataSource.close();
    }
  }

  @Benchmark
  public SessionState durableTurn(Env env) {
    return env.sessions
        .newSession("triage")
        .input("My invoice is wrong")
        .origin(Origin.api("bench"))
        .start()
        .awaitFinished(Duration.ofSeconds(10));
  }

  /**
   * The same rows as {@link #durableTurn}, in the same five transactions plus the lease's acquire
   * and release, with plain JDBC: what durability costs with no library at all.
   */
  @Benchmark
  public int rawJdbcFloor(Env env) throws SQLException {
    String sessions = "\"" + env.schema + "\".agentmesh_sessions";
    String events = "\"" + env.schema + "\".agentmesh_events";
    String id = "raw-" + UUID.randomUUID();
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    int rows = 0;
    try (Connection c = env.dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement create =
              c.prepareStatement(
                  "INSERT INTO "
                      + sessions
                      + " (id, agent, status, runnable, "
                      + "trigger, participants, created_at, updated_at, version) VALUES (?, 'triage', 'running', true, 'api:bench', "
                      + "'{}', ?, ?, 1)");
          PreparedStatement lease =
              c.prepareStatement(
                  "UPDATE "
                      + sessions
                      + " SET lease_owner = ?, lease_expires_at = ? "
                      + "WHERE id = ?");
          PreparedStatement update =
              c.prepareStatement(
                  "UPDATE "
                      + sessions
                      + " SET status = ?, updated_at = ?, version = ? "
                      + "WHERE id = ? AND version = ?");
          PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO "
                      + events
                      + " (session_id, version, type, "
                      + "type_version, payload, at) VALUES (?, ?, ?, 1, ?::jsonb, ?)")) {
        create.setString(1, id);
        create.setObject(2, now);
        create.setObject(3, now);
        rows += create.executeUpdate();
        rows +=
            event(
                insert,
                id,
                1,
                "session.created",
                "{\"agent\":\"triage\",\"input\":\"My invoice is wrong\",\"trigger\":\"api:bench\"}",
                now);
        c.commit();
        lease.setString(1, "node");
        lease.setObject(2, now.plusSeconds(30));
        lease.setString(3, id);
        rows += lease.executeUpdate();
        c.commit();
        String[][] steps = {
          {
            "agent.run.started",
            "{\"runId\":\"r\",\"agent\":\"triage\",\"fingerprint\":\"sha256:0123456789abcdef\"}"
          },
          {
            "agent.model.called",
            "{\"runId\":\"r\",\"agent\":\"triage\",\"turn\":1,\"model\":\"scripted\",\"messages\":2}"
          },
          {
            "agent.model.responded",
            "{\"runId\":\"r\",\"agent\":\"triage\",\"turn\":1,\"text\":\"Priority: high. My invoice is wrong\"}"
          }
        };
        long version = 1;
        for (String[] step : steps) {
          rows += advance(update, id, version, "running", now);
          rows += event(insert, id, ++version, step[0], step[1], now);
          c.commit();
        }
        rows += advance(update, id, version, "completed", now);
        rows +=
            event(
                insert,
                id,
                ++version,
                "agent.output.produced",
                "{\"runId\":\"r\",\"output\":\"Priority: high.\"}",
                now);
        rows += event(insert, id, ++version, "session.completed", "{}", now);
        c.commit();
        lease.setString(1, null);
        lease.setObject(2, null);
        lease.setString(3, id);
        rows += lease.executeUpdate();
        c.commit();
      }
      c.setAutoCommit(true);
    }
    return rows;
  }

  private static int advance(
      PreparedStatement update, String id, long version, String status, OffsetDateTime at)
      throws SQLException {
    update.setString(1, status);
    update.setObject(2, at);
    update.setLong(3, version + 1);
    update.setString(4, id);
    update.setLong(5, version);
    return update.executeUpdate();
  }

  private static int event(
      PreparedStatement insert,
      String id,
      long version,
      String type,
      String payload,
      OffsetDateTime at)
      throws SQLException {
    insert.setString(1, id);
    insert.setLong(2, version);
    insert.setString(3, type);
    insert.setString(4, payload);
    insert.setObject(5, at);
    return insert.executeUpdate();
  }

  @Benchmark
  public AgentResult statelessCall(Env env) {
    return env.mesh.agent("triage").call(AgentRequest.builder("My invoice is wrong").build());
  }
}
