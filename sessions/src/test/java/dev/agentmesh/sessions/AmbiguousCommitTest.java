package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.sessions.spi.Append;
import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.SessionStoreException;
import dev.agentmesh.sessions.spi.SessionSummary;
import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testing.ManualScheduler;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * An append whose commit failed late is judged stored only when the log holds exactly its events;
 * another writer's event of the same type at the same instant is not ours.
 */
class AmbiguousCommitTest {

  /**
   * On the first post it sees, lets another writer ("bo", same type, same instant) take the
   * version, then reports the append as failed, as a connection lost during commit would.
   */
  static final class RacedStore extends ForwardingStore {
    private final AtomicBoolean raced = new AtomicBoolean();

    RacedStore(SessionStore delegate) {
      super(delegate);
    }

    @Override
    public long append(Append append) {
      String id = append.sessionId();
      long expected = append.expectedVersion();
      SessionSummary summary = append.summary();
      NewEvent first = append.events().get(0);
      if (first.type().equals("message.posted") && raced.compareAndSet(false, true)) {
        ObjectNode theirs =
            ((ObjectNode) first.payload().deepCopy())
                .put("author", "bo")
                .put("text", "bo's message");
        delegate.append(
            id,
            expected,
            List.of(new NewEvent(first.type(), first.typeVersion(), theirs, first.at())),
            summary);
        throw new SessionStoreException("connection lost while committing", null);
      }
      return delegate.append(append);
    }
  }

  @Test
  void anotherWritersEventOfTheSameTypeAtTheSameInstantIsNotTakenForOurLateCommit() {
    FakeClock clock = Fixtures.clock();
    Sessions sessions =
        Sessions.builder(Fixtures.mesh(clock))
            .store(new RacedStore(InMemorySessionStore.create()))
            .executor(r -> {})
            .scheduler(new ManualScheduler())
            .clock(clock)
            .build();
    String id =
        sessions
            .newSession("plain")
            .input("x")
            .participant("ana", ParticipantRole.OWNER)
            .participant("bo", ParticipantRole.MEMBER)
            .start()
            .id();

    assertThatThrownBy(() -> sessions.session(id).post("ana", "ana's message"))
        .isInstanceOf(SessionStoreException.class)
        .hasMessage("connection lost while committing");

    assertThat(posts(sessions, id)).containsExactly("bo: bo's message");
    sessions.session(id).post("ana", "ana's message");
    assertThat(posts(sessions, id)).containsExactly("bo: bo's message", "ana: ana's message");
  }

  private static List<String> posts(Sessions sessions, String id) {
    return sessions.session(id).history().stream()
        .filter(e -> e.event() instanceof SessionEvent.MessagePosted)
        .map(e -> (SessionEvent.MessagePosted) e.event())
        .map(p -> p.author() + ": " + p.text())
        .toList();
  }
}
