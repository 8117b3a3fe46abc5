package dev.agentmesh.sessions.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.sessions.spi.Append;
import dev.agentmesh.sessions.spi.Lease;
import dev.agentmesh.sessions.spi.LeaseLostException;
import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowConflictException;
import dev.agentmesh.sessions.spi.RowQuery;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.SessionSummary;
import dev.agentmesh.sessions.spi.VersionConflictException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The rows part of {@link SessionStoreCompatibilityKit} (other modules' rows in the same
 * transaction as events, create-once keys, claims of due rows), run as its nested class {@code
 * Rows} against the kit's store.
 */
abstract class RowsCompatibilityCases {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
  private static final Duration TTL = Duration.ofSeconds(30);

  /** The kit's store under test. */
  abstract SessionStore store();

  /** Another instance over the same data, as a second node would open it. */
  abstract SessionStore another();

  // ---- same transaction as the events ------------------------------------------------------

  @Test
  void aRowWrittenWithAnAppendReadsBackWithItsSessionValueAndDueInstant() {
    Row claim =
        row("triggers.claim", "daily@2026-03-01T09:00:00Z", "s-1", 1)
            .withDue(Instant.parse("2026-03-01T09:00:00.123456789Z"));
    store().append(create("s-1").withRows(RowWrite.insert(claim)));

    Row found = store().findRow("triggers.claim", "daily@2026-03-01T09:00:00Z").orElseThrow();
    assertThat(found).isEqualTo(claim);
    assertThat(found.due()).isEqualTo(Instant.parse("2026-03-01T09:00:00.123456Z"));
    assertThat(another().findRow("triggers.claim", "daily@2026-03-01T09:00:00Z")).contains(claim);
    assertThat(store().findRow("triggers.claim", "no-such-key")).isEmpty();
    assertThat(store().findRow("other.namespace", "daily@2026-03-01T09:00:00Z")).isEmpty();
  }

  @Test
  void anInsertOfATakenKeyRefusesTheWholeAppendAndNamesTheSessionThatHoldsIt() {
    store().append(create("s-1").withRows(RowWrite.insert(row("sessions.once", "k", "s-1", 1))));

    assertThatThrownBy(
            () ->
                store()
                    .append(
                        create("s-2")
                            .withRows(
                                RowWrite.insert(row("review.pending", "r-2", "s-2", 2)),
                                RowWrite.insert(row("sessions.once", "k", "s-2", 2)))))
        .isInstanceOfSatisfying(
            RowConflictException.class,
            e -> {
              assertThat(e.namespace()).isEqualTo("sessions.once");
              assertThat(e.key()).isEqualTo("k");
              assertThat(e.reason()).isEqualTo(RowConflictException.Reason.EXISTS);
              assertThat(e.existingSessionId()).isEqualTo("s-1");
            })
        .hasMessage(
            "Row 'sessions.once' / 'k' already exists (session 's-1'), so the request "
                + "inserting it was refused and nothing of it was stored; read it with findRow, or "
                + "write it with RowWrite.upsert to replace it");
    assertThat(store().find("s-2")).as("the session of the refused append").isEmpty();
    assertThat(store().load("s-2", 0)).isEmpty();
    assertThat(store().findRow("review.pending", "r-2")).as("the append's other row").isEmpty();
    assertThat(store().findRow("sessions.once", "k").orElseThrow().value().get("n").asInt())
        .isEqualTo(1);
  }

  @Test
  void aRefusedRowWriteLeavesTheEventsAndSummaryOfAnExistingSessionUnchanged() {
    store().append(create("s-1").withRows(RowWrite.insert(row("review.pending", "r-1", "s-1", 1))));
    SessionSummary before = store().find("s-1").orElseThrow();

    assertThatThrownBy(
            () ->
                store()
                    .append(
                        Append.of(
                                "s-1",
                                1,
                                List.of(event(2)),
                                summary("s-1").newBuilder().status("changed").build())
                            .withRows(
                                RowWrite.upsert(row("review.pending", "r-2", "s-1", 2)),
                                RowWrite.insert(row("review.pending", "r-1", "s-1", 3)))))
        .isInstanceOf(RowConflictException.class);

    assertThat(store().load("s-1", 0)).hasSize(1);
    assertThat(store().find("s-1")).contains(before);
    assertThat(store().findRow("review.pending", "r-2")).isEmpty();
  }

