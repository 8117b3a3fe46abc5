package dev.agentmesh.review;

import java.util.List;

/**
 * An artifact broke its type's rules (a table row without its key, a duplicate key, an image over
 * the limits). {@link #problems()} lists every problem found, each a sentence.
 *
 * <pre>{@code
 * try {
 *   types.validate(table);
 * } catch (ArtifactValidationException e) {
 *   e.problems().forEach(System.out::println); // "after row 3 has no value for key column 'sku'"
 * }
 * }</pre>
 */
public final class ArtifactValidationException extends ReviewException {

  private static final long serialVersionUID = 1L;

  /** The artifact type's name. */
  private final String type;

  /** Every problem found, in order. */
  private final List<String> problems;

  /**
   * Creates the exception; its message lists every problem.
   *
   * @param type the artifact type's name
   * @param problems the problems, one sentence each
   */
  public ArtifactValidationException(String type, List<String> problems) {
    super("Invalid '" + type + "' artifact: " + String.join("; ", problems));
    this.type = type;
    this.problems = List.copyOf(problems);
  }

  /** {@return the artifact type's name} */
  public String type() {
    return type;
  }

  /** {@return every problem found, in order} */
  public List<String> problems() {
    return problems;
  }
}
