package dev.agentmesh.review;

import dev.agentmesh.core.AgentMeshException;
import org.jspecify.annotations.Nullable;

/**
 * An artifact could not be validated, hashed, read or rendered. Its message says which artifact,
 * what was expected, what was found and how to fix it.
 *
 * <pre>{@code
 * try {
 *   types.render(artifact, SurfaceFormat.HTML);
 * } catch (ReviewException e) {
 *   log.warn("cannot show artifact: {}", e.getMessage());
 * }
 * }</pre>
 */
public class ReviewException extends AgentMeshException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception that says what was expected, what was found, and how to fix it.
   *
   * @param message the message
   */
  public ReviewException(String message) {
    super(message);
  }

  /**
   * Creates an exception caused by another failure.
   *
   * @param message the message
   * @param cause the underlying failure, or {@code null}
   */
  public ReviewException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
