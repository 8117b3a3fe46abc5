package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.SessionSummary;
import dev.agentmesh.sessions.spi.StoredEvent;
import dev.agentmesh.sessions.spi.VersionConflictException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class CachingSessionStoreTest {

  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
  private final JsonMapper json = JsonMapper.builder().build();
  private final RecordingStore shared = new RecordingStore(InMemorySessionStore.create());
  private final CachingSessionStore cache = CachingSessionStore.create(shared);

  @Test
  void aLogAppendedThroughTheCacheIsServedWithoutLoadingEvents() {
    long v = cache.append("s-1", 0, List.of(event(1)), summary());
    cache.append("s-1", v, List.of(event(2)), summary());

    assertThat(cache.load("s-1", 0)).hasSize(2);
    assertThat(cache.load("s-1", 1)).extracting(StoredEvent::version).containsExactly(2L);
    assertThat(shared.loads).isEmpty();
  }

  @Test
  void eventsAnotherNodeAppendedAreToppedUpByLoadingOnlyTheTail() {
    cache.append("s-1", 0, List.of(event(1)), summary());
    shared.append("s-1", 1, List.of(event(2), event(3)), summary());

    assertThat(cache.load("s-1", 0)).extracting(StoredEvent::version).containsExactly(1L, 2L, 3L);
    assertThat(shared.loads).containsExactly("s-1 after 1");
    assertThat(cache.load("s-1", 0)).hasSize(3);
    assertThat(shared.loads).hasSize(1);
  }

  @Test
  void aVersionConflictEvictsTheCachedLog() {
    cache.append("s-1", 0, List.of(event(1)), summary());
    shared.append("s-1", 1, List.of(event(2)), summary());

    assertThatThrownBy(() -> cache.append("s-1", 1, List.of(event(9)), summary()))
        .isInstanceOf(VersionConflictException.class);
    assertThat(cache.cachedSessions()).isZero();
    assertThat(cache.load("s-1", 0))
        .extracting(e -> e.payload().get("n").asInt())
        .containsExactly(1, 2);
    assertThat(shared.loads).containsExactly("s-1 after 0");
  }

  @Test
  void mutatingAnAppendedPayloadDoesNotChangeTheCachedEvent() {
    NewEvent e = event(1);
    cache.append("s-1", 0, List.of(e), summary());
    ((ObjectNode) e.payload()).put("n", 99);

    assertThat(cache.load("s-1", 0).get(0).payload().get("n").asInt()).isEqualTo(1);
  }

  @Test
  void theCacheIsBoundedByEventCount() {
    CachingSessionStore small = CachingSessionStore.builder(shared).maximumEvents(3).build();
    for (int i = 0; i < 10; i++) {
      small.append("s-" + i, 0, List.of(event(i)), summary("s-" + i));
    }
    assertThat(small.cachedSessions()).isLessThanOrEqualTo(3);
    assertThat(small.load("s-0", 0)).hasSize(1);
  }

  private NewEvent event(int n) {
    return new NewEvent("e", 1, json.readTree("{\"n\":" + n + "}"), T0);
  }

  private static SessionSummary summary() {
    return summary("s-1");
  }

  private static SessionSummary summary(String id) {
    return SessionSummary.builder(id).agent("a").createdAt(T0).updatedAt(T0).build();
  }

  /** Passes through to a real store and records event loads. */
  private static final class RecordingStore extends ForwardingStore {
    final List<String> loads = new ArrayList<>();

    RecordingStore(SessionStore delegate) {
      super(delegate);
    }

    @Override
    public List<StoredEvent> load(String id, long after, int limit) {
      loads.add(id + " after " + after);
      return delegate.load(id, after, limit);
    }
  }
}