  @Test
  void rowsOfAnAppendRefusedForItsVersionOrItsLeaseAreNotWritten() {
    long v = store().append(create("s-1"));
    Lease a = store().tryAcquireLease("s-1", "node-a", T0, TTL).orElseThrow();
    assertThat(store().tryAcquireLease("s-1", "node-b", T0.plusSeconds(31), TTL))
        .as("node-b takes the expired lease")
        .isPresent();

    assertThatThrownBy(
            () ->
                store()
                    .append(
                        Append.of("s-1", v + 1, List.of(event(2)), summary("s-1"))
                            .withRows(RowWrite.insert(row("review.pending", "stale", "s-1", 1)))))
        .isInstanceOf(VersionConflictException.class);
    assertThatThrownBy(
            () ->
                store()
                    .append(
                        Append.of("s-1", v, List.of(event(2)), summary("s-1"))
                            .fencedBy(a)
                            .withRows(RowWrite.insert(row("review.pending", "lost", "s-1", 1)))))
        .isInstanceOf(LeaseLostException.class);
    assertThatThrownBy(
            () ->
                store()
                    .append(
                        create("s-1")
                            .withRows(RowWrite.insert(row("review.pending", "again", "s-1", 1)))))
        .isInstanceOf(VersionConflictException.class);
    assertThat(store().queryRows(RowQuery.builder("review.pending").build())).isEmpty();
  }

  @Test
  void deleteExistingOfAMissingRowRefusesTheAppendWhilePlainDeleteIsANoOp() {
    long v = store().append(create("s-1").withRows(RowWrite.delete("sessions.timer", "never")));

    assertThatThrownBy(
            () ->
                store()
                    .append(
                        Append.of("s-1", v, List.of(event(2)), summary("s-1"))
                            .withRows(RowWrite.deleteExisting("sessions.timer", "s-1/expiry"))))
        .isInstanceOfSatisfying(
            RowConflictException.class,
            e -> assertThat(e.reason()).isEqualTo(RowConflictException.Reason.ABSENT))
        .hasMessage(
            "Row 'sessions.timer' / 's-1/expiry' does not exist, so the request deleting "
                + "it with deleteExisting was refused and nothing of it was stored; another writer "
                + "deleted it first");
    assertThat(store().load("s-1", 0)).hasSize(1);
  }

  @Test
  void ofTwoAppendsDeletingOneExistingRowOnlyTheFirstIsStored() {
    store().writeRows(List.of(RowWrite.insert(row("sessions.timer", "t-1", "s-1", 1).withDue(T0))));
    long v = store().append(create("s-1"));

    long after =
        store()
            .append(
                Append.of("s-1", v, List.of(event(2)), summary("s-1"))
                    .withRows(RowWrite.deleteExisting("sessions.timer", "t-1")));
    assertThatThrownBy(
            () ->
                another()
                    .append(
                        Append.of("s-1", after, List.of(event(3)), summary("s-1"))
                            .withRows(RowWrite.deleteExisting("sessions.timer", "t-1"))))
        .isInstanceOf(RowConflictException.class);

    assertThat(store().load("s-1", 0)).hasSize(2);
    assertThat(store().findRow("sessions.timer", "t-1")).isEmpty();
  }

  @Test
  void anUpsertReplacesTheRowAndWriteRowsAppliesAllOrNothingWithoutEvents() {
    store().writeRows(List.of(RowWrite.insert(row("review.pending", "r-1", "s-1", 1))));
    store()
        .writeRows(
            List.of(
                RowWrite.upsert(row("review.pending", "r-1", "s-2", 2)),
                RowWrite.upsert(row("review.pending", "r-2", null, 3))));

    assertThat(store().findRow("review.pending", "r-1"))
        .contains(row("review.pending", "r-1", "s-2", 2));
    assertThat(store().findRow("review.pending", "r-2").orElseThrow().sessionId()).isNull();
    assertThatThrownBy(
            () ->
                store()
                    .writeRows(
                        List.of(
                            RowWrite.insert(row("review.pending", "r-3", null, 4)),
                            RowWrite.delete("review.pending", "r-1"),
                            RowWrite.insert(row("review.pending", "r-2", null, 5)))))
        .isInstanceOf(RowConflictException.class);
    assertThat(store().findRow("review.pending", "r-3")).isEmpty();
    assertThat(store().findRow("review.pending", "r-1")).isPresent();
    store().writeRows(List.of());
  }

