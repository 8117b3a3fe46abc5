package dev.agentmesh.sessions.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentmesh.core.Mesh;
import dev.agentmesh.sessions.SessionNotFoundException;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.spi.Append;
import dev.agentmesh.sessions.spi.AppendOutcome;
import dev.agentmesh.sessions.spi.Lease;
import dev.agentmesh.sessions.spi.LeaseLostException;
import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.PurgeRequest;
import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.sessions.spi.SessionChange;
import dev.agentmesh.sessions.spi.SessionDecodeException;
import dev.agentmesh.sessions.spi.SessionPage;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.SessionSummary;
import dev.agentmesh.sessions.spi.StoredEvent;
import dev.agentmesh.sessions.spi.VersionConflictException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The behaviour every {@link SessionStore} must show: ordering, version conflicts, concurrent
 * appenders, leases and their fencing epochs, quarantine, queries, large and unicode payloads,
 * atomicity of rejected appends, decode errors that name the broken event, (nested class {@code
 * Rows}) other modules' rows written with the events or not at all, keys inserted once across
 * racing nodes, and claims of due rows, and, for a store that {@link SessionStore#supportsChanges()
 * has a change feed}, one change per committed append in version order and none for a refused one.
 * Extend it and return a fresh, empty store from {@link #createStore()}:
 *
 * <pre>{@code
 * class MyStoreTest extends SessionStoreCompatibilityKit {
 *   @Override protected SessionStore createStore() { return new MyStore(...); }
 *   @Override protected SessionStore openAnother(SessionStore store) { return new MyStore(sameDb); }
 * }
 * }</pre>
 *
 * <p>The property tests run over generated operation sequences. Each prints its seed; rerun one
 * with {@code -Dagentmesh.seed=<seed>}. Time is passed in explicitly, never slept.
 */
public abstract class SessionStoreCompatibilityKit {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
  private static final Duration TTL = Duration.ofSeconds(30);

  /** The store under test, made by {@link #createStore()} before each test. */
  protected SessionStore store;

  /** For subclasses, one per store under test. */
  protected SessionStoreCompatibilityKit() {}

  /**
   * A fresh store with no sessions, for one test.
   *
   * @return the store
   */
  protected abstract SessionStore createStore();

  /**
   * Another instance over the same data as {@code store}, as a second node would open it. The
   * default returns {@code store} itself, for stores that cannot share data.
   *
   * @param store the store under test
   * @return a store over the same data
   */
  protected SessionStore openAnother(SessionStore store) {
    return store;
  }

  /**
   * Releases a store made by {@link #createStore()} or {@link #openAnother}; closes it if it can.
   *
   * @param store the store to release
   * @throws Exception if closing it fails
   */
  protected void close(SessionStore store) throws Exception {
    if (store instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  @BeforeEach
  void createTheStore() {
    store = createStore();
  }

  @AfterEach
  void closeTheStore() throws Exception {
    close(store);
  }

  // ---- ordering and data -------------------------------------------------------------------

  @Test
  void eventsComeBackInAppendOrderNumberedFromOne() {
    long v = store.append("s-1", 0, List.of(event("a", 1), event("b", 2)), summary("s-1"));
    v = store.append("s-1", v, List.of(event("c", 3)), summary("s-1"));

    List<StoredEvent> log = store.load("s-1", 0);
    assertThat(v).isEqualTo(3);
    assertThat(log).extracting(StoredEvent::version).containsExactly(1L, 2L, 3L);
    assertThat(log).extracting(e -> e.payload().get("n").asInt()).containsExactly(1, 2, 3);
    assertThat(log).extracting(StoredEvent::sessionId).containsOnly("s-1");
  }

  @Test
  void loadAfterAVersionReturnsOnlyTheTailAndHonoursTheLimit() {
    store.append(
        "s-1",
        0,
        List.of(event("a", 1), event("a", 2), event("a", 3), event("a", 4)),
        summary("s-1"));

    assertThat(store.load("s-1", 2)).extracting(StoredEvent::version).containsExactly(3L, 4L);
    assertThat(store.load("s-1", 1, 2)).extracting(StoredEvent::version).containsExactly(2L, 3L);
    assertThat(store.load("s-1", 4)).isEmpty();
    assertThat(store.load("no-such-session", 0)).isEmpty();
  }

  @Test
  void typeTypeVersionPayloadAndInstantAreKeptUnchanged() {
    JsonNode payload =
        JSON.readTree(
            "{\"text\":\"hi\",\"n\":42,\"f\":0.5,\"ok\":true,\"none\":null,\"list\":[1,\"two\",{}]}");
    Instant at = Instant.parse("2026-03-01T09:00:00.123456789Z");
    store.append("s-1", 0, List.of(new NewEvent("message.posted", 3, payload, at)), summary("s-1"));

    StoredEvent stored = store.load("s-1", 0).get(0);
    assertThat(stored.type()).isEqualTo("message.posted");
    assertThat(stored.typeVersion()).isEqualTo(3);
    assertThat(stored.payload()).isEqualTo(payload);
    assertThat(stored.at()).isEqualTo(Instant.parse("2026-03-01T09:00:00.123456Z"));
  }

  @Test
  void theSummaryFollowsEachAppendButKeepsCreationTimeAndParent() {
    SessionSummary created =
        summary("s-2").newBuilder().forkedFrom("s-1").participants(Set.of("ana")).build();
    store.append("s-2", 0, List.of(event("a", 1)), created);
    SessionSummary later =
        created
            .newBuilder()
            .status("waiting")
            .runnable(false)
            .participants(Set.of("ana", "bo"))
            .forkedFrom("other")
            .createdAt(T0.plusSeconds(99))
            .updatedAt(T0.plusSeconds(5))
            .version(77)
            .build();
    store.append("s-2", 1, List.of(event("b", 2)), later);

    SessionSummary found = store.find("s-2").orElseThrow();
    assertThat(found)
        .isEqualTo(later.newBuilder().forkedFrom("s-1").createdAt(T0).version(2).build());
    assertThat(store.find("no-such-session")).isEmpty();
  }

  // ---- version conflicts -------------------------------------------------------------------

  @Test
  void anAppendAtAStaleVersionIsRefusedWithBothVersions() {
    store.append("s-1", 0, List.of(event("a", 1), event("a", 2)), summary("s-1"));

    assertThatThrownBy(() -> store.append("s-1", 1, List.of(event("b", 3)), summary("s-1")))
        .isInstanceOfSatisfying(
            VersionConflictException.class,
            e -> {
              assertThat(e.sessionId()).isEqualTo("s-1");
              assertThat(e.expectedVersion()).isEqualTo(1);
              assertThat(e.actualVersion()).isEqualTo(2);
            })
        .hasMessage("Session 's-1' is at version 2 but the append expected 1; reload and retry");
  }

  @Test
  void creatingASessionThatExistsIsRefused() {
    store.append("s-1", 0, List.of(event("a", 1)), summary("s-1"));

    assertThatThrownBy(() -> store.append("s-1", 0, List.of(event("a", 1)), summary("s-1")))
        .isInstanceOf(VersionConflictException.class)
        .hasMessage(
            "Session 's-1' already exists at version 1 but the append expected to create "
                + "it; reload it and append at its version");
  }

  @Test
  void appendingToASessionThatDoesNotExistIsRefused() {
    assertThatThrownBy(() -> store.append("s-9", 3, List.of(event("a", 1)), summary("s-9")))
        .isInstanceOf(VersionConflictException.class)
        .hasMessage(
            "Session 's-9' does not exist but the append expected version 3; create it "
                + "with expected version 0");
    assertThat(store.find("s-9")).isEmpty();
  }

  @Test
  void aRejectedAppendLeavesNoTrace() {
    store.append("s-1", 0, List.of(event("a", 1)), summary("s-1"));
    List<StoredEvent> before = store.load("s-1", 0);
    SessionSummary summaryBefore = store.find("s-1").orElseThrow();

    SessionSummary changed = summary("s-1").newBuilder().status("hacked").build();
    assertThatThrownBy(() -> store.append("s-1", 0, List.of(event("x", 9)), changed))
        .isInstanceOf(VersionConflictException.class);
    assertThatThrownBy(() -> store.append("s-1", 5, List.of(event("x", 9), event("y", 9)), changed))
        .isInstanceOf(VersionConflictException.class);

    assertThat(store.load("s-1", 0)).isEqualTo(before);
    assertThat(store.find("s-1")).contains(summaryBefore);
    assertThat(store.query(SessionQuery.builder().status("hacked").build()).sessions()).isEmpty();
  }

  @Test
  void anAppendWithoutEventsOrForAnotherSessionsSummaryIsAProgrammerError() {
    assertThatThrownBy(() -> store.append("s-1", 0, List.of(), summary("s-1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "An append to session 's-1' needs at least one event; the version counts " + "events");
    assertThatThrownBy(() -> store.append("s-1", 0, List.of(event("a", 1)), summary("s-2")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "The summary is of session 's-2' but the append is to session 's-1'; pass "
                + "that session's summary");
    assertThat(store.find("s-1")).isEmpty();
  }

  // ---- concurrency -------------------------------------------------------------------------

  @Test
  void concurrentAppendersRetryingOnConflictLoseAndDuplicateNothing() throws Exception {
    assertConcurrentWritersLoseNothing(new Random(1), 4, 25, 1);
  }

  @Test
  void ofConcurrentCreatorsOfOneSessionExactlyOneWins() throws Exception {
    int threads = 6;
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      SessionStore node = t % 2 == 0 ? store : openAnother(store);
      int writer = t;
      tasks.add(
          () -> {
            start.await(30, TimeUnit.SECONDS);
            try {
              node.append("s-race", 0, List.of(event("w", writer)), summary("s-race"));
              return true;
            } catch (VersionConflictException e) {
              assertThat(e.actualVersion()).isEqualTo(1);
              return false;
            }
          });
    }
    assertThat(runAll(tasks)).containsOnlyOnce(true);
    assertThat(store.load("s-race", 0)).hasSize(1);
  }

  // ---- leases ------------------------------------------------------------------------------

  @Test
  void aLeaseIsExclusiveUntilItExpires() {
    store.append("s-1", 0, List.of(event("a", 1)), summary("s-1"));

    assertThat(store.tryAcquireLease("s-1", "node-a", T0, TTL)).isPresent();
    assertThat(store.tryAcquireLease("s-1", "node-b", T0.plusSeconds(29), TTL)).isEmpty();
    assertThat(store.tryAcquireLease("s-1", "node-b", T0.plusSeconds(30), TTL)).isPresent();
    assertThat(store.tryAcquireLease("s-1", "node-a", T0.plusSeconds(31), TTL)).isEmpty();
  }

  @Test
  void theHolderRenewsItsLease() {
    store.append("s-1", 0, List.of(event("a", 1)), summary("s-1"));
    store.tryAcquireLease("s-1", "node-a", T0, TTL);

    assertThat(store.tryAcquireLease("s-1", "node-a", T0.plusSeconds(20), TTL)).isPresent();
    assertThat(store.tryAcquireLease("s-1", "node-b", T0.plusSeconds(45), TTL)).isEmpty();
    assertThat(store.tryAcquireLease("s-1", "node-b", T0.plusSeconds(50), TTL)).isPresent();
  }

  @Test
  void aReleasedLeaseIsFreeAndOnlyItsHolderCanReleaseIt() {
    store.append("s-1", 0, List.of(event("a", 1)), summary("s-1"));
    store.tryAcquireLease("s-1", "node-a", T0, TTL);

    assertThat(store.releaseLease("s-1", "node-b")).isFalse();
    assertThat(store.tryAcquireLease("s-1", "node-b", T0.plusSeconds(1), TTL)).isEmpty();
    assertThat(store.releaseLease("s-1", "node-a")).isTrue();
    assertThat(store.releaseLease("s-1", "node-a")).isFalse();
    assertThat(store.tryAcquireLease("s-1", "node-b", T0.plusSeconds(1), TTL)).isPresent();
    assertThat(store.releaseLease("no-such-session", "node-b")).isFalse();
  }

  @Test
  void leasingASessionThatDoesNotExistSaysHowToFixIt() {
    assertThatThrownBy(() -> store.tryAcquireLease("s-9", "node-a", T0, TTL))
        .isInstanceOfSatisfying(
            SessionNotFoundException.class, e -> assertThat(e.sessionId()).isEqualTo("s-9"))
        .hasMessage(
            "No session 's-9' in this store; create it with an append at expected "
                + "version 0 before taking its lease");
  }

  @Test
  void claimTakesRunnableSessionsWithoutALiveLeaseOldestFirst() {
    store.append("old", 0, List.of(event("a", 1)), runnable("old", T0));
    store.append("new", 0, List.of(event("a", 1)), runnable("new", T0.plusSeconds(2)));
    store.append("mid", 0, List.of(event("a", 1)), runnable("mid", T0.plusSeconds(1)));
    store.append("paused", 0, List.of(event("a", 1)), summary("paused"));
    store.append("held", 0, List.of(event("a", 1)), runnable("held", T0));
    store.tryAcquireLease("held", "node-a", T0, TTL);

    assertThat(store.claim("node-b", T0.plusSeconds(10), TTL, 2)).containsExactly("old", "mid");
    assertThat(store.claim("node-c", T0.plusSeconds(10), TTL, 10)).containsExactly("new");
    assertThat(store.claim("node-c", T0.plusSeconds(10), TTL, 10)).isEmpty();
    assertThat(store.tryAcquireLease("old", "node-c", T0.plusSeconds(11), TTL)).isEmpty();
    assertThat(store.claim("node-d", T0.plusSeconds(40), TTL, 10))
        .containsExactlyInAnyOrder("old", "mid", "new", "held");
  }

  @Test
  void concurrentClaimsNeverHandOneSessionToTwoOwners() throws Exception {
    for (int i = 0; i < 40; i++) {
      store.append("c-" + i, 0, List.of(event("a", i)), runnable("c-" + i, T0.plusMillis(i)));
    }
    int nodes = 4;
    CyclicBarrier start = new CyclicBarrier(nodes);
    List<Callable<List<String>>> tasks = new ArrayList<>();
    for (int n = 0; n < nodes; n++) {
      SessionStore node = openAnother(store);
      String owner = "node-" + n;
      tasks.add(
          () -> {
            start.await(30, TimeUnit.SECONDS);
            List<String> mine = new ArrayList<>();
            for (List<String> batch = node.claim(owner, T0.plusSeconds(1), TTL, 3);
                !batch.isEmpty();
                batch = node.claim(owner, T0.plusSeconds(1), TTL, 3)) {
              mine.addAll(batch);
            }
            return mine;
          });
    }
    List<String> all = runAll(tasks).stream().flatMap(List::stream).toList();
    assertThat(all).hasSize(40).doesNotHaveDuplicates();
  }

  // ---- fencing -----------------------------------------------------------------------------

  @Test
  void theEpochGrowsWhenTheLeasePassesOnAndStaysWhileItsHolderRenews() {
    store.append("s-1", 0, List.of(event("a", 1)), runnable("s-1", T0));

    long first = store.tryAcquireLease("s-1", "node-a", T0, TTL).orElseThrow().epoch();
    assertThat(
            store.tryAcquireLease("s-1", "node-a", T0.plusSeconds(10), TTL).orElseThrow().epoch())
        .as("renewed by its holder")
        .isEqualTo(first);
    assertThat(
            store.tryAcquireLease("s-1", "node-a", T0.plusSeconds(45), TTL).orElseThrow().epoch())
        .as("taken again by its holder after it expired, nobody else came between")
        .isEqualTo(first);
    long second =
        store.tryAcquireLease("s-1", "node-b", T0.plusSeconds(80), TTL).orElseThrow().epoch();
    store.releaseLease("s-1", "node-b");
    long third =
        store.tryAcquireLease("s-1", "node-b", T0.plusSeconds(81), TTL).orElseThrow().epoch();
    List<String> claimed = store.claim("node-c", T0.plusSeconds(200), TTL, 10);
    Lease fourth = store.tryAcquireLease("s-1", "node-c", T0.plusSeconds(201), TTL).orElseThrow();

    assertThat(first).isPositive();
    assertThat(List.of(first, second, third, fourth.epoch())).isSorted().doesNotHaveDuplicates();
    assertThat(claimed).containsExactly("s-1");
    assertThat(fourth).isEqualTo(new Lease("s-1", "node-c", fourth.epoch(), T0.plusSeconds(231)));
  }

  @Test
  void anAppendFencedByALeaseThatPassedToAnotherNodeIsRefusedAndLeavesNoTrace() {
    long v = store.append("s-1", 0, List.of(event("a", 1)), runnable("s-1", T0));
    Lease a = store.tryAcquireLease("s-1", "node-a", T0, TTL).orElseThrow();
    v =
        store.append(
            Append.of("s-1", v, List.of(event("called", 2)), runnable("s-1", T0)).fencedBy(a));
    SessionStore nodeB = openAnother(store);
    assertThat(nodeB.claim("node-b", T0.plusSeconds(31), TTL, 10)).containsExactly("s-1");
    Lease b = nodeB.tryAcquireLease("s-1", "node-b", T0.plusSeconds(31), TTL).orElseThrow();
    long atTakeover = v;

    assertThatThrownBy(
            () ->
                store.append(
                    Append.of(
                            "s-1",
                            atTakeover,
                            List.of(event("late-result", 3)),
                            runnable("s-1", T0))
                        .fencedBy(a)))
        .isInstanceOfSatisfying(
            LeaseLostException.class,
            e -> {
              assertThat(e.sessionId()).isEqualTo("s-1");
              assertThat(e.epoch()).isEqualTo(a.epoch());
              assertThat(e.currentEpoch()).isEqualTo(b.epoch());
              assertThat(e.currentOwner()).isEqualTo("node-b");
            })
        .hasMessage(
            "Node 'node-a' appended to session 's-1' under lease epoch "
                + a.epoch()
                + " but the lease has passed to 'node-b' (epoch "
                + b.epoch()
                + "); nothing was stored. "
                + "Stop driving the session: its current driver continues it from the log");
    assertThat(store.load("s-1", 0)).hasSize(2);
    assertThat(store.find("s-1").orElseThrow().version()).isEqualTo(2);

    v =
        nodeB.append(
            Append.of("s-1", v, List.of(event("unknown", 4)), runnable("s-1", T0)).fencedBy(b));
    v = store.append("s-1", v, List.of(event("human", 5)), runnable("s-1", T0));
    assertThat(store.load("s-1", 0))
        .extracting(e -> e.payload().get("n").asInt())
        .as("the new driver's step and a command checked by version alone")
        .containsExactly(1, 2, 4, 5);
  }

  @Test
  void anOvertakenAppendIsRefusedForItsLeaseEvenAtTheCurrentVersionAndAfterARelease() {
    long v = store.append("s-1", 0, List.of(event("a", 1)), runnable("s-1", T0));
    Lease a = store.tryAcquireLease("s-1", "node-a", T0, TTL).orElseThrow();
    assertThat(store.tryAcquireLease("s-1", "node-b", T0.plusSeconds(30), TTL)).isPresent();
    store.releaseLease("s-1", "node-b");

    assertThatThrownBy(
            () ->
                store.append(
                    Append.of("s-1", v, List.of(event("late", 2)), runnable("s-1", T0))
                        .fencedBy(a)))
        .isInstanceOfSatisfying(
            LeaseLostException.class, e -> assertThat(e.currentOwner()).isNull());
    assertThatThrownBy(
            () ->
                store.append(
                    Append.of("s-1", v + 5, List.of(event("late", 2)), runnable("s-1", T0))
                        .fencedBy(a)))
        .as("a lost lease wins over a stale version: retrying cannot help")
        .isInstanceOf(LeaseLostException.class);
    assertThat(store.load("s-1", 0)).hasSize(1);
  }

  @Test
  void aFencedAppendWhoseLeaseExpiredWithoutAnotherHolderIsStored() {
    long v = store.append("s-1", 0, List.of(event("a", 1)), runnable("s-1", T0));
    Lease a = store.tryAcquireLease("s-1", "node-a", T0, TTL).orElseThrow();

    v =
        store.append(
            Append.of("s-1", v, List.of(event("slow", 2)), runnable("s-1", T0)).fencedBy(a));

    assertThat(v).isEqualTo(2);
    assertThatThrownBy(
            () ->
                store.append(
                    Append.of("s-1", 1, List.of(event("stale", 3)), runnable("s-1", T0))
                        .fencedBy(a)))
        .isInstanceOf(VersionConflictException.class);
  }

  @Test
  void aCreationLeasedToANodeHoldsItsLeaseAtEpochOneInTheSameTransaction() {
    Append create =
        Append.of("s-1", 0, List.of(event("a", 1)), runnable("s-1", T0))
            .leasedTo("node-a", T0.plus(TTL));
    long v = store.append(create);
    Lease a = java.util.Objects.requireNonNull(create.grantedLease());

    assertThat(a).isEqualTo(new Lease("s-1", "node-a", 1, T0.plus(TTL)));
    assertThat(store.tryAcquireLease("s-1", "node-b", T0.plusSeconds(29), TTL))
        .as("held by its creator")
        .isEmpty();
    assertThat(store.claim("node-b", T0.plusSeconds(29), TTL, 10)).isEmpty();
    assertThat(store.tryAcquireLease("s-1", "node-a", T0.plusSeconds(10), TTL))
        .as("renewed by its creator under the same epoch")
        .contains(new Lease("s-1", "node-a", 1, T0.plusSeconds(40)));
    assertThat(
            store.append(
                Append.of("s-1", v, List.of(event("step", 2)), runnable("s-1", T0)).fencedBy(a)))
        .isEqualTo(2);
    assertThat(store.claim("node-b", T0.plusSeconds(40), TTL, 10))
        .as("claimed once expired")
        .containsExactly("s-1");
    assertThatThrownBy(
            () ->
                store.append(
                    Append.of("s-1", 2, List.of(event("late", 3)), runnable("s-1", T0))
                        .fencedBy(a)))
        .isInstanceOf(LeaseLostException.class);
  }

  @Test
  void aRefusedLeasedCreationLeavesTheExistingSessionsLeaseAlone() {
    store.append("s-1", 0, List.of(event("a", 1)), runnable("s-1", T0));
    store.tryAcquireLease("s-1", "node-a", T0, TTL);

    assertThatThrownBy(
            () ->
                store.append(
                    Append.of("s-1", 0, List.of(event("b", 2)), runnable("s-1", T0))
                        .leasedTo("node-b", T0.plus(TTL))))
        .isInstanceOf(VersionConflictException.class);
    assertThat(store.tryAcquireLease("s-1", "node-b", T0.plusSeconds(1), TTL)).isEmpty();
    assertThat(store.load("s-1", 0)).hasSize(1);
  }

  @Test
  void anAppendReleasingItsLeaseFreesItInTheSameTransactionAndARefusedOneDoesNot() {
    long v = store.append("s-1", 0, List.of(event("a", 1)), runnable("s-1", T0));
    Lease a = store.tryAcquireLease("s-1", "node-a", T0, TTL).orElseThrow();

    assertThatThrownBy(
            () ->
                store.append(
                    Append.of("s-1", v + 1, List.of(event("stale", 2)), summary("s-1"))
                        .fencedBy(a)
                        .releasingLease()))
        .isInstanceOf(VersionConflictException.class);
    assertThat(store.tryAcquireLease("s-1", "node-b", T0.plusSeconds(1), TTL))
        .as("a refused append releases nothing")
        .isEmpty();

    long after =
        store.append(
            Append.of("s-1", v, List.of(event("done", 2)), summary("s-1"))
                .fencedBy(a)
                .releasingLease());

    assertThat(after).isEqualTo(2);
    assertThat(store.load("s-1", 0)).hasSize(2);
    assertThat(store.releaseLease("s-1", "node-a")).as("already released").isFalse();
    Lease b = store.tryAcquireLease("s-1", "node-b", T0.plusSeconds(1), TTL).orElseThrow();
    assertThat(b.epoch()).as("the lease passed on").isGreaterThan(a.epoch());
  }

  @Test
  void anAppendOvertakenAfterItsLeasePassedOnReleasesNothing() {
    long v = store.append("s-1", 0, List.of(event("a", 1)), runnable("s-1", T0));
    Lease a = store.tryAcquireLease("s-1", "node-a", T0, TTL).orElseThrow();
    Lease b = store.tryAcquireLease("s-1", "node-b", T0.plusSeconds(30), TTL).orElseThrow();

    assertThatThrownBy(
            () ->
                store.append(
                    Append.of("s-1", v, List.of(event("late", 2)), summary("s-1"))
                        .fencedBy(a)
                        .releasingLease()))
        .isInstanceOf(LeaseLostException.class);
    assertThat(store.tryAcquireLease("s-1", "node-c", T0.plusSeconds(31), TTL))
        .as("node-b still holds it")
        .isEmpty();
    assertThat(store.tryAcquireLease("s-1", "node-b", T0.plusSeconds(31), TTL).orElseThrow())
        .isEqualTo(new Lease("s-1", "node-b", b.epoch(), T0.plusSeconds(61)));
  }

  @Test
  void leasingAndReleasingWithAnAppendAreProgrammerErrorsWhereTheyCannotApply() {
    Append existing = Append.of("s-1", 3, List.of(event("a", 1)), runnable("s-1", T0));

    assertThatThrownBy(() -> existing.leasedTo("node-a", T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Only an append that creates a session can lease it, but the append to session 's-1'"
                + " expects version 3; use SessionStore.tryAcquireLease for an existing session");
    assertThatThrownBy(existing::releasingLease)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Only an append fenced by a lease can release it; call fencedBy(lease) first on the"
                + " append to session 's-1'");
  }

  @Test
  void aFencedAppendIsAProgrammerErrorForAnotherSessionOrACreation() {
    store.append("s-1", 0, List.of(event("a", 1)), runnable("s-1", T0));
    Lease a = store.tryAcquireLease("s-1", "node-a", T0, TTL).orElseThrow();

    assertThatThrownBy(
            () -> Append.of("s-2", 1, List.of(event("a", 1)), summary("s-2")).fencedBy(a))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "The lease is of session 's-1' but the append is to session 's-2'; pass that "
                + "session's lease");
    assertThatThrownBy(
            () -> Append.of("s-1", 0, List.of(event("a", 1)), summary("s-1")).fencedBy(a))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- quarantine --------------------------------------------------------------------------

  @Test
  void aQuarantinedSessionIsNeitherClaimedNorChangedByAppendsAndQueriesFindIt() {
    long v = store.append("broken", 0, List.of(event("a", 1)), runnable("broken", T0));
    store.append("fine", 0, List.of(event("a", 1)), runnable("fine", T0.plusSeconds(1)));

    assertThat(store.quarantine("broken", "event 2 cannot be decoded")).isTrue();
    assertThat(store.quarantine("broken", "event 2 still cannot be decoded"))
        .as("already")
        .isFalse();
    assertThat(store.quarantine("no-such-session", "x")).isFalse();
    store.append("broken", v, List.of(event("b", 2)), runnable("broken", T0));

    assertThat(store.find("broken").orElseThrow().quarantine())
        .isEqualTo("event 2 still cannot be decoded");
    assertThat(store.find("fine").orElseThrow().quarantined()).isFalse();
    assertThat(ids(SessionQuery.builder().quarantined(true))).containsExactly("broken");
    assertThat(ids(SessionQuery.builder().quarantined(false))).containsExactly("fine");
    assertThat(ids(SessionQuery.builder().status("running").quarantined(true)))
        .containsExactly("broken");
    assertThat(store.claim("node-a", T0.plusSeconds(5), TTL, 10)).containsExactly("fine");

    assertThat(store.releaseQuarantine("broken")).isTrue();
    assertThat(store.releaseQuarantine("broken")).isFalse();
    assertThat(store.find("broken").orElseThrow().quarantined()).isFalse();
    assertThat(store.claim("node-b", T0.plusSeconds(5), TTL, 10)).containsExactly("broken");
  }

  // ---- decoding ----------------------------------------------------------------------------

  /**
   * Appends an event row whose payload column holds {@code payloadText} exactly, valid JSON or not,
   * as a broken or hand-edited row would. The default appends through the SPI, turning text that is
   * not JSON into a JSON string (what a store that only keeps valid JSON, such as PostgreSQL's
   * jsonb or the heap, could hold); stores that keep payloads as text override it with raw SQL.
   *
   * @param store the store to write to (the test's store)
   * @param sessionId the session, which exists at {@code expectedVersion}
   * @param expectedVersion the session's current version; the row becomes the next one
   * @param type the row's event type
   * @param typeVersion the row's type version
   * @param payloadText the payload column's text, exactly
   * @param summary the session's summary after the row
   * @throws Exception if the store or the database fails
   */
  protected void appendRawEvent(
      SessionStore store,
      String sessionId,
      long expectedVersion,
      String type,
      int typeVersion,
      String payloadText,
      SessionSummary summary)
      throws Exception {
    JsonNode payload;
    try {
      payload = JSON.readTree(payloadText);
    } catch (RuntimeException notJson) {
      payload = JSON.getNodeFactory().stringNode(payloadText);
    }
    store.append(
        sessionId, expectedVersion, List.of(new NewEvent(type, typeVersion, payload, T0)), summary);
  }

  static Stream<Arguments> corruptRows() {
    return Stream.of(
        Arguments.of("not JSON", "session.paused", 1, "{\"by\": \"ana\"", ""),
        Arguments.of(
            "an unknown type",
            "agent.bogus.happened",
            1,
            "{}",
            "this release knows no such event type"),
        Arguments.of(
            "a newer type version",
            "session.paused",
            9,
            "{\"by\": \"ana\"}",
            "this release reads type versions up to 1"),
        Arguments.of(
            "an array payload",
            "session.paused",
            1,
            "[\"ana\"]",
            "its payload must be a JSON object but is ARRAY"),
        Arguments.of(
            "a missing field",
            "session.cancelled",
            1,
            "{\"by\": \"ana\"}",
            "its payload lacks the field reason"),
        Arguments.of(
            "a field of the wrong type",
            "session.forked",
            1,
            "{\"parentId\": \"p\", \"atVersion\": {\"n\": 1}}",
            "its payload does not fit the type"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corruptRows")
  void anEventThatCannotBeDecodedNamesTheSessionTheLogVersionAndTheType(
      String what, String type, int typeVersion, String payload, String problem) throws Exception {
    JsonNode created =
        JSON.readTree(
            "{\"agent\":\"triage\",\"input\":\"hi\",\"trigger\":\"manual\","
                + "\"participants\":{\"ana\":\"OWNER\"}}");
    store.append(
        "s-bad",
        0,
        List.of(new NewEvent("session.created", 1, created, T0)),
        runnable("s-bad", T0));
    store.append(
        "s-bad",
        1,
        List.of(new NewEvent("session.paused", 1, JSON.readTree("{\"by\":\"ana\"}"), T0)),
        runnable("s-bad", T0));
    appendRawEvent(store, "s-bad", 2, type, typeVersion, payload, runnable("s-bad", T0));

    try (Sessions sessions =
        Sessions.builder(Mesh.builder().build())
            .store(openAnother(store))
            .executor(Runnable::run)
            .build()) {
      assertThatThrownBy(() -> sessions.session("s-bad").state())
          .as(what)
          .isInstanceOfSatisfying(
              SessionDecodeException.class,
              e -> {
                assertThat(e.sessionId()).isEqualTo("s-bad");
                assertThat(e.version()).isEqualTo(3);
                assertThat(e.eventType()).isEqualTo(type);
                assertThat(e.typeVersion()).isEqualTo(typeVersion);
              })
          .hasMessageStartingWith(
              "Cannot decode event 3 of session 's-bad' (type '"
                  + type
                  + "', type version "
                  + typeVersion
                  + "): "
                  + problem)
          .hasMessageContaining("Sessions.retryQuarantined(\"s-bad\")");
    }
  }

  // ---- queries -----------------------------------------------------------------------------

  @Test
  void queriesFilterByEachFieldAndCombineWithAnd() {
    add(
        "q-1",
        b ->
            b.agent("triage")
                .status("running")
                .origin("cron:daily")
                .participants(Set.of("ana"))
                .createdAt(T0));
    add(
        "q-2",
        b ->
            b.agent("triage")
                .status("waiting")
                .origin("webhook:signup")
                .participants(Set.of("ana", "bo"))
                .createdAt(T0.plusSeconds(60)));
    add(
        "q-3",
        b ->
            b.agent("changelog")
                .status("running")
                .origin("cron:daily")
                .participants(Set.of("bo"))
                .createdAt(T0.plusSeconds(120)));

    assertThat(ids(SessionQuery.builder().status("running"))).containsExactly("q-1", "q-3");
    assertThat(ids(SessionQuery.builder().agent("triage"))).containsExactly("q-1", "q-2");
    assertThat(ids(SessionQuery.builder().participant("bo"))).containsExactly("q-2", "q-3");
    assertThat(ids(SessionQuery.builder().origin("cron:daily"))).containsExactly("q-1", "q-3");
    assertThat(ids(SessionQuery.builder().createdFrom(T0.plusSeconds(60))))
        .containsExactly("q-2", "q-3");
    assertThat(ids(SessionQuery.builder().createdBefore(T0.plusSeconds(60))))
        .containsExactly("q-1");
    assertThat(ids(SessionQuery.builder().agent("triage").participant("bo").status("waiting")))
        .containsExactly("q-2");
    assertThat(ids(SessionQuery.builder().agent("nobody"))).isEmpty();
  }

  @Test
  void pagingWalksEverySessionOnceByCreationTimeThenId() {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      String id = "p-" + (char) ('a' + (i * 7) % 23);
      Instant created = T0.plusSeconds(i / 3);
      add(id, b -> b.createdAt(created));
    }
    List<SessionSummary> all = new ArrayList<>();
    SessionQuery.Builder query = SessionQuery.builder().limit(5);
    int pages = 0;
    for (SessionPage page = store.query(query.build()); ; page = store.query(query.build())) {
      pages++;
      all.addAll(page.sessions());
      if (page.nextCursor() == null) {
        break;
      }
      query.after(page.nextCursor());
    }
    all.stream()
        .sorted(
            java.util.Comparator.comparing(SessionSummary::createdAt)
                .thenComparing(SessionSummary::id))
        .forEach(s -> expected.add(s.id()));
    assertThat(pages).isEqualTo(5);
    assertThat(all)
        .extracting(SessionSummary::id)
        .hasSize(23)
        .doesNotHaveDuplicates()
        .containsExactlyElementsOf(expected);
  }

  @Test
  void idsOrderByCodePointSoAstralCharactersSortAfterTheBasicPlane() {
    add("id-\uD83D\uDE00", b -> b.createdAt(T0));
    add("id-\uFFFD", b -> b.createdAt(T0));
    add("id-z", b -> b.createdAt(T0));

    SessionPage first = store.query(SessionQuery.builder().limit(2).build());
    SessionPage second =
        store.query(SessionQuery.builder().limit(2).after(first.nextCursor()).build());
    assertThat(first.sessions())
        .extracting(SessionSummary::id)
        .containsExactly("id-z", "id-\uFFFD");
    assertThat(second.sessions()).extracting(SessionSummary::id).containsExactly("id-\uD83D\uDE00");
    assertThat(second.nextCursor()).isNull();
  }

  // ---- payloads ----------------------------------------------------------------------------

  @Test
  void aOneMegabytePayloadRoundTrips() {
    ObjectNode payload = JSON.createObjectNode();
    payload.put("blob", "x".repeat(1024 * 1024));
    payload.put("tail", "end");
    NewEvent big = new NewEvent("artifact.proposed", 1, payload, T0);
    store.append("s-big", 0, List.of(big, event("after", 2)), summary("s-big"));

    List<StoredEvent> log = store.load("s-big", 0);
    assertThat(log.get(0).payload()).isEqualTo(payload);
    assertThat(log.get(1).version()).isEqualTo(2);
  }

  @Test
  void unicodeFromEveryPlaneRoundTripsInIdsTypesPayloadsAndParticipants() {
    String text =
        "h\u00e9llo \u4e16\u754c \uD83D\uDE80 \uD834\uDD1E \u200D\uFEFF"
            + " \u0001\u001F tab\tquote\" back\\slash \uDBFF\uDFFF";
    String id = "s-\uD83D\uDE80-\u00e9";
    ObjectNode payload = JSON.createObjectNode();
    payload.put(text, text);
    payload.putArray("list").add(text).add("\uD83E\uDD16");
    SessionSummary s =
        summary(id)
            .newBuilder()
            .agent("\u00e4gent-\uD83E\uDD16")
            .participants(Set.of("\u6C88\u9759", "\uD83D\uDC69\u200D\uD83D\uDCBB"))
            .build();
    store.append(id, 0, List.of(new NewEvent("type.\u03B1\uD83D\uDE00", 1, payload, T0)), s);

    StoredEvent e = store.load(id, 0).get(0);
    assertThat(e.payload()).isEqualTo(payload);
    assertThat(e.type()).isEqualTo("type.\u03B1\uD83D\uDE00");
    assertThat(store.find(id)).contains(s.withVersion(1));
    assertThat(ids(SessionQuery.builder().participant("\uD83D\uDC69\u200D\uD83D\uDCBB")))
        .containsExactly(id);
  }

  // ---- properties --------------------------------------------------------------------------

  /** Seeds for the property tests: {@code -Dagentmesh.seed} to replay one, else five random. */
  static Stream<Long> seeds() {
    String replay = System.getProperty("agentmesh.seed");
    if (replay != null) {
      return Stream.of(Long.parseLong(replay));
    }
    return LongStream.generate(() -> new Random().nextLong()).limit(5).boxed();
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void generatedAppendSequencesMatchAReferenceLogAndRejectedAppendsLeaveNoTrace(
      long seed, TestReporter reporter) {
    reporter.publishEntry("replay", "-Dagentmesh.seed=" + seed);
    Random random = new Random(seed);
    Map<String, List<JsonNode>> model = new HashMap<>();
    List<String> ids = List.of("g-1", "g-2", "g-\uD83D\uDE00");
    for (int step = 0; step < 60; step++) {
      String id = ids.get(random.nextInt(ids.size()));
      List<JsonNode> log = model.computeIfAbsent(id, k -> new ArrayList<>());
      long expected = random.nextInt(4) == 0 ? log.size() + random.nextInt(3) - 1 : log.size();
      expected = Math.max(0, expected);
      List<NewEvent> batch = new ArrayList<>();
      for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
        batch.add(event("g", random.nextInt(1000)));
      }
      try {
        long v =
            store.append(id, expected, batch, summary(id).newBuilder().status("s" + step).build());
        assertThat(expected)
            .as("seed %d step %d: append accepted", seed, step)
            .isEqualTo(log.size());
        batch.forEach(e -> log.add(e.payload()));
        assertThat(v).isEqualTo(log.size());
      } catch (VersionConflictException e) {
        assertThat(expected)
            .as("seed %d step %d: append refused", seed, step)
            .isNotEqualTo(log.size());
        assertThat(e.actualVersion()).isEqualTo(log.size());
      }
      assertThat(store.load(id, 0))
          .extracting(StoredEvent::payload)
          .as("seed %d step %d", seed, step)
          .containsExactlyElementsOf(log);
      assertThat(store.find(id).map(SessionSummary::version).orElse(0L)).isEqualTo(log.size());
    }
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void concurrentWritersOnSeveralStoreInstancesLoseNothing(long seed, TestReporter reporter)
      throws Exception {
    reporter.publishEntry("replay", "-Dagentmesh.seed=" + seed);
    Random random = new Random(seed);
    assertConcurrentWritersLoseNothing(
        random, 2 + random.nextInt(4), 5 + random.nextInt(11), 1 + random.nextInt(3));
  }

  private void assertConcurrentWritersLoseNothing(
      Random random, int writers, int appends, int sessions) throws Exception {
    List<SessionStore> nodes = List.of(store, openAnother(store), openAnother(store));
    for (int s = 0; s < sessions; s++) {
      store.append("w-" + s, 0, List.of(event("created", -1)), summary("w-" + s));
    }
    long[] plan = random.longs(writers).toArray();
    CyclicBarrier start = new CyclicBarrier(writers);
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      SessionStore node = nodes.get(w % nodes.size());
      int writer = w;
      Random own = new Random(plan[w]);
      tasks.add(
          () -> {
            start.await(30, TimeUnit.SECONDS);
            int conflicts = 0;
            for (int i = 0; i < appends; i++) {
              String id = "w-" + own.nextInt(sessions);
              while (true) {
                long v = node.find(id).orElseThrow().version();
                try {
                  node.append(id, v, List.of(event("w", writer * 10_000 + i)), summary(id));
                  break;
                } catch (VersionConflictException e) {
                  conflicts++;
                }
              }
            }
            return conflicts;
          });
    }
    runAll(tasks);
    Set<Integer> seen = new HashSet<>();
    int total = 0;
    for (int s = 0; s < sessions; s++) {
      List<StoredEvent> log = store.load("w-" + s, 0);
      total += log.size() - 1;
      for (int i = 0; i < log.size(); i++) {
        assertThat(log.get(i).version()).isEqualTo(i + 1L);
      }
      log.stream()
          .skip(1)
          .forEach(
              e ->
                  assertThat(seen.add(e.payload().get("n").asInt()))
                      .as("event %s stored once", e.payload())
                      .isTrue());
    }
    assertThat(total).isEqualTo(writers * appends);
  }

  // ---- other modules' rows, create-once keys, claims of due rows (timers) -------------------

  /** The rows cases ({@code RowsCompatibilityCases}) against this kit's store. */
  @Nested
  class Rows extends RowsCompatibilityCases {
    @Override
    SessionStore store() {
      return store;
    }

    @Override
    SessionStore another() {
      return openAnother(store);
    }
  }

  /** The batch cases ({@code BatchCreateCompatibilityCases}) against this kit's store. */
  @Nested
  class Batches extends BatchCreateCompatibilityCases {
    @Override
    SessionStore store() {
      return store;
    }

    @Override
    SessionStore another() {
      return openAnother(store);
    }
  }

  // ---- change feed (stores that support one) ----------------------------------------------

  @Test
  void theChangeFeedReportsEachAppendOnceInVersionOrderAlsoFromAnotherInstance() throws Exception {
    assumeTrue(store.supportsChanges(), "the store has no change feed");
    FeedRecorder feed = new FeedRecorder();
    SessionStore other = openAnother(store);
    try (SessionStore.Subscription subscription = store.subscribe(feed)) {
      feed.await("connected");
      long v = store.append("s-1", 0, List.of(event("a", 1)), summary("s-1"));
      v = other.append("s-1", v, List.of(event("b", 2), event("c", 3)), summary("s-1"));
      store.append("s-2", 0, List.of(event("a", 1)), summary("s-2"));
      store.append("s-1", v, List.of(event("d", 4)), summary("s-1"));

      feed.await(new SessionChange("s-1", 4));
      feed.await(new SessionChange("s-2", 1));
      assertThat(feed.versionsOf("s-1"))
          .as("one change per append, with its new version")
          .containsExactly(1L, 3L, 4L);
      assertThat(feed.versionsOf("s-2")).containsExactly(1L);
    } finally {
      if (other != store) {
        close(other);
      }
    }
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void concurrentWritersOnSeveralInstancesAreEachReportedOnceInVersionOrder(
      long seed, TestReporter reporter) throws Exception {
    assumeTrue(store.supportsChanges(), "the store has no change feed");
    reporter.publishEntry("replay", "-Dagentmesh.seed=" + seed);
    Random random = new Random(seed);
    FeedRecorder feed = new FeedRecorder();
    try (SessionStore.Subscription subscription = store.subscribe(feed)) {
      feed.await("connected");
      int sessions = 1 + random.nextInt(3);
      assertConcurrentWritersLoseNothing(
          random, 2 + random.nextInt(4), 5 + random.nextInt(11), sessions);

      for (int s = 0; s < sessions; s++) {
        String id = "w-" + s;
        long version = store.find(id).orElseThrow().version();
        feed.await(new SessionChange(id, version));
        assertThat(feed.versionsOf(id))
            .as("seed %d, session %s: one change per append, in " + "version order", seed, id)
            .containsExactlyElementsOf(LongStream.rangeClosed(1, version).boxed().toList());
      }
    }
  }

  @Test
  void aRefusedAppendIsNeverReportedByTheChangeFeed() throws Exception {
    assumeTrue(store.supportsChanges(), "the store has no change feed");
    FeedRecorder feed = new FeedRecorder();
    try (SessionStore.Subscription subscription = store.subscribe(feed)) {
      feed.await("connected");
      long v = store.append("s-1", 0, List.of(event("a", 1)), runnable("s-1", T0));
      Lease a = store.tryAcquireLease("s-1", "node-a", T0, TTL).orElseThrow();
      store.releaseLease("s-1", "node-a");
      assertThat(store.tryAcquireLease("s-1", "node-b", T0, TTL)).isPresent();

      assertThatThrownBy(() -> store.append("s-1", 0, List.of(event("again", 1)), summary("s-1")))
          .isInstanceOf(VersionConflictException.class);
      assertThatThrownBy(() -> store.append("s-1", 7, List.of(event("stale", 1)), summary("s-1")))
          .isInstanceOf(VersionConflictException.class);
      assertThatThrownBy(
              () ->
                  store.append(
                      Append.of("s-1", v, List.of(event("overtaken", 2)), runnable("s-1", T0))
                          .fencedBy(a)))
          .isInstanceOf(LeaseLostException.class);
      store.append("s-1", v, List.of(event("b", 2)), summary("s-1"));

      feed.await(new SessionChange("s-1", 2));
      assertThat(feed.versionsOf("s-1")).containsExactly(1L, 2L);
    }
  }

  @Test
  void aListenerThatThrowsStaysSubscribedAndAClosedSubscriptionHearsNothingMore() throws Exception {
    assumeTrue(store.supportsChanges(), "the store has no change feed");
    FeedRecorder closed = new FeedRecorder();
    FeedRecorder throwing = new FeedRecorder();
    throwing.throwing = true;
    FeedRecorder last = new FeedRecorder();
    SessionStore.Subscription closing = store.subscribe(closed);
    try (SessionStore.Subscription t = store.subscribe(throwing);
        SessionStore.Subscription l = store.subscribe(last)) {
      for (FeedRecorder r : List.of(closed, throwing, last)) {
        r.await("connected");
      }
      long v = store.append("s-1", 0, List.of(event("a", 1)), summary("s-1"));
      last.await(new SessionChange("s-1", 1));
      closed.await(new SessionChange("s-1", 1));
      closing.close();
      closing.close();

      store.append("s-1", v, List.of(event("b", 2)), summary("s-1"));
      last.await(new SessionChange("s-1", 2));
      throwing.await(new SessionChange("s-1", 2));
      assertThat(closed.versionsOf("s-1")).containsExactly(1L);
      assertThat(throwing.versionsOf("s-1")).containsExactly(1L, 2L);
    }
  }

  @Test
  void aStoreWithoutAChangeFeedSaysSoWhenSubscribedTo() {
    assumeFalse(store.supportsChanges(), "the store has a change feed");

    assertThatThrownBy(() -> store.subscribe(change -> {}))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("supportsChanges()");
  }

  /** Records what a change feed says; {@link #await} waits for one signal, never sleeping. */
  private static final class FeedRecorder implements SessionStore.ChangeListener {
    private static final long WAIT_SECONDS = 30;
    final List<SessionChange> changes = new CopyOnWriteArrayList<>();
    private final List<Object> said = new ArrayList<>(); // guarded by this
    volatile boolean throwing;

    @Override
    public void changed(SessionChange change) {
      changes.add(change);
      say(change);
      if (throwing) {
        throw new IllegalStateException("a listener that fails (expected by the kit)");
      }
    }

    @Override
    public void connected() {
      say("connected");
    }

    @Override
    public void disconnected() {
      say("disconnected");
    }

    private synchronized void say(Object what) {
      said.add(what);
      notifyAll();
    }

    /** Waits until the feed has said {@code expected}, at any point since it was subscribed. */
    synchronized void await(Object expected) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      for (long left = deadline - System.nanoTime();
          !said.contains(expected);
          left = deadline - System.nanoTime()) {
        assertThat(left)
            .as(
                "the change feed did not say %s within %ss; it said %s",
                expected, WAIT_SECONDS, said)
            .isPositive();
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }

    List<Long> versionsOf(String sessionId) {
      return changes.stream()
          .filter(c -> c.sessionId().equals(sessionId))
          .map(SessionChange::version)
          .toList();
    }
  }

  // ---- many sessions at once ---------------------------------------------------------------

  @Test
  void loadAllReturnsEachSessionsTailAndAnEmptyLogForAnUnknownSession() {
    store.append("s-1", 0, List.of(event("a", 1), event("a", 2), event("a", 3)), summary("s-1"));
    store.append("s-2", 0, List.of(event("b", 1)), summary("s-2"));
    Map<String, Long> after = new java.util.LinkedHashMap<>();
    after.put("s-1", 1L);
    after.put("s-2", 0L);
    after.put("no-such-session", 0L);

    Map<String, List<StoredEvent>> logs = store.loadAll(after);

    assertThat(logs).containsOnlyKeys("s-1", "s-2", "no-such-session");
    assertThat(logs.get("s-1")).isEqualTo(store.load("s-1", 1));
    assertThat(logs.get("s-1")).extracting(StoredEvent::version).containsExactly(2L, 3L);
    assertThat(logs.get("s-2")).isEqualTo(store.load("s-2", 0));
    assertThat(logs.get("no-such-session")).isEmpty();
  }

  @Test
  void appendAllStoresEachAppendWithItsRowsAsOneAppendWould() {
    JsonNode value = JSON.readTree("{\"k\":1}");
    store.append(
        Append.of("s-1", 0, List.of(event("a", 1)), summary("s-1"))
            .withRows(RowWrite.upsert(Row.of("kit.rows", "old-1", "s-1", value))));
    store.append("s-2", 0, List.of(event("a", 1)), summary("s-2"));
    Lease lease = store.tryAcquireLease("s-2", "node-a", T0, TTL).orElseThrow();
    SessionSummary waiting = summary("s-1").newBuilder().status("waiting").build();

    List<AppendOutcome> outcomes =
        store.appendAll(
            List.of(
                Append.of("s-1", 1, List.of(event("b", 2), event("c", 3)), waiting)
                    .withRows(
                        RowWrite.delete("kit.rows", "old-1"),
                        RowWrite.upsert(Row.of("kit.rows", "new-1", "s-1", value))),
                Append.of("s-2", 1, List.of(event("b", 2)), summary("s-2"))
                    .fencedBy(lease)
                    .withRows(RowWrite.insert(Row.of("kit.rows", "new-2", "s-2", value)))));

    assertThat(outcomes).allMatch(AppendOutcome::stored);
    assertThat(store.load("s-1", 0)).extracting(StoredEvent::version).containsExactly(1L, 2L, 3L);
    assertThat(store.find("s-1").orElseThrow().status()).isEqualTo("waiting");
    assertThat(store.find("s-1").orElseThrow().version()).isEqualTo(3);
    assertThat(store.load("s-2", 0)).extracting(StoredEvent::version).containsExactly(1L, 2L);
    assertThat(store.findRow("kit.rows", "old-1")).isEmpty();
    assertThat(store.findRow("kit.rows", "new-1")).isPresent();
    assertThat(store.findRow("kit.rows", "new-2").orElseThrow().sessionId()).isEqualTo("s-2");
  }

  @Test
  void appendAllRefusesAStaleAppendATakenRowAndALostLeaseEachAloneAndStoresTheOthers() {
    JsonNode value = JSON.readTree("{\"k\":1}");
    for (String id : List.of("s-1", "s-2", "s-3", "s-4")) {
      store.append(id, 0, List.of(event("a", 1)), summary(id));
    }
    store.writeRows(List.of(RowWrite.insert(Row.of("kit.rows", "taken", "s-1", value))));
    Lease lost = store.tryAcquireLease("s-4", "node-a", T0, TTL).orElseThrow();
    assertThat(store.tryAcquireLease("s-4", "node-b", T0.plus(TTL), TTL)).isPresent();

    List<AppendOutcome> outcomes =
        store.appendAll(
            List.of(
                Append.of("s-1", 1, List.of(event("b", 2)), summary("s-1")),
                Append.of("s-2", 5, List.of(event("b", 2)), summary("s-2")),
                Append.of("s-3", 1, List.of(event("b", 2)), summary("s-3"))
                    .withRows(RowWrite.insert(Row.of("kit.rows", "taken", "s-3", value))),
                Append.of("s-4", 1, List.of(event("b", 2)), summary("s-4")).fencedBy(lost)));

    assertThat(outcomes)
        .extracting(o -> o.append().sessionId())
        .containsExactly("s-1", "s-2", "s-3", "s-4");
    assertThat(outcomes.get(0).stored()).isTrue();
    assertThat(outcomes.get(1).refusal()).isInstanceOf(VersionConflictException.class);
    assertThat(outcomes.get(2).refusal())
        .isInstanceOf(dev.agentmesh.sessions.spi.RowConflictException.class);
    assertThat(outcomes.get(3).refusal()).isInstanceOf(LeaseLostException.class);
    assertThat(store.find("s-1").orElseThrow().version()).isEqualTo(2);
    for (String id : List.of("s-2", "s-3", "s-4")) {
      assertThat(store.load(id, 0)).as(id).hasSize(1);
      assertThat(store.find(id).orElseThrow().version()).as(id).isEqualTo(1);
    }
    assertThat(store.findRow("kit.rows", "taken").orElseThrow().sessionId()).isEqualTo("s-1");
  }

  @Test
  void appendAllTakesOneAppendPerSessionAndEachRowOnce() {
    store.append("s-1", 0, List.of(event("a", 1)), summary("s-1"));
    JsonNode value = JSON.readTree("{\"k\":1}");

    assertThatThrownBy(
            () ->
                store.appendAll(
                    List.of(
                        Append.of("s-1", 1, List.of(event("b", 2)), summary("s-1")),
                        Append.of("s-1", 2, List.of(event("c", 3)), summary("s-1")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("session 's-1' has two");
    store.append("s-2", 0, List.of(event("a", 1)), summary("s-2"));
    assertThatThrownBy(
            () ->
                store.appendAll(
                    List.of(
                        Append.of("s-1", 1, List.of(event("b", 2)), summary("s-1"))
                            .withRows(RowWrite.upsert(Row.of("kit.rows", "r", "s-1", value))),
                        Append.of("s-2", 1, List.of(event("b", 2)), summary("s-2"))
                            .withRows(RowWrite.upsert(Row.of("kit.rows", "r", "s-2", value))))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("written twice");
    assertThat(store.load("s-1", 0)).hasSize(1);
    assertThat(store.load("s-2", 0)).hasSize(1);
  }

  // ---- retention ---------------------------------------------------------------------------

  @Test
  void deleteErasesTheLogTheSummaryTheLeaseAndTheQuarantineOfOneSessionOnly() {
    store.append("s-1", 0, List.of(event("a", 1), event("b", 2)), runnable("s-1", T0));
    store.append("s-2", 0, List.of(event("a", 1)), runnable("s-2", T0));
    assertThat(store.tryAcquireLease("s-1", "node-a", T0, TTL)).isPresent();
    store.quarantine("s-1", "broken row");

    assertThat(store.delete("s-1")).isTrue();

    SessionStore other = openAnother(store);
    for (SessionStore node : List.of(store, other)) {
      assertThat(node.load("s-1", 0)).isEmpty();
      assertThat(node.find("s-1")).isEmpty();
      assertThat(node.query(SessionQuery.builder().build()).sessions())
          .extracting(SessionSummary::id)
          .containsExactly("s-2");
      assertThat(node.query(SessionQuery.builder().quarantined(true).build()).sessions()).isEmpty();
    }
    assertThatThrownBy(() -> store.tryAcquireLease("s-1", "node-a", T0, TTL))
        .isInstanceOf(SessionNotFoundException.class);
    assertThat(store.claim("node-b", T0.plus(TTL), TTL, 10)).containsExactly("s-2");
    assertThat(store.load("s-2", 0)).hasSize(1);
    assertThat(store.delete("s-1")).as("a second delete finds nothing").isFalse();
    assertThat(store.delete("no-such-session")).isFalse();
  }

  @Test
  void anAppendToADeletedSessionIsRefusedAndAnAppendAtVersionZeroCreatesItAfresh() {
    store.append("s-1", 0, List.of(event("a", 1), event("b", 2)), summary("s-1"));
    Lease lease = store.tryAcquireLease("s-1", "node-a", T0, TTL).orElseThrow();
    store.delete("s-1");

    assertThatThrownBy(() -> store.append("s-1", 2, List.of(event("c", 3)), summary("s-1")))
        .isInstanceOfSatisfying(
            VersionConflictException.class, e -> assertThat(e.actualVersion()).isZero());
    assertThatThrownBy(
            () ->
                store.append(
                    Append.of("s-1", 2, List.of(event("c", 3)), summary("s-1")).fencedBy(lease)))
        .isInstanceOf(VersionConflictException.class);
    assertThat(store.find("s-1")).isEmpty();

    assertThat(store.append("s-1", 0, List.of(event("new", 7)), summary("s-1"))).isEqualTo(1);
    assertThat(store.load("s-1", 0))
        .extracting(e -> e.payload().get("n").asInt())
        .containsExactly(7);
    assertThat(store.tryAcquireLease("s-1", "node-b", T0, TTL)).isPresent();
  }

  @Test
  void purgeDeletesExactlyTheFinishedIdleSessionsUpdatedBeforeTheCutoffOldestFirst() {
    Instant cutoff = T0.plus(Duration.ofDays(30));
    Instant now = cutoff.plus(Duration.ofDays(1));
    addFinished("completed-old", "completed", T0.plusSeconds(3));
    addFinished("failed-old", "failed", T0.plusSeconds(1));
    addFinished("cancelled-old", "cancelled", T0.plusSeconds(2));
    addFinished("completed-recent", "completed", cutoff);
    addFinished("completed-expired-lease", "completed", T0.plusSeconds(4));
    assertThat(store.tryAcquireLease("completed-expired-lease", "node-a", T0, TTL)).isPresent();
    addFinished("completed-live-lease", "completed", T0.plusSeconds(5));
    assertThat(store.tryAcquireLease("completed-live-lease", "node-a", now, TTL)).isPresent();
    addFinished("completed-quarantined", "completed", T0.plusSeconds(6));
    store.quarantine("completed-quarantined", "broken row");
    add("running-old", b -> b.status("running").runnable(true));
    add("waiting-old", b -> b.status("waiting"));
    add("paused-old", b -> b.status("paused"));
    add("completed-but-runnable", b -> b.status("completed").runnable(true));

    List<SessionSummary> deleted = store.purge(PurgeRequest.finishedBefore(cutoff, now).build());

    assertThat(deleted)
        .extracting(SessionSummary::id)
        .containsExactly("failed-old", "cancelled-old", "completed-old", "completed-expired-lease");
    assertThat(deleted.get(0))
        .isEqualTo(
            summary("failed-old")
                .newBuilder()
                .status("failed")
                .updatedAt(T0.plusSeconds(1))
                .version(1)
                .build());
    assertThat(allIds())
        .containsExactlyInAnyOrder(
            "completed-recent",
            "completed-live-lease",
            "completed-quarantined",
            "running-old",
            "waiting-old",
            "paused-old",
            "completed-but-runnable");
    deleted.forEach(s -> assertThat(store.load(s.id(), 0)).isEmpty());
    assertThat(store.purge(PurgeRequest.finishedBefore(cutoff, now).build())).isEmpty();
  }

  @Test
  void purgeTakesOnePageAtATimeAndADryRunDeletesNothing() {
    for (int i = 0; i < 7; i++) {
      addFinished("f-" + i, "completed", T0.plusSeconds(10 - i));
    }
    Instant now = T0.plus(Duration.ofDays(1));
    PurgeRequest page = PurgeRequest.finishedBefore(now, now).limit(3).build();

    assertThat(store.purge(page.newBuilder().dryRun(true).build()))
        .extracting(SessionSummary::id)
        .containsExactly("f-6", "f-5", "f-4");
    assertThat(allIds()).hasSize(7);
    assertThat(store.purge(page))
        .extracting(SessionSummary::id)
        .containsExactly("f-6", "f-5", "f-4");
    assertThat(store.purge(page))
        .extracting(SessionSummary::id)
        .containsExactly("f-3", "f-2", "f-1");
    assertThat(store.purge(page)).extracting(SessionSummary::id).containsExactly("f-0");
    assertThat(allIds()).isEmpty();
  }

  @Test
  void purgeOnlyDeletesTheSessionsSeenAndOnlyWhileTheyAreAtTheVersionSeen() {
    addFinished("seen-unchanged", "completed", T0);
    addFinished("seen-then-appended", "completed", T0);
    addFinished("seen-then-deleted", "completed", T0);
    addFinished("not-seen", "completed", T0);
    Instant now = T0.plus(Duration.ofDays(1));
    PurgeRequest request = PurgeRequest.finishedBefore(now, now).build();
    List<SessionSummary> seen =
        store.purge(request.newBuilder().dryRun(true).build()).stream()
            .filter(s -> !s.id().equals("not-seen"))
            .toList();
    store.append(
        "seen-then-appended",
        1,
        List.of(event("b", 2)),
        summary("seen-then-appended").newBuilder().status("completed").build());
    store.delete("seen-then-deleted");

    assertThat(store.purge(request.newBuilder().only(seen).build()))
        .extracting(SessionSummary::id)
        .containsExactly("seen-unchanged");
    assertThat(allIds()).containsExactlyInAnyOrder("seen-then-appended", "not-seen");
    assertThat(store.purge(request.newBuilder().only(List.of()).build())).isEmpty();
  }

  @Test
  void aPurgeRequestChecksItsSettings() {
    PurgeRequest.Builder b = PurgeRequest.finishedBefore(T0, T0);
    assertThatThrownBy(() -> b.limit(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be between 1 and 1000 but was 0");
    assertThatThrownBy(() -> b.statuses(Set.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "statuses must hold at least one non-blank status name, such as "
                + "\"completed\", but was []");
    assertThatThrownBy(() -> store.delete(" ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deleteErasesTheRowsOfItsSessionInEveryNamespaceAndPurgeKeepsOnlyTheNamespacesItIsTold() {
    JsonNode value = JSON.readTree("{\"n\":1}");
    Row once = Row.of("sessions.once", "webhook-1", "s-old", value);
    Row timer = Row.of("sessions.timer", "s-old#expiry", "s-old", value).withDue(T0);
    Row review = Row.of("review.pending", "r-1", "s-live", value);
    Row unowned = Row.of("review.pending", "r-2", null, value);
    store.append(
        Append.of(
                "s-old",
                0,
                List.of(event("a", 1)),
                summary("s-old").newBuilder().status("completed").build())
            .withRows(RowWrite.insert(once), RowWrite.insert(timer)));
    store.append(
        Append.of("s-live", 0, List.of(event("a", 1)), runnable("s-live", T0))
            .withRows(RowWrite.insert(review)));
    store.writeRows(List.of(RowWrite.insert(unowned)));
    Instant now = T0.plus(Duration.ofDays(1));
    PurgeRequest purge =
        PurgeRequest.finishedBefore(now, now).keepRows(Set.of("sessions.once")).build();

    assertThat(store.purge(purge.newBuilder().dryRun(true).build())).hasSize(1);
    assertThat(store.findRow("sessions.timer", "s-old#expiry")).as("a dry run").isPresent();
    assertThat(store.purge(purge)).extracting(SessionSummary::id).containsExactly("s-old");

    assertThat(store.findRow("sessions.once", "webhook-1"))
        .as("kept by the purge")
        .map(Row::sessionId)
        .contains("s-old");
    assertThat(store.findRow("sessions.timer", "s-old#expiry"))
        .as("gone with its session")
        .isEmpty();
    assertThat(store.findRow("review.pending", "r-1")).isPresent();

    assertThat(store.delete("s-old")).as("the session is gone already").isFalse();
    assertThat(store.findRow("sessions.once", "webhook-1")).as("erased by the delete").isEmpty();
    assertThat(store.delete("s-live")).isTrue();
    assertThat(store.findRow("review.pending", "r-1")).isEmpty();
    assertThat(store.findRow("review.pending", "r-2")).as("a row of no session").isPresent();
    assertThatThrownBy(() -> purge.newBuilder().keepRows(Set.of("Bad Name")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Every status, age, lease and mark a session can have when a purge runs. */
  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void generatedMixesOfSessionsArePurgedExactlyWhenFinishedIdleAndOlderThanTheCutoff(
      long seed, TestReporter reporter) {
    reporter.publishEntry("replay", "-Dagentmesh.seed=" + seed);
    Random random = new Random(seed);
    List<String> statuses =
        List.of("created", "running", "waiting", "paused", "completed", "failed", "cancelled");
    Instant cutoff = T0.plus(Duration.ofDays(30));
    Instant now = cutoff.plus(Duration.ofHours(1));
    Set<String> expected = new HashSet<>();
    int sessions = 10 + random.nextInt(30);
    for (int i = 0; i < sessions; i++) {
      String id = "p-" + i;
      String status = statuses.get(random.nextInt(statuses.size()));
      boolean runnable = status.equals("running") || random.nextInt(8) == 0;
      Instant updated = cutoff.plusSeconds(random.nextInt(7200) - 3600);
      store.append(
          id,
          0,
          List.of(event("a", i)),
          summary(id).newBuilder().status(status).runnable(runnable).updatedAt(updated).build());
      boolean quarantined = random.nextInt(10) == 0 && store.quarantine(id, "broken");
      int lease = random.nextInt(4); // 0: none, 1: live at now, 2: expired at now, 3: released
      if (lease > 0) {
        Instant at = lease == 1 ? now : T0;
        assertThat(store.tryAcquireLease(id, "node-" + i, at, TTL)).isPresent();
      }
      if (lease == 3) {
        store.releaseLease(id, "node-" + i);
      }
      boolean finished = Set.of("completed", "failed", "cancelled").contains(status);
      if (finished && !runnable && !quarantined && updated.isBefore(cutoff) && lease != 1) {
        expected.add(id);
      }
    }
    int limit = 1 + random.nextInt(7);
    PurgeRequest request = PurgeRequest.finishedBefore(cutoff, now).limit(limit).build();
    List<String> deleted = new ArrayList<>();
    for (List<SessionSummary> page = store.purge(request);
        !page.isEmpty();
        page = store.purge(request)) {
      assertThat(page.size()).as("seed %d: page size", seed).isLessThanOrEqualTo(limit);
      page.forEach(s -> deleted.add(s.id()));
    }

    assertThat(deleted).as("seed %d: deleted", seed).containsExactlyInAnyOrderElementsOf(expected);
    for (int i = 0; i < sessions; i++) {
      String id = "p-" + i;
      assertThat(store.find(id).isPresent())
          .as("seed %d: %s kept", seed, id)
          .isEqualTo(!expected.contains(id));
      assertThat(store.load(id, 0).isEmpty()).isEqualTo(expected.contains(id));
    }
  }

  /** Writers move old finished sessions on while purgers on other nodes delete them. */
  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void aPurgeRacingAppendsNeverLosesASessionAnAppendMovedOn(long seed, TestReporter reporter)
      throws Exception {
    reporter.publishEntry("replay", "-Dagentmesh.seed=" + seed);
    Random random = new Random(seed);
    int sessions = 20 + random.nextInt(20);
    for (int i = 0; i < sessions; i++) {
      addFinished("r-" + i, "completed", T0);
    }
    List<SessionStore> nodes = List.of(store, openAnother(store), openAnother(store));
    Instant now = T0.plus(Duration.ofDays(1));
    PurgeRequest request =
        PurgeRequest.finishedBefore(now, now).limit(1 + random.nextInt(5)).build();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      order.add(i);
    }
    java.util.Collections.shuffle(order, random);
    CyclicBarrier start = new CyclicBarrier(3);
    Callable<Set<String>> writer =
        () -> {
          start.await(30, TimeUnit.SECONDS);
          Set<String> movedOn = new HashSet<>();
          for (int i : order) {
            String id = "r-" + i;
            try {
              nodes.get(1).append(id, 1, List.of(event("moved-on", i)), runnable(id, now));
              movedOn.add(id);
            } catch (VersionConflictException purged) {
              assertThat(purged.actualVersion()).as("seed %d: %s", seed, id).isZero();
            }
          }
          return movedOn;
        };
    Callable<Set<String>> purger =
        () -> {
          start.await(30, TimeUnit.SECONDS);
          Set<String> deleted = new HashSet<>();
          for (List<SessionSummary> page = nodes.get(2).purge(request);
              !page.isEmpty();
              page = nodes.get(2).purge(request)) {
            page.forEach(s -> deleted.add(s.id()));
          }
          return deleted;
        };
    Callable<Set<String>> second =
        () -> {
          start.await(30, TimeUnit.SECONDS);
          Set<String> deleted = new HashSet<>();
          for (int round = 0; round < sessions; round++) {
            store.purge(request).forEach(s -> deleted.add(s.id()));
          }
          return deleted;
        };
    List<Set<String>> results = runAll(List.of(writer, purger, second));
    Set<String> movedOn = results.get(0);
    Set<String> deleted = new HashSet<>(results.get(1));
    Set<String> twice = new HashSet<>(deleted);
    twice.retainAll(results.get(2));
    assertThat(twice).as("seed %d: sessions purged by both nodes", seed).isEmpty();
    deleted.addAll(results.get(2));

    for (int i = 0; i < sessions; i++) {
      String id = "r-" + i;
      if (movedOn.contains(id)) {
        assertThat(deleted).as("seed %d: %s was moved on, so kept", seed, id).doesNotContain(id);
        assertThat(store.load(id, 0)).as("seed %d: %s", seed, id).hasSize(2);
        assertThat(store.find(id).orElseThrow().status()).isEqualTo("running");
      } else {
        assertThat(deleted).as("seed %d: %s refused its append, so purged", seed, id).contains(id);
        assertThat(store.find(id)).isEmpty();
      }
    }
  }

  private void addFinished(String id, String status, Instant updatedAt) {
    add(id, b -> b.status(status).updatedAt(updatedAt));
  }

  private List<String> allIds() {
    List<String> ids = new ArrayList<>();
    SessionQuery query = SessionQuery.builder().limit(SessionQuery.MAX_LIMIT).build();
    store.query(query).sessions().forEach(s -> ids.add(s.id()));
    return ids;
  }

  // ---- helpers -----------------------------------------------------------------------------

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

  private void add(String id, java.util.function.UnaryOperator<SessionSummary.Builder> edit) {
    SessionSummary s = edit.apply(summary(id).newBuilder()).build();
    store.append(id, 0, List.of(event("created", 0)), s);
  }

  private List<String> ids(SessionQuery.Builder query) {
    return store.query(query.build()).sessions().stream().map(SessionSummary::id).toList();
  }

  /**
   * A summary of a paused, non-runnable session created at T0.
   *
   * @param id the session's id
   * @return the summary
   */
  protected static SessionSummary summary(String id) {
    return SessionSummary.builder(id)
        .agent("triage")
        .status("paused")
        .origin("manual")
        .createdAt(T0)
        .updatedAt(T0)
        .build();
  }

  private static SessionSummary runnable(String id, Instant updatedAt) {
    return summary(id).newBuilder().status("running").runnable(true).updatedAt(updatedAt).build();
  }

  /**
   * An event of {@code type} with payload {@code {"n": n}}.
   *
   * @param type the event type
   * @param n the payload's number
   * @return the event
   */
  protected static NewEvent event(String type, int n) {
    ObjectNode payload = JSON.createObjectNode();
    payload.put("n", n);
    return new NewEvent(type, 1, payload, T0);
  }
}
