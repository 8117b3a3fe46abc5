package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.sessions.spi.SessionSummary;
import dev.agentmesh.testsupport.PostgresTestDatabase;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A child JVM drives sessions with tools against PostgreSQL and is killed with SIGKILL at a random
 * (seeded) point, three times; then another {@link Sessions} recovers everything. Every session
 * completes or shows an unknown outcome, and no tool that is not idempotent ran twice. Rerun a
 * failure with {@code -Dagentmesh.seed=<seed>}.
 */
class CrashRecoveryTest {

  private static final int ROUNDS = 3;

  @Test
  void sessionsKilledMidTurnAreRecoveredAndNoUnsafeToolRunsTwice() throws Exception {
    long seed = Long.getLong("agentmesh.seed", System.nanoTime());
    System.out.println(
        "[CrashRecoveryTest] seed " + seed + " (rerun with -Dagentmesh.seed=" + seed + ")");
    Random random = new Random(seed);
    PostgresTestDatabase db = PostgresTestDatabase.get();
    String schema = PostgresTestDatabase.newSchema("sessions_crash");
    try {
      PostgresSessionStore.builder(db.dataSource()).schema(schema).migrate(true).build();
      db.execute(
          "CREATE TABLE \""
              + schema
              + "\".crash_effects (effect_key text NOT NULL, tool text NOT NULL)");
      int killedMidway = 0;
      for (int round = 1; round <= ROUNDS; round++) {
        killedMidway += runAndKill(db, schema, round, random) ? 1 : 0;
      }

      Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(ROUNDS + 1));
      try (Sessions survivor = CrashChild.sessions(db.dataSource(), schema, later, "survivor")) {
        survivor.recoverOrphans();
        List<SessionSummary> all =
            survivor.query(SessionQuery.builder().limit(1000).build()).sessions();
        assertThat(all).isNotEmpty();
        int unknown = 0;
        for (SessionSummary summary : all) {
          SessionState state = survivor.session(summary.id()).awaitIdle(Duration.ofSeconds(30));
          if (state.status() == SessionStatus.WAITING) {
            assertThat(state.unknownOutcomes())
                .as("session %s waits only for unknown outcomes", state.id())
                .isNotEmpty()
                .allSatisfy(u -> assertThat(u.tool()).isEqualTo("charge"));
            unknown++;
          } else {
            assertThat(state.status())
                .as("session %s", state.id())
                .isEqualTo(SessionStatus.COMPLETED);
          }
        }
        System.out.println(
            "[CrashRecoveryTest] "
                + all.size()
                + " sessions, "
                + killedMidway
                + " kills mid-run, "
                + unknown
                + " with unknown outcomes");
      }
      assertThat(
              query(
                  db,
                  "SELECT count(*) FROM (SELECT effect_key FROM \""
                      + schema
                      + "\".crash_effects WHERE tool = 'charge' GROUP BY effect_key HAVING count(*) > 1) twice"))
          .as("non-idempotent calls that ran twice")
          .isZero();
    } finally {
      db.dropSchema(schema);
    }
  }

  /** Runs one child and kills it; true when it was killed before it had started everything. */
  private static boolean runAndKill(
      PostgresTestDatabase db, String schema, int round, Random random) throws Exception {
    HikariDataSource ds = (HikariDataSource) db.dataSource();
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                CrashChild.class.getName(),
                ds.getJdbcUrl(),
                ds.getUsername() == null ? "" : ds.getUsername(),
                schema,
                String.valueOf(round),
                String.valueOf(4 + random.nextInt(4)),
                "r" + round)
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<Void> first = new CompletableFuture<>();
      CompletableFuture<Void> started = new CompletableFuture<>();
      Thread reader =
          new Thread(
              () ->
                  out.lines()
                      .forEach(
                          line -> {
                            if (line.equals("first")) {
                              first.complete(null);
                            } else if (line.equals("started")) {
                              started.complete(null);
                            }
                          }));
      reader.setDaemon(true);
      reader.start();
      first.get(60, TimeUnit.SECONDS);
      // The kill point: a seeded delay after the child stored its first session, while its turns
      // run (timed from the first session, not from start-up, so a slow machine still kills
      // mid-work).
      boolean exited = child.waitFor(50 + random.nextInt(600), TimeUnit.MILLISECONDS);
      assertThat(exited).as("the child runs until it is killed").isFalse();
      boolean midway = !started.isDone();
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      return midway;
    } finally {
      child.destroyForcibly();
    }
  }

  private static long query(PostgresTestDatabase db, String sql) throws Exception {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
