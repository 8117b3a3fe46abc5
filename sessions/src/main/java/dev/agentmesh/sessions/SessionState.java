package dev.agentmesh.sessions;

import dev.agentmesh.core.AgentResult;
import dev.agentmesh.core.internal.turn.Transcript;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.Usage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A session as its log says it is at one version: a fold over the events, never stored on its own.
 * Replaying the same log always gives an equal state.
 *
 * <pre>{@code
 * SessionState state = sessions.session(id).state();
 * if (state.status() == SessionStatus.WAITING && state.waits().containsKey("approval")) { ... }
 * Triage triage = session.awaitFinished(Duration.ofMinutes(1)).output(Triage.class);
 * }</pre>
 *
 * @param id the session's id
 * @param version how many events the log holds
 * @param status where the session stands
 * @param agent the session's default agent
 * @param currentAgent the agent that runs (or would run) the current turn
 * @param input the session's input
 * @param origin what started it: a human, a schedule, a webhook, another session
 * @param participants who takes part, with their roles
 * @param transcript the conversation so far (after the system prompt), as the model sees it
 * @param waits the named inputs it waits for, with their prompts
 * @param unknownOutcomes tool calls whose outcome a human must state
 * @param suspendedCalls tool calls of the agent whose results come from outside, not come yet
 * @param output the output of the last completed turn, or null
 * @param failure the error of the last failed turn, or null
 * @param forkedFrom the session this one was forked from, or null (a session another session's
 *     agent started names that one in its {@code origin} instead)
 * @param createdAt when it was created
 * @param updatedAt when its last event happened
 */
public record SessionState(
    String id,
    long version,
    SessionStatus status,
    String agent,
    String currentAgent,
    JsonNode input,
    Origin origin,
    Map<String, ParticipantRole> participants,
    List<ChatMessage> transcript,
    Map<String, String> waits,
    List<UnknownOutcome> unknownOutcomes,
    List<SuspendedCall> suspendedCalls,
    @Nullable JsonNode output,
    @Nullable String failure,
    @Nullable String forkedFrom,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * Copies the collections into immutable ones.
   *
   * @param id the session's id
   * @param version how many events the log holds
   * @param status where the session stands
   * @param agent the session's default agent
   * @param currentAgent the agent that runs (or would run) the current turn
   * @param input the session's input
   * @param origin what started it: a human, a schedule, a webhook, another session
   * @param participants who takes part, with their roles
   * @param transcript the conversation so far (after the system prompt), as the model sees it
   * @param waits the named inputs it waits for, with their prompts
   * @param unknownOutcomes tool calls whose outcome a human must state
   * @param suspendedCalls tool calls of the agent whose results come from outside, not come yet
   * @param output the output of the last completed turn, or null
   * @param failure the error of the last failed turn, or null
   * @param forkedFrom the session this one was forked from, or null (a session another session's
   *     agent started names that one in its {@code origin} instead)
   * @param createdAt when it was created
   * @param updatedAt when its last event happened
   */
  public SessionState {
    participants = Map.copyOf(participants);
    transcript = Transcript.immutable(transcript); // a fold's transcript is shared, not copied
    waits = Map.copyOf(waits);
    unknownOutcomes = List.copyOf(unknownOutcomes);
    suspendedCalls = List.copyOf(suspendedCalls);
  }

  /**
   * The session whose agent started this one, when another session started it (its {@link
   * Origin.Kind#SESSION SESSION} origin); never the session it was forked from.
   *
   * @return the starting session's id, or null when no session started this one
   */
  public @Nullable String startedBy() {
    return origin.kind() == Origin.Kind.SESSION ? origin.id() : null;
  }

  /**
   * The output of the last completed turn mapped to a Java type, as {@link AgentResult#as} maps a
   * stateless call's output (usually to the record the agent's output schema was generated from).
   *
   * @param type the type to map the output to
   * @param <T> that type
   * @return the mapped output
   * @throws IllegalStateException if no turn has completed yet
   * @throws dev.agentmesh.core.AgentRunException if the output does not map to {@code type}; its
   *     {@code runId()} is this session's id
   */
  public <T> T output(Class<T> type) {
    JsonNode out = output;
    if (out == null) {
      throw new IllegalStateException(
          "Session "
              + id
              + " has no output: no turn of it has completed (status "
              + status.name().toLowerCase(java.util.Locale.ROOT)
              + "). Read output(Class) after awaitFinished returns a COMPLETED state.");
    }
    return new AgentResult(id, currentAgent, out, Usage.ZERO, 0, 0, List.of()).as(type);
  }

  /**
   * A tool call whose result is missing and that must not run again, or a fork's call that would
   * repeat one its parent applied.
   *
   * @param runId the run that called it
   * @param callId the call's id; pass it to {@link Session#resolveUnknownOutcome}
   * @param tool the tool
   * @param arguments what it was called with
   * @param parentCallId for a fork, the parent's call with the same tool and arguments that it
   *     would repeat; null otherwise
   * @param parentResult what that parent call returned: resolve with it to take the parent's effect
   *     over; null when it is not a fork's question or the parent's outcome is unknown too
   */
  public record UnknownOutcome(
      String runId,
      String callId,
      String tool,
      JsonNode arguments,
      @Nullable String parentCallId,
      @Nullable JsonNode parentResult) {

    /**
     * A call whose driver died before its result was recorded.
     *
     * @param runId the run that made the call
     * @param callId the call's id
     * @param tool the tool called
     * @param arguments the arguments it was called with
     */
    public UnknownOutcome(String runId, String callId, String tool, JsonNode arguments) {
      this(runId, callId, tool, arguments, null, null);
    }
  }

  /**
   * A tool call the agent asked for whose result comes from outside the run ({@link CallGate}): it
   * never ran, and the session waits until {@link Session#completeCall} or {@link Session#failCall}
   * gives its result. The named inputs of {@link #waits()} are the same kind of wait, asked by the
   * host instead of the agent.
   *
   * @param runId the run that asked for it
   * @param callId the call's id; pass it to {@link Session#completeCall}
   * @param tool the tool
   * @param arguments what the agent called it with
   * @param reason why its result comes from outside, as the gate said (such as {@code approval})
   */
  public record SuspendedCall(
      String runId, String callId, String tool, JsonNode arguments, String reason) {}
}
