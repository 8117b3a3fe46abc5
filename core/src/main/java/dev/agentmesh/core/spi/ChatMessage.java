package dev.agentmesh.core.spi;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One message of a conversation with a model.
 *
 * <p>Use the factories; they enforce which fields a role carries:
 *
 * <pre>{@code
 * List<ChatMessage> messages = List.of(
 *     ChatMessage.system("You triage support tickets."),
 *     ChatMessage.user("My invoice is wrong"),
 *     ChatMessage.assistant(null, List.of(call)),
 *     ChatMessage.toolResult(call.id(), call.name(), "{\"tier\":\"gold\"}", false));
 * }</pre>
 *
 * @param role who speaks
 * @param text the text; {@code null} only for an assistant message that holds tool calls alone
 * @param toolCalls the tools an assistant message asks for; empty for other roles
 * @param toolCallId for a tool result: the id of the call it answers
 * @param toolName for a tool result: the tool's name
 * @param error for a tool result: whether the tool failed (the text then explains how)
 * @param author for a user message: the participant who wrote it, when several take part
 */
public record ChatMessage(
    Role role,
    @Nullable String text,
    List<ToolCall> toolCalls,
    @Nullable String toolCallId,
    @Nullable String toolName,
    boolean error,
    @Nullable String author) {

  /** Who speaks. */
  public enum Role {
    /** The instructions, first in a conversation. */
    SYSTEM,
    /** Input from a person or a calling program. */
    USER,
    /** The model's answer: text, tool calls, or both. */
    ASSISTANT,
    /** The result of one tool call, answering an assistant's call by its id. */
    TOOL
  }

  /**
   * Checks that the fields fit the role: tool calls only from the assistant, a tool result with its
   * call's id and tool name, and text unless there are tool calls.
   *
   * @param role who speaks
   * @param text the text; {@code null} only for an assistant message that holds tool calls alone
   * @param toolCalls the tools an assistant message asks for; empty for other roles
   * @param toolCallId for a tool result: the id of the call it answers
   * @param toolName for a tool result: the tool's name
   * @param error for a tool result: whether the tool failed (the text then explains how)
   * @param author for a user message: the participant who wrote it, when several take part
   */
  public ChatMessage {
    Objects.requireNonNull(role, "role");
    toolCalls = toolCalls.isEmpty() ? List.of() : List.copyOf(toolCalls);
    if (role != Role.ASSISTANT && !toolCalls.isEmpty()) {
      throw new IllegalArgumentException("only assistant messages carry tool calls, not " + role);
    }
    if (role == Role.TOOL && (toolCallId == null || toolName == null)) {
      throw new IllegalArgumentException("a tool result needs toolCallId and toolName");
    }
    if (text == null && toolCalls.isEmpty()) {
      throw new IllegalArgumentException("a " + role + " message needs text");
    }
  }

  /**
   * A system message (instructions).
   *
   * @param text the instructions
   * @return the message
   */
  public static ChatMessage system(String text) {
    return new ChatMessage(
        Role.SYSTEM, Objects.requireNonNull(text), List.of(), null, null, false, null);
  }

  /**
   * A user message.
   *
   * @param text what the user says
   * @return the message
   */
  public static ChatMessage user(String text) {
    return user(text, null);
  }

  /**
   * A user message written by a named participant.
   *
   * @param text what the participant says
   * @param author the participant's name, or {@code null}
   * @return the message
   */
  public static ChatMessage user(String text, @Nullable String author) {
    return new ChatMessage(
        Role.USER, Objects.requireNonNull(text), List.of(), null, null, false, author);
  }

  /**
   * An assistant message: text, tool calls, or both.
   *
   * @param text the answer's text, or {@code null} when it only asks for tools
   * @param toolCalls the tools it asks for
   * @return the message
   */
  public static ChatMessage assistant(@Nullable String text, List<ToolCall> toolCalls) {
    return new ChatMessage(Role.ASSISTANT, text, toolCalls, null, null, false, null);
  }

  /**
   * An assistant message with text only.
   *
   * @param text the answer
   * @return the message
   */
  public static ChatMessage assistant(String text) {
    return assistant(Objects.requireNonNull(text), List.of());
  }

  /**
   * The result of one tool call, or the error it produced.
   *
   * @param toolCallId the id of the call it answers
   * @param toolName the tool's name
   * @param content what the tool returned, or how it failed
   * @param error whether the tool failed
   * @return the message
   */
  public static ChatMessage toolResult(
      String toolCallId, String toolName, String content, boolean error) {
    return new ChatMessage(
        Role.TOOL, Objects.requireNonNull(content), List.of(), toolCallId, toolName, error, null);
  }

  /** {@return the text, or the empty string when this message has none} */
  public String textOrEmpty() {
    return text == null ? "" : text;
  }
}
