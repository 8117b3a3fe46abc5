package dev.agentmesh.core.internal.turn;

import dev.agentmesh.core.AgentEvent;
import dev.agentmesh.core.spi.ChatMessage;
import dev.agentmesh.core.spi.ToolCall;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The conversation a run's events record, and the one rule about its tool calls: which are still
 * owed a result ({@link #owed()}) and which of those must not be repeated because they started, are
 * not idempotent and have no recorded outcome ({@link #unsafeToRepeat()}). The agent loop decides
 * what a continued run runs first with it; sessions fold their logs into it and decide unknown
 * outcomes with it.
 *
 * <pre>{@code
 * Transcript transcript = Transcript.empty();
 * for (AgentEvent event : storedEvents) transcript = transcript.apply(event);
 * List<ToolCall> first = transcript.owed();
 * }</pre>
 *
 * <p>An immutable value: {@link #append} and {@link #apply} return a new transcript and leave this
 * one as it was. The messages are shared between the two (an append-only backing viewed by length),
 * and everything else it keeps is bounded by one turn (the calls of the current top-level run and
 * of its child runs), so extending a transcript costs the same at the thousandth step as at the
 * tenth. Thread-safe.
 */
public final class Transcript {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private static final Transcript EMPTY =
      new Transcript(
          AppendList.empty(), List.of(), Map.of(), Set.of(), Set.of(), Map.of(), Set.of(), null);

  /** A run of an agent called as a tool: which run called it, and which agent it is. */
  private record ChildRun(String parentRunId, String agent) {}

  private final AppendList<ChatMessage> messages;

  /** The calls of the last assistant message, when only their results follow it, without one. */
  private final List<ToolCall> owed;

  /**
   * What a transcript knows of the calls besides its messages, shared unchanged by every transcript
   * that only appends a message (most of them), so an append allocates no copy of it.
   *
   * @param started top-level calls that started (by call id, the latest start) and have no outcome
   *     yet
   * @param outcomes calls of the current run whose outcome is recorded (a result, a failure, an
   *     unknown)
   * @param unknown calls whose outcome is recorded as unknown and not resolved yet
   * @param childRuns the runs of agents called as tools, by run id
   * @param unsafeRuns runs that started a call that is not idempotent, themselves or in a child run
   * @param currentRun the top-level run the transcript is in, if known
   */
  private record Ledger(
      Map<String, AgentEvent.ToolCalled> started,
      Set<String> outcomes,
      Set<String> unknown,
      Map<String, ChildRun> childRuns,
      Set<String> unsafeRuns,
      @Nullable String currentRun) {}

  private final Ledger ledger;

  private Transcript(
      AppendList<ChatMessage> messages,
      List<ToolCall> owed,
      Map<String, AgentEvent.ToolCalled> started,
      Set<String> outcomes,
      Set<String> unknown,
      Map<String, ChildRun> childRuns,
      Set<String> unsafeRuns,
      @Nullable String currentRun) {
    this(messages, owed, new Ledger(started, outcomes, unknown, childRuns, unsafeRuns, currentRun));
  }

  private Transcript(AppendList<ChatMessage> messages, List<ToolCall> owed, Ledger ledger) {
    this.messages = messages;
    this.owed = owed;
    this.ledger = ledger;
  }

  /** {@return the transcript with no messages} */
  public static Transcript empty() {
    return EMPTY;
  }

  /**
   * The transcript of a conversation given as messages (a run continued from its history).
   *
   * @param messages the conversation after the system prompt, oldest first
   * @return the transcript holding them
   */
  public static Transcript of(List<ChatMessage> messages) {
    Transcript transcript = EMPTY;
    int from = 0;
    if (messages instanceof AppendList<ChatMessage> shared) {
      // What is owed depends only on the last message that is not a tool result and the results
      // after it, so a transcript's own view is shared up to there, not appended again.
      from = messages.size() - 1;
      while (from > 0 && messages.get(from).role() == ChatMessage.Role.TOOL) {
        from--;
      }
      from = Math.max(from, 0);
      transcript =
          new Transcript(
              shared.prefix(from),
              List.of(),
              Map.of(),
              Set.of(),
              Set.of(),
              Map.of(),
              Set.of(),
              null);
    }
    for (int i = from; i < messages.size(); i++) {
      transcript = transcript.append(messages.get(i));
    }
    return transcript;
  }

  /**
   * The conversation after the system prompt that these events of one run record, to continue the
   * run from them. Child runs' events are left out; a {@code run.failed} closes no calls here (a
   * run that failed, like one that crashed, continues with its owed calls).
   *
   * @param events one run's events, in order
   * @return the messages, oldest first
   */
  public static List<ChatMessage> fromEvents(Iterable<? extends AgentEvent> events) {
    Transcript transcript = EMPTY;
    for (AgentEvent event : events) {
      if (!(event instanceof AgentEvent.RunFailed)) {
        transcript = transcript.apply(event);
      }
    }
    return transcript.messages();
  }

  // ---- the rule -------------------------------------------------------------------------------

  /**
   * This transcript with {@code message} as its last message. An assistant message's tool calls
   * become owed; a tool result pays its call; any other message ends what was owed (a conversation
   * whose pending calls are followed by another message owes nothing, so a run never runs a call
   * out of order).
   *
   * @param message the next message
   * @return the longer transcript
   */
  public Transcript append(ChatMessage message) {
    List<ToolCall> nowOwed;
    if (message.role() == ChatMessage.Role.ASSISTANT) {
      nowOwed = message.toolCalls(); // immutable already: the message copied it
    } else if (message.role() == ChatMessage.Role.TOOL) {
      nowOwed = without(owed, message.toolCallId());
    } else {
      nowOwed = List.of();
    }
    return new Transcript(messages.plus(message), nowOwed, ledger);
  }

  /**
   * This transcript after the next event of a run: its message if it has one, and what it says
   * about tool calls. Events of child runs (agents called as tools) add no message, but a child's
   * call that is not idempotent marks its callers as unsafe to repeat. A failed top-level run
   * closes its owed calls: those {@linkplain #unsafeToRepeat() unsafe to repeat} stay owed (a human
   * states their outcome), every other one gets a failure result, so nothing runs again by itself.
   *
   * @param event the run's next event, in log order
   * @return the transcript after it
   */
  public Transcript apply(AgentEvent event) {
    Transcript t = this;
    if (event instanceof AgentEvent.ToolCalled called && !called.idempotent()) {
      t = t.markUnsafe(event.runId());
    }
    if (t.ledger.childRuns().containsKey(event.runId())) {
      return t;
    }
    if (event instanceof AgentEvent.RunStarted s) {
      if (s.parentRunId() != null) {
        return t.withChildRun(s.runId(), new ChildRun(s.parentRunId(), s.agent()));
      }
      t = t.startRun(s.runId());
      return s.continued() ? t : t.append(inputMessage(s.input()));
    }
    if (event instanceof AgentEvent.ModelResponded r) {
      return t.append(
          ChatMessage.assistant(
              r.text() == null && r.toolCalls().isEmpty() ? "" : r.text(), r.toolCalls()));
    }
    if (event instanceof AgentEvent.ToolCalled called) {
      String id = called.call().id();
      return new Transcript(
          t.messages,
          t.owed,
          with(t.ledger.started(), id, called),
          without(t.ledger.outcomes(), id),
          t.ledger.unknown(),
          t.ledger.childRuns(),
          t.ledger.unsafeRuns(),
          t.ledger.currentRun());
    }
    if (event instanceof AgentEvent.ToolReturned r) {
      return t.outcome(r.callId()).append(toolResult(r.callId(), r.tool(), r.result()));
    }
    if (event instanceof AgentEvent.ToolFailed f) {
      return t.outcome(f.callId()).append(toolFailure(f.callId(), f.tool(), f.message()));
    }
    if (event instanceof AgentEvent.OutputProduced produced && t.recordedAnswer() == null) {
      // An output no model answer carries (a deterministic agent's): it joins the conversation as
      // the agent's answer, so the next turn sees it. A model's output is its last answer already.
      return t.append(answer(produced.output()));
    }
    if (event instanceof AgentEvent.OutputRejected rejected) {
      return t.append(repairRequest(rejected.errors()));
    }
    if (event instanceof AgentEvent.RunFailed failed) {
      return t.closeFailedRun(failed);
    }
    return t;
  }

  /**
   * This transcript once the log says the outcome of {@code callId} is unknown (a human states it):
   * the call has an outcome as far as repeats go, and stays owed until it is resolved.
   *
   * @param callId the call's id
   * @return the transcript after it
   */
  public Transcript outcomeUnknown(String callId) {
    return new Transcript(
        messages,
        owed,
        ledger.started(),
        with(ledger.outcomes(), callId),
        with(ledger.unknown(), callId),
        ledger.childRuns(),
        ledger.unsafeRuns(),
        ledger.currentRun());
  }

  /**
   * This transcript once a human stated the outcome of {@code callId}: its result, or a failure.
   *
   * @param callId the call's id
   * @param tool the tool's name
   * @param result what the call returned, or {@code null} when it failed
   * @param failure why it failed, when {@code result} is null
   * @return the transcript with the call's result as its last message
   */
  public Transcript resolved(
      String callId, String tool, @Nullable JsonNode result, @Nullable String failure) {
    Transcript t =
        new Transcript(
            messages,
            owed,
            without(ledger.started(), callId),
            with(ledger.outcomes(), callId),
            without(ledger.unknown(), callId),
            ledger.childRuns(),
            ledger.unsafeRuns(),
            ledger.currentRun());
    return t.append(
        result != null
            ? toolResult(callId, tool, result)
            : toolFailure(callId, tool, String.valueOf(failure)));
  }

  /**
   * The tool calls this conversation still owes results for: those of its last assistant message,
   * when only tool results follow it, that have no result yet. A continued run runs them first.
   *
   * @return the calls, in the model's order; empty when none
   */
  public List<ToolCall> owed() {
    return owed;
  }

  /**
   * The owed calls that must not be repeated silently: they started, are not idempotent, and have
   * no recorded outcome. A call of a child agent whose runs started nothing that is not idempotent
   * (a child stopped by a pause, say) may be asked again, so it is not among them.
   *
   * @return their {@code tool.called} events, in the model's order
   */
  public List<AgentEvent.ToolCalled> unsafeToRepeat() {
    List<AgentEvent.ToolCalled> unsafe = new ArrayList<>();
    for (ToolCall call : owed) {
      AgentEvent.ToolCalled called = ledger.started().get(call.id());
      if (called != null
          && !called.idempotent()
          && !ledger.unknown().contains(call.id())
          && !safeChildCall(called)) {
        unsafe.add(called);
      }
    }
    return unsafe;
  }

  /**
   * Whether the log holds an outcome for the call {@code callId} of the current run: a result, a
   * failure, or an unknown outcome (resolved or not). A second outcome is always refused, so a tool
   * call has at most one outcome in the log.
   *
   * @param callId the call's id
   * @return whether it has one
   */
  public boolean outcomeRecorded(String callId) {
    return ledger.outcomes().contains(callId);
  }

  /**
   * The run of the latest top-level {@code run.started}: the only run whose steps (and whose child
   * runs' steps) may still be recorded.
   *
   * @return its id, or {@code null} before any run started
   */
  public @Nullable String currentRun() {
    return ledger.currentRun();
  }

  /**
   * Whether {@code runId} is a run of an agent called as a tool in the current turn.
   *
   * @param runId a run's id
   * @return whether it is a child run
   */
  public boolean isChildRun(String runId) {
    return ledger.childRuns().containsKey(runId);
  }

  /** {@return the conversation, oldest first; an immutable view shared with later transcripts} */
  public List<ChatMessage> messages() {
    return messages;
  }

  /**
   * An immutable list of {@code messages}: the list itself when it is a transcript's {@link
   * #messages()} view (immutable already, so copying it would cost its length for nothing), else
   * {@link List#copyOf}.
   *
   * @param messages the messages
   * @return an immutable list equal to {@code messages}
   */
  public static List<ChatMessage> immutable(List<ChatMessage> messages) {
    return isImmutable(messages) ? messages : List.copyOf(messages);
  }

  private static final Predicate<ChatMessage> SYSTEM = m -> m.role() == ChatMessage.Role.SYSTEM;

  /**
   * Whether {@code messages} hold a system message. A transcript's {@link #messages()} view is
   * looked at only past what an earlier call found on the messages it shares, so a conversation
   * checked at every turn costs each turn its new messages, not its length.
   *
   * @param messages the messages
   * @return whether one of them is a system message
   */
  public static boolean holdsSystemMessage(List<ChatMessage> messages) {
    if (messages instanceof AppendList<ChatMessage> shared) {
      return !shared.noneMatch(SYSTEM);
    }
    for (ChatMessage m : messages) {
      if (SYSTEM.test(m)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code messages} is a list this package made immutable: a transcript's {@link
   * #messages()} view or a {@link #withFirst} list, which can be shared instead of copied.
   *
   * @param messages the messages
   * @return whether the list never changes
   */
  public static boolean isImmutable(List<ChatMessage> messages) {
    return messages instanceof AppendList || messages instanceof Prefixed;
  }

  /**
   * {@code first} followed by this transcript's messages, as an immutable list that shares them (a
   * model request's system message and the conversation, without copying the conversation).
   *
   * @param first the message that comes first
   * @return an immutable list of {@code first} and {@link #messages()}
   */
  public List<ChatMessage> withFirst(ChatMessage first) {
    return new Prefixed<>(first, messages);
  }

  /**
   * The model's final answer the conversation ends with and that no step followed: its last
   * message, when it is the assistant's and asks for no tools. A run continued from it finishes
   * from this answer instead of asking the model again.
   *
   * @return that answer, or {@code null}
   */
  public @Nullable ChatMessage recordedAnswer() {
    if (messages.isEmpty()) {
      return null;
    }
    ChatMessage last = messages.get(messages.size() - 1);
    return last.role() == ChatMessage.Role.ASSISTANT && last.toolCalls().isEmpty() ? last : null;
  }

  // ---- the messages ---------------------------------------------------------------------------

  /**
   * The first user message of a run: a text input as is, any other as JSON.
   *
   * @param input the run's input
   * @return the user message
   */
  public static ChatMessage inputMessage(JsonNode input) {
    return ChatMessage.user(text(input));
  }

  /**
   * An output as the agent's final answer in the conversation: a text output as is, any other as
   * JSON.
   *
   * @param output the run's output
   * @return the assistant message
   */
  public static ChatMessage answer(JsonNode output) {
    return ChatMessage.assistant(text(output));
  }

  /**
   * A tool's result as the model sees it.
   *
   * @param callId the call's id
   * @param tool the tool's name
   * @param result what the tool returned
   * @return the tool message
   */
  public static ChatMessage toolResult(String callId, String tool, JsonNode result) {
    return ChatMessage.toolResult(callId, tool, text(result), false);
  }

  /**
   * A failed tool call as the model sees it.
   *
   * @param callId the call's id
   * @param tool the tool's name
   * @param message what the model is told
   * @return the tool message, marked as an error
   */
  public static ChatMessage toolFailure(String callId, String tool, String message) {
    return ChatMessage.toolResult(callId, tool, message, true);
  }

  /**
   * What the model is told when its answer does not match the output schema.
   *
   * @param errors what did not match, one line each
   * @return the user message
   */
  public static ChatMessage repairRequest(List<String> errors) {
    return ChatMessage.user(
        "Your answer does not match the required output schema:\n- "
            + String.join("\n- ", errors)
            + "\nAnswer again with only the corrected JSON value, nothing else.");
  }

  // ---- internals ------------------------------------------------------------------------------

  /**
   * A new top-level run: what the previous turn knew about its calls and child runs is kept only
   * for calls still started without an outcome (a crash's pending calls).
   */
  private Transcript startRun(String runId) {
    Set<String> roots = new HashSet<>();
    ledger.started().values().forEach(called -> roots.add(called.runId()));
    Map<String, ChildRun> children = new LinkedHashMap<>();
    ledger
        .childRuns()
        .forEach(
            (id, child) -> {
              if (roots.contains(rootOf(id))) {
                children.put(id, child);
              }
            });
    Set<String> unsafe = new HashSet<>();
    for (String run : ledger.unsafeRuns()) {
      if (roots.contains(run) || children.containsKey(run)) {
        unsafe.add(run);
      }
    }
    return new Transcript(
        messages,
        owed,
        ledger.started(),
        Set.of(),
        ledger.unknown(),
        Collections.unmodifiableMap(children),
        Collections.unmodifiableSet(unsafe),
        runId);
  }

  private String rootOf(String runId) {
    String run = runId;
    for (ChildRun child = ledger.childRuns().get(run);
        child != null;
        child = ledger.childRuns().get(run)) {
      run = child.parentRunId();
    }
    return run;
  }

  private Transcript withChildRun(String runId, ChildRun child) {
    return new Transcript(
        messages,
        owed,
        ledger.started(),
        ledger.outcomes(),
        ledger.unknown(),
        with(ledger.childRuns(), runId, child),
        ledger.unsafeRuns(),
        ledger.currentRun());
  }

  private Transcript outcome(String callId) {
    return new Transcript(
        messages,
        owed,
        without(ledger.started(), callId),
        with(ledger.outcomes(), callId),
        ledger.unknown(),
        ledger.childRuns(),
        ledger.unsafeRuns(),
        ledger.currentRun());
  }

  /** Marks the run, and every run above it, as having started a call that is not idempotent. */
  private Transcript markUnsafe(String runId) {
    Set<String> unsafe = null;
    for (String run = runId;
        run != null
            && !ledger.unsafeRuns().contains(run)
            && (unsafe == null || !unsafe.contains(run)); ) {
      if (unsafe == null) {
        unsafe = new HashSet<>(ledger.unsafeRuns());
      }
      unsafe.add(run);
      ChildRun child = ledger.childRuns().get(run);
      run = child == null ? null : child.parentRunId();
    }
    return unsafe == null
        ? this
        : new Transcript(
            messages,
            owed,
            ledger.started(),
            ledger.outcomes(),
            ledger.unknown(),
            ledger.childRuns(),
            Collections.unmodifiableSet(unsafe),
            ledger.currentRun());
  }

  /**
   * Whether {@code called} asked a child agent whose runs never started a call that is not
   * idempotent: asking it again repeats only safe steps. A call with no child run in the log is not
   * known to be a child agent, so it is not safe.
   */
  private boolean safeChildCall(AgentEvent.ToolCalled called) {
    boolean any = false;
    for (Map.Entry<String, ChildRun> e : ledger.childRuns().entrySet()) {
      ChildRun child = e.getValue();
      if (child.parentRunId().equals(called.runId())
          && child.agent().equals(called.call().name())) {
        if (ledger.unsafeRuns().contains(e.getKey())) {
          return false;
        }
        any = true;
      }
    }
    return any;
  }

  /**
   * A failed run leaves its last calls without results. Those unsafe to repeat stay owed (the
   * session records them as unknown outcomes); every other one is answered with a failure, so the
   * conversation stays well-formed (every call answered before the next message).
   */
  private Transcript closeFailedRun(AgentEvent.RunFailed failed) {
    Set<String> unsafe = new HashSet<>();
    unsafeToRepeat().forEach(called -> unsafe.add(called.call().id()));
    Transcript t = this;
    for (ToolCall call : owed) {
      if (unsafe.contains(call.id())) {
        continue;
      }
      String what = ledger.started().containsKey(call.id()) ? "returned" : "started";
      t =
          t.outcome(call.id())
              .append(
                  toolFailure(
                      call.id(),
                      call.name(),
                      "No result: the run "
                          + "failed ("
                          + failed.error()
                          + ") before this call "
                          + what
                          + "."));
    }
    Map<String, AgentEvent.ToolCalled> kept = new LinkedHashMap<>(t.ledger.started());
    kept.keySet().retainAll(unsafe);
    return new Transcript(
        t.messages,
        t.owed,
        Collections.unmodifiableMap(kept),
        t.ledger.outcomes(),
        t.ledger.unknown(),
        t.ledger.childRuns(),
        t.ledger.unsafeRuns(),
        t.ledger.currentRun());
  }

  private static List<ToolCall> without(List<ToolCall> calls, @Nullable String callId) {
    if (calls.isEmpty()) {
      return calls;
    }
    if (calls.size() == 1) {
      return calls.get(0).id().equals(callId) ? List.of() : calls;
    }
    List<ToolCall> left = new ArrayList<>(calls.size());
    for (ToolCall call : calls) {
      if (!call.id().equals(callId)) {
        left.add(call);
      }
    }
    return left.size() == calls.size() ? calls : List.copyOf(left);
  }

  private static <V> Map<String, V> with(Map<String, V> map, String key, V value) {
    Map<String, V> copy = new LinkedHashMap<>(map);
    copy.put(key, value);
    return Collections.unmodifiableMap(copy);
  }

  private static <V> Map<String, V> without(Map<String, V> map, String key) {
    if (!map.containsKey(key)) {
      return map;
    }
    Map<String, V> copy = new LinkedHashMap<>(map);
    copy.remove(key);
    return Collections.unmodifiableMap(copy);
  }

  private static Set<String> with(Set<String> set, String item) {
    if (set.contains(item)) {
      return set;
    }
    Set<String> copy = new HashSet<>(set);
    copy.add(item);
    return Collections.unmodifiableSet(copy);
  }

  private static Set<String> without(Set<String> set, String item) {
    if (!set.contains(item)) {
      return set;
    }
    Set<String> copy = new HashSet<>(set);
    copy.remove(item);
    return Collections.unmodifiableSet(copy);
  }

  private static String text(JsonNode node) {
    if (node.isString()) {
      return node.asString();
    }
    if (node.isContainer() && node.isEmpty()) { // a trigger's input often: no writer needed
      return node.isObject() ? "{}" : "[]";
    }
    return MAPPER.writeValueAsString(node);
  }
}
