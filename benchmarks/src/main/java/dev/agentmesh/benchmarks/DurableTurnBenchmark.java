package dev.agentmesh.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmesh.core.AgentRequest;
import dev.agentmesh.core.AgentResult;
import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.AgentTool;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.PostgresSessionStore;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.SessionStatus;
import dev.agentmesh.sessions.Sessions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * One durable agent turn on PostgreSQL: start a session and run its agent (a scripted model, so
 * only agentmesh and the database are measured) to completion, each event stored before the step
 * that depends on it (docs/sessions.md, "What is on disk before each step"). Without tools that is
 * two commits (the session with its lease; the run, the answer, the output and the completion with
 * the lease released), with one tool call that is not idempotent three (the call is stored before
 * it runs). Next to them, the floors: {@code rawJdbcFloor} and {@code rawJdbcFloorWithTool} write
 * the same rows (the payloads a real turn stored, captured at setup) in the same two and three
 * transactions with plain JDBC, and {@code statelessCall} makes the same agent call without a
 * session. Needs PostgreSQL: {@code AGENTMESH_TEST_PG_URL} or 127.0.0.1:5432/test as user postgres.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'DurableTurnBenchmark.(durable|raw)' -f 1 -wi 2 -i 5 -w 5s -r 10s
 * java -cp benchmarks/target/benchmarks.jar dev.agentmesh.benchmarks.DurableTurnBenchmark 4000 2000
 * </pre>
 *
 * <p>How to read it: JMH runs each method in its own block of iterations, one after the other, so
 * the database's state (its WAL, checkpoints, the disk's cache) and the machine's load drift
 * between a durable method's block and its floor's; a ratio of two JMH scores holds only on an idle
 * machine, and then only from one run. The {@link #main} harness interleaves the four operations
 * instead (each round runs durable, floor, durable with tool, floor with tool, starting at a
 * rotating one) and prints each one's median and the median of the per-round ratios, which drift
 * and load weigh on alike. On round trips, which do not drift: the floor makes three per commit
 * (the summary's statement, the events' batch, the commit), so six and nine; a durable turn makes
 * one per commit (the store's append is one statement in its own transaction) and the await's read,
 * so three and four ({@code CommitsPerTurnTest} in sessions asserts them).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DurableTurnBenchmark {

  /** The mesh, the pool, Sessions driving turns on the calling thread, and the floors' rows. */
  @State(Scope.Benchmark)
  public static class Env {
    HikariDataSource dataSource;
    String schema;
    Mesh mesh;
    Sessions sessions;
    final AtomicInteger charges = new AtomicInteger();

    /** Type, type version and payload of each event of a turn without tools, as stored. */
    List<String[]> plainRows;

    /** The same for a turn with one charge. */
    List<String[]> toolRows;

    @Setup(Level.Trial)
    public void open() throws SQLException {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(
          System.getenv()
              .getOrDefault(
                  "AGENTMESH_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"));
      config.setMaximumPoolSize(8);
      dataSource = new HikariDataSource(config);
      schema = "bench_turn_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
      ChatModel scripted =
          request -> {
            List<ChatMessage> messages = request.messages();
            ChatMessage last = messages.get(messages.size() - 1);
            if ("refund".equals(request.metadata().get("agent"))
                && last.role() == ChatMessage.Role.USER) {
              return ChatResponse.ofToolCalls(
                  ToolCall.of(
                      "call-1", "charge", JsonNodeFactory.instance.objectNode().put("order", "7")));
            }
            return ChatResponse.ofText("Priority: high. " + last.textOrEmpty());
          };
      mesh =
          Mesh.builder()
              .model("default", scripted)
              .tool(
                  AgentTool.builder("charge")
                      .description("Refunds an order")
                      .idempotent(false)
                      .handler((args, ctx) -> "refunded #" + charges.incrementAndGet())
                      .build())
              .agent(AgentSpec.builder("triage").instructions("Triage the ticket.").build())
              .agent(
                  AgentSpec.builder("refund")
                      .instructions("Refund the order.")
                      .tools("charge")
                      .build())
              .build();
      sessions =
          Sessions.builder(mesh)
              .store(PostgresSessionStore.builder(dataSource).schema(schema).migrate(true).build())
              .executor(Runnable::run)
              .build();
      plainRows = rowsOf(turn("triage", "My invoice is wrong"));
      toolRows = rowsOf(turn("refund", "Refund order 7"));
    }

    SessionState turn(String agent, String input) {
      SessionState done =
          sessions
              .newSession(agent)
              .input(input)
              .origin(Origin.api("bench"))
              .start()
              .awaitFinished(Duration.ofSeconds(10));
      if (done.status() != SessionStatus.COMPLETED) {
        throw new IllegalStateException("The " + agent + " turn ended " + done.status());
      }
      return done;
    }

    private List<String[]> rowsOf(SessionState state) throws SQLException {
      List<String[]> rows = new ArrayList<>();
      try (Connection c = dataSource.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "SELECT type, type_version, payload::text FROM \""
                      + schema
                      + "\".agentmesh_events WHERE session_id = ? ORDER BY version")) {
        ps.setString(1, state.id());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
          }
        }
      }
      return rows;
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

  /** A new session whose agent answers at once: two commits. */
  @Benchmark
  public SessionState durableTurn(Env env) {
    return env.sessions
        .newSession("triage")
        .input("My invoice is wrong")
        .origin(Origin.api("bench"))
        .start()
        .awaitFinished(Duration.ofSeconds(10));
  }

  /** A new session whose agent calls one tool that is not idempotent, then answers: three. */
  @Benchmark
  public SessionState durableTurnWithTool(Env env) {
    return env.sessions
        .newSession("refund")
        .input("Refund order 7")
        .origin(Origin.api("bench"))
        .start()
        .awaitFinished(Duration.ofSeconds(10));
  }

  /**
   * The rows of {@link #durableTurn} in its two transactions, with plain JDBC: the session row
   * inserted with its lease and {@code session.created}; then the summary (version checked, lease
   * fenced and released) with the run's five events.
   */
  @Benchmark
  public int rawJdbcFloor(Env env) throws SQLException {
    return floor(env, env.plainRows, new int[] {1, 6}, "triage");
  }

  /**
   * The rows of {@link #durableTurnWithTool} in its three transactions: the session with its lease;
   * the run's start, the model's call and answer and the tool's call, before the tool runs; its
   * result, the second model call, the output and the completion with the lease released.
   */
  @Benchmark
  public int rawJdbcFloorWithTool(Env env) throws SQLException {
    return floor(env, env.toolRows, new int[] {1, 5, 10}, "refund");
  }

  /** Writes {@code rows} of a new session, committing after each version in {@code commits}. */
  private static int floor(Env env, List<String[]> rows, int[] commits, String agent)
      throws SQLException {
    String sessions = "\"" + env.schema + "\".agentmesh_sessions";
    String events = "\"" + env.schema + "\".agentmesh_events";
    String id = "raw-" + UUID.randomUUID();
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    int written = 0;
    try (Connection c = env.dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement create =
              c.prepareStatement(
                  "INSERT INTO "
                      + sessions
                      + " (id, agent, status, runnable, trigger, participants, created_at,"
                      + " updated_at, version, lease_owner, lease_expires_at, lease_epoch) VALUES"
                      + " (?, ?, 'running', true, 'api:bench', '{}', ?, ?, 1, 'node', ?, 1)"
                      + " ON CONFLICT (id) DO NOTHING");
          PreparedStatement advance =
              c.prepareStatement(
                  "UPDATE "
                      + sessions
                      + " SET status = ?, runnable = ?, updated_at = ?, version = ?,"
                      + " lease_owner = CASE WHEN ? THEN NULL ELSE lease_owner END,"
                      + " lease_expires_at = CASE WHEN ? THEN NULL ELSE lease_expires_at END"
                      + " WHERE id = ? AND version = ? AND lease_epoch = 1");
          PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO "
                      + events
                      + " (session_id, version, type, type_version, payload, at)"
                      + " VALUES (?, ?, ?, ?, ?::jsonb, ?)")) {
        create.setString(1, id);
        create.setString(2, agent);
        create.setObject(3, now);
        create.setObject(4, now);
        create.setObject(5, now.plusSeconds(30));
        written += create.executeUpdate();
        int version = 0;
        for (int i = 0; i < commits.length; i++) {
          int upTo = commits[i];
          if (i > 0) {
            boolean last = i == commits.length - 1;
            advance.setString(1, last ? "completed" : "running");
            advance.setBoolean(2, !last);
            advance.setObject(3, now);
            advance.setLong(4, upTo);
            advance.setBoolean(5, last);
            advance.setBoolean(6, last);
            advance.setString(7, id);
            advance.setLong(8, version);
            written += advance.executeUpdate();
          }
          for (; version < upTo; version++) {
            String[] row = rows.get(version);
            insert.setString(1, id);
            insert.setLong(2, version + 1L);
            insert.setString(3, row[0]);
            insert.setInt(4, Integer.parseInt(row[1]));
            insert.setString(5, row[2]);
            insert.setObject(6, now);
            insert.addBatch();
          }
          for (int n : insert.executeBatch()) {
            written += n;
          }
          c.commit();
        }
      }
      c.setAutoCommit(true);
    }
    return written;
  }

  /**
   * Interleaves the four operations, round after round, and prints their medians and the medians of
   * the per-round ratios durable/floor.
   *
   * @param args rounds measured (default 4000), rounds of warm-up before (default 2000: with 200,
   *     the turn's code was still being compiled, and the ratios were 1.8x instead of 1.07x)
   * @throws Exception if the database cannot be reached or a turn does not complete
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    DurableTurnBenchmark b = new DurableTurnBenchmark();
    Env env = new Env();
    env.open();
    String[] names = {"durableTurn", "rawJdbcFloor", "durableTurnWithTool", "rawJdbcFloorWithTool"};
    long[][] nanos = new long[names.length][rounds];
    long[][] cpu = new long[names.length][rounds];
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    try {
      for (int r = -warmup; r < rounds; r++) {
        for (int k = 0; k < names.length; k++) {
          int op = Math.floorMod(r + k, names.length);
          long cpuStart = threads.getCurrentThreadCpuTime();
          long start = System.nanoTime();
          switch (op) {
            case 0 -> b.durableTurn(env);
            case 1 -> b.rawJdbcFloor(env);
            case 2 -> b.durableTurnWithTool(env);
            default -> b.rawJdbcFloorWithTool(env);
          }
          if (r >= 0) {
            nanos[op][r] = System.nanoTime() - start;
            cpu[op][r] = threads.getCurrentThreadCpuTime() - cpuStart;
          }
        }
      }
    } finally {
      env.close();
    }
    for (int op = 0; op < names.length; op++) {
      System.out.printf(
          "%-22s median %8.1f us, CPU of the calling thread %6.1f us%n",
          names[op], median(nanos[op]) / 1e3, median(cpu[op]) / 1e3);
    }
    System.out.printf("without tool: median of per-round ratios %.2f%n", ratio(nanos[0], nanos[1]));
    System.out.printf("with tool:    median of per-round ratios %.2f%n", ratio(nanos[2], nanos[3]));
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static double ratio(long[] durable, long[] floor) {
    double[] ratios = new double[durable.length];
    for (int i = 0; i < ratios.length; i++) {
      ratios[i] = (double) durable[i] / floor[i];
    }
    java.util.Arrays.sort(ratios);
    return ratios[ratios.length / 2];
  }

  @Benchmark
  public AgentResult statelessCall(Env env) {
    return env.mesh.agent("triage").call(AgentRequest.builder("My invoice is wrong").build());
  }
}
