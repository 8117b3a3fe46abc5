package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.SessionStoreException;
import dev.agentmesh.sessions.spi.SessionSummary;
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
import java.util.stream.Stream;
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
      int op = some == null ? 0 : random.nextInt(8);
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
          if (known.size() >= MAXIMUM && expected.isEmpty()) {
            assertThatThrownBy(() -> store.append(id, 0, List.of(event()), summary))
                .as("step %d: no session is evictable", step)
                .isInstanceOf(SessionStoreException.class);
            assertThat(store.find(id)).isEmpty();
            continue;
          }
          store.append(id, 0, List.of(event()), summary);
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
          known.put(id, fresh);
        }
        case 2, 3 -> {
          Known k = known.get(some);
          SessionSummary summary = summary(some, random);
          k.version = store.append(some, k.version, List.of(event()), summary);
          k.summary = summary;
        }
        case 4 -> {
          Known k = known.get(some);
          Optional<?> lease = store.tryAcquireLease(some, "node-a", T0, Duration.ofHours(1));
          assertThat(lease).as("step %d: node-a's lease of %s", step, some).isPresent();
          k.leased = true;
        }
        case 5 -> {
          store.releaseLease(some, "node-a");
          known.get(some).leased = false;
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
