package dev.agentmesh.examples.springboot;

import dev.agentmesh.review.Reviews;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.triggers.TriggerBinding;
import dev.agentmesh.triggers.Triggers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Starts the mesh's background work before the web server takes requests, and on shutdown drains it
 * after the web server has stopped taking them.
 *
 * <p>Start: apply what the trigger files declare paused (only a changed declaration pauses or
 * resumes, so a trigger resumed at runtime stays resumed), start the trigger ticks, and continue
 * the sessions a previous run or a dead node left runnable ({@link Sessions#recoverOrphans()}).
 *
 * <p>Stop (phase 0, so after Spring's graceful web shutdown, which lets webhook and review requests
 * under way finish, and after the web server stopped): the ticks stop, the review sweep stops, then
 * {@link Sessions#close()} waits (at most the lease TTL, 30 s) for each running turn to finish the
 * step it is in, stores it, and releases the session's lease. A session stopped between steps is
 * continued where it stopped by the next node that starts, or by another running node's sweep.
 *
 * <pre>{@code
 * context.close(); // webhooks refused, turns drained, leases released
 * }</pre>
 */
@Component
public class MeshLifecycle implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(MeshLifecycle.class);

  private final Sessions sessions;
  private final Reviews reviews;
  private final Triggers triggers;
  private final TriggerBinding binding;
  private volatile boolean running;

  /**
   * The runtimes it starts and stops.
   *
   * @param sessions the sessions
   * @param reviews the review runtime
   * @param triggers the scheduled triggers
   * @param binding the trigger files, for what they declare paused
   */
  public MeshLifecycle(
      Sessions sessions, Reviews reviews, Triggers triggers, TriggerBinding binding) {
    this.sessions = sessions;
    this.reviews = reviews;
    this.triggers = triggers;
    this.binding = binding;
  }

  @Override
  public void start() {
    triggers.applyDeclaredPauses(binding.paused(), "trigger file");
    triggers.start();
    int resumed = sessions.recoverOrphans();
    LOG.info("Mesh started on {}: {} sessions resumed", sessions.nodeId(), resumed);
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    triggers.close();
    reviews.close();
    sessions.close();
    LOG.info("Mesh stopped on {}: running turns drained, leases released", sessions.nodeId());
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Phase 0: started before and stopped after the web server (whose phases are higher). */
  @Override
  public int getPhase() {
    return 0;
  }
}
