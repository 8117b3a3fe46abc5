package dev.agentmesh.core.internal.turn;

import dev.agentmesh.core.AgentMeshException;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by a listener to stop a run without recording the step it was told about. Thrown from
 * {@code model.called}, it stops the run cleanly before the model is asked: the run returns a
 * stopped result (as {@code AgentRequest.stopWhen} would), and a child run leaves its call
 * unanswered. Thrown from any other step, the run fails with it.
 *
 * <pre>{@code
 * if (session.paused()) throw new StopRun("Session 's-1' is paused; run r-1 stops");
 * }</pre>
 */
public final class StopRun extends AgentMeshException {
  private static final long serialVersionUID = 1L;

  /**
   * A stop saying why.
   *
   * @param message why the run stops, naming the session and the run
   */
  public StopRun(String message) {
    super(message);
  }

  /**
   * A stop caused by a failure.
   *
   * @param message why the run stops, naming the session and the run
   * @param cause what failed
   */
  public StopRun(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
