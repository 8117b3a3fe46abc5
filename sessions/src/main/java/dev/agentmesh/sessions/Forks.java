package dev.agentmesh.sessions;

import dev.agentmesh.core.AgentEvent;
import dev.agentmesh.core.spi.ToolCall;
import dev.agentmesh.sessions.SessionEvent.Forked.ParentCall;
import dev.agentmesh.sessions.spi.NewEvent;
import dev.agentmesh.sessions.spi.StoredEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * How a session is forked, and how a fork's runs avoid repeating its parent's effects.
 *
 * <p>A fork's log is the parent's log up to the fork point, then the parent's later results of tool
 * calls pending there, then {@code session.forked} holding the calls that are not idempotent which
 * the parent applied after the fork point ({@link ParentCall}), then, when the point is right after
 * a turn's output, {@code session.completed}. A run of the fork continues from that log like a run
 * after a crash, and when its model asks for a call that is not idempotent with the same tool and
 * canonical arguments as one of those parent calls, the call is not run: it becomes a {@link
 * SessionEvent.ToolOutcomeUnknown} offering the parent's result.
 */
final class Forks {

  /** A new fork's first events, encoded for the store and decoded, and the state they fold to. */
  record Fork(List<NewEvent> events, List<SessionEvent> decoded, SessionFold fold) {}

  private Forks() {}

  /**
   * The fork {@code forkId} of the session whose whole log is {@code parentLog}, at {@code
   * atVersion}.
   */
  static Fork of(
      EventCodec codec,
      String parentId,
      List<StoredEvent> parentLog,
      long atVersion,
      String forkId,
      Instant now) {
    List<SessionEvent> decoded = new ArrayList<>(parentLog.size());
    parentLog.forEach(stored -> decoded.add(codec.decode(stored)));
    SessionFold fork = SessionFold.empty(forkId);
    List<NewEvent> events = new ArrayList<>();
    List<SessionEvent> forkEvents = new ArrayList<>();
    for (int i = 0; i < atVersion; i++) {
      fork = fork.apply(decoded.get(i));
      events.add(copy(parentLog.get(i)));
      forkEvents.add(decoded.get(i));
    }
    Set<String> childRuns = childRuns(decoded);
    Set<String> carried = new HashSet<>();
    for (int i = (int) atVersion; i < parentLog.size(); i++) {
      String callId = carriedCallId(decoded.get(i), childRuns);
      if (callId != null && isPending(fork, callId)) {
        carried.add(callId);
        fork = fork.apply(decoded.get(i));
        events.add(copy(parentLog.get(i)));
        forkEvents.add(decoded.get(i));
      }
    }
    List<SessionEvent> own = new ArrayList<>();
    own.add(
        new SessionEvent.Forked(
            now, parentId, atVersion, laterCalls(decoded, (int) atVersion, carried, childRuns)));
    JsonNode output = outputNotCompleted(decoded.get((int) atVersion - 1), fork);
    if (output != null) {
      own.add(new SessionEvent.Completed(now, output));
    }
    for (SessionEvent event : own) {
      fork = fork.apply(event);
      events.add(codec.encode(event));
      forkEvents.add(event);
    }
    return new Fork(events, List.copyOf(forkEvents), fork);
  }

  /**
   * The questions a fork's run raises, as it records {@code step}, instead of running the calls it
   * is about to run: those its model just asked for, or, as a continued run starts, the pending
   * calls it runs first. One per call that is not idempotent and repeats a parent call (same tool,
   * same canonical arguments) no run of the fork has asked about yet. Empty for a session that is
   * not a fork.
   */
  static List<SessionEvent> questions(
      SessionFold state, AgentEvent step, Predicate<String> idempotent) {
    if (state.parentCalls().isEmpty()) {
      return List.of();
    }
    List<ToolCall> next = new ArrayList<>();
    if (step instanceof AgentEvent.ModelResponded) {
      next.addAll(((AgentEvent.ModelResponded) step).toolCalls());
    } else if (step instanceof AgentEvent.RunStarted) {
      state.pendingCalls().stream()
          .filter(call -> !state.unknown().containsKey(call.id()))
          .forEach(next::add);
    }
    List<ParentCall> open = new ArrayList<>(state.parentCalls());
    List<SessionEvent> questions = new ArrayList<>();
    for (ToolCall call : next) {
      if (idempotent.test(call.name())) {
        continue;
      }
      String arguments = canonical(call.arguments());
      for (Iterator<ParentCall> it = open.iterator(); it.hasNext(); ) {
        ParentCall parent = it.next();
        if (parent.tool().equals(call.name()) && parent.arguments().equals(arguments)) {
          it.remove();
          questions.add(
              new SessionEvent.ToolOutcomeUnknown(
                  step.at(),
                  step.runId(),
                  call.id(),
                  call.name(),
                  call.arguments(),
                  parent.callId(),
                  parent.result()));
          break;
        }
      }
    }
    return questions;
  }

  /**
   * {@code value} as canonical JSON: object keys sorted, numbers by value ({@code 1}, {@code 1.0}
   * and {@code 1e0} are one number), no insignificant whitespace. Two arguments are the same when
   * their canonical forms are equal.
   */
  static String canonical(JsonNode value) {
    return EventCodec.MAPPER.writeValueAsString(canonicalTree(value));
  }

