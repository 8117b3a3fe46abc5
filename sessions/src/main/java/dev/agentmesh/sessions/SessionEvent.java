package dev.agentmesh.sessions;

import dev.agentmesh.core.AgentEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One entry of a session's append-only log. The log is the session: its state ({@link
 * SessionState}) is a fold over these events, so it is also the audit trail and the point a crashed
 * session resumes from.
 *
 * <pre>{@code
 * for (LoggedEvent logged : sessions.session(id).history()) {
 *   if (logged.event() instanceof SessionEvent.MessagePosted posted) {
 *     log.info("{}: {}", posted.author(), posted.text());
 *   }
 * }
 * }</pre>
 *
 * <p>Each event type is stored under a stable name and a type version (see {@link #type()}); older
 * versions are upcast when read, so logs written by earlier releases keep loading.
 */
public sealed interface SessionEvent {

  /**
   * When it happened, by the {@code Sessions} clock (or the mesh's clock for agent steps).
   *
   * @return the instant the event happened
   */
  Instant at();

  /**
   * The stable name the event is stored under, such as {@code message.posted}.
   *
   * @return the stored type name of this event, such as {@code session.created}
   */
  String type();

  /**
   * The session began. Type version 2 records a typed {@link Origin}; version 1 held a free string
   * ({@code trigger}), read as {@link Origin#parse(String)} reads it.
   *
   * @param at when the session was created
   * @param agent the session's default agent
   * @param input the input its first turn runs on
   * @param origin what started the session: a human, a schedule, a webhook, another session
   * @param participants who takes part, with their roles
   */
  record Created(
      Instant at,
      String agent,
      JsonNode input,
      Origin origin,
      Map<String, ParticipantRole> participants)
      implements SessionEvent {
    /**
     * Copies the participants into an immutable map in name order.
     *
     * @param at when the session was created
     * @param agent the session's default agent
     * @param input the input its first turn runs on
     * @param origin what started the session: a human, a schedule, a webhook, another session
     * @param participants who takes part, with their roles
     */
    public Created {
      Objects.requireNonNull(origin, "origin");
      participants = Map.copyOf(new TreeMap<>(participants));
    }

    public String type() {
      return "session.created";
    }
  }

  /**
   * A participant joined, or changed role.
   *
   * @param at when it happened
   * @param participant the participant's name
   * @param role their role from now on
   */
  record ParticipantJoined(Instant at, String participant, ParticipantRole role)
      implements SessionEvent {
    public String type() {
      return "participant.joined";
    }
  }

  /**
   * A message was posted to the session.
   *
   * @param at when it was posted
   * @param author the participant (or, when {@code fromAgent}, the agent) who wrote it
   * @param text what it says
   * @param addressedTo the agent that answers this one message, or null for the default agent
   * @param fromAgent whether an agent, not a person, wrote it
   */
  record MessagePosted(
      Instant at, String author, String text, @Nullable String addressedTo, boolean fromAgent)
      implements SessionEvent {
    public String type() {
      return "message.posted";
    }
  }

  /**
   * A step of an agent run in this session: the core event, as the agent loop emitted it.
   *
   * @param event the core event; its instant is this event's
   */
  record AgentStep(AgentEvent event) implements SessionEvent {
    /**
     * Checks that the core event is present.
     *
     * @param event the core event; its instant is this event's
     */
    public AgentStep {
      Objects.requireNonNull(event, "event");
    }

    public Instant at() {
      return event.at();
    }

    public String type() {
      return "agent." + event.type();
    }
  }

  /**
   * The session waits for a named external input, such as {@code approval}.
   *
   * @param at when the wait began
   * @param name the input's name, given again when it is provided
   * @param prompt what the human is asked for
   */
  record WaitingForInput(Instant at, String name, String prompt) implements SessionEvent {
    public String type() {
      return "input.waiting";
    }
  }

  /**
   * A named input arrived; the agent sees it as a message from {@code by}.
   *
   * @param at when it arrived
   * @param name the input's name
   * @param value the input
   * @param by who provided it
   */
  record InputReceived(Instant at, String name, JsonNode value, String by) implements SessionEvent {
    public String type() {
      return "input.received";
    }
  }

  /**
   * The session was paused: the running turn stops after its current step.
   *
   * @param at when it was paused
   * @param by who paused it
   */
  record Paused(Instant at, String by) implements SessionEvent {
    public String type() {
      return "session.paused";
    }
  }

  /**
   * The session was resumed.
   *
   * @param at when it was resumed
   * @param by who resumed it
   */
  record Resumed(Instant at, String by) implements SessionEvent {
    public String type() {
      return "session.resumed";
    }
  }

  /**
   * This session was forked from another: the events before this one are a copy of the parent's log
   * up to {@code atVersion}, plus the parent's later starts and results of the tool calls pending
   * there.
   *
   * @param at when the fork was made
   * @param parentId the id of the session forked
   * @param atVersion the parent's version the fork starts from: its events up to there are copied
   * @param parentCalls the calls that are not idempotent which the parent (or, for a fork of a
   *     fork, an ancestor) applied after the fork point and whose results were not copied: a call
   *     of this session's runs with the same tool and arguments is not run but asked about (a
   *     {@link ToolOutcomeUnknown} offering the parent's result)
   */
  record Forked(Instant at, String parentId, long atVersion, List<ParentCall> parentCalls)
      implements SessionEvent {
    /**
     * Copies the parent calls into an immutable list; null reads as none.
     *
     * @param at when the fork was made
     * @param parentId the id of the session forked
     * @param atVersion the parent's version the fork starts from: its events up to there are copied
     * @param parentCalls the calls that are not idempotent which the parent (or, for a fork of a
     *     fork, an ancestor) applied after the fork point and whose results were not copied: a call
     *     of this session's runs with the same tool and arguments is not run but asked about (a
     *     {@link ToolOutcomeUnknown} offering the parent's result)
     */
    public Forked {
      parentCalls = parentCalls == null ? List.of() : List.copyOf(parentCalls);
    }

    /**
     * A fork that knows of no later call of its parent that must not be repeated.
     *
     * @param at when the fork was made
     * @param parentId the id of the session forked
     * @param atVersion the parent's version the fork starts from
     */
    public Forked(Instant at, String parentId, long atVersion) {
      this(at, parentId, atVersion, List.of());
    }

    public String type() {
      return "session.forked";
    }

    /**
     * A call that is not idempotent which the parent applied after the fork point.
     *
     * @param callId the parent's id of the call
     * @param tool the tool called
     * @param arguments its arguments as canonical JSON (keys sorted, numbers by value), the form
     *     calls are compared in
     * @param result what it returned in the parent, or null when the parent's outcome was not known
     *     at the fork (it started and nothing was recorded yet); a JSON {@code null} result reads
     *     as null too, as stores give back JSON null and no value alike
     */
    public record ParentCall(
        String callId, String tool, String arguments, @Nullable JsonNode result) {
      /**
       * Checks the call's id, tool and arguments are present; a JSON null result reads as null.
       *
       * @param callId the parent's id of the call
       * @param tool the tool called
       * @param arguments its arguments as canonical JSON (keys sorted, numbers by value), the form
       *     calls are compared in
       * @param result what it returned in the parent, or null when the parent's outcome was not
       *     known at the fork (it started and nothing was recorded yet); a JSON {@code null} result
       *     reads as null too, as stores give back JSON null and no value alike
       */
      public ParentCall {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(arguments, "arguments");
        result = result == null || result.isNull() ? null : result;
      }
    }
  }

  /**
   * A turn finished with this output and nothing else waits to be answered.
   *
   * @param at when the turn finished
   * @param output the agent's output
   */
  record Completed(Instant at, JsonNode output) implements SessionEvent {
    public String type() {
      return "session.completed";
    }
  }

  /**
   * A turn failed; a new message starts another.
   *
   * @param at when the turn failed
   * @param error the kind of failure, such as an exception's simple class name
   * @param message what went wrong
   */
  record Failed(Instant at, String error, String message) implements SessionEvent {
    public String type() {
      return "session.failed";
    }
  }

  /**
   * The session was cancelled; it never runs again.
   *
   * @param at when it was cancelled
   * @param by who cancelled it
   * @param reason why, as given
   */
  record Cancelled(Instant at, String by, String reason) implements SessionEvent {
    public String type() {
      return "session.cancelled";
    }
  }

  /**
   * A tool call that is not idempotent whose outcome is not known, so it is not run (again): it
   * started but its result was never recorded (its driver died), or a fork's run asked for a call
   * its parent already applied after the fork point ({@code parentCallId} set). The session waits
   * until a human says what happened.
   *
   * @param at when the outcome was found unknown
   * @param runId the run that made the call
   * @param callId the call's id
   * @param tool the tool called
   * @param arguments the arguments it was called with
   * @param parentCallId the parent's call this one repeats, or null when it is not a fork's
   * @param parentResult what that call returned in the parent (offered to the human), or null when
   *     the parent's outcome is not known either (or was JSON {@code null})
   */
  record ToolOutcomeUnknown(
      Instant at,
      String runId,
      String callId,
      String tool,
      JsonNode arguments,
      @Nullable String parentCallId,
      @Nullable JsonNode parentResult)
      implements SessionEvent {

    /**
     * A JSON null parent result reads as null.
     *
     * @param at when the outcome was found unknown
     * @param runId the run that made the call
     * @param callId the call's id
     * @param tool the tool called
     * @param arguments the arguments it was called with
     * @param parentCallId the parent's call this one repeats, or null when it is not a fork's
     * @param parentResult what that call returned in the parent (offered to the human), or null
     *     when the parent's outcome is not known either (or was JSON {@code null})
     */
    public ToolOutcomeUnknown {
      parentResult = parentResult == null || parentResult.isNull() ? null : parentResult;
    }

    /**
     * A call whose driver died before its result was recorded.
     *
     * @param at when the outcome was found unknown
     * @param runId the run that made the call
     * @param callId the call's id
     * @param tool the tool called
     * @param arguments the arguments it was called with
     */
    public ToolOutcomeUnknown(
        Instant at, String runId, String callId, String tool, JsonNode arguments) {
      this(at, runId, callId, tool, arguments, null, null);
    }

    public String type() {
      return "tool.outcome-unknown";
    }
  }

  /**
   * A human said what an unknown tool call came to: its result, or (when {@code failure} is set)
   * how it failed. With a failure, a JSON {@code null} result is the absent result it was stored
   * as, so the failure branch reads back as written.
   *
   * @param at when the human said so
   * @param callId the unknown call's id
   * @param tool the tool called
   * @param result what the call returned, or null when it failed
   * @param failure how the call failed, or null when it returned
   * @param by who said so
   */
  record OutcomeResolved(
      Instant at,
      String callId,
      String tool,
      @Nullable JsonNode result,
      @Nullable String failure,
      String by)
      implements SessionEvent {
    /**
     * Checks that exactly one of result and failure is set; a JSON null result with a failure reads
     * as null.
     *
     * @param at when the human said so
     * @param callId the unknown call's id
     * @param tool the tool called
     * @param result what the call returned, or null when it failed
     * @param failure how the call failed, or null when it returned
     * @param by who said so
     */
    public OutcomeResolved {
      if (result != null && result.isNull() && failure != null) {
        result = null; // a stored failure reads back with a JSON null result
      }
      if ((result == null) == (failure == null)) {
        throw new IllegalArgumentException(
            "An outcome of tool call '"
                + callId
                + "' is either a result or a failure, not "
                + (result == null ? "neither" : "both"));
      }
    }

    public String type() {
      return "tool.outcome-resolved";
    }
  }

  /**
   * A run asked for a tool call whose result comes from outside ({@link CallGate}): the call never
   * ran, and the session waits until {@link Session#completeCall} or {@link Session#failCall}
   * records its outcome as an {@link OutcomeResolved}; then the run continues.
   *
   * @param at when the run asked for it
   * @param runId the run that asked
   * @param callId the call's id
   * @param tool the tool called
   * @param arguments the arguments it was called with
   * @param reason why its result comes from outside, as the gate said (such as {@code approval})
   */
  record CallSuspended(
      Instant at, String runId, String callId, String tool, JsonNode arguments, String reason)
      implements SessionEvent {
    public String type() {
      return "tool.suspended";
    }
  }

  /**
   * A suspended tool call ({@link CallSuspended}) was released: the outside said it may run itself
   * now (an approval). Once nothing else holds the session, its run runs the call as if it had
   * never been gated, through the usual effects ledger ({@code agent.tool.called}, then its
   * result).
   *
   * @param at when it was released
   * @param callId the released call's id
   * @param tool the tool called
   * @param by who released it
   */
  record CallReleased(Instant at, String callId, String tool, String by) implements SessionEvent {
    public String type() {
      return "tool.released";
    }
  }

  /**
   * Text the session's {@link TurnContext}s gave for a turn of {@code agent}, recorded before the
   * turn's run starts: every run of that turn (also one continued after a crash) adds this text to
   * its system prompt instead of asking again.
   *
   * @param at when it was recorded
   * @param agent the agent whose turn it is for
   * @param text the delimited text added after the agent's instructions
   */
  record ContextAdded(Instant at, String agent, String text) implements SessionEvent {
    public String type() {
      return "session.context";
    }
  }

  /**
   * An event of another module (review, triggers, a host's own), stored under its own namespaced
   * type such as {@code review.proposed}. Sessions keep it in the history and otherwise ignore it;
   * the module that wrote it reads it back from {@link Session#history()}. A stored event of a type
   * this release does not know, but that is a well-formed custom type, reads as a {@code Custom},
   * so a log with review events loads where the review module is not on the classpath.
   *
   * <pre>{@code
   * session.record(state -> Recording.of(new SessionEvent.Custom(
   *     clock.instant(), "review.proposed",
   *     JsonNodeFactory.instance.objectNode().put("review", "r-1"))));
   * }</pre>
   *
   * <p>The type is {@code module.name}: lowercase segments of letters, digits and dashes, joined by
   * dots, at least two segments, at most 100 characters, and not in a namespace sessions or core
   * use ({@link #RESERVED_NAMESPACES}). It is stored with type version 1; a module that changes the
   * shape of its data versions it inside {@code data}.
   *
   * @param at when it happened
   * @param type the namespaced type, such as {@code review.proposed}
   * @param data the module's payload; JSON null when absent
   */
  record Custom(Instant at, String type, JsonNode data) implements SessionEvent {

    /**
     * The first segments of types that sessions and core write; a {@code Custom} type never starts
     * with one of them.
     */
    public static final java.util.Set<String> RESERVED_NAMESPACES =
        java.util.Set.of(
            "session",
            "agent",
            "message",
            "input",
            "tool",
            "timer",
            "participant",
            "sessions",
            "core");

    private static final java.util.regex.Pattern TYPE =
        java.util.regex.Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+");

    /**
     * Checks the type (see {@link Custom}); a null {@code data} reads as JSON null.
     *
     * @param at when it happened
     * @param type the namespaced type, such as {@code review.proposed}
     * @param data the module's payload; JSON null when absent
     * @throws IllegalArgumentException if the type is not {@code module.name} or its namespace is
     *     reserved
     */
    public Custom {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(type, "type");
      String problem = problem(type);
      if (problem != null) {
        throw new IllegalArgumentException(
            "A custom event type must be 'module.name' (lowercase letters, digits and dashes, "
                + "dot-separated, such as 'review.proposed'), outside the namespaces "
                + new java.util.TreeSet<>(RESERVED_NAMESPACES)
                + "; '"
                + Texts.clip(type, 100)
                + "' "
                + problem);
      }
      data = data == null ? tools.jackson.databind.node.JsonNodeFactory.instance.nullNode() : data;
    }

    /**
     * Whether {@code type} may name a custom event (see {@link Custom}).
     *
     * @param type a stored type name
     * @return true when it is well-formed and outside the reserved namespaces
     */
    public static boolean isCustomType(String type) {
      return problem(type) == null;
    }

    private static @Nullable String problem(String type) {
      if (type.length() > 100) {
        return "is longer than 100 characters";
      }
      if (!TYPE.matcher(type).matches()) {
        return "is not of that form";
      }
      String namespace = type.substring(0, type.indexOf('.'));
      return RESERVED_NAMESPACES.contains(namespace)
          ? "is in the reserved namespace '" + namespace + "'"
          : null;
    }
  }

  /**
   * A durable timer of this session fired ({@link Session#schedule}): recorded exactly once, in the
   * same append that deleted the timer, together with the events its {@link TimerHandler} chose.
   *
   * @param at when it fired, by the firing node's clock
   * @param name the timer's name within the session
   * @param kind the kind whose handler fired it, such as {@code review.expiry}
   * @param payload what the timer was scheduled with
   */
  record TimerFired(Instant at, String name, String kind, JsonNode payload)
      implements SessionEvent {
    public String type() {
      return "timer.fired";
    }
  }
}
