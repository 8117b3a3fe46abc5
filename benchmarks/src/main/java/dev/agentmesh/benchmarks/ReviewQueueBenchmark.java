package dev.agentmesh.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.ReviewPolicy;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.review.Authenticator;
import dev.agentmesh.review.BulkOutcome;
import dev.agentmesh.review.ContentHash;
import dev.agentmesh.review.Decision;
import dev.agentmesh.review.Document;
import dev.agentmesh.review.PendingReview;
import dev.agentmesh.review.ReviewIndex;
import dev.agentmesh.review.ReviewPage;
import dev.agentmesh.review.ReviewQuery;
import dev.agentmesh.review.ReviewQueue;
import dev.agentmesh.review.Reviewer;
import dev.agentmesh.review.Reviews;
import dev.agentmesh.sessions.PostgresSessionStore;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.SessionStatus;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.spi.RowWrite;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.json.JsonMapper;

/**
 * The review queue on PostgreSQL at 100,000 pending reviews: the first page (50) of a reviewer's
 * queue (their own list merged with their two groups' lists), and a bulk decision of 1,000 reviews
 * (one agent's artifacts of one type) through the real path, {@link Reviews#decideAll}: each review
 * in its own session, each decision authenticated, checked against its policy and recorded singly
 * in its session's log, each approval's effect (a publisher that counts) started and ended through
 * the log. Needs PostgreSQL: {@code AGENTMESH_TEST_PG_URL} or 127.0.0.1:5432/test as user postgres.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ReviewQueueBenchmark -f 1
 * </pre>
 *
 * <p>The 100,000 reviews list one of 50 reviewers and one of 10 groups each, come from 20 agents
 * and 5 types, with risks and ages spread evenly; their rows are loaded by batched inserts (the
 * proposals' events are not: a page reads rows only). The 1,000 bulk-decided reviews are proposed
 * before each measurement by real runs of agent {@code bulk-writer} (a scripted model drafts a
 * {@link Document}), one session each, on a fresh {@link Sessions} and {@link Reviews} (so no
 * session's state is cached when the measurement starts, as on a node that did not run them).
 */
public class ReviewQueueBenchmark {

  static final int PENDING = 100_000;
  static final int BULK = 1_000;
  static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
  static final ContentHash HASH = ContentHash.parse("sha256:" + "5e".repeat(32));
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  /** One schema with 100,000 pending reviews, for the whole run. */
  @State(Scope.Benchmark)
  public static class Db {
    HikariDataSource dataSource;
    PostgresSessionStore store;
    ReviewQueue queue;
    String schema;
    final AtomicInteger reviewer = new AtomicInteger();

