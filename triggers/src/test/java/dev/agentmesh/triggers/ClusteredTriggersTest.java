package dev.agentmesh.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmesh.sessions.PostgresSessionStore;
import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowQuery;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testsupport.PostgresTestDatabase;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Many nodes on one PostgreSQL: three {@link Triggers} in this JVM ticking at once, and two
 * processes of which one is killed (SIGKILL) while it creates a batch. Every occurrence is claimed
 * once and has its session; none is lost.
 */
class ClusteredTriggersTest {

  private static final Instant MINUTE_ZERO = Instant.parse("2026-03-02T08:00:00Z");

  private final PostgresTestDatabase db = PostgresTestDatabase.get();
  private String schema = "";

  @BeforeEach
  void schema() {
    schema = PostgresTestDatabase.newSchema("trig_cluster");
  }

  @AfterEach
  void drop() {
    db.dropSchema(schema);
  }

  static List<TriggerDefinition> minutely(int count) {
    List<TriggerDefinition> defs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      defs.add(
          TriggerDefinition.cron(String.format("t%05d", i), "* * * * *")
              .agent("digest")
              .overlap(OverlapPolicy.CONCURRENT)
              .catchUp(CatchUpPolicy.allWithin(Duration.ofMinutes(10)))
              .build());
    }
    return defs;
  }

  @Test
  void threeNodesInOneJvmTickingAtOnceFireEveryOccurrenceExactlyOnce() throws Exception {
    int triggers = 150;
    int minutes = 4;
    FakeClock clock = FakeClock.at(Instant.parse("2026-03-02T07:59:30Z"));
    List<Node> nodes = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      for (int n = 0; n < 3; n++) {
        PostgresSessionStore store =
            PostgresSessionStore.builder(db.dataSource()).schema(schema).build();
        nodes.add(new Node("n" + n, store, clock, b -> b.addAll(minutely(triggers)).batchSize(50)));
      }
      int started = 0;
      for (int m = 0; m < minutes; m++) {
        clock.set(MINUTE_ZERO.plus(Duration.ofMinutes(m)).plusSeconds(1));
        CyclicBarrier together = new CyclicBarrier(3);
        List<Future<TickReport>> ticks = new ArrayList<>();
        for (Node node : nodes) {
          ticks.add(
              pool.submit(
                  () -> {
                    together.await(30, TimeUnit.SECONDS);
                    return node.triggers.tick();
                  }));
        }
        for (Future<TickReport> tick : ticks) {
          started += tick.get(120, TimeUnit.SECONDS).started();
        }
      }
      assertThat(started).isEqualTo(triggers * minutes);
      assertEveryOccurrenceOnce(triggers, minutes);
    } finally {
      pool.shutdownNow();
      nodes.forEach(Node::close);
    }
  }

  @Test
  void batchesMarkedByANodeThatNeverStartedThemAreStartedLastAndMarksArePrunedWhenDue()
      throws Exception {
    int triggers = 150;
    FakeClock clock = FakeClock.at(Instant.parse("2026-03-02T07:59:30Z"));
    PostgresSessionStore store =
        PostgresSessionStore.builder(db.dataSource()).schema(schema).build();
    try (Node node =
        new Node("n0", store, clock, b -> b.addAll(minutely(triggers)).batchSize(50))) {
      // A node that marked every batch of 08:00 and died before starting any of them.
      List<RowWrite> marks = new ArrayList<>();
      for (int first = 0; first < triggers; first += 50) {
        String key = ClaimRows.key(String.format("t%05d", first), MINUTE_ZERO);
        marks.add(RowWrite.insert(ClaimRows.mark(key, "dead", MINUTE_ZERO, Duration.ofDays(1))));
      }
      store.writeRows(marks);
      clock.set(MINUTE_ZERO.plusSeconds(1));
      assertThat(node.triggers.tick().started()).isEqualTo(triggers);
      assertEveryOccurrenceOnce(triggers, 1);
      String marksLeft = "SELECT count(*) FROM agentmesh_rows WHERE namespace = 'triggers.batch'";
      assertThat(count(marksLeft)).as("the dead node's marks, due in a day").isEqualTo(3);
      clock.set(MINUTE_ZERO.plus(Duration.ofDays(2)));
      node.triggers.pruneClaims();
      assertThat(count(marksLeft)).isZero();
    }
  }

  @Test
  void aProcessKilledWhileCreatingABatchLosesNothingAndTheOtherFiresEachOccurrenceOnce()
      throws Exception {
    int triggers = 1000;
    int minutes = 3;
    Process a = launch("a", triggers);
    Process b = launch("b", triggers);
    try {
      LinkedBlockingQueue<String> fromA = lines(a);
      LinkedBlockingQueue<String> fromB = lines(b);
      assertThat(fromA.poll(120, TimeUnit.SECONDS)).isEqualTo("ready");
      assertThat(fromB.poll(120, TimeUnit.SECONDS)).isEqualTo("ready");
      long first = MINUTE_ZERO.plusSeconds(1).getEpochSecond();
      tell(a, first);
      String line;
      do {
        line = fromA.poll(120, TimeUnit.SECONDS);
      } while (line != null && !line.equals("creating"));
      assertThat(line).as("a starts to create its first batch").isEqualTo("creating");
      a.destroyForcibly(); // SIGKILL, mid-fire: its open transaction is rolled back
      assertThat(a.waitFor(30, TimeUnit.SECONDS)).isTrue();
      int startedByB = 0;
      for (int m = 0; m < minutes; m++) {
        long second = first + 60L * m;
        tell(b, second);
        String done;
        do {
          done = fromB.poll(120, TimeUnit.SECONDS);
        } while (done != null && !done.startsWith("ticked "));
        assertThat(done).as("b ticked minute %d", m).isNotNull();
        startedByB += Integer.parseInt(done.split(" ")[2]);
      }
      int claims = count("SELECT count(*) FROM agentmesh_rows WHERE namespace = 'triggers.claim'");
      assertThat(startedByB).isLessThanOrEqualTo(claims);
      assertEveryOccurrenceOnce(triggers, minutes);
    } finally {
      a.destroyForcibly();
      b.destroyForcibly();
      b.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private Process launch(String name, int triggers) throws Exception {
    HikariDataSource ds = (HikariDataSource) db.dataSource();
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            TriggerNodeMain.class.getName(),
            ds.getJdbcUrl(),
            ds.getUsername() == null ? "" : ds.getUsername(),
            schema,
            name,
            String.valueOf(triggers),
            "250")
        .redirectErrorStream(true)
        .start();
  }

  private static LinkedBlockingQueue<String> lines(Process p) {
    LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    Thread reader =
        new Thread(
            () ->
                out.lines()
                    .filter(
                        l -> l.equals("ready") || l.equals("creating") || l.startsWith("ticked"))
                    .forEach(queue::add));
    reader.setDaemon(true);
    reader.start();
    return queue;
  }

  private static void tell(Process p, long epochSecond) throws Exception {
    BufferedWriter in =
        new BufferedWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8));
    in.write("tick " + epochSecond + "\n");
    in.flush();
  }

  @Test
  void claimsWrittenWithoutADueArePrunedOnceTheUpdateInTheDocsGivesThemOne() throws Exception {
    FakeClock clock = FakeClock.at(MINUTE_ZERO);
    PostgresSessionStore store =
        PostgresSessionStore.builder(db.dataSource()).schema(schema).build();
    TriggerDefinition def = minutely(1).get(0);
    try (Node node =
        new Node("n0", store, clock, b -> b.add(def).retainClaims(Duration.ofHours(1)))) {
      List<RowWrite> old = new ArrayList<>();
      for (int m = 0; m < 3; m++) { // claims as versions before pruning wrote them: no due
        Instant at = MINUTE_ZERO.minus(Duration.ofDays(1)).plus(Duration.ofMinutes(m));
        ObjectNode value =
            JsonNodeFactory.instance
                .objectNode()
                .put("trigger", def.id())
                .put("scheduledAt", at.toString())
                .put("outcome", "SKIPPED")
                .put("fingerprint", def.fingerprint())
                .put("node", "n0")
                .put("claimedAt", at.toString())
                .putNull("session");
        old.add(
            RowWrite.insert(Row.of(ClaimRows.CLAIMS, ClaimRows.key(def.id(), at), null, value)));
      }
      store.writeRows(old);
      assertThat(node.triggers.pruneClaims()).isZero(); // without a due, never seen

      // docs/triggers.md, "The schema", with retainClaims (an hour) in place of the day
      execute(
          "UPDATE agentmesh_rows SET due = (value->>'scheduledAt')::timestamptz + interval '1 hour'"
              + " WHERE namespace = 'triggers.claim' AND due IS NULL");

      assertThat(node.triggers.pruneClaims()).isEqualTo(2);
      assertThat(store.queryRows(RowQuery.builder(ClaimRows.CLAIMS).build()))
          .extracting(Row::key)
          .containsExactly(
              ClaimRows.key(def.id(), MINUTE_ZERO.minus(Duration.ofDays(1)).plusSeconds(120)));
    }
  }

  private void execute(String sql) throws Exception {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("SET search_path TO \"" + schema + "\"");
      s.execute(sql);
    }
  }

  /** Each (trigger, minute) claimed once, started, with exactly one session of that origin. */
  private void assertEveryOccurrenceOnce(int triggers, int minutes) throws Exception {
    int expected = triggers * minutes;
    assertThat(count("SELECT count(*) FROM agentmesh_rows WHERE namespace = 'triggers.claim'"))
        .isEqualTo(expected);
    assertThat(
            count(
                "SELECT count(*) FROM agentmesh_rows WHERE namespace = 'triggers.claim'"
                    + " AND value->>'outcome' = 'STARTED'"))
        .isEqualTo(expected);
    assertThat(count("SELECT count(*) FROM agentmesh_sessions")).isEqualTo(expected);
    // every claim names a session that exists, created with it
    assertThat(
            count(
                "SELECT count(*) FROM agentmesh_rows r JOIN agentmesh_sessions s"
                    + " ON s.id = r.value->>'session' WHERE r.namespace = 'triggers.claim'"))
        .isEqualTo(expected);
    // one session per origin key and occurrence: no occurrence fired twice
    assertThat(
            count(
                "SELECT count(*) FROM (SELECT e.payload->'origin' FROM agentmesh_events e"
                    + " WHERE e.version = 1 GROUP BY e.payload->'origin' HAVING count(*) > 1) twice"))
        .isZero();
  }

  private int count(String sql) throws Exception {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("SET search_path TO \"" + schema + "\"");
      try (ResultSet rs = s.executeQuery(sql)) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
