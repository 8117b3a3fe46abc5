package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.sessions.spi.Append;
import dev.agentmesh.sessions.spi.Lease;
import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.SessionStoreException;
import dev.agentmesh.sessions.spi.SessionSummary;
import dev.agentmesh.sessions.spi.VersionConflictException;
import dev.agentmesh.testsupport.Seeds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A bounded in-memory store keeps its evictable sessions in order instead of looking through every
 * session at each creation; whatever happens to the sessions (appends that change their status and
 * time, leases taken and released, quarantines, deletions), each creation beyond the maximum must
 * evict exactly the session a look through all of them would: the least recently updated that is
 * finished, not runnable, not quarantined and not leased, ties by id; or refuse when there is none.
 */
class BoundedEvictionPropertyTest {

  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
  private static final List<String> STATUSES =
      List.of("completed", "failed", "cancelled", "running", "waiting");
  private static final int MAXIMUM = 6;

  static Stream<Long> seeds() {
    return Seeds.of(25);
  }

  /** What the test knows of one session: the reference the store is checked against. */
  private static final class Known {
    long version;
    SessionSummary summary;
    boolean leased;
    String owner = "";
    Lease lease; // null when the lease was taken by claim, or there is none
    boolean quarantined;

    boolean evictable() {
      return !leased
          && !quarantined
          && !summary.runnable()
          && List.of("completed", "failed", "cancelled").contains(summary.status());
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void eachCreationBeyondTheMaximumEvictsWhatALookThroughEverySessionWouldFind(long seed) {
    Seeds.print(BoundedEvictionPropertyTest.class, seed);
    Random random = new Random(seed);
    InMemorySessionStore store = InMemorySessionStore.builder().maximumSessions(MAXIMUM).build();
    Map<String, Known> known = new TreeMap<>();
    int next = 0;
    for (int step = 0; step < 400; step++) {
      List<String> ids = new ArrayList<>(known.keySet());
      String some = ids.isEmpty() ? null : ids.get(random.nextInt(ids.size()));
      int op = some == null ? 0 : random.nextInt(9);
      long scansBefore = store.fullScans();
      switch (op) {
        case 0, 1 -> {
          String id = "s" + next++;
          SessionSummary summary = summary(id, random);
          Optional<Known> expected =
              known.size() < MAXIMUM
                  ? Optional.empty()
                  : known.values().stream()
                      .filter(Known::evictable)
                      .min(
                          Comparator.comparing((Known k) -> k.summary.updatedAt())
                              .thenComparing(k -> k.summary.id()));
          // As Sessions creates them: with the creating node's lease, half the time.
          boolean leased = random.nextBoolean();
          Append create = Append.of(id, 0, List.of(event()), summary);
          Append append = leased ? create.leasedTo("node-a", T0.plusSeconds(3600)) : create;
          if (known.size() >= MAXIMUM && expected.isEmpty()) {
            assertThatThrownBy(() -> store.append(append))
                .as("step %d: no session is evictable", step)
                .isInstanceOf(SessionStoreException.class);
            assertThat(store.find(id)).isEmpty();
            continue;
          }
          store.append(append);
          assertThat(store.fullScans())
              .as("step %d: an evictable session was found without a look through all", step)
              .isEqualTo(scansBefore);
          if (expected.isPresent()) {
            String evicted = expected.get().summary.id();
            assertThat(store.find(evicted))
                .as("step %d: %s is the one to evict", step, evicted)
                .isEmpty();
            known.remove(evicted);
          }
          Known fresh = new Known();
          fresh.version = 1;
          fresh.summary = summary;
          fresh.leased = leased;
          fresh.owner = leased ? "node-a" : "";
          fresh.lease = leased ? append.grantedLease() : null;
          known.put(id, fresh);
        }
        case 2, 3 -> {
          Known k = known.get(some);
          SessionSummary summary = summary(some, random);
          Append append = Append.of(some, k.version, List.of(event()), summary);
          if (k.lease != null) {
            // The drive's appends are fenced by its lease; its last one releases it.
            append = append.fencedBy(k.lease);
            if (random.nextBoolean()) {
              append = append.releasingLease();
              k.leased = false;
              k.lease = null;
            }
          }
          k.version = store.append(append);
          k.summary = summary;
        }
        case 4 -> {
          Known k = known.get(some);
          if (k.leased && !k.owner.equals("node-a")) continue;
          Optional<Lease> lease = store.tryAcquireLease(some, "node-a", T0, Duration.ofHours(1));
          assertThat(lease).as("step %d: node-a's lease of %s", step, some).isPresent();
          k.leased = true;
          k.owner = "node-a";
          k.lease = lease.get();
        }
        case 5 -> {
          Known k = known.get(some);
          if (k.leased) {
            assertThat(store.releaseLease(some, k.owner)).isTrue();
            k.leased = false;
            k.lease = null;
          }
        }
        case 8 -> {
          // Recovery claims runnable sessions whose lease is free: they are not evictable while
          // held, and become evictable again once finished and released.
          for (String claimed : store.claim("node-b", T0, Duration.ofHours(1), 2)) {
            Known k = known.get(claimed);
            k.leased = true;
            k.owner = "node-b";
            k.lease = null;
          }
        }
        case 6 -> {
          Known k = known.get(some);
          if (random.nextBoolean()) {
            store.quarantine(some, "a test");
            k.quarantined = true;
          } else {
            store.releaseQuarantine(some);
            k.quarantined = false;
          }
        }
        default -> {
          assertThat(store.delete(some)).isTrue();
          known.remove(some);
        }
      }
      assertThat(store.size()).as("step %d", step).isEqualTo(known.size());
    }
  }

  @Test
  void creationsAndAppendsOnManyThreadsEvictWithoutEverLookingThroughAll() throws Exception {
    InMemorySessionStore store = InMemorySessionStore.builder().maximumSessions(50).build();
    AtomicLong clock = new AtomicLong();
    AtomicInteger names = new AtomicInteger();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      boolean creator = t < 3;
      threads.add(
          new Thread(
              () -> {
                Random random = new Random();
                try {
                  go.await();
                  for (int i = 0; i < 2_000; i++) {
                    if (creator) {
                      String id = "s" + names.incrementAndGet();
                      store.append(id, 0, List.of(event()), finished(id, clock.incrementAndGet()));
                    } else {
                      // Appends to whatever session is there: finished again, at a later time.
                      String id = "s" + (1 + random.nextInt(Math.max(1, names.get())));
                      Optional<SessionSummary> now = store.find(id);
                      if (now.isEmpty()) continue;
                      try {
                        store.append(
                            id,
                            now.get().version(),
                            List.of(event()),
                            finished(id, clock.incrementAndGet()));
                      } catch (VersionConflictException evictedOrRaced) {
                        // evicted, or another appender was first: both expected here
                      }
                    }
                  }
                } catch (Throwable e) {
                  failures.add(e);
                }
              }));
    }
    threads.forEach(Thread::start);
    go.countDown();
    for (Thread t : threads) t.join();

    assertThat(failures).isEmpty();
    assertThat(store.size()).isEqualTo(50);
    assertThat(store.fullScans())
        .as("every session was finished and free, so every eviction found one in order")
        .isZero();
  }

  private static SessionSummary finished(String id, long second) {
    return SessionSummary.builder(id)
        .agent("triage")
        .status("completed")
        .runnable(false)
        .createdAt(T0)
        .updatedAt(T0.plusSeconds(second))
        .build();
  }

  private static SessionSummary summary(String id, Random random) {
    String status = STATUSES.get(random.nextInt(STATUSES.size()));
    return SessionSummary.builder(id)
        .agent("triage")
        .status(status)
        .runnable(status.equals("running"))
        .createdAt(T0)
        .updatedAt(T0.plusSeconds(random.nextInt(20))) // ties, and times that go back
        .build();
  }

  private static NewEvent event() {
    return new NewEvent("a", 1, JsonNodeFactory.instance.objectNode(), T0);
  }
}
