package dev.agentmesh.sessions;

import dev.agentmesh.sessions.spi.Append;
import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.SessionStoreException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A store whose appends fail (a {@link SessionStoreException}, as a database outage would) when
 * they hold an event {@code failOn} matches, a number of times; everything else is delegated.
 */
final class FailingStore extends ForwardingStore {

  private final Predicate<NewEvent> failOn;
  private final AtomicInteger failuresLeft;

  FailingStore(SessionStore delegate, Predicate<NewEvent> failOn, int failures) {
    super(delegate);
    this.failOn = failOn;
    this.failuresLeft = new AtomicInteger(failures);
  }

  /**
   * Matches an agent step of {@code type} (such as {@code agent.output.produced}) by {@code agent}.
   */
  static Predicate<NewEvent> step(String type, String agent) {
    return e -> e.type().equals(type) && agent.equals(e.payload().path("agent").asString(""));
  }

  @Override
  public long append(Append append) {
    List<NewEvent> events = append.events();
    if (events.stream().anyMatch(failOn) && failuresLeft.getAndDecrement() > 0) {
      throw new SessionStoreException("simulated outage: the database refused the append", null);
    }
    return delegate.append(append);
  }
}
