package dev.agentmesh.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One agent, declared: what it is for, what it is told, which model alias and tools it uses, what
 * goes in and comes out, and its guardrails, limits, sandbox and review policy. It knows nothing of
 * how it is invoked.
 *
 * <p>Load specs from YAML or JSON with {@link AgentSpecs}, or build the same thing in Java; the two
 * are equal, and {@link AgentSpecs#toYaml(AgentSpec)} writes a spec that reloads equal.
 *
 * <pre>{@code
 * AgentSpec triage = AgentSpec.builder("triage")
 *     .description("Sorts incoming support tickets")
 *     .instructions("Triage this ticket from {{input.customer}}. Use lookupTier.")
 *     .model("fast")
 *     .tools("lookupTier")
 *     .inputType(Ticket.class)
 *     .outputType(Triage.class)
 *     .limits(Limits.builder().maxTurns(4).build())
 *     .build();
 * }</pre>
 *
 * <p>A <em>deterministic</em> agent names a {@link #function()} instead of a model: the host binds
 * that name to a Java function ({@link Mesh.Builder#function}), which produces the output from the
 * input with no model call. It has no instructions, model, tools or child agents; its input and
 * output schemas, guardrails, limits' timeout and review policy apply as to any agent.
 *
 * <pre>{@code
 * AgentSpec guard = AgentSpec.builder("deploy-guardrail")
 *     .function("deploy-check")
 *     .inputType(DeployRequest.class)
 *     .outputType(Verdict.class)
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@link #fingerprint()} identifies the content; two specs with the
 * same fingerprint behave the same.
 */
public final class AgentSpec {

  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  /** A function name: like a Java identifier or a dotted name, with '-' allowed. */
  static final Pattern FUNCTION = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,62}");

  /** The fields a deterministic agent (one with a {@code function}) must not have. */
  static final List<String> MODEL_ONLY_FIELDS =
      List.of(
          "instructions",
          "model",
          "reasoning",
          "temperature",
          "maxOutputTokens",
          "tools",
          "agents",
          "sandbox");

  /** Why a deterministic agent may not have {@code fields}, and how to fix it. */
  static String functionConflict(String agent, String function, List<String> fields) {
    String them = fields.size() == 1 ? "'" + fields.get(0) + "'" : fields.toString();
    return "agent '"
        + agent
        + "' runs function '"
        + function
        + "' and calls no model, so "
        + them
        + (fields.size() == 1 ? " has" : " have")
        + " no meaning for it; remove "
        + (fields.size() == 1 ? "it" : "them")
        + ", or remove 'function' to make it an agent that calls a model";
  }

  private final String name;
  private final String version;
  private final String description;
  private final String instructions;
  private final String model;
  private final @Nullable String function;
  private final ReasoningLevel reasoning;
  private final @Nullable Double temperature;
  private final @Nullable Integer maxOutputTokens;
  private final List<String> tools;
  private final List<String> agents;
  private final @Nullable JsonNode inputSchema;
  private final @Nullable JsonNode outputSchema;
  private final List<String> guardrails;
  private final Limits limits;
  private final SandboxPolicy sandbox;
  private final ReviewPolicy review;
  private final Map<String, String> labels;
  private final @Nullable String source;
  private final @Nullable SpecPlaces places;
  private volatile @Nullable String fingerprint;

  private AgentSpec(Builder b) {
    this.name = b.name;
    this.version = b.version;
    this.description = b.description;
    this.instructions = b.instructions;
    this.model = b.model;
    this.function = b.function;
    this.reasoning = b.reasoning;
    this.temperature = b.temperature;
    this.maxOutputTokens = b.maxOutputTokens;
    this.tools = List.copyOf(b.tools);
    this.agents = List.copyOf(b.agents);
    this.inputSchema = b.inputSchema == null ? null : b.inputSchema.deepCopy();
    this.outputSchema = b.outputSchema == null ? null : b.outputSchema.deepCopy();
    this.guardrails = List.copyOf(b.guardrails);
    this.limits = b.limits;
    this.sandbox = b.sandbox;
    this.review = b.review;
    this.labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.labels));
    this.source = b.source;
    this.places = b.places;
  }

  /**
   * A builder for an agent with this name (lower case letters, digits and '-', from a letter).
   *
   * @param name the agent's name, unique in its mesh
   * @return a new builder with the defaults of every other field
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** {@return a builder holding this spec's values} */
  public Builder toBuilder() {
    Builder b =
        new Builder(name)
            .version(version)
            .description(description)
            .instructions(instructions)
            .reasoning(reasoning)
            .temperature(temperature)
            .maxOutputTokens(maxOutputTokens)
            .tools(tools)
            .agents(agents)
            .inputSchema(inputSchema)
            .outputSchema(outputSchema)
            .guardrails(guardrails)
            .limits(limits)
            .sandbox(sandbox)
            .review(review)
            .labels(labels);
    b.model = model;
    b.function = function;
    b.source = source;
    b.places = places;
    return b;
  }

  /** {@return the agent's unique name in a mesh} */
  public String name() {
    return name;
  }

  /**
   * {@return the author's version label (default {@code 1}); {@link #fingerprint()} tracks content}
   */
  public String version() {
    return version;
  }

  /** {@return what the agent is for; shown to a parent agent that may call it as a tool} */
  public String description() {
    return description;
  }

  /**
   * {@return the instructions template: {@code {{input.field}}} and {@code {{context.key}}} are
   * filled per call}
   */
  public String instructions() {
    return instructions;
  }

  /**
   * {@return the model alias the host binds (default {@code default}); not used when the agent runs
   * a {@link #function()}}
   */
  public String model() {
    return model;
  }

  /**
   * The name of the host-bound Java function that produces this agent's output, for a deterministic
   * agent; {@code null} for an agent that calls a model. The host binds it with {@link
   * Mesh.Builder#function}.
   *
   * @return the function's name, or {@code null}
   */
  public @Nullable String function() {
    return function;
  }

  /** {@return how hard the model should think} */
  public ReasoningLevel reasoning() {
    return reasoning;
  }

  /** {@return sampling temperature, or {@code null} for the model's default} */
  public @Nullable Double temperature() {
    return temperature;
  }

  /** {@return the most output tokens per model call, or {@code null} for the model's default} */
  public @Nullable Integer maxOutputTokens() {
    return maxOutputTokens;
  }

  /** {@return names of the tools the agent may use} */
  public List<String> tools() {
    return tools;
  }

  /** {@return names of child agents, offered to this agent as tools} */
  public List<String> agents() {
    return agents;
  }

  /** {@return JSON Schema of the input, or {@code null} when the input is free text} */
  public @Nullable JsonNode inputSchema() {
    return inputSchema == null ? null : inputSchema.deepCopy();
  }

  /** {@return JSON Schema of the output, or {@code null} when the output is free text} */
  public @Nullable JsonNode outputSchema() {
    return outputSchema == null ? null : outputSchema.deepCopy();
  }

  /** {@return names of guardrails the host binds} */
  public List<String> guardrails() {
    return guardrails;
  }

  /** {@return how far one run may go} */
  public Limits limits() {
    return limits;
  }

  /** {@return what the agent's tools may do} */
  public SandboxPolicy sandbox() {
    return sandbox;
  }

  /** {@return whether and how output is reviewed} */
  public ReviewPolicy review() {
    return review;
  }

  /** {@return free labels for grouping and search} */
  public Map<String, String> labels() {
    return labels;
  }

  /**
   * The file ({@code agents/triage.yaml}) or resource ({@code classpath:agents/triage.yaml}) this
   * spec was loaded from, or {@code null} when built in Java. Not part of equality.
   *
   * @return the file or resource, or {@code null}
   */
  public @Nullable String source() {
    return source;
  }

  /**
   * A stable content fingerprint, {@code sha256:} and 16 hex digits, over every field but {@link
   * #source()}. Sessions record it with each run, as the version that acted.
   *
   * @return the fingerprint, such as {@code sha256:0123456789abcdef}
   */
  public String fingerprint() {
    String f = fingerprint;
    if (f == null) fingerprint = f = SpecCodec.fingerprint(this);
    return f;
  }

  /** Where each field stands in the file it was loaded from, or {@code null} when built in Java. */
  @Nullable SpecPlaces places() {
    return places;
  }

  @Nullable JsonNode inputSchemaNode() {
    return inputSchema;
  }

  @Nullable JsonNode outputSchemaNode() {
    return outputSchema;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof AgentSpec)) return false;
    AgentSpec s = (AgentSpec) o;
    return name.equals(s.name)
        && version.equals(s.version)
        && description.equals(s.description)
        && instructions.equals(s.instructions)
        && model.equals(s.model)
        && Objects.equals(function, s.function)
        && reasoning == s.reasoning
        && Objects.equals(temperature, s.temperature)
        && Objects.equals(maxOutputTokens, s.maxOutputTokens)
        && tools.equals(s.tools)
        && agents.equals(s.agents)
        && Objects.equals(inputSchema, s.inputSchema)
        && Objects.equals(outputSchema, s.outputSchema)
        && guardrails.equals(s.guardrails)
        && limits.equals(s.limits)
        && sandbox.equals(s.sandbox)
        && review.equals(s.review)
        && labels.equals(s.labels);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, version, instructions, model, function, tools, agents, outputSchema);
  }

  @Override
  public String toString() {
    return "AgentSpec{" + name + "@" + version + ", " + fingerprint() + "}";
  }

  /**
   * Builds an {@link AgentSpec}. Each setter checks its value; {@link #build()} may be called
   * again.
   */
  public static final class Builder {
    private final String name;
    private String version = "1";
    private String description = "";
    private String instructions = "";
    private String model = "default";
    private boolean modelSet;
    private @Nullable String function;
    private ReasoningLevel reasoning = ReasoningLevel.NONE;
    private @Nullable Double temperature;
    private @Nullable Integer maxOutputTokens;
    private final List<String> tools = new ArrayList<>();
    private final List<String> agents = new ArrayList<>();
    private @Nullable JsonNode inputSchema;
    private @Nullable JsonNode outputSchema;
    private final List<String> guardrails = new ArrayList<>();
    private Limits limits = Limits.DEFAULTS;
    private SandboxPolicy sandbox = SandboxPolicy.UNRESTRICTED;
    private ReviewPolicy review = ReviewPolicy.NONE;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private @Nullable String source;
    private @Nullable SpecPlaces places;

    private Builder(String name) {
      if (!NAME.matcher(Objects.requireNonNull(name, "name")).matches()) {
        throw new IllegalArgumentException(
            "name must be lower case letters, digits and '-', "
                + "starting with a letter, at most 63 characters, but was '"
                + name
                + "'");
      }
      this.name = name;
    }

    /**
     * Sets the author's version label (default {@code 1}).
     *
     * @param version a non-blank label
     * @return this builder
     */
    public Builder version(String version) {
      this.version = requireText(version, "version");
      return this;
    }

    /**
     * Sets what the agent is for; a parent agent reads it when it may call this one as a tool.
     *
     * @param description the description, may be empty
     * @return this builder
     */
    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /**
     * Sets the instructions template; {@code {{input.field}}} and {@code {{context.key}}} are
     * filled per call.
     *
     * @param instructions the system prompt template
     * @return this builder
     */
    public Builder instructions(String instructions) {
      this.instructions = Objects.requireNonNull(instructions, "instructions");
      return this;
    }

    /**
     * Sets the model alias the host binds to a {@code ChatModel}.
     *
     * @param alias a non-blank alias, such as {@code default} or {@code fast}
     * @return this builder
     */
    public Builder model(String alias) {
      this.model = requireText(alias, "model");
      this.modelSet = true;
      return this;
    }

    /**
     * Makes this a deterministic agent: the Java function the host binds to this name ({@link
     * Mesh.Builder#function}) produces its output, with no model call. Such an agent has no
     * instructions, model, reasoning, temperature, maxOutputTokens, tools, child agents or sandbox;
     * {@link #build()} refuses them.
     *
     * @param name the function's name, letters, digits, '-', '_' and '.', from a letter
     * @return this builder
     */
    public Builder function(String name) {
      if (!FUNCTION.matcher(Objects.requireNonNull(name, "function")).matches()) {
        throw new IllegalArgumentException(
            "function must be letters, digits, '-', '_' and '.', starting with a letter, at most"
                + " 63 characters, but was '"
                + name
                + "'");
      }
      this.function = name;
      return this;
    }

    /**
     * Sets how hard the model should think.
     *
     * @param reasoning the level
     * @return this builder
     */
    public Builder reasoning(ReasoningLevel reasoning) {
      this.reasoning = Objects.requireNonNull(reasoning, "reasoning");
      return this;
    }

    /**
     * Sets the sampling temperature.
     *
     * @param temperature between 0 and 2, or {@code null} for the model's default
     * @return this builder
     */
    public Builder temperature(@Nullable Double temperature) {
      if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
        throw new IllegalArgumentException(
            "temperature must be between 0 and 2 but was " + temperature);
      }
      this.temperature = temperature;
      return this;
    }

    /**
     * Sets the most output tokens per model call.
     *
     * @param maxOutputTokens between 1 and 1,000,000, or {@code null} for the model's default
     * @return this builder
     */
    public Builder maxOutputTokens(@Nullable Integer maxOutputTokens) {
      if (maxOutputTokens != null && (maxOutputTokens < 1 || maxOutputTokens > 1_000_000)) {
        throw new IllegalArgumentException(
            "maxOutputTokens must be between 1 and 1000000 but was " + maxOutputTokens);
      }
      this.maxOutputTokens = maxOutputTokens;
      return this;
    }

    /**
     * Sets the tools the agent may use, replacing any set before.
     *
     * @param tools the tools' names, as the host registered them
     * @return this builder
     */
    public Builder tools(String... tools) {
      return tools(List.of(tools));
    }

    /**
     * Sets the tools the agent may use, replacing any set before.
     *
     * @param tools the tools' names, as the host registered them
     * @return this builder
     */
    public Builder tools(List<String> tools) {
      this.tools.clear();
      tools.forEach(t -> this.tools.add(requireText(t, "tool name")));
      return this;
    }

    /**
     * Sets the child agents offered to this agent as tools, replacing any set before.
     *
     * @param agents the child agents' names
     * @return this builder
     */
    public Builder agents(String... agents) {
      return agents(List.of(agents));
    }

    /**
     * Sets the child agents offered to this agent as tools, replacing any set before.
     *
     * @param agents the child agents' names
     * @return this builder
     */
    public Builder agents(List<String> agents) {
      this.agents.clear();
      agents.forEach(a -> this.agents.add(requireText(a, "child agent name")));
      return this;
    }

    /**
     * The input's JSON Schema (an object), or {@code null} for free text.
     *
     * @param schema a JSON Schema object, or {@code null}
     * @return this builder
     */
    public Builder inputSchema(@Nullable JsonNode schema) {
      this.inputSchema = requireSchema(schema, "inputSchema");
      return this;
    }

    /**
     * The output's JSON Schema (an object), or {@code null} for free text.
     *
     * @param schema a JSON Schema object, or {@code null}
     * @return this builder
     */
    public Builder outputSchema(@Nullable JsonNode schema) {
      this.outputSchema = requireSchema(schema, "outputSchema");
      return this;
    }

    /**
     * The input schema generated from a Java type, usually a record.
     *
     * @param type the input type
     * @return this builder
     */
    public Builder inputType(Class<?> type) {
      return inputSchema(Schemas.of(type));
    }

    /**
     * The output schema generated from a Java type, usually a record.
     *
     * @param type the output type
     * @return this builder
     */
    public Builder outputType(Class<?> type) {
      return outputSchema(Schemas.of(type));
    }

    /**
     * Sets the guardrails the host binds, replacing any set before.
     *
     * @param guardrails the guardrails' names
     * @return this builder
     */
    public Builder guardrails(String... guardrails) {
      return guardrails(List.of(guardrails));
    }

    /**
     * Sets the guardrails the host binds, replacing any set before.
     *
     * @param guardrails the guardrails' names
     * @return this builder
     */
    public Builder guardrails(List<String> guardrails) {
      this.guardrails.clear();
      guardrails.forEach(g -> this.guardrails.add(requireText(g, "guardrail name")));
      return this;
    }

    /**
     * Sets how far one run may go.
     *
     * @param limits the limits (default {@link Limits#DEFAULTS})
     * @return this builder
     */
    public Builder limits(Limits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Sets what the agent's tools may do.
     *
     * @param sandbox the sandbox policy
     * @return this builder
     */
    public Builder sandbox(SandboxPolicy sandbox) {
      this.sandbox = Objects.requireNonNull(sandbox, "sandbox");
      return this;
    }

    /**
     * Sets whether and how output is reviewed.
     *
     * @param review the review policy
     * @return this builder
     */
    public Builder review(ReviewPolicy review) {
      this.review = Objects.requireNonNull(review, "review");
      return this;
    }

    /**
     * Sets the labels, replacing any set before.
     *
     * @param labels the labels; keys non-blank
     * @return this builder
     */
    public Builder labels(Map<String, String> labels) {
      this.labels.clear();
      labels.forEach(this::label);
      return this;
    }

    /**
     * Adds or replaces one label.
     *
     * @param key a non-blank key
     * @param value the value
     * @return this builder
     */
    public Builder label(String key, String value) {
      labels.put(requireText(key, "label key"), Objects.requireNonNull(value, "label value"));
      return this;
    }

    Builder source(@Nullable String source) {
      this.source = source;
      return this;
    }

    Builder places(@Nullable SpecPlaces places) {
      this.places = places;
      return this;
    }

    /**
     * Builds the spec.
     *
     * @return the spec
     */
    public AgentSpec build() {
      if (function != null) {
        List<String> present = modelOnlyFields();
        if (!present.isEmpty()) {
          throw new IllegalArgumentException(functionConflict(name, function, present));
        }
      }
      return new AgentSpec(this);
    }

    /** The fields set here that only an agent calling a model has, in spec order. */
    private List<String> modelOnlyFields() {
      List<String> present = new ArrayList<>();
      if (!instructions.isEmpty()) present.add("instructions");
      if (modelSet) present.add("model");
      if (reasoning != ReasoningLevel.NONE) present.add("reasoning");
      if (temperature != null) present.add("temperature");
      if (maxOutputTokens != null) present.add("maxOutputTokens");
      if (!tools.isEmpty()) present.add("tools");
      if (!agents.isEmpty()) present.add("agents");
      if (!sandbox.equals(SandboxPolicy.UNRESTRICTED)) present.add("sandbox");
      return present;
    }

    private static String requireText(String value, String what) {
      if (Objects.requireNonNull(value, what).isBlank()) {
        throw new IllegalArgumentException(what + " must not be blank");
      }
      return value;
    }

    private static @Nullable JsonNode requireSchema(@Nullable JsonNode schema, String what) {
      if (schema != null && !schema.isObject()) {
        throw new IllegalArgumentException(
            what + " must be a JSON object but was " + schema.getNodeType());
      }
      // Re-read so numbers have one canonical node type, whatever parser made the tree.
      return schema == null ? null : Json.MAPPER.readTree(Json.write(schema));
    }
  }
}
