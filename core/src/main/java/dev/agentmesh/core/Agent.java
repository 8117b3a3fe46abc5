package dev.agentmesh.core;

import dev.agentmesh.core.spi.ToolDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One agent of a {@link Mesh}, ready to call. Stateless: every call is a fresh run, unless the
 * request continues a conversation given as history.
 *
 * <pre>{@code
 * Agent triage = mesh.agent("triage");
 * AgentResult result = triage.call(ticket);                    // blocking
 * Triage typed = triage.call(ticket, Triage.class);            // mapped to a record
 * CompletableFuture<AgentResult> later = triage.callAsync(ticket);
 * }</pre>
 *
 * <p>Thread-safe: call it from any number of threads at once.
 */
public final class Agent {

  private final Mesh mesh;
  private final AgentSpec spec;
  private final Map<String, AgentTool> tools = new LinkedHashMap<>();

  /** Immutable, so that every model request shares it rather than copies it. */
  private final List<ToolDefinition> offered;

  private final Schemas.@Nullable Validator inputValidator;
  private final Schemas.@Nullable Validator outputValidator;
  private final Template instructions;

  /** The model its alias names and the queue in front of it, looked up once; null when unbound. */
  private final dev.agentmesh.core.spi.@Nullable ChatModel model;

  private final @Nullable ModelGate gate;

  Agent(Mesh mesh, AgentSpec spec) {
    this.mesh = mesh;
    this.spec = spec;
    for (String name : spec.tools()) tools.put(name, mesh.boundTool(name));
    for (String child : spec.agents()) {
      tools.put(child, AgentTool.forChild(mesh.spec(child)));
    }
    List<ToolDefinition> allowed = new ArrayList<>();
    for (AgentTool t : tools.values()) {
      if (spec.sandbox().allowsTool(t.name())) allowed.add(t.definition());
    }
    this.offered = List.copyOf(allowed);
    JsonNode in = spec.inputSchemaNode();
    this.inputValidator = in == null ? null : Schemas.validator(in);
    JsonNode out = spec.outputSchemaNode();
    this.outputValidator = out == null ? null : Schemas.validator(out);
    this.instructions = Template.compile(spec.instructions());
    this.model = mesh.modelOrNull(spec.model());
    this.gate = mesh.gate(spec.model());
  }

  /** {@return the agent's name} */
  public String name() {
    return spec.name();
  }

  /** {@return the agent's spec} */
  public AgentSpec spec() {
    return spec;
  }

  /** {@return the tools offered to the model, child agents included, as the model sees them} */
  public List<ToolDefinition> tools() {
    return List.copyOf(offered);
  }

  /**
   * Runs the agent on this input (a record, a map, a JsonNode or text) and waits for the result.
   *
   * @param input the input
   * @return the result
   */
  public AgentResult call(Object input) {
    return call(AgentRequest.builder(input).build());
  }

  /**
   * Runs the agent and maps its output to {@code type}, usually the record its output schema came
   * from.
   *
   * @param <T> the output type
   * @param input the input
   * @param type the class the output maps to
   * @return the output, mapped
   */
  public <T> T call(Object input, Class<T> type) {
    return call(input).as(type);
  }

  /**
   * Runs the agent for a full request and waits for the result.
   *
   * @param request the request
   * @return the result
   */
  public AgentResult call(AgentRequest request) {
    return new AgentRun(mesh, this, request).run();
  }

  /**
   * Runs the agent on the mesh's executor.
   *
   * @param input the input
   * @return the result, when the run ends
   */
  public CompletableFuture<AgentResult> callAsync(Object input) {
    return callAsync(AgentRequest.builder(input).build());
  }

  /**
   * Runs the agent for a full request on the mesh's executor.
   *
   * @param request the request
   * @return the result, when the run ends
   */
  public CompletableFuture<AgentResult> callAsync(AgentRequest request) {
    return CompletableFuture.supplyAsync(() -> call(request), mesh.executor());
  }

  /**
   * What in {@code input} does not match this agent's input schema, one line each, in the words a
   * run uses when it refuses the input; empty when it matches or the agent declares no input
   * schema. For callers that check an input before they commit to a run (a webhook answering 400, a
   * broker dead-lettering a message).
   *
   * <pre>{@code
   * List<String> problems = mesh.agent("triage").inputProblems(payload);
   * if (!problems.isEmpty()) {
   *   return badRequest(String.join("; ", problems));
   * }
   * }</pre>
   *
   * @param input the input, as JSON
   * @return the problems; empty when the input is valid
   */
  public List<String> inputProblems(JsonNode input) {
    return inputValidator == null ? List.of() : List.copyOf(inputValidator.validate(input));
  }

  @Override
  public String toString() {
    return "Agent{" + spec.name() + "@" + spec.version() + "}";
  }

  @Nullable AgentTool tool(String name) {
    return tools.get(name);
  }

  Schemas.@Nullable Validator outputValidator() {
    return outputValidator;
  }

  /** The model its alias names; a function agent's alias may name none. */
  dev.agentmesh.core.spi.ChatModel model() {
    return model != null ? model : mesh.model(spec.model()); // the latter explains the miss
  }

  @Nullable ModelGate gate() {
    return gate;
  }

  Template instructions() {
    return instructions;
  }

  List<ToolDefinition> offered() {
    return offered;
  }
}
