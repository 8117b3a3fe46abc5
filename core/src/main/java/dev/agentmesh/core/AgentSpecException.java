package dev.agentmesh.core;

import java.util.List;

/**
 * Agent specs could not be loaded, or a mesh could not be built from them. Holds every problem
 * found, not just the first: a directory with five broken files reports all five.
 *
 * <pre>{@code
 * try {
 *   AgentSpecs.loadDirectory(Path.of("agents"));
 * } catch (AgentSpecException e) {
 *   e.problems().forEach(System.err::println);
 * }
 * }</pre>
 */
public final class AgentSpecException extends AgentMeshException {

  private static final long serialVersionUID = 1L;

  /** Every problem found, sorted by place. */
  private final List<SpecProblem> problems;

  /**
   * Creates the exception; its message lists every problem.
   *
   * @param problems the problems, in any order
   */
  public AgentSpecException(List<SpecProblem> problems) {
    super(message(problems));
    this.problems = problems.stream().sorted().toList();
  }

  /** {@return every problem found, sorted by place} */
  public List<SpecProblem> problems() {
    return problems;
  }

  private static String message(List<SpecProblem> problems) {
    if (problems.isEmpty()) throw new IllegalArgumentException("problems must not be empty");
    StringBuilder sb = new StringBuilder();
    sb.append(problems.size() == 1 ? "1 problem" : problems.size() + " problems")
        .append(" in agent specs:");
    problems.stream().sorted().forEach(p -> sb.append("\n  ").append(p));
    return sb.toString();
  }
}
