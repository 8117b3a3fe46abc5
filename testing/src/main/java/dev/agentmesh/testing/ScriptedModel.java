package dev.agentmesh.testing;

import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ChatRequest;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.core.spi.ModelException;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.core.spi.Usage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link ChatModel} that answers from a script and records every request, for tests and demos.
 *
 * <pre>{@code
 * ScriptedModel model = ScriptedModel.builder()
 *     .toolCall("lookupTier", "{\"customer\":\"acme\"}")   // turn 1: ask for a tool
 *     .text("{\"priority\":\"high\",\"team\":\"billing\"}") // turn 2: final answer
 *     .build();
 * ...
 * assertThat(model.requests()).hasSize(2);
 * }</pre>
 *
 * <p>Rules added with {@link Builder#when} answer every request they match, before the script;
 * scripted answers are used once each, in order. A request nothing answers fails with a {@link
 * ModelException} saying which request it was. Thread-safe.
 */
public final class ScriptedModel implements ChatModel {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final String name;
  private final List<Rule> rules;
  private final Deque<Function<ChatRequest, ChatResponse>> script;
  private final int scripted;
  private final List<ChatRequest> requests = new ArrayList<>();
  private final Usage usage;

  private ScriptedModel(Builder b) {
    this.name = b.name;
    this.rules = List.copyOf(b.rules);
    this.script = new ArrayDeque<>(b.script);
    this.scripted = b.script.size();
    this.usage = b.usage;
  }

  /**
   * A new builder.
   *
   * @return a builder with an empty script
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A model that gives these answers in order.
   *
   * @param answers the answers, in order
   * @return the model
   */
  public static ScriptedModel of(ChatResponse... answers) {
    Builder b = builder();
    for (ChatResponse answer : answers) b.respond(answer);
    return b.build();
  }

  @Override
  public synchronized ChatResponse chat(ChatRequest request) {
    requests.add(request);
    for (Rule rule : rules) {
      if (rule.when.test(request)) return withUsage(rule.answer.apply(request));
    }
    Function<ChatRequest, ChatResponse> next = script.poll();
    if (next == null) {
      throw new ModelException(
          ModelException.Kind.UNKNOWN,
          name,
          "ScriptedModel '"
              + name
              + "' has no answer for "
              + "request #"
              + requests.size()
              + " (its script had "
              + scripted
              + " answers and no rule matched). "
              + "Add an answer with text(...), toolCall(...) or when(...).");
    }
    return withUsage(next.apply(request));
  }

  private ChatResponse withUsage(ChatResponse response) {
    return response.usage().equals(Usage.ZERO)
        ? response.toBuilder().usage(usage).build()
        : response;
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * Every request received, oldest first.
   *
   * @return a copy of them
   */
  public synchronized List<ChatRequest> requests() {
    return List.copyOf(requests);
  }

  /**
   * The last request received; fails if there was none.
   *
   * @return that request
   * @throws IllegalStateException if it received none
   */
  public synchronized ChatRequest lastRequest() {
    if (requests.isEmpty())
      throw new IllegalStateException("ScriptedModel '" + name + "' received no request");
    return requests.get(requests.size() - 1);
  }

  /**
   * How many scripted answers are left.
   *
   * @return the count
   */
  public synchronized int remaining() {
    return script.size();
  }

  private static final class Rule {
    final Predicate<ChatRequest> when;
    final Function<ChatRequest, ChatResponse> answer;

    Rule(Predicate<ChatRequest> when, Function<ChatRequest, ChatResponse> answer) {
      this.when = when;
      this.answer = answer;
    }
  }

  /** Builds a {@link ScriptedModel}. */
  public static final class Builder {
    private String name = "scripted";
    private final List<Rule> rules = new ArrayList<>();
    private final List<Function<ChatRequest, ChatResponse>> script = new ArrayList<>();
    private Usage usage = Usage.of(100, 20);
    private int callIds;

    private Builder() {}

    /**
     * The model's name in events (default {@code scripted}).
     *
     * @param name the name
     * @return this builder
     */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * The usage reported with answers that carry none (default 100 in, 20 out).
     *
     * @param usage the usage
     * @return this builder
     */
    public Builder usage(Usage usage) {
      this.usage = Objects.requireNonNull(usage, "usage");
      return this;
    }

    /**
     * Next answer: this text.
     *
     * @param text the answer's text
     * @return this builder
     */
    public Builder text(String text) {
      return respond(ChatResponse.ofText(text));
    }

    /**
     * Next answer: a call of one tool with these arguments (JSON object text).
     *
     * @param tool the tool's name
     * @param argumentsJson its arguments, a JSON object
     * @return this builder
     */
    public Builder toolCall(String tool, String argumentsJson) {
      return respond(ChatResponse.ofToolCalls(call(tool, argumentsJson)));
    }

    /**
     * Next answer: several tool calls at once, each a tool name and its arguments' JSON.
     *
     * @param toolAndArguments tool names each followed by its arguments' JSON
     * @return this builder
     */
    public Builder toolCalls(String... toolAndArguments) {
      if (toolAndArguments.length % 2 != 0) {
        throw new IllegalArgumentException(
            "toolCalls takes pairs of tool name and arguments JSON but got "
                + toolAndArguments.length
                + " strings");
      }
      List<ToolCall> calls = new ArrayList<>();
      for (int i = 0; i < toolAndArguments.length; i += 2)
        calls.add(call(toolAndArguments[i], toolAndArguments[i + 1]));
      return respond(ChatResponse.builder().toolCalls(calls).build());
    }

    /**
     * Next answer: exactly this response.
     *
     * @param response the response
     * @return this builder
     */
    public Builder respond(ChatResponse response) {
      Objects.requireNonNull(response, "response");
      script.add(request -> response);
      return this;
    }

    /**
     * Next answer: computed from the request.
     *
     * @param answer computes the response from the request
     * @return this builder
     */
    public Builder respond(Function<ChatRequest, ChatResponse> answer) {
      script.add(Objects.requireNonNull(answer, "answer"));
      return this;
    }

    /**
     * Next call fails with a {@link ModelException} of this kind.
     *
     * @param kind the failure's kind
     * @return this builder
     */
    public Builder fail(ModelException.Kind kind) {
      script.add(
          request -> {
            throw new ModelException(kind, name, "scripted " + kind + " failure");
          });
      return this;
    }

    /**
     * Every request matching {@code when} gets {@code answer}, before the script is asked.
     *
     * @param when which requests the rule answers
     * @param answer computes the response from the request
     * @return this builder
     */
    public Builder when(Predicate<ChatRequest> when, Function<ChatRequest, ChatResponse> answer) {
      rules.add(
          new Rule(Objects.requireNonNull(when, "when"), Objects.requireNonNull(answer, "answer")));
      return this;
    }

    /**
     * Builds the model.
     *
     * @return a model that answers with the script in order, then fails
     */
    public ScriptedModel build() {
      return new ScriptedModel(this);
    }

    private ToolCall call(String tool, String argumentsJson) {
      JsonNode args;
      try {
        args = JSON.readTree(argumentsJson);
      } catch (RuntimeException e) {
        // Deliberately kept: tests of the repair path need arguments that are not JSON.
        args = JSON.getNodeFactory().stringNode(argumentsJson);
      }
      return ToolCall.of("call_" + (++callIds), tool, args);
    }
  }
}
