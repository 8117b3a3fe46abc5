package dev.agentmesh.sessions;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmesh.core.AgentTool;
import dev.agentmesh.core.Mesh;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;

/**
 * The process {@link CrashRecoveryTest} kills: drives sessions whose tools record every execution
 * in PostgreSQL, until it is killed with SIGKILL. Its clock runs {@code offsetHours} ahead, so the
 * leases of the process killed before it have expired.
 *
 * <p>Arguments: jdbc url, user, schema, offset hours, sessions to start, name prefix.
 */
public final class CrashChild {

  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[0]);
    if (!args[1].isEmpty()) {
      config.setUsername(args[1]);
    }
    config.setMaximumPoolSize(6);
    DataSource ds = new HikariDataSource(config);
    String schema = args[2];
    Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofHours(Long.parseLong(args[3])));
    Sessions sessions = sessions(ds, schema, clock, "child-" + args[3]);
    System.out.println("go");
    sessions.recoverOrphans();
    for (int i = 0; i < Integer.parseInt(args[4]); i++) {
      sessions.newSession("assistant").input(args[5] + "-order-" + i).start();
      if (i == 0) {
        System.out.println("first"); // a session is in the store: the kill window opens
      }
    }
    System.out.println("started");
    new CountDownLatch(1).await();
  }

  /** Sessions whose "charge" (not idempotent) and "search" (idempotent) tools record each run. */
  static Sessions sessions(DataSource ds, String schema, Clock clock, String node) {
    Mesh mesh =
        Fixtures.mesh(
            clock, recording(ds, schema, "charge", false), recording(ds, schema, "search", true));
    return Sessions.builder(mesh)
        .store(PostgresSessionStore.builder(ds).schema(schema).build())
        .clock(clock)
        .leaseTtl(Duration.ofSeconds(5))
        .nodeId(node)
        .build();
  }

  private static AgentTool recording(
      DataSource ds, String schema, String name, boolean idempotent) {
    return AgentTool.builder(name)
        .description("Records that it ran")
        .idempotent(idempotent)
        .handler(
            (args, ctx) -> {
              try (Connection c = ds.getConnection();
                  PreparedStatement s =
                      c.prepareStatement(
                          "INSERT INTO \""
                              + schema
                              + "\".crash_effects (effect_key, tool) VALUES (?, ?)")) {
                s.setString(1, args.path("about").asString() + "/" + ctx.callId());
                s.setString(2, name);
                s.executeUpdate();
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
              return name + " ok";
            })
        .build();
  }
}