  @Test
  void aRowWrittenTwiceInOneRequestOrAMalformedNamespaceIsAProgrammerError() {
    assertThatThrownBy(
            () ->
                store()
                    .writeRows(
                        List.of(
                            RowWrite.delete("review.pending", "r-1"),
                            RowWrite.insert(row("review.pending", "r-1", null, 1)))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Row 'review.pending' / 'r-1' is written twice in one request; write each row "
                + "at most once per append");
    assertThatThrownBy(() -> store().findRow("Review Pending", "r-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Row namespace must be lower-case letters, digits, '.', '_' or '-', start with "
                + "a letter and be at most 64 characters (like 'review.pending') but was "
                + "'Review Pending'");
    assertThatThrownBy(() -> store().claimRows("sessions.timer", "node-a", T0, TTL, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- queries -----------------------------------------------------------------------------

  @Test
  void rowQueriesFilterBySessionPrefixAndDueAndPageByKeyInCodePointOrder() {
    List<RowWrite> writes = new ArrayList<>();
    writes.add(RowWrite.insert(row("review.pending", "a/1", "s-1", 1).withDue(T0)));
    writes.add(RowWrite.insert(row("review.pending", "a/2", "s-2", 2).withDue(T0.plusSeconds(60))));
    writes.add(RowWrite.insert(row("review.pending", "a/\uD83D\uDE00", "s-1", 3)));
    writes.add(RowWrite.insert(row("review.pending", "a/\uFFFD", "s-1", 4)));
    writes.add(RowWrite.insert(row("review.pending", "b/1", "s-1", 5).withDue(T0)));
    writes.add(RowWrite.insert(row("review.pendingx", "a/1", "s-1", 6)));
    store().writeRows(writes);

    assertThat(keys(RowQuery.builder("review.pending")))
        .containsExactly("a/1", "a/2", "a/\uFFFD", "a/\uD83D\uDE00", "b/1");
    assertThat(keys(RowQuery.builder("review.pending").sessionId("s-1")))
        .containsExactly("a/1", "a/\uFFFD", "a/\uD83D\uDE00", "b/1");
    assertThat(keys(RowQuery.builder("review.pending").keyPrefix("a/")))
        .containsExactly("a/1", "a/2", "a/\uFFFD", "a/\uD83D\uDE00");
    assertThat(keys(RowQuery.builder("review.pending").keyPrefix("a/\uD83D\uDE00")))
        .containsExactly("a/\uD83D\uDE00");
    assertThat(keys(RowQuery.builder("review.pending").dueBefore(T0.plusSeconds(60))))
        .containsExactly("a/1", "b/1");
    assertThat(keys(RowQuery.builder("review.pending").limit(2))).containsExactly("a/1", "a/2");
    assertThat(keys(RowQuery.builder("review.pending").afterKey("a/2").limit(2)))
        .containsExactly("a/\uFFFD", "a/\uD83D\uDE00");
  }

  @Test
  void aKeyPrefixListsExactlyTheKeysThatStartWithItAlsoAtCodePointEdgesAndAfterAKey() {
    List<String> stored =
        List.of(
            "p/a",
            "p/a/1",
            "p/a/2",
            "p/a0",
            "p/b",
            "p/\uD7FF",
            "p/\uD7FF/1",
            "p/\uE000",
            "p/\uFFFF",
            "p/\uFFFF/1",
            "p/\uDBFF\uDFFF",
            "p/\uDBFF\uDFFF/1",
            "q");
    List<RowWrite> writes = new ArrayList<>();
    for (int i = 0; i < stored.size(); i++) {
      writes.add(RowWrite.insert(row("review.queue", stored.get(i), "s-1", i)));
    }
    store().writeRows(writes);

    for (String prefix :
        List.of("p/a", "p/a/", "p/\uD7FF", "p/\uFFFF", "p/\uDBFF\uDFFF", "p/", "q", "p/c")) {
      List<String> expected =
          stored.stream().filter(k -> k.startsWith(prefix)).sorted(RowQuery::compareKeys).toList();
      assertThat(keys(RowQuery.builder("review.queue").keyPrefix(prefix)))
          .as("keys starting with '%s'", prefix)
          .containsExactlyElementsOf(expected);
    }
    assertThat(keys(RowQuery.builder("review.queue").keyPrefix("p/a/").afterKey("p/a/1")))
        .containsExactly("p/a/2");
    assertThat(keys(RowQuery.builder("review.queue").keyPrefix("p/a/").afterKey("p/")))
        .as("an after-key before the prefix starts at the prefix")
        .containsExactly("p/a/1", "p/a/2");
    assertThat(keys(RowQuery.builder("review.queue").keyPrefix("p/a/").afterKey("p/b")))
        .as("an after-key beyond the prefix lists nothing")
        .isEmpty();
  }

  // ---- claims of due rows (durable timers) ------------------------------------------------

  @Test
  void claimsTakeDueRowsEarliestFirstAndHoldThemUntilTheClaimExpires() {
    store()
        .writeRows(
            List.of(
                RowWrite.insert(row("sessions.timer", "late", "s-1", 1).withDue(T0.plusSeconds(2))),
                RowWrite.insert(row("sessions.timer", "early", "s-1", 2).withDue(T0)),
                RowWrite.insert(
                    row("sessions.timer", "future", "s-1", 3).withDue(T0.plusSeconds(99))),
                RowWrite.insert(row("sessions.timer", "undated", "s-1", 4)),
                RowWrite.insert(row("other.timer", "x", "s-1", 5).withDue(T0))));

    assertThat(store().claimRows("sessions.timer", "node-a", T0.minusMillis(1), TTL, 10))
        .as("nothing is due before its instant")
        .isEmpty();
    assertThat(store().claimRows("sessions.timer", "node-a", T0.plusSeconds(2), TTL, 10))
        .extracting(Row::key)
        .containsExactly("early", "late");
    assertThat(another().claimRows("sessions.timer", "node-b", T0.plusSeconds(31), TTL, 10))
        .as("claimed until T0+32s")
        .isEmpty();
    assertThat(another().claimRows("sessions.timer", "node-b", T0.plusSeconds(32), TTL, 1))
        .extracting(Row::key)
        .containsExactly("early");
  }

  @Test
  void onlyTheCurrentClaimantCanDeleteAClaimedRowAndAnUpsertEndsTheClaim() {
    store().writeRows(List.of(RowWrite.insert(row("sessions.timer", "t", "s-1", 1).withDue(T0))));
    store().claimRows("sessions.timer", "node-a", T0, TTL, 10);
    another().claimRows("sessions.timer", "node-b", T0.plusSeconds(30), TTL, 10);

    assertThatThrownBy(
            () ->
                store()
                    .writeRows(
                        List.of(
                            RowWrite.deleteExisting("sessions.timer", "t").claimedBy("node-a"))))
        .isInstanceOfSatisfying(
            RowConflictException.class,
            e -> assertThat(e.reason()).isEqualTo(RowConflictException.Reason.NOT_CLAIMED));
    store().writeRows(List.of(RowWrite.upsert(row("sessions.timer", "t", "s-1", 2).withDue(T0))));
    assertThatThrownBy(
            () ->
                another()
                    .writeRows(
                        List.of(
                            RowWrite.deleteExisting("sessions.timer", "t").claimedBy("node-b"))))
        .as("the row was replaced after node-b claimed it")
        .isInstanceOf(RowConflictException.class);
    assertThat(store().claimRows("sessions.timer", "node-c", T0.plusSeconds(31), TTL, 10))
        .extracting(Row::key)
        .as("the replaced row is free again")
        .containsExactly("t");
    store().writeRows(List.of(RowWrite.deleteExisting("sessions.timer", "t").claimedBy("node-c")));
    assertThat(store().findRow("sessions.timer", "t")).isEmpty();
  }

  // ---- concurrency -------------------------------------------------------------------------

  @Test
  void ofConcurrentCreatorsUnderOneKeyExactlyOneSessionIsCreated() throws Exception {
    int threads = 6;
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Callable<String>> tasks = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      SessionStore node = t % 2 == 0 ? store() : another();
      String id = "s-" + t;
      tasks.add(
          () -> {
            start.await(30, TimeUnit.SECONDS);
            try {
              node.append(
                  create(id).withRows(RowWrite.insert(row("sessions.once", "delivery-7", id, 0))));
              return id;
            } catch (RowConflictException e) {
              return "lost to " + e.existingSessionId();
            }
          });
    }
    List<String> results = runAll(tasks);
    List<String> winners = results.stream().filter(r -> !r.startsWith("lost")).toList();
    assertThat(winners).hasSize(1);
    assertThat(results)
        .filteredOn(r -> r.startsWith("lost"))
        .containsOnly("lost to " + winners.get(0));
    assertThat(store().query(SessionQuery.builder().build()).sessions())
        .extracting(SessionSummary::id)
        .containsExactly(winners.get(0));
    assertThat(store().findRow("sessions.once", "delivery-7").orElseThrow().sessionId())
        .isEqualTo(winners.get(0));
  }

  @Test
  void concurrentClaimsNeverHandOneRowToTwoOwners() throws Exception {
    List<RowWrite> writes = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      writes.add(
          RowWrite.insert(row("sessions.timer", "t-" + i, "s-1", i).withDue(T0.plusMillis(i))));
    }
    store().writeRows(writes);
    int nodes = 4;
    CyclicBarrier start = new CyclicBarrier(nodes);
    List<Callable<List<String>>> tasks = new ArrayList<>();
    for (int n = 0; n < nodes; n++) {
      SessionStore node = another();
      String owner = "node-" + n;
      tasks.add(
          () -> {
            start.await(30, TimeUnit.SECONDS);
            List<String> mine = new ArrayList<>();
            for (List<Row> batch =
                    node.claimRows("sessions.timer", owner, T0.plusSeconds(1), TTL, 3);
                !batch.isEmpty();
                batch = node.claimRows("sessions.timer", owner, T0.plusSeconds(1), TTL, 3)) {
              batch.forEach(r -> mine.add(r.key()));
            }
            return mine;
          });
    }
    List<String> all = runAll(tasks).stream().flatMap(List::stream).toList();
    assertThat(all).hasSize(40).doesNotHaveDuplicates();
  }

  // ---- properties --------------------------------------------------------------------------

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("dev.agentmesh.sessions.testing.SessionStoreCompatibilityKit#seeds")
  void generatedRowWritesMatchAReferenceMapAndRefusedRequestsChangeNothing(
      long seed, TestReporter reporter) {
    reporter.publishEntry("replay", "-Dagentmesh.seed=" + seed);
    Random random = new Random(seed);
    List<String> keys = List.of("a", "a/b", "b", "\uFFFD", "\uD83D\uDE00");
    Map<String, Row> model = new TreeMap<>(RowQuery::compareKeys);
    long version = store().append(create("p-1"));
    for (int step = 0; step < 40; step++) {
      List<String> picked = new ArrayList<>(keys);
      Collections.shuffle(picked, random);
      List<RowWrite> writes = new ArrayList<>();
      Map<String, Row> after = new TreeMap<>(RowQuery::compareKeys);
      after.putAll(model);
      @Nullable String refusedKey = null;
      for (String key : picked.subList(0, 1 + random.nextInt(3))) {
        Row row = row("prop.rows", key, random.nextBoolean() ? "p-1" : null, random.nextInt(100));
        row = random.nextBoolean() ? row : row.withDue(T0.plusSeconds(random.nextInt(60)));
        RowWrite write =
            switch (random.nextInt(4)) {
              case 0 -> RowWrite.insert(row);
              case 1 -> RowWrite.upsert(row);
              case 2 -> RowWrite.delete("prop.rows", key);
              default -> RowWrite.deleteExisting("prop.rows", key);
            };
        writes.add(write);
        boolean refused =
            (write.kind() == RowWrite.Kind.INSERT && after.containsKey(key))
                || (write.kind() == RowWrite.Kind.DELETE_EXISTING && !after.containsKey(key));
        if (refused && refusedKey == null) {
          refusedKey = key;
        }
        if (write.row() != null) {
          after.put(key, write.row());
        } else {
          after.remove(key);
        }
      }
      boolean withEvents = random.nextBoolean();
      try {
        if (withEvents) {
          version =
              store()
                  .append(
                      Append.of("p-1", version, List.of(event(step)), summary("p-1"))
                          .withRows(writes));
        } else {
          store().writeRows(writes);
        }
        assertThat(refusedKey).as("seed %d step %d: %s accepted", seed, step, writes).isNull();
        model = after;
      } catch (RowConflictException e) {
        assertThat(e.key())
            .as("seed %d step %d: %s refused", seed, step, writes)
            .isEqualTo(refusedKey);
      }
      assertThat(store().queryRows(RowQuery.builder("prop.rows").build()))
          .as("seed %d step %d", seed, step)
          .containsExactlyElementsOf(model.values());
      assertThat(store().load("p-1", 0)).hasSize((int) version);
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  private List<String> keys(RowQuery.Builder query) {
    return store().queryRows(query.build()).stream().map(Row::key).toList();
  }

  private static <T> List<T> runAll(List<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      List<T> results = new ArrayList<>();
      for (Future<T> f : pool.invokeAll(tasks)) {
        results.add(f.get(2, TimeUnit.MINUTES));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Row row(String namespace, String key, @Nullable String sessionId, int n) {
    ObjectNode value = JSON.createObjectNode();
    value.put("n", n);
    value.put("text", "h\u00e9llo \uD83D\uDE80");
    return Row.of(namespace, key, sessionId, value);
  }

  private static Append create(String id) {
    return Append.of(id, 0, List.of(event(1)), summary(id));
  }

  private static SessionSummary summary(String id) {
    return SessionSummary.builder(id)
        .agent("triage")
        .status("paused")
        .origin("manual")
        .createdAt(T0)
        .updatedAt(T0)
        .build();
  }

  private static NewEvent event(int n) {
    JsonNode payload = JSON.createObjectNode().put("n", n);
    return new NewEvent("e", 1, payload, T0);
  }
}
