package dev.agentmesh.sessions;

import dev.agentmesh.core.AgentMeshException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A handle on one session: its id, its state, its events as they happen, and futures of its
 * outcome. Holding a handle holds no thread and no lease; make as many as you like.
 *
 * <pre>{@code
 * SessionHandle session = sessions.start("triage", ticket, "webhook:zendesk");
 * try (AutoCloseable events = session.events(e -> log.info("{} {}", e.version(), e.event().type()))) {
 *   SessionState done = session.awaitCompletion(Duration.ofMinutes(2));
 * }
 * }</pre>
 *
 * <h2>Threading</h2>
 * Thread-safe. Event listeners run on the thread that appended or loaded the events (often the
 * session's driver), one event at a time and in version order; they must return quickly and
 * must not block on the session. A listener that throws is logged and keeps receiving events.
 * Handles see what their {@link Sessions} instance appends or loads; the {@code await} methods
 * also poll the store, so they notice progress another process makes.
 */
public final class SessionHandle {

  private static final long POLL_MILLIS = 100;

  private final Sessions sessions;
  private final SessionLog sessionLog;
  private final String id;
  private final long after;

  SessionHandle(Sessions sessions, SessionLog sessionLog, String id, long after) {
    this.sessions = sessions;
    this.sessionLog = sessionLog;
    this.id = id;
    this.after = after;
  }

  /**
   * The session's id.
   *
   * @return the id this handle stands for
   */
  public String id() {
    return id;
  }

  /**
   * The session's state at the store's current version.
   *
   * @return the state folded from the whole log
   */
  public SessionState state() {
    return sessions.state(id);
  }

  /**
   * Calls {@code listener} with every event appended after now, in version order, until the
   * returned subscription is closed.
   *
   * @param listener called with each new event, one at a time, on the thread that appended it
   * @return the subscription; close it to stop the calls
   */
  public AutoCloseable events(Consumer<LoggedEvent> listener) {
    long start = sessionLog.current(id).version();
    Object lock = new Object();
    long[] delivered = {start};
    return sessionLog.watch(id, (state, events) -> {
      synchronized (lock) {
        for (LoggedEvent e : events) {
          if (e.version() == delivered[0] + 1) {
            listener.accept(e);
            delivered[0] = e.version();
          } else if (e.version() > delivered[0] + 1) {
            sessionLog.replayTo(id, delivered[0], missed -> {
              if (missed.version() == delivered[0] + 1) {
                listener.accept(missed);
                delivered[0] = missed.version();
              }
            });
            return;
          }
        }
      }
    });
  }

  /**
   * Completes when the session's turn finishes: the first state after this handle was made
   * whose status is completed, failed or cancelled. It never completes while the session waits
   * or is paused.
   *
   * @return a future of the first finished state
   */
  public CompletableFuture<SessionState> completion() {
    return when(status -> status.isSettledOutcome());
  }

  /**
   * Completes when the session stops running for now: completed, failed, cancelled, waiting or paused.
   *
   * @return a future of the first settled state
   */
  public CompletableFuture<SessionState> settled() {
    return when(status -> status != SessionStatus.RUNNING);
  }

  /**
   * Waits for {@link #completion()}; throws an {@link AgentMeshException} naming the state on timeout.
   *
   * @param timeout how long to wait at most
   * @return the finished state
   */
  public SessionState awaitCompletion(Duration timeout) {
    return await(completion(), timeout, "complete");
  }

  /**
   * Waits for {@link #settled()}; throws an {@link AgentMeshException} naming the state on timeout.
   *
   * @param timeout how long to wait at most
   * @return the settled state
   */
  public SessionState awaitSettled(Duration timeout) {
    return await(settled(), timeout, "settle");
  }

  /**
   * Posts a message; see {@link Sessions#post}. The returned handle awaits the answer.
   *
   * @param author the participant who writes
   * @param text the message
   * @return a handle that awaits the answer
   */
  public SessionHandle post(String author, String text) {
    return sessions.post(id, author, text);
  }

  /**
   * Posts a message for another agent to answer; see {@link Sessions#postTo}.
   *
   * @param author the participant who writes
   * @param agent the agent that answers this message
   * @param text the message
   * @return a handle that awaits the answer
   */
  public SessionHandle postTo(String author, String agent, String text) {
    return sessions.postTo(id, author, agent, text);
  }

  /**
   * See {@link Sessions#pause}.
   *
   * @param by who pauses it
   * @return the state after the pause
   */
  public SessionState pause(String by) {
    return sessions.pause(id, by);
  }

  /**
   * See {@link Sessions#resume}.
   *
   * @param by who resumes it
   * @return a handle that awaits the resumed turn
   */
  public SessionHandle resume(String by) {
    return sessions.resume(id, by);
  }

  /**
   * See {@link Sessions#cancel}.
   *
   * @param by who cancels it
   * @param reason why, kept in the log
   * @return the state after the cancel
   */
  public SessionState cancel(String by, String reason) {
    return sessions.cancel(id, by, reason);
  }

  /**
   * Forks the session at event {@code atVersion}; see {@link Sessions#fork}.
   *
   * @param atVersion the version of the last event the fork keeps
   * @return a handle on the new session
   */
  public SessionHandle fork(long atVersion) {
    return sessions.fork(id, atVersion);
  }

  /**
   * The session's log.
   *
   * @return every event of the session, in version order
   */
  public List<LoggedEvent> history() {
    return sessions.history(id);
  }

  private CompletableFuture<SessionState> when(Predicate<SessionStatus> done) {
    CompletableFuture<SessionState> future = new CompletableFuture<>();
    AutoCloseable watch = sessionLog.watch(id, (state, events) -> {
      if (state.version() > after && done.test(state.status())) {
        future.complete(state.snapshot());
      }
    });
    future.whenComplete((s, e) -> closeQuietly(watch));
    // From the store, not this instance's cache: another node may have moved the session on.
    SessionFold now = sessionLog.current(id);
    if (now.version() > after && done.test(now.status())) {
      future.complete(now.snapshot());
    }
    return future;
  }

  private SessionState await(CompletableFuture<SessionState> future, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          future.cancel(false);
          SessionState state = state();
          throw new AgentMeshException("Session '" + id + "' did not " + what + " within " + timeout
              + "; it is " + state.status().id() + " at version " + state.version()
              + (state.waits().isEmpty() ? "" : ", waiting for " + state.waits().keySet())
              + (state.unknownOutcomes().isEmpty() ? "" : ", with unknown outcomes of "
                  + state.unknownOutcomes().size() + " tool call(s)"));
        }
        try {
          return future.get(Math.min(POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1), TimeUnit.MILLISECONDS);
        } catch (TimeoutException poll) {
          sessionLog.current(id);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentMeshException("Interrupted while waiting for session '" + id + "'", e);
    } catch (ExecutionException e) {
      throw new AgentMeshException("Waiting for session '" + id + "' failed", e.getCause());
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // closing a watch does not fail
    }
  }

  @Override
  public String toString() {
    return "SessionHandle{" + id + "}";
  }
}
