package dev.agentmesh.cli;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.AgentSpecException;
import dev.agentmesh.core.AgentSpecs;
import dev.agentmesh.core.SpecProblem;
import java.nio.file.Path;
import java.util.List;

/**
 * The specs found under some paths and every problem with them, sorted by place. Checks in two
 * stages: the files first; then, only when every file loads, how the specs refer to each other
 * (a child agent defined in a broken file would otherwise be reported as unknown).
 */
record SpecCheck(List<AgentSpec> specs, List<SpecProblem> problems) {

  SpecCheck {
    specs = List.copyOf(specs);
    problems = problems.stream().sorted().toList();
  }

  static SpecCheck of(List<Path> paths) {
    List<AgentSpec> specs;
    try {
      specs = AgentSpecs.loadAll(paths);
    } catch (AgentSpecException e) {
      return new SpecCheck(List.of(), e.problems());
    }
    if (specs.isEmpty()) return new SpecCheck(specs, nothingFound(paths));
    return new SpecCheck(specs, AgentSpecs.checkReferences(specs));
  }

  boolean ok() {
    return problems.isEmpty();
  }

  private static List<SpecProblem> nothingFound(List<Path> paths) {
    return paths.stream()
        .map(p -> new SpecProblem(p.toString(), 0, 0,
            "no agent specs found; expected .yaml, .yml or .json files (directories are searched recursively)"))
        .toList();
  }
}
