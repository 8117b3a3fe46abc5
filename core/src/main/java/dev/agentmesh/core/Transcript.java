package dev.agentmesh.core;

import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ToolCall;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Turns a run's events back into the conversation they record, so a run can continue from a log:
 * what sessions do after a crash or when the next message arrives.
 *
 * <pre>{@code
 * List<ChatMessage> history = Transcript.fromEvents(storedEvents);
 * agent.call(AgentRequest.builder(input).history(history).build());
 * }</pre>
 *
 * <p>The agent loop builds its messages with the same methods, so a replayed conversation is
 * exactly the one the model saw. Events of child runs (other run ids) must be filtered out by
 * the caller.
 */
public final class Transcript {

  private Transcript() {}

  /**
   * The conversation after the system prompt that these events of one run record.
   *
   * @param events one run's events, in order
   * @return the messages, oldest first
   */
  public static List<ChatMessage> fromEvents(Iterable<? extends AgentEvent> events) {
    List<ChatMessage> messages = new ArrayList<>();
    for (AgentEvent event : events) {
      if (event instanceof AgentEvent.RunStarted) {
        AgentEvent.RunStarted started = (AgentEvent.RunStarted) event;
        if (!started.continued()) messages.add(inputMessage(started.input()));
      } else if (event instanceof AgentEvent.ModelResponded) {
        AgentEvent.ModelResponded r = (AgentEvent.ModelResponded) event;
        messages.add(ChatMessage.assistant(r.text() == null && r.toolCalls().isEmpty() ? "" : r.text(), r.toolCalls()));
      } else if (event instanceof AgentEvent.ToolReturned) {
        AgentEvent.ToolReturned r = (AgentEvent.ToolReturned) event;
        messages.add(toolResult(r.callId(), r.tool(), r.result()));
      } else if (event instanceof AgentEvent.ToolFailed) {
        AgentEvent.ToolFailed f = (AgentEvent.ToolFailed) event;
        messages.add(toolFailure(f.callId(), f.tool(), f.message()));
      } else if (event instanceof AgentEvent.OutputRejected) {
        messages.add(repairRequest(((AgentEvent.OutputRejected) event).errors()));
      }
    }
    return messages;
  }

  /**
   * The tool calls a conversation still owes results for: those of its last assistant message,
   * when only tool results follow it, that have no result yet. A conversation whose pending calls
   * are followed by another message owes nothing here (a session closes such calls when their run
   * fails), so a resumed run never runs a call out of order.
   *
   * @param messages the conversation, oldest first
   * @return the calls still owed a result, in the model's order; empty when none
   */
  public static List<ToolCall> unansweredCalls(List<ChatMessage> messages) {
    java.util.Set<String> answered = new java.util.HashSet<>();
    for (int i = messages.size() - 1; i >= 0; i--) {
      ChatMessage m = messages.get(i);
      if (m.role() == ChatMessage.Role.TOOL) {
        answered.add(m.toolCallId());
      } else if (m.role() == ChatMessage.Role.ASSISTANT) {
        List<ToolCall> pending = new ArrayList<>();
        for (ToolCall call : m.toolCalls()) if (!answered.contains(call.id())) pending.add(call);
        return pending;
      } else {
        return List.of();
      }
    }
    return List.of();
  }

  /**
   * The model's final answer a conversation ends with and that no step followed: its last
   * message, when it is the assistant's and asks for no tools; otherwise null. A run continued
   * from such a conversation finishes from this answer (validates it, checks the output
   * guardrails, produces it) instead of asking the model again.
   *
   * @param messages the conversation, oldest first
   * @return that answer, or {@code null}
   */
  public static @Nullable ChatMessage recordedAnswer(List<ChatMessage> messages) {
    if (messages.isEmpty()) return null;
    ChatMessage last = messages.get(messages.size() - 1);
    return last.role() == ChatMessage.Role.ASSISTANT && last.toolCalls().isEmpty() ? last : null;
  }

  /**
   * The first user message of a run: a text input as is, any other as JSON.
   *
   * @param input the run's input
   * @return the user message
   */
  public static ChatMessage inputMessage(JsonNode input) {
    return ChatMessage.user(Json.text(input));
  }

  /**
   * A tool's result as the model sees it.
   *
   * @param callId the call's id
   * @param tool the tool's name
   * @param result what the tool returned
   * @return the tool message
   */
  public static ChatMessage toolResult(String callId, String tool, JsonNode result) {
    return ChatMessage.toolResult(callId, tool, Json.text(result), false);
  }

  /**
   * A failed tool call as the model sees it.
   *
   * @param callId the call's id
   * @param tool the tool's name
   * @param message what the model is told
   * @return the tool message, marked as an error
   */
  public static ChatMessage toolFailure(String callId, String tool, String message) {
    return ChatMessage.toolResult(callId, tool, message, true);
  }

  /**
   * What the model is told when its answer does not match the output schema.
   *
   * @param errors what did not match, one line each
   * @return the user message
   */
  public static ChatMessage repairRequest(List<String> errors) {
    return ChatMessage.user("Your answer does not match the required output schema:\n- "
        + String.join("\n- ", errors)
        + "\nAnswer again with only the corrected JSON value, nothing else.");
  }
}
