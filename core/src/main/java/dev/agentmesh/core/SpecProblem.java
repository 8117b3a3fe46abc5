package dev.agentmesh.core;

import java.util.Objects;

/**
 * One problem found in an agent spec, with where it is.
 *
 * <pre>{@code
 * for (SpecProblem p : e.problems()) {
 *   System.err.println(p); // agents/triage.yaml:14:3: unknown field 'modle' (did you mean 'model'?)
 * }
 * }</pre>
 *
 * @param source the file (as given to the loader), a resource ({@code
 *     classpath:agents/triage.yaml}), or a description such as {@code agent 'triage'} for a spec
 *     built in Java
 * @param line 1-based line, or 0 when unknown
 * @param column 1-based column, or 0 when unknown
 * @param message what was expected, what was found, and how to fix it
 */
public record SpecProblem(String source, int line, int column, String message)
    implements Comparable<SpecProblem> {

  /**
   * Checks that {@code source} and {@code message} are there.
   *
   * @param source the file (as given to the loader), a resource ({@code
   *     classpath:agents/triage.yaml}), or a description such as {@code agent 'triage'} for a spec
   *     built in Java
   * @param line 1-based line, or 0 when unknown
   * @param column 1-based column, or 0 when unknown
   * @param message what was expected, what was found, and how to fix it
   */
  public SpecProblem {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(message, "message");
  }

  /** {@code source:line:col: message}, or {@code source: message} when the place is unknown. */
  @Override
  public String toString() {
    return line > 0 ? source + ":" + line + ":" + column + ": " + message : source + ": " + message;
  }

  @Override
  public int compareTo(SpecProblem o) {
    int c = source.compareTo(o.source);
    if (c == 0) c = Integer.compare(line, o.line);
    if (c == 0) c = Integer.compare(column, o.column);
    return c != 0 ? c : message.compareTo(o.message);
  }
}
