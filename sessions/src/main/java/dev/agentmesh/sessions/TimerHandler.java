package dev.agentmesh.sessions;

import java.util.List;

/**
 * What happens when a durable {@link Timer} of one kind fires: the events to append to its session,
 * chosen from the session's current state. They are appended in one transaction with a {@link
 * SessionEvent.TimerFired} event and the timer's deletion, so a timer fires exactly once across
 * nodes; a node that crashed mid-fire leaves the timer to fire elsewhere once its claim expires.
 *
 * <pre>{@code
 * Sessions sessions = Sessions.builder(mesh).store(store)
 *     .timer("reminder", (timer, state) -> List.of(new SessionEvent.MessagePosted(
 *         timer.due(), "reminder", "Still waiting for: " + state.waits().keySet(), null, true)))
 *     .build();
 * }</pre>
 *
 * <h2>Contract</h2>
 *
 * Called on the sweep's thread. It may be called more than once for one firing (when another writer
 * appended to the session meanwhile, it decides again against the new state), so it must only
 * compute events: no side effects. An exception leaves the timer due: it fires again, here or on
 * another node, once this node's claim expires (the lease TTL).
 */
@FunctionalInterface
public interface TimerHandler {

  /**
   * The events the timer adds to its session, after its {@link SessionEvent.TimerFired}.
   *
   * @param timer the timer that fired
   * @param state the session's state before the firing
   * @return the events to append; empty to only record the firing
   */
  List<SessionEvent> fire(Timer timer, SessionState state);
}
