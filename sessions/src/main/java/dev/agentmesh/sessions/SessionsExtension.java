package dev.agentmesh.sessions;

/**
 * A module that plugs into {@link Sessions}: review, triggers, a host's own. It registers its hooks
 * on the builder ({@link #configure}: {@link Sessions.Builder#suspendCalls call gates}, {@link
 * Sessions.Builder#outputGate output gates}, {@link Sessions.Builder#timer timers}, {@link
 * Sessions.Builder#context turn contexts}) and is given the built instance ({@link #bind}).
 *
 * <pre>{@code
 * Reviews reviews = Reviews.builder().types(types).build();     // a SessionsExtension
 * Sessions sessions = Sessions.builder(mesh).store(store).extension(reviews).build();
 * }</pre>
 *
 * <h2>Threading and errors</h2>
 *
 * {@link #configure} runs on the thread calling {@link Sessions.Builder#extension}, once per
 * builder (a builder copied by {@link Sessions#newBuilder()} keeps what it registered and does not
 * configure again). {@link #bind} runs on the thread calling {@link Sessions.Builder#build()}, once
 * per built instance, after the instance exists and before its sweep starts (no orphan recovery,
 * timer or retention runs before it). An exception from {@code configure} reaches the caller of
 * {@code extension}; one from {@code bind} closes the new instance and reaches the caller of {@code
 * build()}.
 */
public interface SessionsExtension {

  /**
   * Registers this module's hooks.
   *
   * @param builder the builder being configured
   */
  void configure(Sessions.Builder builder);

  /**
   * Receives the built instance, before any sweep or recovery runs on it.
   *
   * @param sessions the new instance
   */
  default void bind(Sessions sessions) {}
}
