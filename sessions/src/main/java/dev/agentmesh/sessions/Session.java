package dev.agentmesh.sessions;

import dev.agentmesh.core.AgentMeshException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One session: every command on it, its state, its log, its events as they happen, and awaits of
 * its outcome. A cheap handle: it holds the id and the {@link Sessions} that made it, no thread and
 * no lease; get one with {@link Sessions#session(String)} as often as you like.
 *
 * <pre>{@code
 * Session session = sessions.newSession("triage").input(ticket)
 *     .origin(Origin.webhook("zendesk", deliveryId)).participant("ana", ParticipantRole.OWNER)
 *     .start();
 * SessionState first = session.awaitFinished(Duration.ofMinutes(2));
 * session.post("ana", "Thanks, now draft the reply");   // RUNNING: the agent answers
 * SessionState reply = session.awaitFinished(Duration.ofMinutes(2));
 * }</pre>
 *
 * <h2>Commands</h2>
 *
 * Every command appends its events and returns the {@link SessionState} right after them (a {@link
 * #fork fork} returns the new session); turns run on the {@link Sessions}' executor, so after
 * {@link #post post} the state is {@link SessionStatus#RUNNING} and {@link #awaitFinished} waits
 * for the answer. A command that changes nothing (pausing a paused session) appends nothing and
 * returns the current state.
 *
 * <h2>Threading and errors</h2>
 *
 * Thread-safe. A refused command (an observer posting, no such wait, a cancelled session) throws
 * {@link IllegalArgumentException} or {@link IllegalStateException} naming what was expected; a
 * session gone from the store throws {@link SessionNotFoundException}; a failing store throws
 * {@link dev.agentmesh.sessions.spi.SessionStoreException}. Event listeners run on the thread that
 * appended or loaded the events (often the session's driver), one event at a time and in version
 * order; they must return quickly and must not block on the session. The futures and awaits also
 * learn of progress another node makes: from the store's change feed where it has one (PostgreSQL's
 * {@code LISTEN/NOTIFY}; several instances over one in-memory store), else by polling the store
 * every {@link Sessions.Builder#pollInterval poll interval} on the scheduler. No thread polls while
 * an await blocks.
 */
public final class Session {

  private final Sessions sessions;
  private final FoldedLogs sessionLog;
  private final String id;

  Session(Sessions sessions, FoldedLogs sessionLog, String id) {
    this.sessions = sessions;
    this.sessionLog = sessionLog;
    this.id = id;
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
   * @throws SessionNotFoundException if the session is gone from the store
   */
  public SessionState state() {
    SessionFold s = sessionLog.current(id);
    requireExists(s);
    return s.snapshot();
  }

  /**
   * The session's log.
   *
   * @return every event of the session, in version order
   */
  public List<LoggedEvent> history() {
    return sessionLog.history(id);
  }

  /**
   * Posts {@code text} by participant {@code author}; the session's current agent answers.
   *
   * @param author a participant who may post
   * @param text the message
   * @return the state after the post: running, the answer's turn due
   * @throws IllegalArgumentException if {@code author} is not a participant
   * @throws IllegalStateException if {@code author} is an observer or the session was cancelled
   * @throws SessionNotFoundException if the session is gone from the store
   */
  public SessionState post(String author, String text) {
    return post(author, text, null, false);
  }

  /**
   * Posts {@code text} by {@code author} for {@code agent} to answer, this message only; later
   * messages are answered by the session's default agent again.
   *
   * @param author a participant who may post
   * @param agent the name of the mesh agent that answers this message
   * @param text the message
   * @return the state after the post: running, the answer's turn due
   * @throws java.util.NoSuchElementException if the mesh has no agent {@code agent}
   * @throws IllegalArgumentException if {@code author} is not a participant
   * @throws IllegalStateException if {@code author} is an observer or the session was cancelled
   * @throws SessionNotFoundException if the session is gone from the store
   */
  public SessionState postTo(String author, String agent, String text) {
    sessions.mesh().agent(agent);
    return post(author, text, agent, false);
  }

  /**
   * Posts {@code text} written by an agent (say, one that ran elsewhere) into the session.
   *
   * @param agent the name of the agent that wrote it
   * @param text the message
   * @return the state after the post: running, the answer's turn due
   * @throws IllegalStateException if the session was cancelled
   * @throws SessionNotFoundException if the session is gone from the store
   */
  public SessionState postAsAgent(String agent, String text) {
    return post(agent, text, null, true);
  }

  private SessionState post(String author, String text, @Nullable String to, boolean fromAgent) {
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(text, "text");
    return drive(
        sessionLog.append(
            id,
            s -> {
              requireOpen(s, "post to it");
              if (!fromAgent) {
                requirePoster(s, author);
              }
              return List.of(new SessionEvent.MessagePosted(now(), author, text, to, fromAgent));
            }));
  }

  /**
   * Adds {@code participant} with {@code role}, or changes their role.
   *
   * @param participant the participant's name
   * @param role what the participant may do
   * @return the state after the change
   * @throws IllegalStateException if the session was cancelled
   * @throws SessionNotFoundException if the session is gone from the store
   */
  public SessionState join(String participant, ParticipantRole role) {
    return sessionLog
        .append(
            id,
            s -> {
              requireOpen(s, "join it");
              return role == s.participants().get(participant)
                  ? List.of()
                  : List.of(new SessionEvent.ParticipantJoined(now(), participant, role));
            })
        .snapshot();
  }

  /**
   * Pauses the session: a running turn stops after its current step. Pausing twice is a no-op.
   *
   * @param by who pauses it, kept in the log
   * @return the state after the pause: paused
   * @throws IllegalStateException if the session was cancelled
   * @throws SessionNotFoundException if the session is gone from the store
   */
  public SessionState pause(String by) {
    return sessionLog
        .append(
            id,
            s -> {
              requireOpen(s, "pause it");
              return s.status() == SessionStatus.PAUSED
                  ? List.of()
                  : List.of(new SessionEvent.Paused(now(), by));
            })
        .snapshot();
  }

  /**
   * Resumes a paused session, here or in the process that picks it up. Resuming a session that is
   * not paused is a no-op.
   *
   * @param by who resumes it, kept in the log
   * @return the state after the resume: running when a turn is due
   * @throws IllegalStateException if the session was cancelled
   * @throws SessionNotFoundException if the session is gone from the store
   */
  public SessionState resume(String by) {
    return drive(
        sessionLog.append(
            id,
            s -> {
              requireOpen(s, "resume it");
              return s.status() != SessionStatus.PAUSED
                  ? List.of()
                  : List.of(new SessionEvent.Resumed(now(), by));
            }));
  }

  /**
   * Cancels the session for good; a running turn stops after its current step.
   *
   * @param by who cancels it, kept in the log
   * @param reason why, kept in the log
   * @return the state after the cancel: cancelled
   * @throws SessionNotFoundException if the session is gone from the store
   */
  public SessionState cancel(String by, String reason) {
    return sessionLog
        .append(
            id,
            s -> {
              requireExists(s);
              return s.cancelled()
                  ? List.of()
                  : List.of(new SessionEvent.Cancelled(now(), by, reason));
            })
        .snapshot();
  }

  /**
   * Makes the session wait for the input {@code name} (say, {@code "approval"}): no thread waits;
   * {@link #provideInput} continues it, from any process on the same store.
   *
   * @param name the input's name, given again to {@link #provideInput}
   * @param prompt what to ask the human for
   * @return the state, now waiting
   * @throws IllegalStateException if the session was cancelled
   * @throws SessionNotFoundException if the session is gone from the store
   */
  public SessionState awaitInput(String name, String prompt) {
    return sessionLog
        .append(
            id,
            s -> {
              requireOpen(s, "wait for input");
              return List.of(new SessionEvent.WaitingForInput(now(), name, prompt));
            })
        .snapshot();
  }

  /**
   * Provides the input {@code name} the session waits for; the agent sees it as a message.
   *
   * @param name the name of the input it waits for
   * @param value the input: a record, a map, a JsonNode, or text
   * @param by who provides it, kept in the log
   * @return the state after the input: running, the continued turn due
   * @throws IllegalStateException if the session does not wait for {@code name} or was cancelled
   * @throws SessionNotFoundException if the session is gone from the store
   */
  public SessionState provideInput(String name, Object value, String by) {
    JsonNode json = Sessions.toJson(value);
    return drive(
        sessionLog.append(
            id,
            s -> {
              requireOpen(s, "provide input");
              if (!s.waits().containsKey(name)) {
                throw new IllegalStateException(
                    "Session '"
                        + id
                        + "' is not waiting for input '"
                        + name
                        + "'; it waits for "
                        + s.waits().keySet()
                        + ". Call awaitInput first");
              }
              return List.of(new SessionEvent.InputReceived(now(), name, json, by));
            }));
  }

  /**
   * States what an unknown tool call returned; the session continues with that result.
   *
   * @param callId the id of the unknown call ({@link SessionState.UnknownOutcome#callId()})
   * @param result what the call returned: a record, a map, a JsonNode, or text
   * @param by who says so, kept in the log
   * @return the state after the resolution: running when nothing else is unknown
   * @throws IllegalStateException if the call's outcome is not unknown or the session was cancelled
   * @throws SessionNotFoundException if the session is gone from the store
   */
  public SessionState resolveUnknownOutcome(String callId, Object result, String by) {
    return resolve(callId, Sessions.toJson(result), null, by);
  }

  /**
   * States that an unknown tool call failed, and how; the model is told so.
   *
   * @param callId the id of the unknown call ({@link SessionState.UnknownOutcome#callId()})
   * @param failure how the call failed, as the model is told
   * @param by who says so, kept in the log
   * @return the state after the resolution: running when nothing else is unknown
   * @throws IllegalStateException if the call's outcome is not unknown or the session was cancelled
   * @throws SessionNotFoundException if the session is gone from the store
   */
  public SessionState failUnknownOutcome(String callId, String failure, String by) {
    return resolve(callId, null, Objects.requireNonNull(failure, "failure"), by);
  }

  private SessionState resolve(
      String callId, @Nullable JsonNode result, @Nullable String failure, String by) {
    return recordOutcome(
        callId,
        result,
        failure,
        by,
        "resolve an outcome",
        s -> {
          SessionState.UnknownOutcome unknown = s.unknown().get(callId);
          if (unknown == null) {
            throw new IllegalStateException(
                "Session '"
                    + id
                    + "' has no unknown outcome for tool "
                    + "call '"
                    + callId
                    + "'; unknown outcomes: "
                    + s.unknown().keySet());
          }
          return unknown.tool();
        });
  }

  /**
   * Appends the outcome of an owed call, unknown or suspended: {@code toolOwed} names the call's
   * tool, or refuses when the call is not owed that way.
   */
  private SessionState recordOutcome(
      String callId,
      @Nullable JsonNode result,
      @Nullable String failure,
      String by,
      String what,
      Function<SessionFold, String> toolOwed) {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(by, "by");
    return drive(
        sessionLog.append(
            id,
            s -> {
              requireOpen(s, what);
              return List.of(
                  new SessionEvent.OutcomeResolved(
                      now(), callId, toolOwed.apply(s), result, failure, by));
            }));
  }

  /**
   * Gives a suspended tool call ({@link SessionState#suspendedCalls()}) its result from outside:
   * the result joins the transcript as the tool's, and once nothing else is suspended the run
   * continues, on whichever node drives the session, and the model sees it. See docs/sessions.md,
   * "Suspend on an outside result".
   *
   * @param callId the suspended call's id ({@link SessionState.SuspendedCall#callId()})
   * @param result what the tool returned, mapped to JSON
   * @param by who gave it, kept in the log
   * @return the state after the result: running when nothing else waits
   * @throws IllegalStateException if the call is not suspended (the message lists those that are)
   *     or the session was cancelled
   * @throws SessionNotFoundException if the session is gone from the store
   */
  public SessionState completeCall(String callId, Object result, String by) {
    return answerCall(callId, Sessions.toJson(result), null, by);
  }

  /**
   * Fails a suspended tool call from outside (a refused approval, a child session that failed): the
   * model is told {@code failure} as the tool's error, and the run continues as with {@link
   * #completeCall}.
   *
   * @param callId the suspended call's id ({@link SessionState.SuspendedCall#callId()})
   * @param failure how the call failed, as the model is told
   * @param by who says so, kept in the log
   * @return the state after the failure: running when nothing else waits
   * @throws IllegalStateException if the call is not suspended (the message lists those that are)
   *     or the session was cancelled
   * @throws SessionNotFoundException if the session is gone from the store
   */
  public SessionState failCall(String callId, String failure, String by) {
    return answerCall(callId, null, Objects.requireNonNull(failure, "failure"), by);
  }

  /**
   * Lets a suspended tool call ({@link SessionState#suspendedCalls()}) run itself now: the outside
   * approved it. Once nothing else holds the session, its run runs the call as if it had never been
   * gated, on whichever node drives the session, through the usual effects ledger: {@code
   * agent.tool.called}, then its result; a call that is not idempotent and whose driver died after
   * it started is an unknown outcome ({@link #resolveUnknownOutcome}), never repeated. The gates
   * are not asked about it again. See docs/sessions.md, "Extension points for modules".
   *
   * <pre>{@code
   * String callId = session.state().suspendedCalls().get(0).callId();
   * session.releaseCall(callId, "manager:bo");   // the refund runs now
   * }</pre>
   *
   * @param callId the suspended call's id ({@link SessionState.SuspendedCall#callId()})
   * @param by who released it, kept in the log
   * @return the state after the release: running when nothing else waits
   * @throws IllegalStateException if the call is not suspended (the message lists those that are)
   *     or the session was cancelled
   * @throws SessionNotFoundException if the session is gone from the store
   */
  public SessionState releaseCall(String callId, String by) {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(by, "by");
    return drive(
        sessionLog.append(
            id,
            s -> {
              requireOpen(s, "release a suspended call");
              SessionState.SuspendedCall call = suspendedCall(s, callId);
              return List.of(new SessionEvent.CallReleased(now(), callId, call.tool(), by));
            }));
  }

  private SessionState.SuspendedCall suspendedCall(SessionFold s, String callId) {
    SessionState.SuspendedCall call = s.suspended().get(callId);
    if (call == null) {
      throw new IllegalStateException(
          "Session '"
              + id
              + "' has no suspended tool call '"
              + callId
              + "'; suspended calls: "
              + s.suspended().keySet()
              + ". Read them from state().suspendedCalls()");
    }
    return call;
  }

  private SessionState answerCall(
      String callId, @Nullable JsonNode result, @Nullable String failure, String by) {
    return recordOutcome(
        callId,
        result,
        failure,
        by,
        "answer a suspended call",
        s -> suspendedCall(s, callId).tool());
  }

  /**
   * Appends what a module decides, against the session's current state: its events and the rows
   * stored with them in one transaction, with the expected version. When another writer appended
   * first, {@code decide} is asked again with the newer state (so it may be called more than once:
   * it must only compute). Then the session is driven as after any command: a {@link
   * SessionEvent.MessagePosted} to an agent, or an {@link SessionEvent.InputReceived} that ends the
   * last wait, schedules the next turn. See docs/sessions.md, "Extension points for modules".
   *
   * <pre>{@code
   * SessionState after = session.record(state ->
   *     state.waits().containsKey("review:r-1")
   *         ? Recording.of(
   *                 new SessionEvent.Custom(now, "review.decided", decision),
   *                 new SessionEvent.InputReceived(now, "review:r-1", decision, "ana"))
   *             .withRows(RowWrite.delete("review.pending", "r-1"))
   *         : Recording.none());
   * }</pre>
   *
   * @param decide chooses the recording given the state; {@link Recording#none()} appends nothing.
   *     Exceptions it throws reach the caller, and nothing is appended
   * @return the state after the append (the current state when nothing was recorded)
   * @throws dev.agentmesh.sessions.spi.RowConflictException if a row write's condition failed:
   *     nothing was stored
   * @throws SessionNotFoundException if the session is gone from the store
   */
  public SessionState record(Function<SessionState, Recording> decide) {
    Objects.requireNonNull(decide, "decide");
    return drive(
        sessionLog.record(
            id,
            null,
            s -> {
              requireExists(s);
              return Objects.requireNonNull(
                  decide.apply(s.snapshot()),
                  "the decision of session.record returned null; return Recording.none()");
            }));
  }

  /**
   * Forks the session at event {@code atVersion} into a new session that shares the log up to
   * there, records this one as {@link SessionState#forkedFrom()}, and continues the turn where it
   * stood: a recorded model response is never requested again, tool calls pending at that point
   * whose results this session recorded later are carried over, and a call that is not idempotent
   * which this session applied after that point is never repeated silently: when the fork's run
   * asks for it again (same tool, same arguments as canonical JSON) the fork waits with an {@link
   * SessionState.UnknownOutcome} offering this session's result, for {@link #resolveUnknownOutcome}
   * or {@link #failUnknownOutcome}. See docs/sessions.md, "Forks".
   *
   * @param atVersion the version of the last event the fork keeps
   * @return the new session
   * @throws IllegalArgumentException if {@code atVersion} is not a version of this session
   * @throws SessionNotFoundException if the session is gone from the store
   */
  public Session fork(long atVersion) {
    return sessions.fork(id, atVersion);
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
    return sessionLog
        .watchers()
        .watch(
            id,
            (state, events) -> {
              synchronized (lock) {
                for (LoggedEvent e : events) {
                  if (e.version() == delivered[0] + 1) {
                    listener.accept(e);
                    delivered[0] = e.version();
                  } else if (e.version() > delivered[0] + 1) {
                    sessionLog.replayTo(
                        id,
                        delivered[0],
                        missed -> {
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
   * Completes with the first state, from now on, that is {@link SessionStatus#isFinished()
   * finished}: completed, failed or cancelled; at once when the session is finished now. It never
   * completes while the session waits or is paused. Until it completes, it keeps the session's
   * state in memory (beyond {@code maxCachedSessions}): cancel a future you no longer wait on, or
   * use {@link #awaitFinished}, which cancels its own on timeout.
   *
   * @return a future of the first finished state
   * @throws SessionNotFoundException if the session is gone from the store
   */
  public CompletableFuture<SessionState> finished() {
    return when(SessionStatus::isFinished);
  }

  /**
   * Completes with the first state, from now on, that is {@link SessionStatus#isIdle() idle}:
   * nothing runs (finished, waiting or paused); at once when the session is idle now. Until it
   * completes, it keeps the session's state in memory, as {@link #finished()} does: cancel a future
   * you no longer wait on.
   *
   * @return a future of the first idle state
   * @throws SessionNotFoundException if the session is gone from the store
   */
  public CompletableFuture<SessionState> idle() {
    return when(SessionStatus::isIdle);
  }

  /**
   * Waits for {@link #finished()}.
   *
   * @param timeout how long to wait at most
   * @return the finished state
   * @throws SessionTimeoutException if the session is not finished in time; it holds the state
   * @throws SessionNotFoundException if the session is gone from the store
   * @throws dev.agentmesh.core.AgentMeshException if the waiting thread is interrupted (its
   *     interrupt flag is set again)
   */
  public SessionState awaitFinished(Duration timeout) {
    return await(finished(), timeout, "finish");
  }

  /**
   * Waits for {@link #idle()}.
   *
   * @param timeout how long to wait at most
   * @return the idle state
   * @throws SessionTimeoutException if the session still runs after {@code timeout}; it holds the
   *     state
   * @throws SessionNotFoundException if the session is gone from the store
   * @throws dev.agentmesh.core.AgentMeshException if the waiting thread is interrupted (its
   *     interrupt flag is set again)
   */
  public SessionState awaitIdle(Duration timeout) {
    return await(idle(), timeout, "become idle");
  }

  /**
   * Schedules a turn when the state after this handle's append is runnable; an append that left it
   * not runnable (a decision recorded while it waits, a completion) has nothing to drive, and
   * scheduling would only take and give back the lease.
   */
  private SessionState drive(SessionFold after) {
    if (after.runnable()) {
      sessions.drive(id);
    }
    return after.snapshot();
  }

  private java.time.Instant now() {
    return sessions.clock().instant();
  }

  private CompletableFuture<SessionState> when(Predicate<SessionStatus> done) {
    return sessions.awaits().until(id, Session::requireExists, s -> done.test(s.status()));
  }

  private SessionState await(
      CompletableFuture<SessionState> future, Duration timeout, String what) {
    try {
      return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException late) {
      future.cancel(false);
      SessionState state = state();
      throw new SessionTimeoutException(
          "Session '"
              + id
              + "' did not "
              + what
              + " within "
              + timeout
              + "; it is "
              + state.status().id()
              + " at version "
              + state.version()
              + (state.waits().isEmpty() ? "" : ", waiting for " + state.waits().keySet())
              + (state.unknownOutcomes().isEmpty()
                  ? ""
                  : ", with unknown outcomes of "
                      + state.unknownOutcomes().size()
                      + " tool call(s)"),
          state);
    } catch (InterruptedException e) {
      future.cancel(false);
      Thread.currentThread().interrupt();
      throw new AgentMeshException("Interrupted while waiting for session '" + id + "'", e);
    } catch (ExecutionException e) {
      throw new AgentMeshException("Waiting for session '" + id + "' failed", e.getCause());
    }
  }

  static void requireExists(SessionFold s) {
    if (!s.exists()) {
      throw Sessions.notFound(s.id());
    }
  }

  private static void requireOpen(SessionFold s, String what) {
    requireExists(s);
    if (s.cancelled()) {
      throw new IllegalStateException(
          "Session '"
              + s.id()
              + "' was cancelled, so nothing can "
              + what
              + "; fork it to continue from an earlier point");
    }
  }

  private static void requirePoster(SessionFold s, String author) {
    ParticipantRole role = s.participants().get(author);
    if (role == null) {
      throw new IllegalArgumentException(
          "'"
              + author
              + "' is not a participant of session '"
              + s.id()
              + "' (participants: "
              + s.participants().keySet()
              + "); add them with "
              + "session.join(\""
              + author
              + "\", ParticipantRole.MEMBER) first");
    }
    if (!role.canPost()) {
      throw new IllegalStateException(
          "'"
              + author
              + "' is an observer of session '"
              + s.id()
              + "' and observers cannot post; make them a MEMBER with join() to let them post");
    }
  }

  // ---- durable timers ------------------------------------------------------------------------

  /**
   * Schedules a durable timer of this session: at {@code at} (by the {@link Sessions} clock) the
   * handler registered for {@code kind} ({@link Sessions.Builder#timer}) fires, once across all
   * nodes sharing the store, also after restarts; its {@link SessionEvent.TimerFired} and the
   * handler's events are appended in one transaction with the timer's deletion. Scheduling a name
   * again replaces the timer. Timers fire on the sweep or {@link Sessions#fireDueTimers()}, within
   * one sweep interval after they fall due.
   *
   * @param name the timer's name within the session, without '#'
   * @param kind the kind of a handler registered with {@link Sessions.Builder#timer}
   * @param at when it fires
   * @param payload what the handler receives: a record, a map, a JsonNode, or text
   * @return the scheduled timer
   * @throws IllegalArgumentException if no handler is registered for {@code kind} here, or the name
   *     is blank or holds '#'
   * @throws SessionNotFoundException if the session is gone from the store
   */
  public Timer schedule(String name, String kind, java.time.Instant at, Object payload) {
    return sessions.timers().schedule(new Timer(id, name, kind, at, Sessions.toJson(payload)));
  }

  /**
   * Cancels this session's timer {@code name} if it has not fired.
   *
   * @param name the timer's name
   * @return true if it was scheduled and is now cancelled; false if it fired or never existed
   */
  public boolean cancelTimer(String name) {
    return sessions.timers().cancel(id, name);
  }

  /**
   * This session's timers that have not fired, in name order.
   *
   * @return the pending timers
   */
  public List<Timer> timers() {
    return sessions.timers().of(id);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Session
        && ((Session) o).id.equals(id)
        && ((Session) o).sessions == sessions;
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "Session{" + id + "}";
  }
}
