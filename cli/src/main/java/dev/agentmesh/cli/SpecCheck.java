package dev.agentmesh.cli;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.AgentSpecException;
import dev.agentmesh.core.AgentSpecs;
import dev.agentmesh.core.SpecProblem;
import java.nio.file.Path;
import java.util.List;

/**
 * The specs found under some paths and every problem with them, sorted by place: each file's
 * problems and what the specs say about each other, together (a child agent defined in a broken
 * file is not reported as unknown).
 */
record SpecCheck(List<AgentSpec> specs, List<SpecProblem> problems) {

  SpecCheck {
    specs = List.copyOf(specs);
    problems = problems.stream().sorted().toList();
  }

  static SpecCheck of(List<Path> paths) {
    List<SpecProblem> problems = AgentSpecs.validate(paths);
    if (!problems.isEmpty()) return new SpecCheck(List.of(), problems);
    List<AgentSpec> specs;
    try {
      specs = AgentSpecs.loadAll(paths);
    } catch (AgentSpecException e) { // a file changed since it was validated
      return new SpecCheck(List.of(), e.problems());
    }
    return new SpecCheck(specs, List.of()); // a directory with no specs is a problem of validate's
  }

  boolean ok() {
    return problems.isEmpty();
  }
}
