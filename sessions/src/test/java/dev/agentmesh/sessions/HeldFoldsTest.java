package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.Mesh;
import dev.agentmesh.sessions.spi.StoredEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A session being started or driven keeps its state outside the bounded fold cache: that cache
 * admits by frequency, so a burst of new sessions larger than it would lose its place to older,
 * often-read sessions, and each of its steps would fold its whole log again from the store.
 */
class HeldFoldsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int CACHE = 8;

  @Test
  @DisplayName("a burst larger than the fold cache is driven without reading its logs again")
  void aBurstLargerThanTheCacheIsDrivenWithoutReadingItsLogsAgain() {
    CountingLoads store = new CountingLoads(InMemorySessionStore.create());
    // drives wait here until the test runs them: the whole burst is started before any is driven
    java.util.concurrent.ConcurrentLinkedQueue<Runnable> queued =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    try (Mesh mesh = Fixtures.mesh(Fixtures.clock());
        Sessions sessions =
            Sessions.builder(mesh)
                .store(store)
                .executor(queued::add)
                .maxCachedSessions(CACHE)
                .build()) {
      List<Session> old = new ArrayList<>();
      for (int i = 0; i < CACHE; i++) {
        Session s = sessions.newSession("plain").input("old " + i).start();
        runAll(queued);
        s.awaitFinished(WAIT);
        old.add(s);
      }
      for (int round = 0; round < 50; round++) {
        old.forEach(Session::state); // often read: the cache's admission policy favours them
      }
      store.fromStart.set(0);

      List<Sessions.NewSession> burst = new ArrayList<>();
      for (int i = 0; i < 20 * CACHE; i++) {
        burst.add(sessions.newSession("plain").input("new " + i));
      }
      List<StartOutcome> started = sessions.startAll(burst);
      runAll(queued);
      int readsDuringTheBurst = store.fromStart.get();
      Session alone = sessions.newSession("plain").input("one more").start();
      runAll(queued);
      int readsForOneStart = store.fromStart.get() - readsDuringTheBurst;

      assertThat(started).hasSize(20 * CACHE).allMatch(StartOutcome::created);
      for (StartOutcome o : started) {
        assertThat(java.util.Objects.requireNonNull(o.session()).awaitFinished(WAIT).status())
            .isEqualTo(SessionStatus.COMPLETED);
      }
      assertThat(alone.awaitFinished(WAIT).status()).isEqualTo(SessionStatus.COMPLETED);
      assertThat(readsDuringTheBurst)
          .as("logs read from their start while %d sessions were started and driven", 20 * CACHE)
          .isZero();
      assertThat(readsForOneStart).as("logs read from their start for one more start").isZero();
    }
  }

  @Test
  @DisplayName("a state appended here is read back here, whatever holds start and end meanwhile")
  void aStateAppendedHereIsReadBackHereWhateverHoldsStartAndEndMeanwhile() throws Exception {
    FoldedLogs logs = new FoldedLogs(InMemorySessionStore.create(), EventCodec.standard(), 2);
    String id = "s1";
    logs.append(
        id,
        s ->
            List.of(
                new SessionEvent.Created(
                    Fixtures.START,
                    "plain",
                    tools.jackson.databind.node.JsonNodeFactory.instance.stringNode("hi"),
                    Origin.human("ana"),
                    java.util.Map.of())));
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread holder =
        new Thread(
            () -> {
              while (!done.get()) {
                logs.hold(id);
                logs.cached("other-" + (System.nanoTime() & 3)); // touches the cache
                logs.release(id);
              }
            });
    Thread other =
        new Thread(
            () -> {
              for (int i = 0; !done.get(); i++) {
                String o = "other-" + (i & 3);
                logs.forget(o);
                logs.append(
                    o,
                    s ->
                        s.exists()
                            ? List.of()
                            : List.of(
                                new SessionEvent.Created(
                                    Fixtures.START,
                                    "plain",
                                    tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(
                                        "x"),
                                    Origin.human("bo"),
                                    java.util.Map.of())));
              }
            });
    holder.start();
    other.start();
    long end =
        System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(3); // bounds the work
    try {
      for (int i = 0; i < 5_000 && System.nanoTime() < end; i++) {
        SessionFold after =
            logs.append(
                id,
                s ->
                    List.of(
                        new SessionEvent.MessagePosted(
                            Fixtures.START, "ana", "m" + s.version(), null, false)));
        SessionFold read = logs.cached(id); // null when the cache dropped it: read from the store
        if (read != null) {
          assertThat(read.version())
              .as("version read after append %d", i)
              .isGreaterThanOrEqualTo(after.version());
        }
      }
    } finally {
      done.set(true);
      holder.join();
      other.join();
    }
  }

  private static void runAll(java.util.Queue<Runnable> queued) {
    for (Runnable r; (r = queued.poll()) != null; ) {
      r.run();
    }
  }

  /** Counts the reads of a log from its first event (a fold built again from the store). */
  static final class CountingLoads extends ForwardingStore {
    final AtomicInteger fromStart = new AtomicInteger();

    CountingLoads(dev.agentmesh.sessions.spi.SessionStore delegate) {
      super(delegate);
    }

    @Override
    public List<StoredEvent> load(String id, long afterVersion, int limit) {
      if (afterVersion == 0) {
        fromStart.incrementAndGet();
      }
      return super.load(id, afterVersion, limit);
    }
  }
}
