package dev.agentmesh.triggers;

import dev.agentmesh.core.AgentMeshException;
import dev.agentmesh.core.SpecProblem;
import java.util.List;

/**
 * Trigger files could not be loaded. Holds every problem found, each as {@code file:line:col:
 * message}, not just the first.
 *
 * <pre>{@code
 * try {
 *   TriggerSpecs.loadDirectory(Path.of("triggers"));
 * } catch (TriggerSpecException e) {
 *   e.problems().forEach(System.err::println);
 * }
 * }</pre>
 */
public final class TriggerSpecException extends AgentMeshException {

  private static final long serialVersionUID = 1L;

  /** Every problem found, sorted by place. */
  private final List<SpecProblem> problems;

  /**
   * Creates the exception; its message lists every problem.
   *
   * @param problems the problems, at least one, in any order
   */
  public TriggerSpecException(List<SpecProblem> problems) {
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
        .append(" in trigger files:");
    problems.stream().sorted().forEach(p -> sb.append("\n  ").append(p));
    return sb.toString();
  }
}
