package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.core.Mesh;
import dev.agentmesh.sessions.spi.SessionChange;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.StoredEvent;
import dev.agentmesh.testing.ManualScheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How an await on node A learns that node B moved a session on: from the store's change feed when
 * it has a live one, else from polling on A's scheduler, and never from a loop of its own. Both
 * nodes run turns on the calling thread; A's scheduler runs only when a test says so.
 */
class AwaitsTest {

  private static final Duration POLL = Duration.ofSeconds(10);

  private final Mesh mesh = Fixtures.mesh(Clock.systemUTC());
  private final ManualScheduler schedulerA = new ManualScheduler();
  private @Nullable Sessions nodeA;
  private @Nullable Sessions nodeB;

  @AfterEach
  void closeNodes() {
    if (nodeA != null) {
      nodeA.close();
    }
    if (nodeB != null) {
      nodeB.close();
    }
  }

  /** Nodes A and B over {@code store}; A polls (when it must) each time its scheduler runs. */
  private void nodesOver(SessionStore store) {
    nodeA =
        Sessions.builder(mesh)
            .store(store)
            .executor(Runnable::run)
            .scheduler(schedulerA)
            .pollInterval(POLL)
            .nodeId("a")
            .build();
    nodeB =
        Sessions.builder(mesh)
            .store(store)
            .executor(Runnable::run)
            .scheduler(new ManualScheduler())
            .nodeId("b")
            .build();
  }

  /** A session B made that now waits for input "approval": not finished yet. */
  private String waitingSession() {
    Session session =
        nodeB.newSession("plain").input("start").participant("ana", ParticipantRole.OWNER).start();
    session.awaitInput("approval", "Ship it?");
    return session.id();
  }

  @Test
  void withoutAFeedAnAwaitLearnsOfAnotherNodesProgressWhenTheSchedulerPollsAtTheInterval() {
    nodesOver(new NoFeedStore(InMemorySessionStore.create()));
    String id = waitingSession();
    CompletableFuture<SessionState> done = nodeA.session(id).finished();
    assertThat(schedulerA.pending()).as("one poll task while A awaits").isEqualTo(1);

    nodeB.session(id).provideInput("approval", "yes", "ana");
    schedulerA.advance(POLL.minusMillis(1));
    assertThat(done).as("nothing polled before the interval").isNotDone();

    schedulerA.advance(Duration.ofMillis(1));
    assertThat(done).isCompletedWithValueMatching(s -> s.status() == SessionStatus.COMPLETED);
    assertThat(schedulerA.pending()).as("nobody awaits: the poll task is cancelled").isZero();
  }

  @Test
  void withALiveFeedNothingPollsAndAnotherNodesAppendCompletesTheAwait() {
    nodesOver(InMemorySessionStore.create());
    String id = waitingSession();
    CompletableFuture<SessionState> done = nodeA.session(id).finished();
    assertThat(schedulerA.pending()).as("no poll task with a live feed").isZero();

    nodeB.session(id).provideInput("approval", "yes", "ana");

    assertThat(done).isCompletedWithValueMatching(s -> s.status() == SessionStatus.COMPLETED);
  }

  @Test
  void anAwaitThatTimesOutReadsTheStoreOnlyAtItsStartAndEnd() {
    CountingStore store = new CountingStore(new NoFeedStore(InMemorySessionStore.create()));
    nodesOver(store);
    String id = waitingSession();
    Session onA = nodeA.session(id);
    long version = onA.state().version();
    int before = store.loads.get();

    assertThatThrownBy(() -> onA.awaitFinished(Duration.ofMillis(300)))
        .isInstanceOf(SessionTimeoutException.class)
        .hasMessage(
            "Session '"
                + id
                + "' did not finish within PT0.3S; it is waiting at "
                + "version "
                + version
                + ", waiting for [approval]");
    assertThat(store.loads.get() - before)
        .as("the await's first read and the message's read")
        .isEqualTo(2);
    assertThat(schedulerA.pending()).as("the timed-out await stopped waiting").isZero();
  }

