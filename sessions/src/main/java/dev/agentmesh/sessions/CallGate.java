package dev.agentmesh.sessions;

import dev.agentmesh.core.spi.ToolCall;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which tool calls of a session's agent take their result from outside the run: a gated
 * call waiting for an approval, a child session's result, a human's answer. Such a call is never
 * run by the session: the run stops before the tool's body (no thread waits), the session waits
 * with a {@link SessionState.SuspendedCall}, and {@link Session#completeCall} or {@link
 * Session#failCall}, on any node, gives the call its result and lets the run continue.
 *
 * <pre>{@code
 * Sessions sessions = Sessions.builder(mesh)
 *     .suspendCalls((sessionId, agent, call) ->
 *         call.name().equals("refund") ? Optional.of("approval") : Optional.empty())
 *     .build();
 * }</pre>
 *
 * <p>Asked for the top-level calls of a session's run (not for calls inside an agent called as a
 * tool), for every call of a model response at the first of them to start, so a batch is held
 * whole: no call of it starts while one of them is suspended; the others run when the session
 * continues. Called on the driving thread, possibly more than once for a call: it must be quick,
 * must not block, and must answer the same for the same call. An exception it throws fails the turn
 * like a failing tool listener. Several gates ({@link Sessions.Builder#suspendCalls}) are asked in
 * registration order; the first that suspends a call wins, and only it is asked to {@link #record}.
 * A call {@link Session#releaseCall released} from its suspension is not asked about again.
 */
@FunctionalInterface
public interface CallGate {

  /** A gate that suspends nothing: every call runs. */
  CallGate NONE = (sessionId, agent, call) -> Optional.empty();

  /**
   * Whether the call's result comes from outside, and why.
   *
   * @param sessionId the session whose run asks for the call
   * @param agent the agent that asks
   * @param call the call: tool name, call id, arguments
   * @return the reason it waits (such as {@code approval}, {@code child-session}, {@code human}),
   *     kept in the log; empty when the tool runs as usual
   */
  Optional<String> suspend(String sessionId, String agent, ToolCall call);

  /**
   * What to store with the suspension of {@code call}, in the same append as its {@code
   * tool.suspended} event: a module's {@link SessionEvent.Custom} event ({@code review.proposed})
   * and rows ({@link Recording#withRows}). Asked, outside the append, for each call this gate
   * suspended, under the same contract as {@link #suspend}. Default: nothing.
   *
   * <pre>{@code
   * public Optional<Recording> record(SessionState state, String agent, ToolCall call, String why) {
   *   return Optional.of(Recording.of(new SessionEvent.Custom(
   *       clock.instant(), "review.proposed",
   *       JsonNodeFactory.instance.objectNode().put("call", call.id()))));
   * }
   * }</pre>
   *
   * @param state the session's state before the suspension
   * @param agent the agent that asks
   * @param call the suspended call
   * @param reason the reason {@link #suspend} gave
   * @return what to store with the suspension; empty for nothing
   */
  default Optional<Recording> record(
      SessionState state, String agent, ToolCall call, String reason) {
    return Optional.empty();
  }

  /**
   * A gate that suspends every call of the named tools, with the reason {@code outside}.
   *
   * @param tools the tools whose results come from outside
   * @return the gate
   * @throws IllegalArgumentException if no tool is named, or a name is blank
   */
  static CallGate tools(String... tools) {
    Set<String> names = Set.copyOf(List.of(tools));
    if (names.isEmpty() || names.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException(
          "Name at least one tool to suspend, none blank; got " + List.of(tools));
    }
    return (sessionId, agent, call) ->
        names.contains(call.name()) ? Optional.of("outside") : Optional.empty();
  }
}
