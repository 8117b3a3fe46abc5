package dev.agentmesh.review;

import static dev.agentmesh.review.QueueLog.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.ReviewPolicy;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.PostgresSessionStore;
import dev.agentmesh.sessions.SqliteSessionStore;
import dev.agentmesh.sessions.spi.RowQuery;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testsupport.PostgresTestDatabase;
import dev.agentmesh.testsupport.Seeds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Paging while the queue changes: reviews are proposed, decided and escalated between the pages of
 * a random query. Whatever the interleaving, no review comes twice, every review that matched the
 * query from the first page to the last comes once, and pages follow queue order. On every store.
 */
class ReviewQueuePagingPropertyTest {

  private static final PostgresTestDatabase DB = PostgresTestDatabase.get();
  private static final List<String> SCHEMAS = new ArrayList<>();
  private static final List<String> PEOPLE = List.of("ana", "bob", "cleo");
  private static final List<String> GROUPS = List.of("leads", "ops", "legal");
  private static final ContentHash HASH = ContentHash.parse("sha256:" + "cd".repeat(32));

  @TempDir Path dir;

  @AfterAll
  static void dropSchemas() {
    SCHEMAS.forEach(DB::dropSchema);
  }

  static Stream<Long> many() {
    return Seeds.of(20);
  }

  static Stream<Long> few() {
    return Seeds.of(3);
  }

  @ParameterizedTest
  @MethodSource("many")
  void inMemory(long seed) {
    run(seed, InMemorySessionStore.create());
  }

  @ParameterizedTest
  @MethodSource("few")
  void onSqlite(long seed) {
    run(seed, SqliteSessionStore.create(dir.resolve("paging-" + seed + ".db")));
  }

  @ParameterizedTest
  @MethodSource("few")
  void onPostgresql(long seed) {
    String schema = PostgresTestDatabase.newSchema("reviewpaging");
    SCHEMAS.add(schema);
    run(seed, PostgresSessionStore.builder(DB.dataSource()).schema(schema).build());
  }

  private void run(long seed, SessionStore store) {
    Random rnd = new Random(seed);
    FakeClock clock = FakeClock.at(T0.plus(Duration.ofHours(10)));
    ReviewQueue queue = ReviewQueue.builder(store).clock(clock).build();
    QueueLog log = new QueueLog(store);
    ReviewQuery query = randomQuery(rnd);
    Predicate<PendingReview> matches = reference(query, clock);
    Seeds.print(getClass(), seed, query);

    Map<String, PendingReview> open = new LinkedHashMap<>();
    int[] next = {0};
    for (int i = 0, n = 20 + rnd.nextInt(60); i < n; i++) {
      PendingReview r = randomReview(rnd, "r-" + next[0]++);
      log.propose(r);
      open.put(r.reviewId(), r);
    }
    Set<String> stable = new TreeSet<>();
    open.values().stream().filter(matches).forEach(r -> stable.add(r.reviewId()));
    Set<String> everMatching = new HashSet<>(stable);

    List<PendingReview> seen = new ArrayList<>();
    ReviewPage page = queue.pending(query);
    seen.addAll(page.reviews());
    for (int pages = 0; page.hasMore(); pages++) {
      assertThat(pages).as("pages end").isLessThan(1000);
      mutate(rnd, log, open, next);
      for (PendingReview r : open.values()) {
        if (matches.test(r)) {
          everMatching.add(r.reviewId());
        } else {
          stable.remove(r.reviewId());
        }
      }
      stable.retainAll(open.keySet());
      page = queue.pending(query.newBuilder().cursor(page.nextCursor()).build());
      seen.addAll(page.reviews());
    }

    List<String> ids = seen.stream().map(PendingReview::reviewId).toList();
    assertThat(ids).as("no review twice").doesNotHaveDuplicates();
    assertThat(ids).as("every review that matched throughout").containsAll(stable);
    assertThat(everMatching).as("only reviews that matched at some point").containsAll(ids);
    List<String> positions = seen.stream().map(QueueRows::position).toList();
    assertThat(positions).as("queue order").isSortedAccordingTo(RowQuery::compareKeys);
  }

  /** Between two pages: a few proposals, decisions and escalations. */
  private static void mutate(
      Random rnd, QueueLog log, Map<String, PendingReview> open, int[] next) {
    for (int i = rnd.nextInt(3); i > 0; i--) {
      PendingReview r = randomReview(rnd, "r-" + next[0]++);
      log.propose(r);
      open.put(r.reviewId(), r);
    }
    List<PendingReview> current = new ArrayList<>(open.values());
    for (int i = rnd.nextInt(3); i > 0 && !current.isEmpty(); i--) {
      PendingReview r = current.remove(rnd.nextInt(current.size()));
      log.decide(r);
      open.remove(r.reviewId());
    }
    if (!current.isEmpty() && rnd.nextBoolean()) {
      PendingReview before = current.get(rnd.nextInt(current.size()));
      PendingReview after =
          new PendingReview(
              before.reviewId(),
              before.sessionId(),
              before.agent(),
              before.artifactType(),
              before.contentHash(),
              before.risk(),
              before.proposedAt(),
              null,
              subset(rnd, PEOPLE),
              subset(rnd, GROUPS),
              before.title());
      log.reassign(before, after);
      open.put(after.reviewId(), after);
    }
  }

  private static PendingReview randomReview(Random rnd, String id) {
    ReviewPolicy.Risk[] risks = ReviewPolicy.Risk.values();
    return new PendingReview(
        id,
        "s-" + id,
        "agent-" + rnd.nextInt(2),
        "type-" + rnd.nextInt(2),
        HASH,
        risks[rnd.nextInt(risks.length)],
        T0.plusSeconds(3600L * rnd.nextInt(12)), // few instants: many ties
        null,
        subset(rnd, PEOPLE),
        subset(rnd, GROUPS),
        "Review " + id);
  }

  private static Set<String> subset(Random rnd, List<String> from) {
    Set<String> out = new TreeSet<>();
    from.forEach(
        x -> {
          if (rnd.nextInt(3) == 0) {
            out.add(x);
          }
        });
    return out;
  }

  private static ReviewQuery randomQuery(Random rnd) {
    ReviewQuery.Builder q = ReviewQuery.builder().limit(1 + rnd.nextInt(7));
    switch (rnd.nextInt(4)) {
      case 0 -> q.reviewer("ana", subset(rnd, GROUPS));
      case 1 -> q.reviewer("ana", subset(rnd, GROUPS)).agent("agent-0");
      case 2 -> q.agent("agent-1").artifactType("type-0");
      default -> {}
    }
    if (rnd.nextInt(3) == 0) {
      q.artifactType("type-1");
    }
    if (rnd.nextInt(3) == 0) {
      q.minimumRisk(ReviewPolicy.Risk.values()[rnd.nextInt(4)]);
    }
    if (rnd.nextInt(3) == 0) {
      q.olderThan(Duration.ofHours(1 + rnd.nextInt(10)));
    }
    return q.build();
  }

  /** What the query means, written plainly. */
  private static Predicate<PendingReview> reference(ReviewQuery q, FakeClock clock) {
    return r ->
        (q.reviewer() == null || r.listedFor(q.reviewer(), q.reviewerGroups()))
            && (q.agent() == null || q.agent().equals(r.agent()))
            && (q.artifactType() == null || q.artifactType().equals(r.artifactType()))
            && (q.minimumRisk() == null || r.risk().compareTo(q.minimumRisk()) >= 0)
            && (q.olderThan() == null
                || r.proposedAt().isBefore(clock.instant().minus(q.olderThan())));
  }
}