    @Setup(Level.Trial)
    public void open() throws SQLException {
      String url =
          System.getenv()
              .getOrDefault(
                  "AGENTMESH_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(url);
      config.setMaximumPoolSize(16);
      config.addDataSourceProperty("reWriteBatchedInserts", "true");
      dataSource = new HikariDataSource(config);
      schema = "bench_queue_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
      store = PostgresSessionStore.builder(dataSource).schema(schema).migrate(true).build();
      load();
      queue = ReviewQueue.create(store);
    }

    private void load() throws SQLException {
      Random rnd = new Random(42);
      ReviewPolicy.Risk[] risks = ReviewPolicy.Risk.values();
      String sql =
          "INSERT INTO \""
              + schema
              + "\".agentmesh_rows (namespace, key, session_id, value) VALUES (?, ?, ?, ?::jsonb)";
      try (Connection c = dataSource.getConnection();
          PreparedStatement ps = c.prepareStatement(sql)) {
        c.setAutoCommit(false);
        for (int i = 0; i < PENDING; i++) {
          PendingReview review =
              new PendingReview(
                  "rev-" + i,
                  "ses-" + i,
                  "agent-" + rnd.nextInt(20),
                  "type-" + rnd.nextInt(5),
                  HASH,
                  risks[rnd.nextInt(risks.length)],
                  T0.plusSeconds(rnd.nextInt(30 * 24 * 3600)),
                  null,
                  Set.of("user-" + rnd.nextInt(50)),
                  Set.of("group-" + rnd.nextInt(10)),
                  "Pending review number " + i + " of the benchmark");
          for (RowWrite w : ReviewIndex.opened(review)) {
            ps.setString(1, w.namespace());
            ps.setString(2, w.key());
            ps.setString(3, review.sessionId());
            ps.setString(4, JSON.writeValueAsString(w.row().value()));
            ps.addBatch();
          }
          if (i % 2000 == 1999) {
            ps.executeBatch();
            c.commit();
          }
        }
        ps.executeBatch();
        c.commit();
      }
      try (Connection c = dataSource.getConnection();
          Statement s = c.createStatement()) {
        s.execute("ANALYZE \"" + schema + "\".agentmesh_rows");
      }
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

  /** 1,000 reviews of agent "bulk-writer", type "document", proposed before each measurement. */
  @State(Scope.Benchmark)
  public static class Bulk {
    final AtomicInteger published = new AtomicInteger();
    Mesh mesh;
    Sessions proposing;
    Reviews deciding;
    Sessions decidingSessions;
    BulkOutcome last;
    int publishedBefore;
    long cpuNanos;

    @Setup(Level.Trial)
    public void mesh(Db db) {
      ChatModel drafts =
          request ->
              ChatResponse.ofText(
                  "{\"title\":\"Release notes\",\"format\":\"MARKDOWN\",\"before\":\"\","
                      + "\"after\":\"# Release\\n\\n"
                      + request.lastUserText().replace("\"", "")
                      + "\\n\"}");
      mesh =
          Mesh.builder()
              .model("default", drafts)
              .agent(
                  AgentSpec.builder("bulk-writer")
                      .instructions("Draft the release note.")
                      .outputType(Document.class)
                      .review(
                          ReviewPolicy.builder()
                              .required(true)
                              .reviewers("user-1")
                              .groups("group-1")
                              .artifact("document")
                              .risk(ReviewPolicy.Risk.LOW)
                              .build())
                      .build())
              .build();
      Reviews reviews = reviews(db);
      proposing = sessions(db, reviews);
    }

    private Reviews reviews(Db db) {
      return Reviews.builder(mesh)
          .store(db.store)
          .authenticator(Authenticator.tokens(Map.of("token", Reviewer.of("user-1", "group-1"))))
          .publisher(
              "document",
              publication -> {
                published.incrementAndGet();
                return null;
              })
          .sweepInterval(null)
          .build();
    }

    private Sessions sessions(Db db, Reviews reviews) {
      return Sessions.builder(mesh)
          .store(db.store)
          .executor(Runnable::run)
          .sweepInterval(Duration.ofHours(1))
          .extension(reviews)
          .build();
    }

    @Setup(Level.Iteration)
    public void propose(Db db) throws Exception {
      ExecutorService starters = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> started = new ArrayList<>();
        for (int i = 0; i < BULK; i++) {
          String note = "Release note " + i;
          started.add(
              starters.submit(
                  () -> {
                    SessionState s =
                        proposing
                            .newSession("bulk-writer")
                            .input(note)
                            .start()
                            .awaitIdle(Duration.ofSeconds(30));
                    if (s.status() != SessionStatus.WAITING) {
                      throw new IllegalStateException("not waiting for review: " + s);
                    }
                  }));
        }
        for (Future<?> f : started) {
          f.get();
        }
      } finally {
        starters.shutdown();
      }
      // a node that did not run these sessions: nothing of them cached
      deciding = reviews(db);
      decidingSessions = sessions(db, deciding);
      publishedBefore = published.get();
    }

    @TearDown(Level.Iteration)
    public void check() {
      decidingSessions.close();
      deciding.close();
      // CPU time is what load on the machine does not stretch: compare it across runs
      System.out.printf("  (decideAll: %d ms CPU on the calling thread)%n", cpuNanos / 1_000_000);
      if (last == null || last.decided().size() != BULK || last.hasMore()) {
        throw new IllegalStateException(
            "the bulk decision did not decide all " + BULK + ": " + last);
      }
      if (published.get() - publishedBefore != BULK) {
        throw new IllegalStateException(
            "expected " + BULK + " effects but " + (published.get() - publishedBefore) + " ran");
      }
    }

    @TearDown(Level.Trial)
    public void close() {
      proposing.close();
    }
  }

  /**
   * The floor for {@link #bulkDecisionOfAThousand}: the same database work in raw JDBC, without the
   * engine (no decoding, folding, policy or JSON of our own). 1,000 sessions of 8 events and 3 rows
   * each, made before each measurement; then, per page of 200 (as the bulk decision reads them):
   * one query reading the page's logs, and three transactions (the decisions, the effects' starts,
   * their ends), each with the summaries' version-checked updates as one batch, the events as one
   * batch (4, 1 and 1 per session), the row writes, and one {@code pg_notify} statement.
   */
  @State(Scope.Benchmark)
  public static class Floor {
    final AtomicInteger round = new AtomicInteger();
    List<String> ids = List.of();
    String schema;
    HikariDataSource dataSource;

    @Setup(Level.Iteration)
    public void sessions(Db db) throws SQLException {
      schema = db.schema;
      dataSource = db.dataSource;
      int r = round.incrementAndGet();
      List<String> made = new ArrayList<>();
      String payload = "{\"text\":\"" + "x".repeat(400) + "\",\"n\":1}";
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        try (PreparedStatement s =
                c.prepareStatement(
                    "INSERT INTO \""
                        + schema
                        + "\".agentmesh_sessions (id, agent, status, runnable, trigger,"
                        + " participants, created_at, updated_at, version) VALUES"
                        + " (?, 'floor', 'waiting', false, 'manual', '{}', now(), now(), 8)");
            PreparedStatement e =
                c.prepareStatement(
                    "INSERT INTO \""
                        + schema
                        + "\".agentmesh_events (session_id, version, type, type_version, payload,"
                        + " at) VALUES (?, ?, 'floor.event', 1, ?::jsonb, now())");
            PreparedStatement w =
                c.prepareStatement(
                    "INSERT INTO \""
                        + schema
                        + "\".agentmesh_rows (namespace, key, session_id, value) VALUES"
                        + " (?, ?, ?, '{}'::jsonb)")) {
          for (int i = 0; i < BULK; i++) {
            String id = "floor-" + r + "-" + i;
            made.add(id);
            s.setString(1, id);
            s.addBatch();
            for (int v = 1; v <= 8; v++) {
              e.setString(1, id);
              e.setLong(2, v);
              e.setString(3, payload);
              e.addBatch();
            }
            for (String ns : List.of("floor.a", "floor.b", "floor.c")) {
              w.setString(1, ns);
              w.setString(2, id);
              w.setString(3, id);
              w.addBatch();
            }
          }
          s.executeBatch();
          e.executeBatch();
          w.executeBatch();
        }
        c.commit();
      }
      ids = made;
    }
  }

