package dev.agentmesh.core;

import dev.agentmesh.core.internal.turn.Transcript;
import dev.agentmesh.core.spi.ChatMessage;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One call of an agent, with everything beyond the input that a caller may set: values for {@code
 * {{context.*}}}, a conversation to continue, a run id, a listener, and a stop signal.
 *
 * <pre>{@code
 * AgentResult result = mesh.agent("triage").call(AgentRequest.builder(ticket)
 *     .context("team", "billing")
 *     .listener(events::add)
 *     .build());
 * }</pre>
 *
 * <p>To continue a conversation (what sessions do), pass its messages after the system prompt as
 * {@link Builder#history(List)}: the run then starts from them instead of from the input. If the
 * last message asks for tools whose results are missing, those tools run first; if it is the
 * model's final answer (an assistant message asking for no tools), the run finishes from it without
 * asking the model again.
 */
public final class AgentRequest {

  private final JsonNode input;
  private final Map<String, String> context;
  private final List<ChatMessage> history;
  private final @Nullable String runId;
  private final @Nullable String parentRunId;
  private final AgentListener listener;
  private final BooleanSupplier stopRequested;
  private final @Nullable Deadline deadline;
  private final @Nullable String systemContext;

  private AgentRequest(Builder b) {
    this.input = b.input;
    this.context = b.context == null ? Map.of() : Map.copyOf(b.context);
    this.history = b.history; // immutable: set by Builder.history
    this.runId = b.runId;
    this.parentRunId = b.parentRunId;
    this.listener = b.listener;
    this.stopRequested = b.stopRequested;
    this.deadline = b.deadline;
    this.systemContext = b.systemContext;
  }

  /**
   * {@return text the caller adds to the system prompt after the agent's rendered instructions, or
   * {@code null} for none}
   */
  public @Nullable String systemContext() {
    return systemContext;
  }

  /**
   * A request with this input: a record, a map, a {@link JsonNode}, or text.
   *
   * @param input the agent's input
   * @return a new builder
   */
  public static Builder builder(Object input) {
    return new Builder(Json.toNode(Objects.requireNonNull(input, "input")));
  }

  /** {@return a copy of the input, as JSON} */
  public JsonNode input() {
    return input.deepCopy();
  }

  JsonNode inputNode() {
    return input;
  }

  /** {@return the values for {@code {{context.key}}} placeholders} */
  public Map<String, String> context() {
    return context;
  }

  /** {@return the conversation to continue from; empty for a new one} */
  public List<ChatMessage> history() {
    return history;
  }

  /** {@return the run's id, or {@code null} when the mesh makes one} */
  public @Nullable String runId() {
    return runId;
  }

  /** {@return the run that called this agent as a tool, or {@code null} for a top-level run} */
  public @Nullable String parentRunId() {
    return parentRunId;
  }

  /** {@return the listener for this run's events} */
  public AgentListener listener() {
    return listener;
  }

  /**
   * {@return the check polled between steps; when it answers true, the run stops and its result is
   * {@link AgentResult#stopped()}}
   */
  public BooleanSupplier stopRequested() {
    return stopRequested;
  }

  /**
   * The deadline of the parent run, which bounds a child agent's run too; null for a top-level run.
   */
  @Nullable Deadline deadline() {
    return deadline;
  }

  /** Builds an {@link AgentRequest}. */
  public static final class Builder {
    private final JsonNode input;
    private @Nullable Map<String, String> context; // made by the first context(key, value)
    private List<ChatMessage> history = List.of();
    private @Nullable String runId;
    private @Nullable String parentRunId;
    private AgentListener listener = AgentListener.noop();
    private BooleanSupplier stopRequested = () -> false;
    private @Nullable Deadline deadline;
    private @Nullable String systemContext;

    private Builder(JsonNode input) {
      this.input = input.deepCopy();
    }

    /**
     * A value for {@code {{context.key}}} in the instructions.
     *
     * @param key the placeholder's key
     * @param value its value
     * @return this builder
     */
    public Builder context(String key, String value) {
      Map<String, String> map = context;
      if (map == null) context = map = new TreeMap<>();
      map.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Text added to the system prompt after the agent's rendered instructions, separated by a blank
     * line (sessions add what their turn contexts recorded). The caller delimits it; it is
     * instructions to the model, so it must not hold untrusted content unmarked.
     *
     * <pre>{@code
     * AgentRequest.builder(input).systemContext("<corrections>\n...\n</corrections>").build();
     * }</pre>
     *
     * @param text the text to add
     * @return this builder
     */
    public Builder systemContext(String text) {
      this.systemContext = Objects.requireNonNull(text, "text");
      return this;
    }

    /**
     * The conversation so far, after the system prompt, to continue from.
     *
     * @param history the messages, oldest first; no system messages
     * @return this builder
     */
    public Builder history(List<ChatMessage> history) {
      if (Transcript.holdsSystemMessage(history)) { // a session's view: its new messages only
        throw new IllegalArgumentException(
            "history must not hold system messages; the agent renders its own");
      }
      // a session's transcript view is immutable already: kept, not copied (its length per turn)
      this.history = Transcript.immutable(history);
      return this;
    }

    /**
     * The run's id; a new one is made when not set.
     *
     * @param runId a unique id
     * @return this builder
     */
    public Builder runId(String runId) {
      this.runId = Objects.requireNonNull(runId, "runId");
      return this;
    }

    Builder parentRunId(@Nullable String parentRunId) {
      this.parentRunId = parentRunId;
      return this;
    }

    Builder deadline(Deadline parentDeadline) {
      this.deadline = parentDeadline;
      return this;
    }

    /**
     * Receives this run's events, after the mesh's own listeners.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(AgentListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Asked between steps whether to stop (pause) the run.
     *
     * @param stopRequested answers true when the run should stop
     * @return this builder
     */
    public Builder stopWhen(BooleanSupplier stopRequested) {
      this.stopRequested = Objects.requireNonNull(stopRequested, "stopRequested");
      return this;
    }

    /**
     * Builds the request.
     *
     * @return the request
     */
    public AgentRequest build() {
      return new AgentRequest(this);
    }
  }
}
