package dev.agentmesh.sessions;

import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowConflictException;
import dev.agentmesh.sessions.spi.RowQuery;
import dev.agentmesh.sessions.spi.RowWrite;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Durable timers as rows of the store ({@value #NAMESPACE}, key {@code <session>#<name>}, due at
 * the fire time): scheduled and cancelled with row writes, claimed when due like leases (a dead
 * node's claims expire), and fired by appending {@link SessionEvent.TimerFired} and the handler's
 * events together with {@code deleteExisting(...).claimedBy(node)} of the row, so exactly one
 * append fires each timer. Thread-safe.
 */
final class Timers {

  /** The store namespace of timer rows. */
  static final String NAMESPACE = "sessions.timer";

  /** How often the sweep runs when timers are used and no interval was set. */
  static final Duration DEFAULT_SWEEP = Duration.ofSeconds(1);

  /** How many due timers one sweep claims. */
  static final int BATCH = 100;

  private static final Logger log = LoggerFactory.getLogger(Timers.class);

  private final FoldedLogs sessionLog;
  private final Map<String, TimerHandler> handlers;
  private final Clock clock;
  private final String nodeId;
  private final Duration claimTtl;
  private final Consumer<String> kick;

  Timers(
      FoldedLogs sessionLog,
      Map<String, TimerHandler> handlers,
      Clock clock,
      String nodeId,
      Duration claimTtl,
      Consumer<String> kick) {
    this.sessionLog = sessionLog;
    this.handlers = Map.copyOf(handlers);
    this.clock = clock;
    this.nodeId = nodeId;
    this.claimTtl = claimTtl;
    this.kick = kick;
  }

  boolean any() {
    return !handlers.isEmpty();
  }

  /** Schedules (or replaces) the timer; the session must exist and the kind have a handler. */
  Timer schedule(Timer timer) {
    if (!handlers.containsKey(timer.kind())) {
      throw new IllegalArgumentException(
          "No timer handler for kind '"
              + timer.kind()
              + "' (timer '"
              + timer.name()
              + "' of session '"
              + timer.sessionId()
              + "'); register one with "
              + "Sessions.builder(mesh).timer(\""
              + timer.kind()
              + "\", handler). Kinds with handlers: "
              + handlers.keySet());
    }
    if (!sessionLog.latest(timer.sessionId()).exists()) {
      throw Sessions.notFound(timer.sessionId());
    }
    sessionLog.store().writeRows(List.of(RowWrite.upsert(row(timer))));
    return timer;
  }

  /** Cancels the timer; false when there was none (fired, cancelled, or never scheduled). */
  boolean cancel(String sessionId, String name) {
    try {
      sessionLog
          .store()
          .writeRows(List.of(RowWrite.deleteExisting(NAMESPACE, key(sessionId, name))));
      return true;
    } catch (RowConflictException absent) {
      return false;
    }
  }

  /** The session's timers that have not fired, by name. */
  List<Timer> of(String sessionId) {
    List<Timer> out = new ArrayList<>();
    RowQuery query =
        RowQuery.builder(NAMESPACE).sessionId(sessionId).limit(RowQuery.MAX_LIMIT).build();
    for (List<Row> page = sessionLog.store().queryRows(query);
        !page.isEmpty();
        page =
            sessionLog
                .store()
                .queryRows(query.newBuilder().afterKey(page.get(page.size() - 1).key()).build())) {
      page.forEach(row -> out.add(timer(row)));
    }
    return List.copyOf(out);
  }

  /** Claims the timers due now and fires each; returns how many this node fired. */
  int fireDue() {
    if (handlers.isEmpty()) {
      return 0;
    }
    int fired = 0;
    for (Row row :
        sessionLog.store().claimRows(NAMESPACE, nodeId, clock.instant(), claimTtl, BATCH)) {
      fired += fire(timer(row)) ? 1 : 0;
    }
    return fired;
  }

  private boolean fire(Timer timer) {
    TimerHandler handler = handlers.get(timer.kind());
    if (handler == null) {
      log.warn(
          "No handler for timer kind '{}' on node {}; timer '{}' of session {} fires on a "
              + "node that has one once this claim expires",
          timer.kind(),
          nodeId,
          timer.name(),
          timer.sessionId());
      return false;
    }
    String key = key(timer.sessionId(), timer.name());
    RowWrite done = RowWrite.deleteExisting(NAMESPACE, key).claimedBy(nodeId);
    try {
      sessionLog.append(
          timer.sessionId(),
          null,
          List.of(done),
          s -> {
            if (!s.exists()) {
              throw Sessions.notFound(timer.sessionId());
            }
            List<SessionEvent> events = new ArrayList<>();
            events.add(
                new SessionEvent.TimerFired(
                    clock.instant(), timer.name(), timer.kind(), timer.payload()));
            events.addAll(handler.fire(timer, s.snapshot()));
            return events;
          });
    } catch (RowConflictException firedElsewhere) {
      log.debug(
          "Timer '{}' of session {} fired elsewhere or was replaced",
          timer.name(),
          timer.sessionId());
      return false;
    } catch (SessionNotFoundException gone) {
      sessionLog.store().writeRows(List.of(RowWrite.delete(NAMESPACE, key)));
      log.warn(
          "Timer '{}' of session {} dropped: the session no longer exists",
          timer.name(),
          timer.sessionId());
      return false;
    } catch (RuntimeException e) {
      log.warn(
          "Timer '{}' (kind '{}') of session {} failed to fire; it fires again once this "
              + "node's claim expires",
          timer.name(),
          timer.kind(),
          timer.sessionId(),
          e);
      return false;
    }
    kick.accept(timer.sessionId());
    return true;
  }

  static String key(String sessionId, String name) {
    return sessionId + "#" + name;
  }

  private static Row row(Timer t) {
    ObjectNode value = JsonNodeFactory.instance.objectNode();
    value.put("name", t.name());
    value.put("kind", t.kind());
    value.set("payload", t.payload());
    return Row.of(NAMESPACE, key(t.sessionId(), t.name()), t.sessionId(), value).withDue(t.due());
  }

  private static Timer timer(Row row) {
    JsonNode v = row.value();
    return new Timer(
        Objects.requireNonNull(row.sessionId()),
        v.get("name").asString(),
        v.get("kind").asString(),
        Objects.requireNonNull(row.due()),
        v.get("payload"));
  }
}
