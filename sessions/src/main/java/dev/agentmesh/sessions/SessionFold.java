package dev.agentmesh.sessions;

import dev.agentmesh.core.AgentEvent;
import dev.agentmesh.core.internal.turn.Transcript;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.sessions.SessionEvent.AgentStep;
import dev.agentmesh.sessions.SessionEvent.Forked.ParentCall;
import dev.agentmesh.sessions.spi.SessionSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Session state as a left fold over its events: an immutable value; {@link #apply} returns the
 * state after the next event of the log, and {@link #snapshot()} reads it. The same fold serves the
 * live runtime (applied as events are appended) and replay (applied to a loaded log), so both agree
 * by construction.
 *
 * <p>The state is four small values, each changed by a few kinds of event: what the session is
 * ({@link Identity}), its conversation and turn ({@link Conversation}, whose transcript is core's
 * {@link Transcript}: the one rule for owed and unsafe tool calls), what a human must answer
 * ({@link Questions}) and how its last turn ended ({@link Ending}). Applying an event shares
 * everything it does not change, the transcript's messages included, so the cost of an event does
 * not grow with the log.
 *
 * <p>Messages posted while a turn is open wait in an inbox: the running model never saw them, so
 * they join the transcript when the turn closes (or when a continuing run starts at a clean point),
 * and then another turn answers them. Events of child runs (agents called as tools) are kept in the
 * log but not in the transcript. Thread-safe: it never changes.
 */
final class SessionFold {

  private record Posted(ChatMessage message, @Nullable String addressedTo) {}

  /**
   * What the session is: set when it is created (a fork's parent when it is forked). The
   * participants are kept sorted, and also as the immutable copies a snapshot and a summary take
   * ({@code copied}, {@code names}), made once per change rather than once per event; so is the
   * origin's key a summary takes.
   */
  private record Identity(
      String agent,
      JsonNode input,
      @Nullable Origin origin,
      Instant createdAt,
      Map<String, ParticipantRole> participants,
      Map<String, ParticipantRole> copied,
      java.util.Set<String> names,
      @Nullable String forkedFrom,
      String originKey) {

    static final Identity NONE =
        new Identity("", JsonNodeFactory.instance.nullNode(), null, Instant.EPOCH, Map.of(), null);

    Identity(
        String agent,
        JsonNode input,
        @Nullable Origin origin,
        Instant createdAt,
        Map<String, ParticipantRole> participants,
        @Nullable String forkedFrom) {
      this(
          agent,
          input,
          origin,
          createdAt,
          Collections.unmodifiableMap(new TreeMap<>(participants)),
          Map.copyOf(participants),
          java.util.Set.copyOf(participants.keySet()),
          forkedFrom,
          origin == null ? "" : origin.key());
    }

    Identity joined(String participant, ParticipantRole role) {
      Map<String, ParticipantRole> all = new TreeMap<>(participants);
      all.put(participant, role);
      return new Identity(agent, input, origin, createdAt, all, forkedFrom);
    }

    Identity forked(String parent, Instant at) {
      return new Identity(agent, input, origin, at, participants, copied, names, parent, originKey);
    }
  }

  /**
   * The conversation and the turn: the transcript, messages waiting for the next turn, whether a
   * turn is open, whether one is open or due ({@code active}), which agent answers, and whether
   * that turn was asked for by a message addressed to an agent ({@code postTo}), which runs even
   * while the session waits for a named input.
   */
  private record Conversation(
      Transcript transcript,
      List<Posted> inbox,
      boolean turnOpen,
      boolean active,
      @Nullable String turnAgent,
      boolean addressed) {

    static final Conversation NONE =
        new Conversation(Transcript.empty(), List.of(), false, false, null, false);

    Conversation with(Transcript next) {
      return new Conversation(next, inbox, turnOpen, active, turnAgent, addressed);
    }

    /** A posted message: it waits while a turn is open or a call is owed, else it joins. */
    Conversation receive(Posted posted) {
      if (turnOpen || !transcript.owed().isEmpty()) {
        return new Conversation(
            transcript, plus(inbox, posted), turnOpen, !turnOpen || active, turnAgent, addressed);
      }
      String agent = posted.addressedTo() != null ? posted.addressedTo() : turnAgent;
      return new Conversation(
          transcript.append(posted.message()),
          inbox,
          false,
          true,
          agent,
          addressed || posted.addressedTo() != null);
    }

    /**
     * A module ended the session (an approved output completes it, a rejected one fails it) after
     * an input that would have opened a turn: no turn is due any more. A turn that is open, or a
     * message waiting in the inbox, still runs.
     */
    Conversation settledByModule() {
      return turnOpen || !inbox.isEmpty()
          ? this
          : new Conversation(transcript, inbox, false, false, turnAgent, addressed);
    }

    /** Whether the inbox joins the conversation now: nothing owed, nobody addressed. */
    boolean inboxJoins() {
      return transcript.owed().isEmpty() && inbox.stream().allMatch(p -> p.addressedTo() == null);
    }

    Conversation step(AgentEvent event) {
      boolean child =
          transcript.isChildRun(event.runId())
              || event instanceof AgentEvent.RunStarted s && s.parentRunId() != null;
      if (child) {
        return with(transcript.apply(event));
      }
      Conversation c = this;
      if (event instanceof AgentEvent.RunStarted started) {
        Transcript t = transcript;
        List<Posted> waiting = inbox;
        if (inboxJoins()) {
          for (Posted posted : inbox) {
            t = t.append(posted.message());
          }
          waiting = List.of();
        }
        c = new Conversation(t, waiting, true, true, started.agent(), addressed);
      }
      c = c.with(c.transcript.apply(event));
      if (event instanceof AgentEvent.OutputProduced || event instanceof AgentEvent.RunFailed) {
        c = c.closeTurn();
      }
      return c;
    }

    /** The turn ended: messages that waited for it are received again, in order. */
    private Conversation closeTurn() {
      Conversation c = new Conversation(transcript, List.of(), false, false, null, false);
      for (Posted posted : inbox) {
        c = c.receive(posted);
      }
      return c;
    }
  }

  /**
   * What must be answered from outside: named inputs waited for (asked by the host), suspended tool
   * calls (asked by the agent), tool calls whose outcome is unknown, and a fork's inherited parent
   * calls not asked about yet.
   */
  private record Questions(
      Map<String, String> waits,
      Map<String, SessionState.UnknownOutcome> unknown,
      List<ParentCall> parentCalls,
      Map<String, SessionState.SuspendedCall> suspended,
      java.util.Set<String> released) {

    static final Questions NONE =
        new Questions(Map.of(), Map.of(), List.of(), Map.of(), java.util.Set.of());

    /** The call may run itself now: no longer suspended, and never gated again. */
    Questions release(String callId) {
      Map<String, SessionState.SuspendedCall> waiting = new LinkedHashMap<>(suspended);
      waiting.remove(callId);
      java.util.Set<String> all = new java.util.HashSet<>(released);
      all.add(callId);
      return new Questions(
          waits,
          unknown,
          parentCalls,
          Collections.unmodifiableMap(waiting),
          java.util.Set.copyOf(all));
    }

    Questions suspend(SessionEvent.CallSuspended s) {
      Map<String, SessionState.SuspendedCall> all = new LinkedHashMap<>(suspended);
      all.put(
          s.callId(),
          new SessionState.SuspendedCall(
              s.runId(), s.callId(), s.tool(), s.arguments(), s.reason()));
      return new Questions(waits, unknown, parentCalls, Collections.unmodifiableMap(all), released);
    }

    Questions waiting(String name, String prompt) {
      Map<String, String> all = new TreeMap<>(waits);
      all.put(name, prompt);
      return new Questions(
          Collections.unmodifiableMap(all), unknown, parentCalls, suspended, released);
    }

    Questions received(String name) {
      Map<String, String> all = new TreeMap<>(waits);
      all.remove(name);
      return new Questions(
          Collections.unmodifiableMap(all), unknown, parentCalls, suspended, released);
    }

    Questions inherited(List<ParentCall> calls) {
      List<ParentCall> all = new ArrayList<>(parentCalls);
      all.addAll(calls);
      return new Questions(waits, unknown, List.copyOf(all), suspended, released);
    }

    Questions unknown(SessionEvent.ToolOutcomeUnknown u) {
      Map<String, SessionState.UnknownOutcome> all = new LinkedHashMap<>(unknown);
      all.put(
          u.callId(),
          new SessionState.UnknownOutcome(
              u.runId(), u.callId(), u.tool(), u.arguments(), u.parentCallId(), u.parentResult()));
      List<ParentCall> open = parentCalls;
      if (u.parentCallId() != null) {
        open = askedAbout(u.parentCallId(), u.tool(), Forks.canonical(u.arguments()));
      }
      return new Questions(waits, Collections.unmodifiableMap(all), open, suspended, released);
    }

    Questions resolved(String callId) {
      Map<String, SessionState.UnknownOutcome> all = new LinkedHashMap<>(unknown);
      all.remove(callId);
      Map<String, SessionState.SuspendedCall> waiting = new LinkedHashMap<>(suspended);
      waiting.remove(callId);
      return new Questions(
          waits,
          Collections.unmodifiableMap(all),
          parentCalls,
          Collections.unmodifiableMap(waiting),
          released);
    }

    /** The inherited calls without the one a question was about (the first such). */
    private List<ParentCall> askedAbout(String parentCallId, String tool, String arguments) {
      List<ParentCall> open = new ArrayList<>(parentCalls);
      for (int i = 0; i < open.size(); i++) {
        ParentCall call = open.get(i);
        if (call.callId().equals(parentCallId)
            && call.tool().equals(tool)
            && call.arguments().equals(arguments)) {
          open.remove(i);
          return List.copyOf(open);
        }
      }
      return parentCalls;
    }
  }

  /** What a human did to the session, and how its last turn ended. */
  private record Ending(
      boolean paused,
      boolean cancelled,
      boolean failed,
      @Nullable JsonNode output,
      @Nullable String failure) {

    static final Ending NONE = new Ending(false, false, false, null, null);

    Ending pausedNow(boolean now) {
      return new Ending(now, cancelled, failed, output, failure);
    }

    Ending cancel() {
      return new Ending(paused, true, failed, output, failure);
    }

    Ending complete(JsonNode result) {
      return new Ending(paused, cancelled, false, result, null);
    }

    Ending fail(String why) {
      return new Ending(paused, cancelled, true, null, why);
    }
  }

  private final String id;
  private final long version;
  private final Instant updatedAt;
  private final Identity identity;
  private final Conversation conversation;
  private final Questions questions;
  private final Ending ending;
  private final SessionEvent.@Nullable ContextAdded turnContext;

  private SessionFold(
      String id,
      long version,
      Instant updatedAt,
      Identity identity,
      Conversation conversation,
      Questions questions,
      Ending ending,
      SessionEvent.@Nullable ContextAdded turnContext) {
    this.id = id;
    this.version = version;
    this.updatedAt = updatedAt;
    this.identity = identity;
    this.conversation = conversation;
    this.questions = questions;
    this.ending = ending;
    this.turnContext = turnContext;
  }

  /** {@return the state of a session with no events yet (version 0)} */
  static SessionFold empty(String id) {
    return new SessionFold(
        id, 0, Instant.EPOCH, Identity.NONE, Conversation.NONE, Questions.NONE, Ending.NONE, null);
  }

  /** The state after replaying {@code events} from the start of the log. */
  static SessionFold replay(String id, Iterable<SessionEvent> events) {
    SessionFold fold = empty(id);
    for (SessionEvent event : events) {
      fold = fold.apply(event);
    }
    return fold;
  }

  /** The state after {@code events}, applied in order after this state's version. */
  SessionFold applyAll(List<SessionEvent> events) {
    SessionFold fold = this;
    for (SessionEvent event : events) {
      fold = fold.apply(event);
    }
    return fold;
  }

  /** {@return the state after the next event of the log; its version is one higher} */
  SessionFold apply(SessionEvent event) {
    Identity i = identity;
    Conversation c = conversation;
    Questions q = questions;
    Ending e = ending;
    SessionEvent.ContextAdded context = turnContext;
    if (event instanceof SessionEvent.Created created) {
      i =
          new Identity(
              created.agent(),
              created.input(),
              created.origin(),
              created.at(),
              created.participants(),
              i.forkedFrom());
      Transcript t = c.transcript().append(Transcript.inputMessage(created.input()));
      c = new Conversation(t, c.inbox(), c.turnOpen(), true, c.turnAgent(), c.addressed());
    } else if (event instanceof SessionEvent.ParticipantJoined joined) {
      i = i.joined(joined.participant(), joined.role());
    } else if (event instanceof SessionEvent.MessagePosted posted) {
      String author = posted.fromAgent() ? "agent:" + posted.author() : posted.author();
      c = c.receive(new Posted(ChatMessage.user(posted.text(), author), posted.addressedTo()));
    } else if (event instanceof AgentStep step) {
      c = c.step(step.event());
      if (conversation.turnOpen() && !c.turnOpen()) {
        context = null; // the turn its text was for is over
      }
    } else if (event instanceof SessionEvent.WaitingForInput waiting) {
      q = q.waiting(waiting.name(), waiting.prompt());
    } else if (event instanceof SessionEvent.InputReceived received) {
      q = q.received(received.name());
      String value =
          received.value().isString() ? received.value().asString() : received.value().toString();
      c =
          c.receive(
              new Posted(
                  ChatMessage.user("Input '" + received.name() + "': " + value, received.by()),
                  null));
    } else if (event instanceof SessionEvent.Paused) {
      e = e.pausedNow(true);
    } else if (event instanceof SessionEvent.Resumed) {
      e = e.pausedNow(false);
    } else if (event instanceof SessionEvent.Cancelled) {
      e = e.cancel();
    } else if (event instanceof SessionEvent.Completed completed) {
      e = e.complete(completed.output());
      c = c.settledByModule();
      context = null;
    } else if (event instanceof SessionEvent.Failed failed) {
      e = e.fail(failed.error() + ": " + failed.message());
      c = c.settledByModule();
      context = null;
    } else if (event instanceof SessionEvent.CallReleased released) {
      q = q.release(released.callId()); // still owed: the run runs it, ungated
    } else if (event instanceof SessionEvent.ContextAdded added) {
      context = added;
    } else if (event instanceof SessionEvent.Forked forked) {
      i = i.forked(forked.parentId(), event.at());
      q = q.inherited(forked.parentCalls());
    } else if (event instanceof SessionEvent.ToolOutcomeUnknown unknown) {
      q = q.unknown(unknown);
      c = c.with(c.transcript().outcomeUnknown(unknown.callId()));
    } else if (event instanceof SessionEvent.CallSuspended suspended) {
      q = q.suspend(suspended); // never started: owed, not unsafe, not unknown
    } else if (event instanceof SessionEvent.OutcomeResolved resolved) {
      q = q.resolved(resolved.callId());
      c =
          c.with(
              c.transcript()
                  .resolved(
                      resolved.callId(), resolved.tool(), resolved.result(), resolved.failure()));
    }
    return new SessionFold(id, version + 1, event.at(), i, c, q, e, context);
  }

  /** Whether the suspended call {@code callId} was released to run itself. */
  boolean released(String callId) {
    return questions.released().contains(callId);
  }

  /**
   * The text recorded for the coming or open turn by {@link TurnContext}s, until that turn ends;
   * null when none was recorded.
   */
  SessionEvent.@Nullable ContextAdded turnContext() {
    return turnContext;
  }

  String id() {
    return id;
  }

  long version() {
    return version;
  }

  /**
   * The calls that are not idempotent which this fork's parent applied after the fork point and no
   * run of this session has asked about yet; empty for a session that is not a fork.
   */
  List<ParentCall> parentCalls() {
    return questions.parentCalls();
  }

  /** Whether a turn is open or due. */
  boolean active() {
    return conversation.active();
  }

  /**
   * Tool calls of the last assistant message that have no result yet: the definition the agent loop
   * uses to decide what a continued run runs first ({@link Transcript#owed()}).
   */
  List<ToolCall> pendingCalls() {
    return conversation.transcript().owed();
  }

  /**
   * The pending calls that started but are not idempotent and have no recorded outcome: never
   * repeated silently ({@link Transcript#unsafeToRepeat()}).
   */
  List<AgentEvent.ToolCalled> unsafeToRepeat() {
    return conversation.transcript().unsafeToRepeat();
  }

  /** The conversation the next run continues: the transcript, plus the inbox when it can join. */
  List<ChatMessage> history() {
    List<ChatMessage> messages = conversation.transcript().messages();
    if (conversation.inbox().isEmpty() || !conversation.inboxJoins()) {
      return messages;
    }
    List<ChatMessage> history = new ArrayList<>(messages.size() + conversation.inbox().size());
    history.addAll(messages);
    conversation.inbox().forEach(p -> history.add(p.message()));
    return history;
  }

  /**
   * The run of the latest top-level run start: the only run whose steps (and whose child runs'
   * steps) may still be appended. A driver whose run is no longer current was overtaken by another
   * driver and must stop.
   */
  @Nullable String currentRun() {
    return conversation.transcript().currentRun();
  }

  /**
   * Whether the log already holds an outcome for the current run's tool call {@code callId}: a
   * result, a failure, or an unknown outcome (resolved or not). A second outcome for one call is
   * always refused, so a tool call has at most one outcome in the log.
   */
  boolean outcomeRecorded(String callId) {
    return conversation.transcript().outcomeRecorded(callId);
  }

  /** Whether a turn is open (started and neither finished nor failed). */
  boolean turnOpen() {
    return conversation.turnOpen();
  }

  boolean exists() {
    return version > 0;
  }

  boolean cancelled() {
    return ending.cancelled();
  }

  @Nullable String failureOrNull() {
    return ending.failure();
  }

  boolean inboxEmpty() {
    return conversation.inbox().isEmpty();
  }

  Map<String, ParticipantRole> participants() {
    return identity.participants();
  }

  Map<String, String> waits() {
    return questions.waits();
  }

  Map<String, SessionState.UnknownOutcome> unknown() {
    return questions.unknown();
  }

  /** The calls whose results come from outside and have not come yet, by call id. */
  Map<String, SessionState.SuspendedCall> suspended() {
    return questions.suspended();
  }

  String agent() {
    return identity.agent();
  }

  JsonNode input() {
    return identity.input();
  }

  String currentAgent() {
    String turnAgent = conversation.turnAgent();
    return turnAgent != null ? turnAgent : identity.agent();
  }

  SessionStatus status() {
    if (ending.cancelled()) {
      return SessionStatus.CANCELLED;
    }
    if (ending.paused()) {
      return SessionStatus.PAUSED;
    }
    if (!questions.unknown().isEmpty() || !questions.suspended().isEmpty()) {
      return SessionStatus.WAITING;
    }
    if (!questions.waits().isEmpty() && !(conversation.active() && conversation.addressed())) {
      return SessionStatus.WAITING; // a message addressed with postTo is answered meanwhile
    }
    if (conversation.active()) {
      return SessionStatus.RUNNING;
    }
    return ending.failed() ? SessionStatus.FAILED : SessionStatus.COMPLETED;
  }

  boolean runnable() {
    return status() == SessionStatus.RUNNING;
  }

  SessionSummary summary() {
    return SessionSummary.builder(id)
        .agent(identity.agent())
        .status(status().id())
        .runnable(runnable())
        .origin(identity.originKey())
        .participants(identity.names())
        .forkedFrom(identity.forkedFrom())
        .createdAt(identity.createdAt())
        .updatedAt(updatedAt)
        .version(version)
        .build();
  }

  SessionState snapshot() {
    Origin started = identity.origin();
    if (started == null) {
      throw new IllegalStateException(
          "Session '"
              + id
              + "' has no session.created event to say "
              + "what started it; its log begins at version 1 with another event");
    }
    return new SessionState(
        id,
        version,
        status(),
        identity.agent(),
        currentAgent(),
        identity.input(),
        started,
        identity.copied(),
        conversation.transcript().messages(),
        questions.waits(),
        List.copyOf(questions.unknown().values()),
        List.copyOf(questions.suspended().values()),
        ending.output(),
        ending.failure(),
        identity.forkedFrom(),
        identity.createdAt(),
        updatedAt);
  }

  private static <T> List<T> plus(List<T> list, T item) {
    List<T> longer = new ArrayList<>(list.size() + 1);
    longer.addAll(list);
    longer.add(item);
    return List.copyOf(longer);
  }
}
