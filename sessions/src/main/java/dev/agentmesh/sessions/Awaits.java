package dev.agentmesh.sessions;

import dev.agentmesh.sessions.spi.SessionChange;
import dev.agentmesh.sessions.spi.SessionStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes the futures that awaits wait on, from three sources, so no await polls on its own:
 *
 * <ol>
 *   <li>the states this instance folds ({@link LogWatchers}): its own appends and what it loads;
 *   <li>the store's change feed, when it has one: a change to a session someone waits on, past the
 *       version this instance has folded, re-reads the session (on the executor); {@code
 *       connected()} re-reads every waited session, as changes may have been missed;
 *   <li>polling, as the fallback: while someone waits and the store has no feed or its feed is
 *       down, one task on the injected scheduler re-reads every waited session each {@code
 *       pollInterval}.
 * </ol>
 *
 * A re-read folds the new events, and the watchers complete what they complete. The feed is
 * subscribed at the first await and kept until {@link #close()}. Thread-safe.
 */
final class Awaits implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Awaits.class);

  private final FoldedLogs sessionLog;
  private final Executor executor;
  private final ScheduledExecutorService scheduler;
  private final Duration pollInterval;

  /** Sessions with a re-read queued, each with the newest version a change told of. */
  private final ConcurrentMap<String, Long> rereadQueued = new ConcurrentHashMap<>();

  private final Object lock = new Object();
  private final Map<String, Integer> waiting = new HashMap<>(); // guarded by lock: id -> awaits
  private boolean feedLive; // guarded by lock
  private boolean subscribed; // guarded by lock: subscribe was tried
  private boolean closed; // guarded by lock
  private SessionStore.@Nullable Subscription subscription; // guarded by lock
  private @Nullable ScheduledFuture<?> poll; // guarded by lock

  Awaits(
      FoldedLogs sessionLog,
      Executor executor,
      ScheduledExecutorService scheduler,
      Duration pollInterval) {
    this.sessionLog = sessionLog;
    this.executor = executor;
    this.scheduler = scheduler;
    this.pollInterval = pollInterval;
  }

  /**
   * A future of the first state of session {@code id} that {@code done} accepts: the current one
   * (read from the store now, and handed to {@code check} first) or a later one, never one older
   * than this instance had folded when the call began. Cancelling the future ends the wait.
   *
   * @throws RuntimeException what reading the store or {@code check} throws; nothing is left
   *     registered then
   */
  CompletableFuture<SessionState> until(
      String id, Consumer<SessionFold> check, Predicate<SessionFold> done) {
    subscribeOnce();
    CompletableFuture<SessionState> future = new CompletableFuture<>();
    // "From now on" is from the newest state this instance has folded, which holds the caller's
    // own appends: a read that began before them can finish after, and its older state is no news.
    SessionFold seen = sessionLog.cached(id);
    long floor = seen == null ? 0 : seen.version();
    AutoCloseable watch =
        sessionLog
            .watchers()
            .watch(
                id,
                (state, events) -> {
                  if (state.version() >= floor && done.test(state)) {
                    future.complete(state.snapshot());
                  }
                });
    waitFor(id);
    // Held while awaited: every change the feed tells of is compared with this state, and a
    // state the bounded cache dropped would be folded again from the whole log.
    sessionLog.hold(id);
    future.whenComplete(
        (state, failure) -> {
          sessionLog.release(id);
          closeQuietly(watch);
          stopWaitingFor(id);
        });
    try {
      // From the store, not this instance's cache: another node may have moved the session on.
      SessionFold now = sessionLog.current(id);
      check.accept(now);
      if (done.test(now)) {
        future.complete(now.snapshot());
      }
    } catch (RuntimeException e) {
      future.cancel(false);
      throw e;
    }
    return future;
  }

  /** Ends the feed subscription and the polling; later awaits see only this instance's states. */
  @Override
  public void close() {
    SessionStore.Subscription feed;
    synchronized (lock) {
      closed = true;
      feed = subscription;
      subscription = null;
      feedLive = false;
      reconcilePolling();
    }
    if (feed != null) {
      feed.close();
    }
  }

  private void subscribeOnce() {
    SessionStore store = sessionLog.store();
    synchronized (lock) {
      if (subscribed || closed || !store.supportsChanges()) {
        return;
      }
      subscribed = true;
    }
    // Outside the lock: a store may call connected() from here, and that takes the lock.
    SessionStore.Subscription feed;
    try {
      feed = store.subscribe(new Listener());
    } catch (RuntimeException e) {
      log.warn(
          "Subscribing to the change feed of {} failed; awaits poll it every {}",
          store,
          pollInterval,
          e);
      return;
    }
    boolean keep;
    synchronized (lock) {
      keep = !closed;
      if (keep) {
        subscription = feed;
      }
    }
    if (!keep) {
      feed.close();
    }
  }

  private void waitFor(String id) {
    synchronized (lock) {
      waiting.merge(id, 1, Integer::sum);
      reconcilePolling();
    }
  }

  private void stopWaitingFor(String id) {
    synchronized (lock) {
      waiting.computeIfPresent(id, (k, n) -> n == 1 ? null : n - 1);
      reconcilePolling();
    }
  }

  /** Polls exactly while someone waits and no live feed tells about changes. Under the lock. */
  private void reconcilePolling() {
    boolean needed = !closed && !feedLive && !waiting.isEmpty();
    if (needed && poll == null) {
      long millis = Math.max(1, pollInterval.toMillis());
      try {
        poll =
            scheduler.scheduleWithFixedDelay(this::pollOnce, millis, millis, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException shutDown) {
        log.debug("The scheduler is shut down; awaits no longer poll the store", shutDown);
      }
    } else if (!needed && poll != null) {
      poll.cancel(false);
      poll = null;
    }
  }

  private void pollOnce() {
    List<String> ids;
    synchronized (lock) {
      if (feedLive || closed) {
        return;
      }
      ids = List.copyOf(waiting.keySet());
    }
    ids.forEach(this::reread);
  }

  private void reread(String id) {
    try {
      sessionLog.current(id);
    } catch (RuntimeException e) {
      log.debug(
          "Re-reading session {} for an await failed; trying again on the next change " + "or poll",
          id,
          e);
    }
  }

  /**
   * Re-reads {@code id} on the executor, once however many changes arrive meanwhile, unless this
   * instance has folded {@code version} by then. An in-memory store tells of an append inside it,
   * before the appending caller has folded its own events: by the time the re-read runs, it usually
   * has, and reading the log again would only decode those events twice.
   */
  private void rereadLater(String id, long version) {
    boolean[] first = {false};
    rereadQueued.compute(
        id,
        (k, queued) -> {
          first[0] = queued == null;
          return queued == null ? version : Math.max(queued, version);
        });
    if (!first[0]) {
      return; // queued already, and it now re-reads at least up to version
    }
    try {
      executor.execute(
          () -> {
            Long upTo = rereadQueued.remove(id);
            SessionFold seen = sessionLog.cached(id);
            if (upTo != null && seen != null && seen.version() >= upTo) {
              return;
            }
            reread(id);
          });
    } catch (RejectedExecutionException shutDown) {
      rereadQueued.remove(id);
    }
  }

  private boolean waitsFor(String id) {
    synchronized (lock) {
      return waiting.containsKey(id);
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // closing a watch does not fail
    }
  }

  /** The feed's calls: never overlapping, on a thread of the store's. */
  private final class Listener implements SessionStore.ChangeListener {

    @Override
    public void changed(SessionChange change) {
      String id = change.sessionId();
      if (!waitsFor(id)) {
        return;
      }
      SessionFold seen = sessionLog.cached(id);
      if (seen == null || seen.version() < change.version()) {
        rereadLater(id, change.version());
      }
    }

    @Override
    public void connected() {
      List<String> ids;
      synchronized (lock) {
        if (closed) {
          return;
        }
        feedLive = true;
        reconcilePolling();
        ids = List.copyOf(waiting.keySet());
      }
      // What changed while the feed was down: whatever this instance has folded
      ids.forEach(id -> rereadLater(id, Long.MAX_VALUE));
    }

    @Override
    public void disconnected() {
      synchronized (lock) {
        feedLive = false;
        reconcilePolling();
      }
    }
  }
}
