package dev.agentmesh.sessions;

import dev.agentmesh.sessions.spi.SessionChange;
import dev.agentmesh.sessions.spi.SessionStore;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscribers of one store's change feed, and the one queue their calls go through: calls are
 * made in the order they were queued, one at a time, by whichever thread drains the queue (a thread
 * that finds another draining leaves its calls to it). A listener that throws is logged and keeps
 * its subscription. Thread-safe.
 */
final class ChangeFeed {

  private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);

  /** Told when the first subscriber arrives and when the last one leaves. */
  interface Source {
    void start();

    void stop();
  }

  private final String store;
  private final Source source;
  private final List<Sub> subs = new CopyOnWriteArrayList<>();
  private final Queue<Runnable> calls = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private boolean live; // guarded by this

  /** A feed whose source is live from the start (in memory) or only after {@link #connected()}. */
  ChangeFeed(String store, boolean liveFromStart, Source source) {
    this.store = store;
    this.live = liveFromStart;
    this.source = source;
  }

  SessionStore.Subscription subscribe(SessionStore.ChangeListener listener) {
    Sub sub = new Sub(Objects.requireNonNull(listener, "listener"));
    boolean first;
    synchronized (this) {
      first = subs.isEmpty();
      subs.add(sub);
      if (live) {
        calls.add(() -> sub.call("connected", SessionStore.ChangeListener::connected));
      }
    }
    if (first) {
      source.start();
    }
    drain();
    return sub;
  }

  /** Whether anyone listens; appends skip the feed when nobody does. */
  boolean hasSubscribers() {
    return !subs.isEmpty();
  }

  /**
   * Queues {@code change} for the current subscribers without calling them: safe under a store's
   * lock, which is how a store keeps one session's changes in version order. Call {@link #drain()}
   * once the lock is released.
   */
  void queue(SessionChange change) {
    List<Sub> targets = List.copyOf(subs);
    if (!targets.isEmpty()) {
      calls.add(() -> targets.forEach(s -> s.call("changed", l -> l.changed(change))));
    }
  }

  /** The source is live (again): every subscriber hears {@code connected()}. */
  void connected() {
    broadcast(true);
  }

  /** The source was lost: every subscriber hears {@code disconnected()}. */
  void disconnected() {
    broadcast(false);
  }

  private void broadcast(boolean nowLive) {
    synchronized (this) {
      if (live == nowLive) {
        return;
      }
      live = nowLive;
      List<Sub> targets = List.copyOf(subs);
      calls.add(
          () ->
              targets.forEach(
                  nowLive
                      ? s -> s.call("connected", SessionStore.ChangeListener::connected)
                      : s -> s.call("disconnected", SessionStore.ChangeListener::disconnected)));
    }
    drain();
  }

  /** Makes the queued calls, unless another thread is making them already. */
  void drain() {
    while (!calls.isEmpty()) {
      if (!draining.compareAndSet(false, true)) {
        return; // the draining thread sees our calls: it checks the queue after letting go
      }
      try {
        for (Runnable call = calls.poll(); call != null; call = calls.poll()) {
          call.run();
        }
      } finally {
        draining.set(false);
      }
    }
  }

  private void unsubscribe(Sub sub) {
    boolean last;
    synchronized (this) {
      last = subs.remove(sub) && subs.isEmpty();
    }
    if (last) {
      source.stop();
    }
  }

  /** One subscription; closed ones are skipped by calls already queued. */
  private final class Sub implements SessionStore.Subscription {
    private final SessionStore.ChangeListener listener;
    private final AtomicBoolean closed = new AtomicBoolean();

    Sub(SessionStore.ChangeListener listener) {
      this.listener = listener;
    }

    void call(String what, java.util.function.Consumer<SessionStore.ChangeListener> call) {
      if (closed.get()) {
        return;
      }
      try {
        call.accept(listener);
      } catch (RuntimeException e) {
        log.warn("A change listener of {} failed in {}(); it stays subscribed", store, what, e);
      }
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        unsubscribe(this);
      }
    }
  }
}
