package dev.agentmesh.testing;

import dev.agentmesh.core.AgentEvent;
import dev.agentmesh.core.AgentRequest;
import dev.agentmesh.core.AgentResult;
import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.AgentSpecs;
import dev.agentmesh.core.AgentTool;
import dev.agentmesh.core.Guardrail;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatModel;
import dev.agentmesh.core.spi.ToolCall;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Unit-tests one agent definition in a few lines: load its spec, bind a scripted model and fake
 * tools, call it, and assert on the output and the events it recorded.
 *
 * <pre>{@code
 * @Test
 * void urgentTicketsGoToBilling() {
 *   ScriptedModel model = ScriptedModel.builder()
 *       .toolCall("lookupTier", "{\"customer\":\"acme\"}")
 *       .text("{\"priority\":\"high\",\"team\":\"billing\"}")
 *       .build();
 *   AgentTester.Run run = AgentTester.load(Path.of("agents/triage.yaml"))
 *       .model(model).tools(new FakeCrm()).call(Map.of("customer", "acme", "subject", "Invoice wrong"));
 *
 *   assertThat(run.output().get("team").asString()).isEqualTo("billing");
 *   assertThat(run.toolCalls()).extracting(ToolCall::name).containsExactly("lookupTier");
 * }
 * }</pre>
 *
 * <p>The model passed to {@link #model(ChatModel)} is bound to the spec's model alias. Each call
 * builds a fresh mesh, so a tester can be reused; it is not thread-safe.
 */
public final class AgentTester {

  private final AgentSpec spec;
  private final List<AgentSpec> others = new ArrayList<>();
  private final Map<String, ChatModel> models = new LinkedHashMap<>();
  private final List<Object> toolObjects = new ArrayList<>();
  private final List<AgentTool> tools = new ArrayList<>();
  private final Map<String, Guardrail> guardrails = new LinkedHashMap<>();
  private final List<AgentEvent> lastEvents = new CopyOnWriteArrayList<>();
  private Clock clock = Clock.systemUTC();

  private AgentTester(AgentSpec spec) {
    this.spec = spec;
  }

  /**
   * A tester for a spec file.
   *
   * @param specFile a YAML or JSON agent spec
   * @return a tester with nothing bound yet
   */
  public static AgentTester load(Path specFile) {
    return new AgentTester(AgentSpecs.load(specFile));
  }

  /**
   * A tester for a spec.
   *
   * @param spec the agent under test
   * @return a tester with nothing bound yet
   */
  public static AgentTester of(AgentSpec spec) {
    return new AgentTester(Objects.requireNonNull(spec, "spec"));
  }

  /**
   * Binds the spec's model alias (and any child agent's alias not bound otherwise) to this model.
   *
   * @param model usually a {@link ScriptedModel}
   * @return this tester
   */
  public AgentTester model(ChatModel model) {
    models.put(spec.model(), Objects.requireNonNull(model, "model"));
    return this;
  }

  /**
   * Binds one alias, for meshes with child agents on other aliases.
   *
   * @param alias a model alias used by a spec
   * @param model the model it stands for
   * @return this tester
   */
  public AgentTester model(String alias, ChatModel model) {
    models.put(Objects.requireNonNull(alias, "alias"), Objects.requireNonNull(model, "model"));
    return this;
  }

  /**
   * Registers {@code @Tool} objects, usually fakes.
   *
   * @param toolObjects objects with {@code @Tool} methods
   * @return this tester
   */
  public AgentTester tools(Object... toolObjects) {
    this.toolObjects.addAll(List.of(toolObjects));
    return this;
  }

  /**
   * Registers a tool.
   *
   * @param tool a tool built in code
   * @return this tester
   */
  public AgentTester tool(AgentTool tool) {
    tools.add(tool);
    return this;
  }

  /**
   * Binds a guardrail name.
   *
   * @param name the name the spec uses
   * @param guardrail the guardrail it stands for
   * @return this tester
   */
  public AgentTester guardrail(String name, Guardrail guardrail) {
    guardrails.put(name, guardrail);
    return this;
  }

  /**
   * Adds a child agent's spec.
   *
   * @param child a spec the agent under test calls
   * @return this tester
   */
  public AgentTester child(AgentSpec child) {
    others.add(child);
    return this;
  }

  /**
   * The clock that stamps events and measures the timeout.
   *
   * @param clock usually a {@link FakeClock}
   * @return this tester
   */
  public AgentTester clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Calls the agent with this input. A failed call throws as the agent would.
   *
   * @param input the agent's input: a record, a map, a string or JSON
   * @return the result and the events of the call
   */
  public Run call(Object input) {
    return call(AgentRequest.builder(input).build());
  }

  /**
   * Calls the agent with a full request. The events are kept even when the call fails: see {@link
   * #lastEvents()}.
   *
   * @param request the input with context, history and listener
   * @return the result and the events of the call
   */
  public Run call(AgentRequest request) {
    lastEvents.clear();
    try (Mesh mesh = mesh()) {
      AgentResult result = mesh.agent(spec.name()).call(request);
      return new Run(result, List.copyOf(lastEvents));
    }
  }

  /**
   * The events of the last call, also of one that threw.
   *
   * @return those events, in order
   */
  public List<AgentEvent> lastEvents() {
    return List.copyOf(lastEvents);
  }

  private Mesh mesh() {
    Mesh.Builder b =
        Mesh.builder().agent(spec).agents(others).clock(clock).listener(lastEvents::add);
    ChatModel fallback = models.get(spec.model());
    for (AgentSpec s : others) {
      if (!models.containsKey(s.model()) && fallback != null) b.model(s.model(), fallback);
    }
    models.forEach(b::model);
    toolObjects.forEach(b::tools);
    tools.forEach(b::tool);
    guardrails.forEach(b::guardrail);
    return b.build();
  }

  /**
   * One call's result and events.
   *
   * @param result what the agent returned
   * @param events every event of the call, child agents' included, in order
   */
  public record Run(AgentResult result, List<AgentEvent> events) {

    /**
     * The output as JSON.
     *
     * @return the output; never null (a stopped run throws)
     */
    public tools.jackson.databind.JsonNode output() {
      return Objects.requireNonNull(result.output(), "the run stopped before producing output");
    }

    /**
     * The output mapped to a type, as {@link AgentResult#as} does.
     *
     * @param type the type to map the output to
     * @param <T> that type
     * @return the mapped output
     */
    public <T> T output(Class<T> type) {
      return result.as(type);
    }

    /**
     * Every tool call made in the run, in order, child agents' calls included (see {@link
     * AgentEvent#agent()}).
     *
     * @return the calls
     */
    public List<ToolCall> toolCalls() {
      List<ToolCall> calls = new ArrayList<>();
      for (AgentEvent e : events) {
        if (e instanceof AgentEvent.ToolCalled) calls.add(((AgentEvent.ToolCalled) e).call());
      }
      return calls;
    }

    /**
     * The events of one type, such as {@code AgentEvent.ToolFailed.class}.
     *
     * @param type the event type
     * @param <E> that type
     * @return those events, in order
     */
    public <E extends AgentEvent> List<E> events(Class<E> type) {
      List<E> out = new ArrayList<>();
      for (AgentEvent e : events) if (type.isInstance(e)) out.add(type.cast(e));
      return out;
    }

    /**
     * The event types in order, such as {@code [run.started, model.called, ...]}: handy in
     * assertions.
     *
     * @return the types
     */
    public List<String> eventTypes() {
      List<String> types = new ArrayList<>();
      events.forEach(e -> types.add(e.type()));
      return types;
    }
  }
}
