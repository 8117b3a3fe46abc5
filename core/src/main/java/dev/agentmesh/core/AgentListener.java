package dev.agentmesh.core;

/**
 * Receives the {@link AgentEvent}s of agent runs.
 *
 * <pre>{@code
 * List<AgentEvent> seen = new CopyOnWriteArrayList<>();
 * Mesh mesh = Mesh.builder().listener(seen::add)...build();
 * }</pre>
 *
 * <h2>Threading</h2>
 *
 * Events of one run arrive one at a time, in order, on the thread driving that run; events of
 * different runs may arrive concurrently. The run waits for {@code onEvent} to return before it
 * takes the next step, so a listener that persists events makes every step durable before the next
 * begins.
 *
 * <h2>Errors</h2>
 *
 * An exception thrown by a listener stops the run: it is rethrown to the caller (wrapped in an
 * {@link AgentRunException} unless it is an {@link AgentMeshException}). A listener that must never
 * stop a run catches its own exceptions.
 */
@FunctionalInterface
public interface AgentListener {

  /**
   * Called for each event of a run, before the run's next step.
   *
   * @param event the event; its {@code runId} tells runs apart
   */
  void onEvent(AgentEvent event);

  /** {@return a listener that ignores every event} */
  static AgentListener noop() {
    return event -> {};
  }
}