  private static JsonNode canonicalTree(JsonNode value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (value.isObject()) {
      Map<String, JsonNode> sorted = new TreeMap<>();
      value.properties().forEach(p -> sorted.put(p.getKey(), canonicalTree(p.getValue())));
      ObjectNode out = f.objectNode();
      sorted.forEach(out::set);
      return out;
    }
    if (value.isArray()) {
      List<JsonNode> items = new ArrayList<>();
      value.values().forEach(item -> items.add(canonicalTree(item)));
      return f.arrayNode().addAll(items);
    }
    if (value.isNumber()) {
      BigDecimal number = value.decimalValue().stripTrailingZeros();
      return number.scale() <= 0 ? f.numberNode(number.toBigIntegerExact()) : f.numberNode(number);
    }
    return value;
  }

  /** The tool call whose outcome {@code event} records, or null when it records none. */
  static @Nullable String resultCallId(SessionEvent event) {
    if (event instanceof SessionEvent.OutcomeResolved) {
      return ((SessionEvent.OutcomeResolved) event).callId();
    }
    if (event instanceof SessionEvent.AgentStep) {
      AgentEvent step = ((SessionEvent.AgentStep) event).event();
      if (step instanceof AgentEvent.ToolReturned) {
        return ((AgentEvent.ToolReturned) step).callId();
      }
      if (step instanceof AgentEvent.ToolFailed) {
        return ((AgentEvent.ToolFailed) step).callId();
      }
    }
    return null;
  }

  /**
   * The call a later event of the parent records the start or the outcome of, when a fork carries
   * it for a call pending at the fork point; null for other events and child runs'.
   */
  private static @Nullable String carriedCallId(SessionEvent event, Set<String> childRuns) {
    AgentEvent step = step(event);
    if (step != null && childRuns.contains(step.runId())) {
      return null;
    }
    if (step instanceof AgentEvent.ToolCalled) {
      return ((AgentEvent.ToolCalled) step).call().id();
    }
    return resultCallId(event);
  }

  private static Set<String> childRuns(List<SessionEvent> log) {
    Set<String> childRuns = new HashSet<>();
    for (SessionEvent event : log) {
      AgentEvent step = step(event);
      if (step instanceof AgentEvent.RunStarted
          && ((AgentEvent.RunStarted) step).parentRunId() != null) {
        childRuns.add(step.runId());
      }
    }
    return childRuns;
  }

  private static boolean isPending(SessionFold fork, String callId) {
    return fork.pendingCalls().stream().anyMatch(call -> call.id().equals(callId));
  }

  /**
   * The calls that are not idempotent which the parent's own turns applied after the fork point (a
   * result returned or stated by a human) or started without an outcome yet, minus those whose
   * results the fork carries; plus the calls an ancestor passed down in a later {@code
   * session.forked} (a fork of a fork at a point before the parent's own fork event).
   */
  private static List<ParentCall> laterCalls(
      List<SessionEvent> log, int atVersion, Set<String> carried, Set<String> childRuns) {
    List<ParentCall> calls = new ArrayList<>();
    Map<String, AgentEvent.ToolCalled> started = new LinkedHashMap<>();
    for (SessionEvent event : log.subList(atVersion, log.size())) {
      AgentEvent step = step(event);
      if (event instanceof SessionEvent.Forked) {
        calls.addAll(((SessionEvent.Forked) event).parentCalls());
      } else if (step instanceof AgentEvent.ToolCalled) {
        AgentEvent.ToolCalled called = (AgentEvent.ToolCalled) step;
        if (!called.idempotent()
            && !childRuns.contains(called.runId())
            && !carried.contains(called.call().id())) {
          started.put(called.call().id(), called);
        }
      } else if (step instanceof AgentEvent.ToolReturned) {
        AgentEvent.ToolReturned returned = (AgentEvent.ToolReturned) step;
        applied(started.remove(returned.callId()), returned.result(), calls);
      } else if (step instanceof AgentEvent.ToolFailed) {
        started.remove(((AgentEvent.ToolFailed) step).callId()); // it failed: nothing to repeat
      } else if (event instanceof SessionEvent.OutcomeResolved) {
        SessionEvent.OutcomeResolved resolved = (SessionEvent.OutcomeResolved) event;
        AgentEvent.ToolCalled called = started.remove(resolved.callId());
        if (resolved.result() != null) {
          applied(called, resolved.result(), calls);
        }
      }
    }
    started.values().forEach(called -> applied(called, null, calls)); // outcome not known yet
    return calls;
  }

  private static void applied(
      AgentEvent.@Nullable ToolCalled called, @Nullable JsonNode result, List<ParentCall> calls) {
    if (called != null) {
      ToolCall call = called.call();
      calls.add(new ParentCall(call.id(), call.name(), canonical(call.arguments()), result));
    }
  }

  /**
   * The output of a turn whose {@code output.produced} is the fork point's event while the
   * session's {@code session.completed} came after it: the fork records the completion the parent
   * recorded (null when another turn is due, or the point is elsewhere).
   */
  private static @Nullable JsonNode outputNotCompleted(SessionEvent last, SessionFold fork) {
    AgentEvent step = step(last);
    if (step instanceof AgentEvent.OutputProduced
        && step.runId().equals(fork.currentRun())
        && !fork.active()) {
      return ((AgentEvent.OutputProduced) step).output();
    }
    return null;
  }

  private static @Nullable AgentEvent step(SessionEvent event) {
    return event instanceof SessionEvent.AgentStep
        ? ((SessionEvent.AgentStep) event).event()
        : null;
  }

  private static NewEvent copy(StoredEvent stored) {
    return new NewEvent(stored.type(), stored.typeVersion(), stored.payload(), stored.at());
  }
}
