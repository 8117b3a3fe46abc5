package dev.agentmesh.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Finds every problem of a mesh before it is built: unbound names, cycles, bad placeholders. {@link
 * #referencesOnly} skips the checks that need the host's bindings (models, tools, guardrails), for
 * tools such as the CLI that see only the spec files.
 */
final class MeshChecker {

  private final Map<String, AgentSpec> specs;
  private final Set<String> models;
  private final Set<String> functions;
  private final Map<String, AgentTool> tools;
  private final Set<String> guardrails;
  private final boolean checkBindings;
  private final Set<String> otherAgents;
  private final Map<AgentSpec, Set<String>> broken;
  private final List<SpecProblem> problems = new ArrayList<>();

  MeshChecker(
      Map<String, AgentSpec> specs,
      Set<String> models,
      Set<String> functions,
      Map<String, AgentTool> tools,
      Set<String> guardrails) {
    this(specs, models, functions, tools, guardrails, true, Set.of(), Map.of());
  }

  private MeshChecker(
      Map<String, AgentSpec> specs,
      Set<String> models,
      Set<String> functions,
      Map<String, AgentTool> tools,
      Set<String> guardrails,
      boolean checkBindings,
      Set<String> otherAgents,
      Map<AgentSpec, Set<String>> broken) {
    this.specs = specs;
    this.models = models;
    this.functions = functions;
    this.tools = tools;
    this.guardrails = guardrails;
    this.checkBindings = checkBindings;
    this.otherAgents = otherAgents;
    this.broken = broken;
  }

  /**
   * A checker of what the specs say about each other, with no models, tools or guardrails bound.
   * {@code otherAgents} are agents known to exist whose specs could not be loaded: a child agent of
   * one of these names is not reported as unknown. {@code broken} maps each spec that has problems
   * of its own (by identity) to its top-level fields that could not be read: the checks of those
   * fields are left out, and so are the placeholder problems already reported at load.
   */
  static MeshChecker referencesOnly(
      Map<String, AgentSpec> specs, Set<String> otherAgents, Map<AgentSpec, Set<String>> broken) {
    return new MeshChecker(
        specs, Set.of(), Set.of(), Map.of(), Set.of(), false, otherAgents, broken);
  }

  List<SpecProblem> check(Collection<String> duplicateAgents, Collection<String> duplicateTools) {
    for (String name : new LinkedHashSet<>(duplicateAgents)) {
      add("mesh", "agent name '" + name + "' is registered twice; agent names must be unique");
    }
    for (String name : new LinkedHashSet<>(duplicateTools)) {
      add("mesh", "tool name '" + name + "' is registered twice; tool names must be unique");
    }
    for (AgentSpec spec : specs.values()) checkSpec(spec);
    checkCycles();
    problems.sort(null);
    return problems;
  }

  private void checkSpec(AgentSpec spec) {
    String agent = " (agent '" + spec.name() + "')";
    String function = spec.function();
    if (checkBindings && function != null && !functions.contains(function)) {
      add(
          spec,
          "function",
          "No function bound to name '"
              + function
              + "'"
              + agent
              + Text.didYouMean(function, functions)
              + ". Bound functions: "
              + functions
              + ". Bind it with Mesh.builder().function(\""
              + function
              + "\", InputRecord.class, input -> output)");
    }
    if (checkBindings && function == null && !models.contains(spec.model())) {
      add(
          spec,
          "model",
          "No model bound to alias '"
              + spec.model()
              + "'"
              + agent
              + Text.didYouMean(spec.model(), models)
              + ". Bound aliases: "
              + models
              + ". Bind it with Mesh.builder().model(\""
              + spec.model()
              + "\", model)");
    }
    for (String tool : spec.tools()) {
      if (checkBindings && !tools.containsKey(tool)) {
        add(
            spec,
            "tools[" + tool + "]",
            "unknown tool '"
                + tool
                + "'"
                + agent
                + Text.didYouMean(tool, tools.keySet())
                + ". Registered tools: "
                + tools.keySet());
      }
      if (specs.containsKey(tool) || spec.agents().contains(tool)) {
        add(
            spec,
            "tools[" + tool + "]",
            "tool '" + tool + "'" + agent + " has the name of an agent; rename one of them");
      }
    }
    for (String child : spec.agents()) {
      if (!specs.containsKey(child) && !otherAgents.contains(child)) {
        Set<String> others = new java.util.TreeSet<>(specs.keySet());
        others.remove(spec.name());
        add(
            spec,
            "agents[" + child + "]",
            "unknown child agent '"
                + child
                + "'"
                + agent
                + Text.didYouMean(child, others)
                + ". Agents in this mesh: "
                + specs.keySet());
      }
    }
    for (String guardrail : spec.guardrails()) {
      if (checkBindings && !guardrails.contains(guardrail)) {
        add(
            spec,
            "guardrails[" + guardrail + "]",
            "unknown guardrail '"
                + guardrail
                + "'"
                + agent
                + Text.didYouMean(guardrail, guardrails)
                + ". Bound guardrails: "
                + guardrails);
      }
    }
    Set<String> unread = broken.getOrDefault(spec, Set.of());
    if (spec.sandbox().tools() != null && !unread.contains("tools") && !unread.contains("agents")) {
      for (String tool : spec.sandbox().tools()) {
        if (!spec.tools().contains(tool) && !spec.agents().contains(tool)) {
          add(
              spec,
              "sandbox.tools[" + tool + "]",
              "sandbox.tools allows '"
                  + tool
                  + "'"
                  + agent
                  + " but the agent "
                  + "does not declare it in tools "
                  + spec.tools()
                  + "; add it there or remove it from sandbox.tools");
        }
      }
    }
    if (!unread.contains("tools") && !unread.contains("agents") && !unread.contains("review")) {
      for (String tool : spec.review().tools()) {
        if (!spec.tools().contains(tool) && !spec.agents().contains(tool)) {
          add(
              spec,
              "review.tools[" + tool + "]",
              "review.tools gates '"
                  + tool
                  + "'"
                  + agent
                  + " but the agent does not declare it in tools "
                  + spec.tools()
                  + Text.didYouMean(tool, spec.tools())
                  + "; add it there or remove it from review.tools");
        }
      }
    }
    boolean noSchema = unread.contains("input") && spec.inputSchemaNode() == null;
    if (!unread.contains("instructions") && !noSchema) checkPlaceholders(spec);
  }

  private void checkPlaceholders(AgentSpec spec) {
    JsonNode schema = spec.inputSchemaNode();
    for (Template.Placeholder p : Template.scan(spec.instructions())) {
      String at = "instructions@" + p.start();
      String[] parts = p.path().split("\\.");
      if (p.problem() != null) {
        if (!broken.containsKey(spec)) add(spec, at, p.problem());
      } else if (!parts[0].equals("input") || parts.length == 1) {
        continue;
      } else if (schema == null) {
        add(
            spec,
            at,
            "instructions use "
                + p.text()
                + " but agent '"
                + spec.name()
                + "' declares no input "
                + "schema with properties; declare 'input' with a property '"
                + parts[1]
                + "', or use {{input}}");
      } else {
        SchemaPaths.Miss miss = SchemaPaths.find(schema, parts);
        if (miss == null) continue;
        String uses = "instructions use " + p.text() + " but ";
        if (miss.type() != null) {
          add(
              spec,
              at,
              uses
                  + "in the input schema of agent '"
                  + spec.name()
                  + "', '"
                  + miss.at()
                  + "' has type "
                  + miss.type()
                  + ", which has no properties; use {{"
                  + miss.at()
                  + "}}");
        } else {
          add(
              spec,
              at,
              uses
                  + "the input schema of agent '"
                  + spec.name()
                  + "' defines no property '"
                  + miss.name()
                  + "'"
                  + (miss.at().equals("input") ? "" : " in '" + miss.at() + "'")
                  + Text.didYouMean(miss.name(), miss.defined())
                  + ". Defined properties: "
                  + miss.defined());
        }
      }
    }
  }

  private void checkCycles() {
    Set<String> done = new HashSet<>();
    Set<String> reported = new HashSet<>();
    for (String name : specs.keySet()) visit(name, new ArrayList<>(), done, reported);
  }

  private void visit(String name, List<String> path, Set<String> done, Set<String> reported) {
    int at = path.indexOf(name);
    if (at >= 0) {
      List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
      cycle.add(name);
      if (reported.add(new java.util.TreeSet<>(cycle).toString())) {
        // The path holds only names that have a spec (see below), so the cycle's first one has.
        AgentSpec first = java.util.Objects.requireNonNull(specs.get(cycle.get(0)), "spec on path");
        add(
            first,
            "agents[" + cycle.get(1) + "]",
            "child agents form a cycle: "
                + String.join(" -> ", cycle)
                + "; an agent may not (indirectly) call itself");
      }
      return;
    }
    AgentSpec spec = specs.get(name);
    if (spec == null || done.contains(name)) return;
    path.add(name);
    for (String child : spec.agents()) visit(child, path, done, reported);
    path.remove(path.size() - 1);
    done.add(name);
  }

  private void add(AgentSpec spec, String path, String message) {
    SpecPlaces places = spec.places();
    problems.add(
        places != null
            ? places.problem(path, message)
            : new SpecProblem(
                spec.source() != null ? spec.source() : "agent '" + spec.name() + "'",
                0,
                0,
                message));
  }

  private void add(String source, String message) {
    problems.add(new SpecProblem(source, 0, 0, message));
  }
}
