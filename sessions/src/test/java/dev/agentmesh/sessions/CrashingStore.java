package dev.agentmesh.sessions;

import dev.agentmesh.sessions.spi.Append;
import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.SessionStore;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store that "kills the process" (throws {@link Crash}, an Error nothing catches) when asked to
 * append an event of one type, a number of times: the log then ends where a real crash would have
 * left it, with the lease still held.
 */
final class CrashingStore extends ForwardingStore {

  /** The process died. */
  static final class Crash extends Error {
    private static final long serialVersionUID = 1L;

    Crash() {
      super("simulated crash");
    }
  }

  private final String crashOnType;
  private final String crashOnTool;
  private final AtomicInteger crashesLeft;

  CrashingStore(SessionStore delegate, String crashOnType, String crashOnTool, int crashes) {
    super(delegate);
    this.crashOnType = crashOnType;
    this.crashOnTool = crashOnTool;
    this.crashesLeft = new AtomicInteger(crashes);
  }

  @Override
  public long append(Append append) {
    List<NewEvent> events = append.events();
    if (events.stream()
            .anyMatch(
                e ->
                    e.type().equals(crashOnType)
                        && (crashOnTool.isEmpty()
                            || crashOnTool.equals(e.payload().path("tool").asString(""))
                            || crashOnTool.equals(
                                e.payload().path("call").path("name").asString(""))))
        && crashesLeft.getAndDecrement() > 0) {
      throw new Crash();
    }
    return delegate.append(append);
  }
}