  /** The raw-JDBC floor of a bulk decision of 1,000 (see {@link Floor}). */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2)
  @Measurement(iterations = 5)
  public int bulkFloorRawJdbc(Floor floor) throws SQLException {
    String q = "\"" + floor.schema + "\".";
    int read = 0;
    try (Connection c = floor.dataSource.getConnection()) {
      for (int from = 0; from < floor.ids.size(); from += 200) {
        List<String> page = floor.ids.subList(from, Math.min(from + 200, floor.ids.size()));
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT e.session_id, e.version, e.type, e.payload::text FROM "
                    + q
                    + "agentmesh_events e WHERE e.session_id = ANY(?) ORDER BY 1, 2")) {
          ps.setArray(1, c.createArrayOf("text", page.toArray()));
          try (java.sql.ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              read += rs.getString(4).length();
            }
          }
        }
        long version = 8;
        int[] events = {4, 1, 1};
        String[] deletes = {"floor.a", "floor.b", "floor.c"};
        for (int step = 0; step < 3; step++) {
          c.setAutoCommit(false);
          try (PreparedStatement up =
                  c.prepareStatement(
                      "UPDATE "
                          + q
                          + "agentmesh_sessions SET status = ?, updated_at = now(), version = ?"
                          + " WHERE id = ? AND version = ?");
              PreparedStatement ins =
                  c.prepareStatement(
                      "INSERT INTO "
                          + q
                          + "agentmesh_events (session_id, version, type, type_version, payload,"
                          + " at) VALUES (?, ?, 'floor.step', 1, ?::jsonb, now())");
              PreparedStatement del =
                  c.prepareStatement(
                      "DELETE FROM " + q + "agentmesh_rows WHERE namespace = ? AND key = ANY(?)");
              PreparedStatement note =
                  c.prepareStatement("SELECT count(pg_notify(?, x)) FROM unnest(?::text[]) x")) {
            for (String id : page) {
              up.setString(1, "step-" + step);
              up.setLong(2, version + events[step]);
              up.setString(3, id);
              up.setLong(4, version);
              up.addBatch();
              for (int k = 1; k <= events[step]; k++) {
                ins.setString(1, id);
                ins.setLong(2, version + k);
                ins.setString(3, "{\"step\":" + step + "}");
                ins.addBatch();
              }
            }
            up.executeBatch();
            ins.executeBatch();
            del.setString(1, deletes[step]);
            del.setArray(2, c.createArrayOf("text", page.toArray()));
            del.executeUpdate();
            note.setString(1, "agentmesh_changes_" + floor.schema);
            note.setArray(2, c.createArrayOf("text", page.toArray()));
            note.executeQuery().close();
            c.commit();
          } finally {
            c.setAutoCommit(true);
          }
          version += events[step];
        }
      }
    }
    return read;
  }

  /** A different reviewer's first page each time: their own list merged with two groups'. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2, time = 5)
  @Measurement(iterations = 5, time = 5)
  public ReviewPage firstPageOfAReviewersQueue(Db db) {
    int n = db.reviewer.getAndIncrement();
    ReviewQuery query =
        ReviewQuery.builder()
            .reviewer("user-" + n % 50, Set.of("group-" + n % 10, "group-" + (n + 3) % 10))
            .limit(50)
            .build();
    ReviewPage page = db.queue.pending(query);
    if (page.reviews().size() != 50) {
      throw new IllegalStateException("a first page of " + page.reviews().size());
    }
    return page;
  }

  /**
   * Approve all 1,000 pending documents of one agent through {@link Reviews#decideAll}: each
   * decision authenticated, policy-checked and appended to its own session, each effect run once.
   */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2)
  @Measurement(iterations = 5)
  public BulkOutcome bulkDecisionOfAThousand(Bulk bulk) {
    long cpu = THREADS.getCurrentThreadCpuTime();
    bulk.last =
        bulk.deciding.decideAll(
            ReviewQuery.builder().agent("bulk-writer").artifactType("document").build(),
            "token",
            Decision.approve());
    bulk.cpuNanos = THREADS.getCurrentThreadCpuTime() - cpu;
    return bulk.last;
  }
}
