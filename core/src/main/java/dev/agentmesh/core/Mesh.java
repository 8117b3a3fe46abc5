package dev.agentmesh.core;

import dev.agentmesh.core.internal.concurrent.DefaultExecutors;
import dev.agentmesh.core.spi.ChatModel;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Agents bound to models, tools and guardrails: the one entry point of {@code core}. Build it once,
 * share it, call agents from any thread.
 *
 * <pre>{@code
 * Mesh mesh = Mesh.builder()
 *     .agents(AgentSpecs.loadDirectory(Path.of("agents")))
 *     .model("default", openAi)
 *     .tools(new CrmTools(crm))
 *     .guardrail("no-refunds", noRefunds)
 *     .build();
 * Triage triage = mesh.agent("triage").call(ticket, Triage.class);
 * }</pre>
 *
 * <p>{@link Builder#build()} checks the whole mesh and reports every problem at once: an unbound
 * model alias or function name, an unknown tool, guardrail or child agent, child agents that call
 * each other in a cycle, a template placeholder the input schema does not define, a name used
 * twice.
 *
 * <p>Immutable and thread-safe. Close it to stop the executor it made for itself (an executor
 * passed to the builder is left running).
 */
public final class Mesh implements AutoCloseable {

  private final Map<String, AgentSpec> specs;
  private final Map<String, ChatModel> models;
  private final Map<String, ModelGate> gates;
  private final Map<String, AgentFunction> functions;
  private final Map<String, AgentTool> tools;
  private final Map<String, Guardrail> guardrails;
  private final List<AgentListener> listeners;
  private final Clock clock;
  private final Supplier<String> ids;
  private final ExecutorService executor;
  private final boolean ownsExecutor;
  private final Map<String, Agent> agents = new LinkedHashMap<>();

  private Mesh(Builder b) {
    this.specs = new LinkedHashMap<>(b.specs);
    this.models = Map.copyOf(b.models);
    Map<String, ModelGate> gates = new TreeMap<>();
    b.concurrency.forEach((alias, limit) -> gates.put(alias, new ModelGate(alias, limit)));
    this.gates = Map.copyOf(gates);
    this.functions = Map.copyOf(b.functions);
    this.tools = Map.copyOf(b.tools);
    this.guardrails = Map.copyOf(b.guardrails);
    this.listeners = List.copyOf(b.listeners);
    this.clock = b.clock;
    this.ids = b.ids;
    this.ownsExecutor = b.executor == null;
    this.executor = b.executor != null ? b.executor : DefaultExecutors.forAgents();
    for (AgentSpec spec : specs.values()) agents.put(spec.name(), new Agent(this, spec));
  }

  /**
   * A random (version 4) UUID from {@link ThreadLocalRandom}: unique like {@link UUID#randomUUID()}
   * without the cost of {@code SecureRandom}. Run ids identify; they are not secrets.
   */
  static String randomId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  /** {@return a new builder} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The agent with this name; throws {@link NoSuchElementException} naming the known agents.
   *
   * @param name the agent's name
   * @return the agent
   */
  public Agent agent(String name) {
    Agent agent = agents.get(name);
    if (agent == null) {
      throw new NoSuchElementException(
          "No agent named '"
              + name
              + "'"
              + Text.didYouMean(name, agents.keySet())
              + ". Agents in this mesh: "
              + agents.keySet());
    }
    return agent;
  }

  /**
   * The agent with this name, if there is one.
   *
   * @param name the agent's name
   * @return the agent, or empty
   */
  public Optional<Agent> findAgent(String name) {
    return Optional.ofNullable(agents.get(name));
  }

  /** {@return every agent's spec, in registration order} */
  public List<AgentSpec> specs() {
    return List.copyOf(specs.values());
  }

  /** {@return the mesh's clock, which stamps every event} */
  public Clock clock() {
    return clock;
  }

  /**
   * The tool bound to this name, if any; sessions ask whether a tool is idempotent.
   *
   * @param name the tool's name
   * @return the tool, or empty
   */
  public Optional<AgentTool> tool(String name) {
    return Optional.ofNullable(tools.get(name));
  }

  /** Stops the executor the mesh made for itself. Calls already running finish. */
  @Override
  public void close() {
    if (ownsExecutor) executor.shutdown();
  }

  ChatModel model(String alias) {
    return bound(models, alias, "model alias");
  }

  @Nullable ChatModel modelOrNull(String alias) {
    return models.get(alias);
  }

  /** The queue in front of the alias's model, or {@code null} when its calls are not limited. */
  @Nullable ModelGate gate(String alias) {
    return gates.isEmpty() ? null : gates.get(alias);
  }

  AgentFunction function(String name) {
    return bound(functions, name, "function");
  }

  AgentSpec spec(String name) {
    return bound(specs, name, "agent");
  }

  AgentTool boundTool(String name) {
    return bound(tools, name, "tool");
  }

  Guardrail guardrailNamed(String name) {
    return bound(guardrails, name, "guardrail");
  }

  /** A name the builder checked every spec against, so a miss is our bug, not the host's. */
  private static <T> T bound(Map<String, T> map, String name, String kind) {
    T value = map.get(name);
    if (value == null) {
      throw new IllegalStateException(
          "No "
              + kind
              + " '"
              + name
              + "' in this mesh, though its build "
              + "checked every name the specs use; bound: "
              + new TreeMap<>(map).keySet());
    }
    return value;
  }

  List<AgentListener> listeners() {
    return listeners;
  }

  String newId() {
    return ids.get();
  }

  ExecutorService executor() {
    return executor;
  }

  /** Builds a {@link Mesh}. Not thread-safe; {@link #build()} may be called again. */
  public static final class Builder {
    private static final int MAX_CONCURRENCY = 100_000;
    private final Map<String, AgentSpec> specs = new LinkedHashMap<>();
    private final List<String> duplicateAgents = new ArrayList<>();
    private final Map<String, ChatModel> models = new TreeMap<>();
    private final Map<String, Integer> concurrency = new TreeMap<>();
    private final Map<String, AgentFunction> functions = new TreeMap<>();
    private final Map<String, AgentTool> tools = new TreeMap<>();
    private final List<String> duplicateTools = new ArrayList<>();
    private final Map<String, Guardrail> guardrails = new TreeMap<>();
    private final List<AgentListener> listeners = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private Supplier<String> ids = Mesh::randomId;
    private @Nullable ExecutorService executor;

    private Builder() {}

    /**
     * Registers an agent.
     *
     * @param spec the agent's spec; a second spec with the same name is reported by {@link
     *     #build()}
     * @return this builder
     */
    public Builder agent(AgentSpec spec) {
      if (specs.putIfAbsent(spec.name(), Objects.requireNonNull(spec, "spec")) != null) {
        duplicateAgents.add(spec.name());
      }
      return this;
    }

    /**
     * Registers agents, such as those {@link AgentSpecs#loadDirectory} returns.
     *
     * @param specs the agents' specs
     * @return this builder
     */
    public Builder agents(Collection<AgentSpec> specs) {
      specs.forEach(this::agent);
      return this;
    }

    /**
     * Binds a model alias (the {@code model} of specs) to a model.
     *
     * @param alias the alias specs name
     * @param model the model that answers for it
     * @return this builder
     */
    public Builder model(String alias, ChatModel model) {
      models.put(Objects.requireNonNull(alias, "alias"), Objects.requireNonNull(model, "model"));
      return this;
    }

    /**
     * Limits how many calls of the model bound to {@code alias} run at once, across every agent,
     * run and session of this mesh: a queue in front of the binding. A burst (10,000 scheduled runs
     * firing at 9:00) then waits its turn instead of opening 10,000 calls to the provider. Waiting
     * calls are served first come, first served; each waits at most until its run's deadline
     * ({@code limits.timeout}), then fails with a {@link LimitExceededException} of limit {@code
     * TIMEOUT} naming the alias and its limit. How long a call waited is in its {@link
     * AgentEvent.ModelCalled#waited()} event ({@code agent.model.called} in a session's log),
     * emitted once it has its permit. A permit is held while the model's {@code chat} runs, never
     * across tool calls; on JDK 21+ a run on a virtual thread waits without holding a platform
     * thread. Aliases without a limit are not queued and cost nothing extra.
     *
     * <pre>{@code
     * Mesh mesh = Mesh.builder()
     *     .agents(specs)
     *     .model("default", openAi)
     *     .modelConcurrency("default", 64) // at most 64 calls to openAi at once
     *     .build();
     * }</pre>
     *
     * @param alias a bound model alias ({@link #build()} refuses one that is not bound)
     * @param maxConcurrent how many calls may run at once, 1 to 100,000
     * @return this builder
     */
    public Builder modelConcurrency(String alias, int maxConcurrent) {
      Objects.requireNonNull(alias, "alias");
      if (maxConcurrent < 1 || maxConcurrent > MAX_CONCURRENCY) {
        throw new IllegalArgumentException(
            "modelConcurrency of alias '"
                + alias
                + "' must be between 1 and "
                + MAX_CONCURRENCY
                + " but was "
                + maxConcurrent);
      }
      concurrency.put(alias, maxConcurrent);
      return this;
    }

    /**
     * Binds a function name (the {@code function} of deterministic specs) to Java code: a run of
     * such an agent reads its input as {@code inputType} (a record, usually), calls {@code
     * function} on the run's thread, and takes what it returns (a record, a map, a {@code JsonNode}
     * or text) as the output, which is checked against the spec's output schema and guardrails as a
     * model's answer is. No model is called.
     *
     * <pre>{@code
     * Mesh mesh = Mesh.builder()
     *     .agent(AgentSpec.builder("deploy-guardrail").function("deploy-check")
     *         .inputType(DeployRequest.class).outputType(Verdict.class).build())
     *     .function("deploy-check", DeployRequest.class, checks::verdict)
     *     .build();
     * }</pre>
     *
     * <p>The function may run on many threads at once, and again for the same input when a
     * session's turn is retried (after a crash, say): keep it free of side effects, and let the
     * host act on the output (or a review approve it) instead.
     *
     * @param <I> the input type
     * @param name the name specs use
     * @param inputType the type the input is read as ({@code JsonNode.class} for the raw JSON)
     * @param function makes the output from the input; never returns {@code null}
     * @return this builder
     */
    public <I> Builder function(
        String name, Class<I> inputType, java.util.function.Function<? super I, ?> function) {
      functions.put(
          Objects.requireNonNull(name, "name"),
          new AgentFunction(
              name,
              Objects.requireNonNull(inputType, "inputType"),
              Objects.requireNonNull(function, "function")));
      return this;
    }

    /**
     * Registers the {@link Tool}-annotated methods of each object.
     *
     * @param toolObjects objects with {@link Tool}-annotated methods
     * @return this builder
     */
    public Builder tools(Object... toolObjects) {
      for (Object o : toolObjects) {
        AgentTool.fromMethods(Objects.requireNonNull(o, "tool object")).forEach(this::tool);
      }
      return this;
    }

    /**
     * Registers one tool.
     *
     * @param tool the tool; a second tool with the same name is reported by {@link #build()}
     * @return this builder
     */
    public Builder tool(AgentTool tool) {
      if (tools.putIfAbsent(tool.name(), tool) != null) duplicateTools.add(tool.name());
      return this;
    }

    /**
     * Binds a guardrail name (the {@code guardrails} of specs) to a check.
     *
     * @param name the name specs use
     * @param guardrail the check
     * @return this builder
     */
    public Builder guardrail(String name, Guardrail guardrail) {
      guardrails.put(
          Objects.requireNonNull(name, "name"), Objects.requireNonNull(guardrail, "guardrail"));
      return this;
    }

    /**
     * Receives the events of every run.
     *
     * @param listener called for every event, on the thread that ran the step
     * @return this builder
     */
    public Builder listener(AgentListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * The clock that stamps events and measures timeouts (default: system UTC).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Makes run ids (default: random version 4 UUIDs).
     *
     * @param ids a supplier of unique ids
     * @return this builder
     */
    public Builder ids(Supplier<String> ids) {
      this.ids = Objects.requireNonNull(ids, "ids");
      return this;
    }

    /**
     * Runs async calls, concurrent tool calls and the calls of models that do not declare {@link
     * ChatModel#honoursTimeout()} (default: virtual threads on JDK 21+, else a cached pool of
     * daemon threads). A bounded pool must have room for those as well as for the runs waiting on
     * them, or they wait in its queue until the run's deadline. The mesh does not shut down an
     * executor passed here.
     *
     * @param executor the executor; the caller shuts it down
     * @return this builder
     */
    public Builder executor(ExecutorService executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Checks the whole mesh and builds it; throws {@link AgentSpecException} listing every problem.
     *
     * @return the mesh
     */
    public Mesh build() {
      for (String alias : concurrency.keySet()) {
        if (!models.containsKey(alias)) {
          throw new IllegalStateException(
              "modelConcurrency(\""
                  + alias
                  + "\", ...) limits a model alias that no model is bound to"
                  + Text.didYouMean(alias, models.keySet())
                  + ". Bound aliases: "
                  + models.keySet()
                  + ". Bind it with model(\""
                  + alias
                  + "\", model), or remove the limit");
        }
      }
      List<SpecProblem> problems =
          new MeshChecker(specs, models.keySet(), functions.keySet(), tools, guardrails.keySet())
              .check(duplicateAgents, duplicateTools);
      if (!problems.isEmpty()) throw new AgentSpecException(problems);
      return new Mesh(this);
    }
  }
}
