package dev.agentmesh.sessions;

import dev.agentmesh.sessions.spi.RowWrite;
import java.util.List;

/**
 * The rows a module keeps beside a session's events, for a new fork: written in the same
 * transaction as the fork's copied log, so a module's index (the review queue's rows of a copied
 * pending review, its expiry) covers the fork from its first version, as it covered the parent.
 *
 * <pre>{@code
 * Sessions sessions = Sessions.builder(mesh)
 *     .forkRows((forkId, events) -> events.stream()
 *         .filter(e -> e instanceof SessionEvent.Custom c && c.type().equals("todo.opened"))
 *         .map(e -> RowWrite.upsert(Row.of("todo", forkId, forkId, ((SessionEvent.Custom) e).data())))
 *         .toList())
 *     .build();
 * }</pre>
 *
 * <h2>Threading and errors</h2>
 *
 * Called on the thread calling {@link Session#fork}, before the fork is stored; it must only
 * compute. An exception it throws reaches the caller of {@code fork} and nothing is stored. Several
 * registered with {@link Sessions.Builder#forkRows} each add their rows, in registration order.
 */
@FunctionalInterface
public interface ForkRows {

  /**
   * The rows to write with the new fork {@code forkId}.
   *
   * @param forkId the fork's id
   * @param events the fork's first events, as they will be stored (the parent's copied prefix, the
   *     carried results, {@code session.forked})
   * @return the row writes; empty for none
   */
  List<RowWrite> rows(String forkId, List<SessionEvent> events);
}
