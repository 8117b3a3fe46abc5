package dev.agentmesh.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmesh.core.ReviewPolicy;
import dev.agentmesh.review.BulkOutcome;
import dev.agentmesh.review.ContentHash;
import dev.agentmesh.review.Decision;
import dev.agentmesh.review.PendingReview;
import dev.agentmesh.review.ReviewIndex;
import dev.agentmesh.review.ReviewPage;
import dev.agentmesh.review.ReviewQuery;
import dev.agentmesh.review.ReviewQueue;
import dev.agentmesh.review.SingleDecider;
import dev.agentmesh.sessions.PostgresSessionStore;
import dev.agentmesh.sessions.spi.Append;
import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.SessionSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
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
 * (one agent's artifacts of one type), each recorded singly: the session's summary read, then one
 * append of a {@code review.decided} event with the queue's row deletes ({@link
 * ReviewIndex#closed}), the writes the engine's decision adds. Needs PostgreSQL: {@code
 * AGENTMESH_TEST_PG_URL} or 127.0.0.1:5432/test as user postgres.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ReviewQueueBenchmark -f 1
 * </pre>
 *
 * <p>The 100,000 reviews list one of 50 reviewers and one of 10 groups each, come from 20 agents
 * and 5 types, with risks and ages spread evenly; their rows are loaded by batched inserts (the
 * proposals' events are not: a page reads rows only). The 1,000 bulk-decided reviews are proposed
 * before each measurement through real appends, one session each.
 */
public class ReviewQueueBenchmark {

  static final int PENDING = 100_000;
  static final int BULK = 1_000;
  static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
  static final ContentHash HASH = ContentHash.parse("sha256:" + "5e".repeat(32));
  static final JsonMapper JSON = JsonMapper.builder().build();

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
      config.setMaximumPoolSize(4);
      config.addDataSourceProperty("reWriteBatchedInserts", "true");
      dataSource = new HikariDataSource(config);
      schema = "bench_queue_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
      store = PostgresSessionStore.builder(dataSource).schema(schema).migrate(true).build();
      load();
      queue = ReviewQueue.builder(store).decider(new MinimalDecider(store)).build();
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
    final AtomicInteger round = new AtomicInteger();
    BulkOutcome last;

    @Setup(Level.Iteration)
    public void propose(Db db) {
      int r = round.incrementAndGet();
      for (int i = 0; i < BULK; i++) {
        PendingReview review =
            new PendingReview(
                "bulk-" + r + "-" + i,
                "bulk-session-" + r + "-" + i,
                "bulk-writer",
                "document",
                HASH,
                ReviewPolicy.Risk.LOW,
                T0.plusSeconds(i),
                null,
                Set.of("user-1"),
                Set.of("group-1"),
                "Release note " + i);
        SessionSummary summary =
            SessionSummary.builder(review.sessionId())
                .agent("bulk-writer")
                .status("waiting")
                .origin("bench")
                .createdAt(T0)
                .updatedAt(T0)
                .build();
        db.store.append(
            Append.of(
                    review.sessionId(),
                    0,
                    List.of(event("session.created", review), event("review.proposed", review)),
                    summary)
                .withRows(ReviewIndex.opened(review)));
      }
    }

    @TearDown(Level.Iteration)
    public void check() {
      if (last == null || last.decided().size() != BULK || last.hasMore()) {
        throw new IllegalStateException(
            "the bulk decision did not decide all " + BULK + ": " + last);
      }
    }
  }

  /**
   * A stand-in for the engine's single decision, with the same store work: read the session, then
   * append the decision's event with the queue's row deletes. The engine also folds the session's
   * state (cached per session) and checks the policy in memory.
   */
  static final class MinimalDecider implements SingleDecider {
    private final SessionStore store;

    MinimalDecider(SessionStore store) {
      this.store = store;
    }

    @Override
    public BulkOutcome.Item decide(PendingReview review, Object credential, Decision decision) {
      SessionSummary summary = store.find(review.sessionId()).orElseThrow();
      store.append(
          Append.of(
                  review.sessionId(),
                  summary.version(),
                  List.of(event("review.decided", review)),
                  summary.newBuilder().status("running").build())
              .withRows(ReviewIndex.closed(review)));
      return new BulkOutcome.Decided(review);
    }
  }

  static NewEvent event(String type, PendingReview review) {
    return new NewEvent(
        type,
        1,
        JSON.createObjectNode()
            .put("review", review.reviewId())
            .put("contentHash", review.contentHash().toString()),
        T0);
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

  /** Approve all 1,000 pending documents of one agent, each decision its own append. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2)
  @Measurement(iterations = 5)
  public BulkOutcome bulkDecisionOfAThousand(Db db, Bulk bulk) {
    bulk.last =
        db.queue.decideAll(
            ReviewQuery.builder().agent("bulk-writer").artifactType("document").build(),
            "token",
            Decision.approve());
    return bulk.last;
  }
}