  @Test
  void aFeedThatDropsHandsOverToPollingAndConnectingAgainRereadsWhatWasMissed() {
    ControlledFeedStore store = new ControlledFeedStore(InMemorySessionStore.create());
    nodesOver(store);
    String id = waitingSession();
    CompletableFuture<SessionState> first = nodeA.session(id).finished();
    assertThat(store.listener).as("A subscribed at its first await").isNotNull();
    assertThat(schedulerA.pending()).as("the feed is not live yet: A polls").isEqualTo(1);

    store.listener.connected();
    assertThat(schedulerA.pending()).as("live feed: no polling").isZero();
    nodeB.session(id).provideInput("approval", "yes", "ana");
    assertThat(first).as("the feed has not told A yet").isNotDone();
    store.listener.changed(new SessionChange(id, nodeB.session(id).state().version()));
    assertThat(first).isCompletedWithValueMatching(s -> s.status() == SessionStatus.COMPLETED);

    nodeB.session(id).awaitInput("approval", "And this one?");
    CompletableFuture<SessionState> second = nodeA.session(id).finished();
    store.listener.disconnected();
    assertThat(schedulerA.pending()).as("feed down: A polls again").isEqualTo(1);
    nodeB.session(id).provideInput("approval", "yes", "ana");
    store.listener.connected();
    assertThat(second)
        .as("connected again: A re-read what it waits on")
        .isCompletedWithValueMatching(s -> s.status() == SessionStatus.COMPLETED);
    assertThat(schedulerA.pending()).isZero();
  }

  @Test
  void aChangeToASessionNobodyAwaitsOrThatANodeHasSeenReadsNothing() {
    ControlledFeedStore feed = new ControlledFeedStore(InMemorySessionStore.create());
    CountingStore store = new CountingStore(feed);
    nodesOver(store);
    String id = waitingSession();
    String other = waitingSession();
    CompletableFuture<SessionState> done = nodeA.session(id).finished();
    feed.listener.connected();
    int before = store.loads.get();

    feed.listener.changed(new SessionChange(other, 99));
    feed.listener.changed(new SessionChange(id, nodeA.session(id).state().version()));
    int afterOwnState = store.loads.get();

    assertThat(afterOwnState - before).as("only the state() call of this test read").isEqualTo(1);
    assertThat(done).isNotDone();
  }

  @Test
  void theChangesOfANodesOwnAppendsAreNotReadBackOnceItHasFoldedThem() {
    CountingStore store = new CountingStore(InMemorySessionStore.create());
    List<Runnable> queued = new java.util.concurrent.CopyOnWriteArrayList<>();
    nodeA =
        Sessions.builder(mesh)
            .store(store)
            .executor(queued::add) // drives and re-reads run only when the test runs them
            .scheduler(schedulerA)
            .nodeId("a")
            .build();
    Session session =
        nodeA.newSession("plain").input("start").participant("ana", ParticipantRole.OWNER).start();
    CompletableFuture<SessionState> finished = session.finished();
    Runnable drive = queued.remove(0);
    int before = store.loads.get();

    drive.run(); // its appends tell the feed, which queues a re-read, before the node folds them
    assertThat(queued).as("the feed queued a re-read").isNotEmpty();
    int afterDrive = store.loads.get();
    while (!queued.isEmpty()) {
      queued.remove(0).run();
    }

    assertThat(finished).isCompletedWithValueMatching(s -> s.status().isFinished(), "finished");
    assertThat(store.loads.get() - afterDrive)
        .as(
            "the queued re-reads found the node had folded its own appends (drive read %d)",
            afterDrive - before)
        .isZero();
  }

