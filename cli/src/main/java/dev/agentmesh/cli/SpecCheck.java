package dev.agentmesh.cli;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.AgentSpecException;
import dev.agentmesh.core.AgentSpecs;
import dev.agentmesh.core.SpecProblem;
import dev.agentmesh.triggers.TriggerSpec;
import dev.agentmesh.triggers.TriggerSpecException;
import dev.agentmesh.triggers.TriggerSpecs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The specs and trigger files found under some paths and every problem with them, sorted by place:
 * each file's problems and what the specs say about each other, together (a child agent defined in
 * a broken file is not reported as unknown). A trigger's agent is checked against the specs when
 * they are valid; while they have problems, only the trigger files' own problems are reported.
 */
record SpecCheck(List<AgentSpec> specs, List<TriggerSpec> triggers, List<SpecProblem> problems) {

  SpecCheck {
    specs = List.copyOf(specs);
    triggers = List.copyOf(triggers);
    problems = problems.stream().sorted().toList();
  }

  static SpecCheck of(List<Path> paths, List<Path> triggerPaths) {
    List<SpecProblem> problems = new ArrayList<>(AgentSpecs.validate(paths));
    if (!problems.isEmpty()) {
      if (!triggerPaths.isEmpty()) problems.addAll(TriggerSpecs.validate(triggerPaths));
      return new SpecCheck(List.of(), List.of(), problems);
    }
    List<AgentSpec> specs;
    try {
      specs = AgentSpecs.loadAll(paths);
    } catch (AgentSpecException e) { // a file changed since it was validated
      return new SpecCheck(List.of(), List.of(), e.problems());
    }
    if (triggerPaths.isEmpty()) return new SpecCheck(specs, List.of(), List.of());
    problems.addAll(TriggerSpecs.validate(triggerPaths, specs));
    if (!problems.isEmpty()) return new SpecCheck(List.of(), List.of(), problems);
    try {
      return new SpecCheck(specs, TriggerSpecs.loadAll(triggerPaths), List.of());
    } catch (TriggerSpecException e) {
      return new SpecCheck(List.of(), List.of(), e.problems());
    }
  }

  boolean ok() {
    return problems.isEmpty();
  }
}
