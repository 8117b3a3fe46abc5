package dev.agentmesh.sessions;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Holds an agent's output before it completes the session: review asks for a human's decision on it
 * first. Asked when a run of a session's agent finishes with output and the session would complete
 * ({@code session.completed} would be appended). Empty lets it complete as usual; a {@link
 * Recording} is appended instead of {@code session.completed}, in the same transaction as the run's
 * output: typically a {@link SessionEvent.Custom} ({@code review.proposed}), a {@link
 * SessionEvent.WaitingForInput} the session then waits on, and rows. Whoever ends the wait later
 * records the outcome with {@link Session#record} (say a {@link SessionEvent.Completed} with the
 * approved output, or a {@link SessionEvent.MessagePosted} asking the agent for changes).
 *
 * <pre>{@code
 * Sessions sessions = Sessions.builder(mesh)
 *     .outputGate((state, agent, output) -> agent.equals("drafter")
 *         ? Optional.of(Recording.of(
 *             new SessionEvent.Custom(clock.instant(), "review.proposed", output),
 *             new SessionEvent.WaitingForInput(clock.instant(), "review:" + state.id(), "Approve?")))
 *         : Optional.empty())
 *     .build();
 * }</pre>
 *
 * <h2>Threading and errors</h2>
 *
 * Called on the driving thread, outside the append, before the output is stored: it must be quick
 * and must only compute (no side effects; it may be asked again for the same output, after a crash
 * or a conflicting append). The recording should leave the session waiting (a {@link
 * SessionEvent.WaitingForInput}) or finished; without one, the session ends idle with no output.
 * When the session changed meanwhile so that it would not complete (a message arrived for the next
 * turn), the recording is dropped and the gate is asked again at the next output. An exception it
 * throws fails the run, as a throwing {@link CallGate} does; the output is not stored. Several
 * gates ({@link Sessions.Builder#outputGate}) are asked in registration order; the first that holds
 * wins.
 */
@FunctionalInterface
public interface OutputGate {

  /**
   * Whether to hold the output, and what to record instead of completing.
   *
   * @param state the session's state with the run's output recorded in its transcript
   * @param agent the agent whose run produced the output
   * @param output the output
   * @return what to append instead of {@code session.completed}; empty to complete as usual
   */
  Optional<Recording> hold(SessionState state, String agent, JsonNode output);
}
