package dev.agentmesh.core.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link ChatModel} answered: text, tool calls, or both, with usage and the stop reason.
 *
 * <pre>{@code
 * ChatResponse answer = ChatResponse.ofText("{\"priority\":\"high\"}");
 * ChatResponse askForTool = ChatResponse.ofToolCalls(ToolCall.of("c1", "lookupTier", args));
 * ChatResponse full = ChatResponse.builder()
 *     .text("Done").usage(Usage.of(900, 12)).modelId("gpt-4.1-mini").build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ChatResponse {

  private final @Nullable String text;
  private final List<ToolCall> toolCalls;
  private final Usage usage;
  private final StopReason stopReason;
  private final @Nullable String modelId;

  private ChatResponse(Builder b) {
    this.text = b.text;
    this.toolCalls = List.copyOf(b.toolCalls); // no copy when set whole: it is immutable then
    this.usage = b.usage;
    this.stopReason =
        b.stopReason != null
            ? b.stopReason
            : toolCalls.isEmpty() ? StopReason.END_TURN : StopReason.TOOL_CALLS;
    this.modelId = b.modelId;
    if (text == null && toolCalls.isEmpty() && stopReason != StopReason.REFUSAL) {
      throw new IllegalStateException("a ChatResponse needs text or tool calls");
    }
  }

  /**
   * A final text answer.
   *
   * @param text the answer
   * @return the response
   */
  public static ChatResponse ofText(String text) {
    return builder().text(Objects.requireNonNull(text, "text")).build();
  }

  /**
   * A request to run tools.
   *
   * @param toolCalls the calls, in the model's order
   * @return the response
   */
  public static ChatResponse ofToolCalls(ToolCall... toolCalls) {
    return builder().toolCalls(List.of(toolCalls)).build();
  }

  /** {@return a new builder} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding this response's values} */
  public Builder toBuilder() {
    return builder()
        .text(text)
        .toolCalls(toolCalls)
        .usage(usage)
        .stopReason(stopReason)
        .modelId(modelId);
  }

  /** {@return the answer's text, or {@code null} when the model only asked for tools} */
  public @Nullable String text() {
    return text;
  }

  /** {@return the tools the model asks for, in its order; empty for a final answer} */
  public List<ToolCall> toolCalls() {
    return toolCalls;
  }

  /** {@return whether the model asks for tools} */
  public boolean hasToolCalls() {
    return !toolCalls.isEmpty();
  }

  /** {@return tokens used and cost, {@link Usage#ZERO} when the provider reported none} */
  public Usage usage() {
    return usage;
  }

  /**
   * {@return why the model stopped; {@link StopReason#TOOL_CALLS} or {@code END_TURN} when not
   * given}
   */
  public StopReason stopReason() {
    return stopReason;
  }

  /** {@return the provider's id of the model that answered, or {@code null} when not reported} */
  public @Nullable String modelId() {
    return modelId;
  }

  /**
   * This response as an assistant message, to append to the conversation.
   *
   * @return the assistant message
   */
  public ChatMessage toMessage() {
    return ChatMessage.assistant(text == null && toolCalls.isEmpty() ? "" : text, toolCalls);
  }

  @Override
  public String toString() {
    return "ChatResponse{text="
        + (text == null ? "null" : text.length() + " chars")
        + ", toolCalls="
        + toolCalls.size()
        + ", stopReason="
        + stopReason
        + ", usage="
        + usage
        + "}";
  }

  /** Builds a {@link ChatResponse}. */
  public static final class Builder {
    private @Nullable String text;

    /**
     * Immutable when set whole (so building does not copy it again); an ArrayList once added to.
     */
    private List<ToolCall> toolCalls = List.of();

    private boolean toolCallsGrowable;
    private Usage usage = Usage.ZERO;
    private @Nullable StopReason stopReason;
    private @Nullable String modelId;

    private Builder() {}

    /**
     * The answer's text.
     *
     * @param text the text, or {@code null}
     * @return this builder
     */
    public Builder text(@Nullable String text) {
      this.text = text;
      return this;
    }

    /**
     * Replaces the tool calls.
     *
     * @param toolCalls the calls, in the model's order
     * @return this builder
     */
    public Builder toolCalls(List<ToolCall> toolCalls) {
      this.toolCalls = List.copyOf(toolCalls);
      this.toolCallsGrowable = false;
      return this;
    }

    /**
     * Appends one tool call.
     *
     * @param toolCall the next call
     * @return this builder
     */
    public Builder addToolCall(ToolCall toolCall) {
      Objects.requireNonNull(toolCall, "toolCall");
      if (!toolCallsGrowable) {
        toolCalls = new ArrayList<>(toolCalls);
        toolCallsGrowable = true;
      }
      toolCalls.add(toolCall);
      return this;
    }

    /**
     * Tokens used and cost.
     *
     * @param usage the usage
     * @return this builder
     */
    public Builder usage(Usage usage) {
      this.usage = Objects.requireNonNull(usage, "usage");
      return this;
    }

    /**
     * Why the model stopped; derived from the tool calls when not set.
     *
     * @param stopReason the reason, or {@code null}
     * @return this builder
     */
    public Builder stopReason(@Nullable StopReason stopReason) {
      this.stopReason = stopReason;
      return this;
    }

    /**
     * The provider's model id.
     *
     * @param modelId the id, or {@code null}
     * @return this builder
     */
    public Builder modelId(@Nullable String modelId) {
      this.modelId = modelId;
      return this;
    }

    /**
     * Builds the response.
     *
     * @return the response
     */
    public ChatResponse build() {
      return new ChatResponse(this);
    }
  }
}
