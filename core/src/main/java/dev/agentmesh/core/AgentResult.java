package dev.agentmesh.core;

import dev.agentmesh.core.internal.turn.Transcript;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.Usage;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * What one agent run produced.
 *
 * <pre>{@code
 * AgentResult result = mesh.agent("triage").call(ticket);
 * Triage triage = result.as(Triage.class);
 * log.info("{} turns, {} tokens", result.turns(), result.usage().totalTokens());
 * }</pre>
 *
 * @param runId the run's id, as in its events
 * @param agent the agent's name
 * @param output the output: JSON matching the output schema, or a JSON string; {@code null} when
 *     the run was stopped before it finished. Shared with the run's events: treat it as read-only
 * @param usage tokens and cost, child agents included
 * @param turns model calls made
 * @param toolCalls tool calls made
 * @param messages the conversation after the system prompt, to continue it later
 */
public record AgentResult(
    String runId,
    String agent,
    @Nullable JsonNode output,
    Usage usage,
    int turns,
    int toolCalls,
    List<ChatMessage> messages) {

  /**
   * Copies {@code messages}, so the result does not change when the caller's list does.
   *
   * @param runId the run's id, as in its events
   * @param agent the agent's name
   * @param output the output: JSON matching the output schema, or a JSON string; {@code null} when
   *     the run was stopped before it finished. Shared with the run's events: treat it as read-only
   * @param usage tokens and cost, child agents included
   * @param turns model calls made
   * @param toolCalls tool calls made
   * @param messages the conversation after the system prompt, to continue it later
   */
  public AgentResult {
    Objects.requireNonNull(runId, "runId");
    messages = Transcript.immutable(messages); // a transcript's view is immutable already
  }

  /** {@return whether the run stopped on request before producing output} */
  public boolean stopped() {
    return output == null;
  }

  /** {@return the output as text: a string output as is, any other as JSON} */
  public String text() {
    return output == null ? "" : Json.text(output);
  }

  /**
   * The output mapped to a Java type, usually the record its schema was generated from.
   *
   * @param <T> the type
   * @param type the class to map the output to, usually a record
   * @return the output, mapped
   * @throws IllegalStateException when the run stopped before producing output
   */
  public <T> T as(Class<T> type) {
    if (output == null)
      throw new IllegalStateException("run " + runId + " stopped before producing output");
    try {
      return Json.MAPPER.treeToValue(output, type);
    } catch (JacksonException e) {
      throw new AgentRunException(
          agent,
          runId,
          "Output of agent '"
              + agent
              + "' does not map to "
              + type.getSimpleName()
              + ": "
              + Text.clip(e.getOriginalMessage(), 200)
              + ". Generate the output schema from that type with outputType("
              + type.getSimpleName()
              + ".class).",
          e);
    }
  }
}
