package dev.agentmesh.review;

import dev.agentmesh.sessions.LoggedEvent;
import dev.agentmesh.sessions.SessionEvent;
import dev.agentmesh.sessions.SessionState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The {@code review.*} events of recently used sessions, each as of a version of its log: what
 * {@link Engine#reviews} folds, so a decision does not read the session's whole log again after its
 * own appends. A log's versions never change once written, so an entry read at version {@code v} is
 * the truth for every state at {@code v} or before; a state past the cached version reads the log
 * again (unless this node's own append moved it there, see {@link #appended}). Bounded (least
 * recently used sessions are dropped); thread-safe.
 */
final class ReviewLogs {

  /** One custom event of a session's log, with its version. */
  private record Versioned(long version, ReviewFold.Entry entry) {}

  /**
   * A session's custom events up to {@code version}, in log order; {@code createdAt} tells a
   * session deleted and created again under the same id from the one cached.
   */
  private record Log(
      long version,
      Instant createdAt,
      List<Versioned> events,
      @Nullable Map<String, ReviewState> folded) {
    Log(long version, Instant createdAt, List<Versioned> events) {
      this(version, createdAt, events, null);
    }
  }

  private final Map<String, Log> logs;

  ReviewLogs(int maxSessions) {
    this.logs =
        new LinkedHashMap<>(256, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Log> eldest) {
            return size() > maxSessions;
          }
        };
  }

  /**
   * The session's reviews as of {@code state}'s version: {@code fold} of its events ({@link
   * #upTo}), kept with the cached log when the state is the log's latest, so the next fold of the
   * same version (a bulk decision folds each session's latest state several times: to judge, to
   * find the effect due, to start and end it) is a lookup.
   */
  Map<String, ReviewState> folded(
      SessionState state,
      Function<String, List<LoggedEvent>> history,
      Function<List<ReviewFold.Entry>, Map<String, ReviewState>> fold) {
    Log log = get(state.id());
    if (log != null && fresh(log, state) && log.folded() != null) {
      return log.folded();
    }
    Map<String, ReviewState> out =
        java.util.Collections.unmodifiableMap(fold.apply(upTo(state, history)));
    synchronized (logs) {
      Log now = logs.get(state.id());
      if (now != null && fresh(now, state) && now.folded() == null) {
        logs.put(state.id(), new Log(now.version(), now.createdAt(), now.events(), out));
      }
    }
    return out;
  }

  /** Whether {@code log} is cached as of exactly {@code state}'s version of the same session. */
  private static boolean fresh(Log log, SessionState state) {
    return log.version() == state.version() && log.createdAt().equals(state.createdAt());
  }

  /**
   * The session's custom events up to {@code state}'s version, from the cache when it reaches that
   * far, else from {@code history} (the session's whole log, read now).
   */
  List<ReviewFold.Entry> upTo(SessionState state, Function<String, List<LoggedEvent>> history) {
    String sessionId = state.id();
    long version = state.version();
    Log log = get(sessionId);
    if (log == null || log.version() < version || !log.createdAt().equals(state.createdAt())) {
      List<LoggedEvent> all = history.apply(sessionId);
      List<Versioned> events = new ArrayList<>();
      long last = 0;
      for (LoggedEvent e : all) {
        last = e.version();
        if (e.event() instanceof SessionEvent.Custom c) {
          events.add(new Versioned(e.version(), new ReviewFold.Entry(c.at(), c.type(), c.data())));
        }
      }
      log = new Log(last, state.createdAt(), List.copyOf(events));
      put(sessionId, log);
    }
    List<ReviewFold.Entry> out = new ArrayList<>(log.events().size());
    for (Versioned v : log.events()) {
      if (v.version() <= version) {
        out.add(v.entry());
      }
    }
    return out;
  }

  /**
   * Caches the review events of a session's whole log, read now ({@code all}, from version 1), as
   * {@link #upTo} would after reading it; a log without its creation is not cached.
   */
  void seed(String sessionId, List<LoggedEvent> all) {
    Instant createdAt = null;
    List<Versioned> events = new ArrayList<>();
    long last = 0;
    for (LoggedEvent e : all) {
      last = e.version();
      if (createdAt == null && e.event() instanceof SessionEvent.Created c) {
        createdAt = c.at();
      }
      if (e.event() instanceof SessionEvent.Custom c) {
        events.add(new Versioned(e.version(), new ReviewFold.Entry(c.at(), c.type(), c.data())));
      }
    }
    if (createdAt != null) {
      put(sessionId, new Log(last, createdAt, List.copyOf(events)));
    }
  }

  /**
   * Records that this node appended {@code events} right after version {@code base} (the append
   * succeeded): a cached log at {@code base} moves on without reading the log again.
   */
  void appended(String sessionId, long base, List<SessionEvent> events) {
    synchronized (logs) {
      Log log = logs.get(sessionId);
      if (log == null || log.version() != base) {
        return;
      }
      List<Versioned> next = new ArrayList<>(log.events());
      long version = base;
      for (SessionEvent e : events) {
        version++;
        if (e instanceof SessionEvent.Custom c) {
          next.add(new Versioned(version, new ReviewFold.Entry(c.at(), c.type(), c.data())));
        }
      }
      logs.put(sessionId, new Log(version, log.createdAt(), List.copyOf(next)));
    }
  }

  private @Nullable Log get(String sessionId) {
    synchronized (logs) {
      return logs.get(sessionId);
    }
  }

  private void put(String sessionId, Log log) {
    synchronized (logs) {
      Log old = logs.get(sessionId);
      if (old == null
          || old.version() < log.version()
          || !old.createdAt().equals(log.createdAt())) {
        logs.put(sessionId, log);
      }
    }
  }
}
