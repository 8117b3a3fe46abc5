package dev.agentmesh.sessions;

import dev.agentmesh.core.spi.ChatMessage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A session as its log says it is at one version: a fold over the events, never stored on its
 * own. Replaying the same log always gives an equal state.
 *
 * <pre>{@code
 * SessionState state = sessions.state(id);
 * if (state.status() == SessionStatus.WAITING && state.waits().containsKey("approval")) { ... }
 * }</pre>
 *
 * @param id the session's id
 * @param version how many events the log holds
 * @param status where the session stands
 * @param agent the session's default agent
 * @param currentAgent the agent that runs (or would run) the current turn
 * @param input the session's input
 * @param trigger what started it
 * @param participants who takes part, with their roles
 * @param transcript the conversation so far (after the system prompt), as the model sees it
 * @param waits the named inputs it waits for, with their prompts
 * @param unknownOutcomes tool calls whose outcome a human must state
 * @param output the output of the last completed turn, or null
 * @param failure the error of the last failed turn, or null
 * @param parentId the session this one was forked from, or null
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
    String trigger,
    Map<String, ParticipantRole> participants,
    List<ChatMessage> transcript,
    Map<String, String> waits,
    List<UnknownOutcome> unknownOutcomes,
    @Nullable JsonNode output,
    @Nullable String failure,
    @Nullable String parentId,
    Instant createdAt,
    Instant updatedAt) {

  public SessionState {
    participants = Map.copyOf(participants);
    transcript = List.copyOf(transcript);
    waits = Map.copyOf(waits);
    unknownOutcomes = List.copyOf(unknownOutcomes);
  }

  /**
   * A tool call whose result is missing and that must not run again, or a fork's call that
   * would repeat one its parent applied.
   *
   * @param runId the run that called it
   * @param callId the call's id; pass it to {@link Sessions#resolveUnknownOutcome}
   * @param tool the tool
   * @param arguments what it was called with
   * @param parentCallId for a fork, the parent's call with the same tool and arguments that it
   *     would repeat; null otherwise
   * @param parentResult what that parent call returned: resolve with it to take the parent's
   *     effect over; null when it is not a fork's question or the parent's outcome is unknown too
   */
  public record UnknownOutcome(String runId, String callId, String tool, JsonNode arguments,
      @Nullable String parentCallId, @Nullable JsonNode parentResult) {

    /** A call whose driver died before its result was recorded. */
    public UnknownOutcome(String runId, String callId, String tool, JsonNode arguments) {
      this(runId, callId, tool, arguments, null, null);
    }
  }
}
