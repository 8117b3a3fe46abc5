package dev.agentmesh.sessions;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is told about the events of a session this instance sees (appended here, or loaded because
 * another node appended them): handles' event subscriptions and awaits. Thread-safe; a watcher that
 * throws is logged and keeps receiving events.
 */
final class LogWatchers {

  private static final Logger log = LoggerFactory.getLogger(LogWatchers.class);

  /**
   * Receives the states and events this instance sees. Reads and appends on different threads race,
   * so a watcher can be told of a state older than one it was told of before (a read that began
   * before an append and ended after it); a watcher that cares compares versions.
   */
  interface Watcher {
    void seen(SessionFold state, List<LoggedEvent> events);
  }

  private final Map<String, List<Watcher>> watchers = new ConcurrentHashMap<>();

  /** Starts telling {@code watcher} about session {@code id}; closing stops it. */
  AutoCloseable watch(String id, Watcher watcher) {
    watchers.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(watcher);
    return () ->
        watchers.computeIfPresent(
            id,
            (k, list) -> {
              list.remove(watcher);
              return list.isEmpty() ? null : list;
            });
  }

  /** Tells every watcher of the session about {@code events}, which led to {@code state}. */
  void tell(SessionFold state, List<LoggedEvent> events) {
    List<Watcher> list = watchers.get(state.id());
    if (list == null) {
      return;
    }
    for (Watcher watcher : list) {
      try {
        watcher.seen(state, events);
      } catch (RuntimeException e) {
        log.warn("A watcher of session {} failed; it keeps receiving events", state.id(), e);
      }
    }
  }
}
