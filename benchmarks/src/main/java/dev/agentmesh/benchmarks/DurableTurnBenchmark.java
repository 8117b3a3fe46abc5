package dev.agentmesh.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmesh.core.AgentRequest;
import dev.agentmesh.core.AgentResult;
import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.sessions.PostgresSessionStore;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.Sessions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
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
 * only agentmesh and the database are measured) to completion, every step appended before the
 * next: created, run started, model called, model responded, output produced + completed (five
 * transactions), plus the lease. Next to it, the same agent call without a session (the floor of
 * the agent loop alone). Needs PostgreSQL: {@code AGENTMESH_TEST_PG_URL} or
 * 127.0.0.1:5432/test as user postgres.
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
      config.setJdbcUrl(System.getenv().getOrDefault("AGENTMESH_TEST_PG_URL",
          "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"));
      config.setMaximumPoolSize(8);
      dataSource = new HikariDataSource(config);
      schema = "bench_turn_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
      ChatModel scripted = request -> ChatResponse.ofText("Priority: high. " + request.lastUserText());
      mesh = Mesh.builder().model("default", scripted)
          .agent(AgentSpec.builder("triage").instructions("Triage the ticket.").build()).build();
      sessions = Sessions.builder(mesh)
          .store(PostgresSessionStore.builder(dataSource).schema(schema).migrate(true).build())
          .executor(Runnable::run).build();
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
      sessions.close();
      try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA \"" + schema + "\" CASCADE");
      }
      dataSource.close();
    }
  }

  @Benchmark
  public SessionState durableTurn(Env env) {
    return env.sessions.start("triage", "My invoice is wrong", "bench")
        .awaitCompletion(Duration.ofSeconds(10));
  }

  @Benchmark
  public AgentResult statelessCall(Env env) {
    return env.mesh.agent("triage").call(AgentRequest.builder("My invoice is wrong").build());
  }
}
