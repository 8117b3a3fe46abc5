package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.SessionStoreException;
import dev.agentmesh.sessions.spi.SessionSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/** Issue 12: an in-memory store kept every session and the heap filled. */
class BoundedInMemorySessionStoreTest {

  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
  private final InMemorySessionStore store =
      InMemorySessionStore.builder().maximumSessions(3).build();

  @Test
  void creatingBeyondTheMaximumEvictsTheLeastRecentlyUpdatedFinishedSession() {
    create("done-late", "completed", T0.plusSeconds(9));
    create("done-early", "failed", T0.plusSeconds(1));
    create("running", "running", T0);

    create("new", "running", T0.plusSeconds(10));

    assertThat(store.size()).isEqualTo(3);
    assertThat(store.find("done-early")).isEmpty();
    assertThat(store.load("done-early", 0)).isEmpty();
    assertThat(store.find("done-late")).isPresent();
    assertThat(store.find("running")).isPresent();
  }

  @Test
  void liveSessionsAreNeverEvictedAndACreationThatFindsNoRoomIsRefusedStoringNothing() {
    create("running", "running", T0);
    create("waiting", "waiting", T0);
    create("leased", "completed", T0);
    assertThat(store.tryAcquireLease("leased", "node-a", T0, Duration.ofSeconds(30))).isPresent();

    assertThatThrownBy(() -> create("one-too-many", "running", T0.plusSeconds(1)))
        .isInstanceOf(SessionStoreException.class)
        .hasMessage(
            "InMemorySessionStore holds its maximum of 3 sessions and none is finished "
                + "(completed, failed or cancelled, not leased), so it cannot make room for session "
                + "'one-too-many'; nothing was stored. Raise InMemorySessionStore.builder()"
                + ".maximumSessions(...), finish or delete sessions, or use SqliteSessionStore");
    assertThat(store.find("one-too-many")).isEmpty();
    assertThat(store.size()).isEqualTo(3);

    store.releaseLease("leased", "node-a");
    create("one-too-many", "running", T0.plusSeconds(1));
    assertThat(store.find("leased")).isEmpty();
  }

  @Test
  void appendsToExistingSessionsAreNeverRefusedForSpace() {
    create("a", "running", T0);
    create("b", "running", T0);
    create("c", "running", T0);

    long v = store.append("a", 1, List.of(event()), summary("a", "running", T0));

    assertThat(v).isEqualTo(2);
    assertThat(store.toString()).isEqualTo("InMemorySessionStore{sessions=3, maximumSessions=3}");
  }

  @Test
  void theMaximumMustBePositive() {
    assertThatThrownBy(() -> InMemorySessionStore.builder().maximumSessions(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maximumSessions must be at least 1 but was 0");
    assertThat(InMemorySessionStore.create().maximumSessions()).isEqualTo(Long.MAX_VALUE);
  }

  private void create(String id, String status, Instant updatedAt) {
    store.append(id, 0, List.of(event()), summary(id, status, updatedAt));
  }

  private static SessionSummary summary(String id, String status, Instant updatedAt) {
    return SessionSummary.builder(id)
        .agent("triage")
        .status(status)
        .runnable(status.equals("running"))
        .createdAt(T0)
        .updatedAt(updatedAt)
        .build();
  }

  private static NewEvent event() {
    return new NewEvent("a", 1, JsonNodeFactory.instance.objectNode(), T0);
  }
}