  @Test
  void aReadThatStartedBeforeAPostAndEndsAfterItNeverCompletesAnAwaitOnTheOlderState()
      throws Exception {
    BlockingLoadStore store = new BlockingLoadStore(new NoFeedStore(InMemorySessionStore.create()));
    List<Runnable> turns = new java.util.concurrent.CopyOnWriteArrayList<>();
    nodeB = Sessions.builder(mesh).store(store).executor(Runnable::run).nodeId("b").build();
    nodeA =
        Sessions.builder(mesh)
            .store(store)
            .executor(turns::add) // A's turns run only when the test runs them
            .scheduler(schedulerA)
            .pollInterval(POLL)
            .nodeId("a")
            .build();
    String id =
        nodeB
            .newSession("plain")
            .input("start")
            .participant("ana", ParticipantRole.OWNER)
            .start()
            .id();
    assertThat(nodeB.session(id).state().status().isIdle()).as("B ran its turn").isTrue();

    store.blockNextLoad();
    Thread slowRead = new Thread(() -> nodeA.session(id).state(), "slow-read");
    slowRead.start();
    store.awaitBlocked(); // it holds the log as it was: idle
    SessionState posted = nodeA.session(id).post("ana", "and one more thing");
    CompletableFuture<SessionState> idle = nodeA.session(id).idle();
    store.release();
    slowRead.join();

    assertThat(posted.status().isIdle()).as("the post left it running").isFalse();
    assertThat(idle).as("the slow read's older, idle state is not news").isNotDone();
    turns.forEach(Runnable::run);
    assertThat(idle)
        .isCompletedWithValueMatching(
            s -> s.status().isIdle() && s.version() > posted.version(), "idle after the post");
  }

  @Test
  void pollIntervalMustBePositive() {
    assertThatThrownBy(() -> Sessions.builder(mesh).pollInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pollInterval must be at least 1ms but was PT0S");
  }

  /** A store that hides its delegate's change feed, as SQLite has none. */
  static final class NoFeedStore extends ForwardingStore {
    NoFeedStore(SessionStore delegate) {
      super(delegate);
    }

    @Override
    public boolean supportsChanges() {
      return false;
    }

    @Override
    public Subscription subscribe(ChangeListener listener) {
      throw new UnsupportedOperationException("no feed");
    }
  }

  /** A feed the test drives by hand: nothing reaches the listener unless the test calls it. */
  static final class ControlledFeedStore extends ForwardingStore {
    volatile @Nullable ChangeListener listener;

    ControlledFeedStore(SessionStore delegate) {
      super(delegate);
    }

    @Override
    public boolean supportsChanges() {
      return true;
    }

    @Override
    public Subscription subscribe(ChangeListener listener) {
      this.listener = listener;
      return () -> this.listener = null;
    }
  }

  /** Counts loads: every re-read of a session is one. */
  static final class CountingStore extends ForwardingStore {
    final AtomicInteger loads = new AtomicInteger();

    CountingStore(SessionStore delegate) {
      super(delegate);
    }

    @Override
    public List<StoredEvent> load(String id, long afterVersion, int limit) {
      loads.incrementAndGet();
      return super.load(id, afterVersion, limit);
    }
  }

  /** Blocks one load after it read its delegate, as a read that is slow to come back. */
  static final class BlockingLoadStore extends ForwardingStore {
    private final java.util.concurrent.atomic.AtomicBoolean armed =
        new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.CountDownLatch blocked =
        new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.CountDownLatch released =
        new java.util.concurrent.CountDownLatch(1);

    BlockingLoadStore(SessionStore delegate) {
      super(delegate);
    }

    void blockNextLoad() {
      armed.set(true);
    }

    void awaitBlocked() throws InterruptedException {
      assertThat(blocked.await(1, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
    }

    void release() {
      released.countDown();
    }

    @Override
    public List<StoredEvent> load(String id, long afterVersion, int limit) {
      List<StoredEvent> read = super.load(id, afterVersion, limit);
      if (armed.compareAndSet(true, false)) {
        blocked.countDown();
        try {
          assertThat(released.await(1, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return read;
    }
  }
}
