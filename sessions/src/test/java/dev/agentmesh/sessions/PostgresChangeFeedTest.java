package dev.agentmesh.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.Mesh;
import dev.agentmesh.sessions.spi.SessionChange;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.testing.ManualScheduler;
import dev.agentmesh.testsupport.PostgresTestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes (two stores, two {@link Sessions}) on one PostgreSQL schema: node A's awaits learn of
 * node B's progress from {@code NOTIFY}, with polling an hour apart on a scheduler that never runs,
 * also after A's listening connection was killed.
 */
class PostgresChangeFeedTest {

  private static final PostgresTestDatabase DB = PostgresTestDatabase.get();
  private static final long WAIT_SECONDS = 30;

  private final String schema = PostgresTestDatabase.newSchema("notify");
  private final List<AutoCloseable> closeAtEnd = new ArrayList<>();
  private final Mesh mesh = Fixtures.mesh(Clock.systemUTC());
  private final PostgresSessionStore storeA = store();
  private final PostgresSessionStore storeB = store();
  private final BlockingQueue<String> feedOfA = new LinkedBlockingQueue<>();
  private final List<String> heardByA = new CopyOnWriteArrayList<>();
  private final Sessions nodeA = node(storeA, "a");
  private final Sessions nodeB = node(storeB, "b");

  @AfterEach
  void cleanUp() throws Exception {
    for (AutoCloseable c : closeAtEnd) {
      c.close();
    }
    DB.dropSchema(schema);
  }

  private PostgresSessionStore store() {
    return PostgresSessionStore.builder(DB.dataSource()).schema(schema).build();
  }

  private Sessions node(SessionStore store, String name) {
    Sessions node =
        Sessions.builder(mesh)
            .store(store)
            .executor(Runnable::run)
            .scheduler(new ManualScheduler())
            .pollInterval(Duration.ofHours(1))
            .nodeId(name)
            .build();
    closeAtEnd.add(node);
    return node;
  }

  /** Records what A's store feed says, as "connected", "disconnected" or "id:version". */
  private void watchFeedOfA() {
    closeAtEnd.add(
        storeA.subscribe(
            new SessionStore.ChangeListener() {
              @Override
              public void changed(SessionChange change) {
                heardByA.add(change.sessionId() + ":" + change.version());
                feedOfA.add(change.sessionId() + ":" + change.version());
              }

              @Override
              public void connected() {
                feedOfA.add("connected");
              }

              @Override
              public void disconnected() {
                feedOfA.add("disconnected");
              }
            }));
  }

  private void expectFromFeedOfA(String what) throws InterruptedException {
    for (String got = feedOfA.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        ;
        got = feedOfA.poll(WAIT_SECONDS, TimeUnit.SECONDS)) {
      assertThat(got)
          .as("the feed of node A said nothing for %ss while we expected %s", WAIT_SECONDS, what)
          .isNotNull();
      if (got.equals(what)) {
        return;
      }
    }
  }

  private String waitingSession() {
    Session session =
        nodeB.newSession("plain").input("start").participant("ana", ParticipantRole.OWNER).start();
    session.awaitInput("approval", "Ship it?");
    return session.id();
  }

  @Test
  void notificationsLeftOnAPooledConnectionFromItsEarlierLifeAreNeverReported() throws Exception {
    Connection pooled = DB.dataSource().getConnection();
    closeAtEnd.add(pooled);
    String channel = PostgresSessionStore.channel(schema);
    try (Statement s = pooled.createStatement()) {
      s.execute("LISTEN \"" + channel + "\"");
    }
    try (Connection other = DB.dataSource().getConnection();
        Statement s = other.createStatement()) {
      s.execute("SELECT pg_notify('" + channel + "', 'stale:1')");
    }
    try (Statement s = pooled.createStatement()) {
      s.execute("SELECT 1"); // the driver reads the notification here and keeps it, unread
      s.execute("UNLISTEN \"" + channel + "\"");
    }
    PostgresSessionStore reusing =
        PostgresSessionStore.builder(DB.dataSource())
            .schema(schema)
            .listenWith(onePooledConnection(pooled))
            .build();
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    closeAtEnd.add(
        0,
        reusing.subscribe(
            new SessionStore.ChangeListener() {
              @Override
              public void changed(SessionChange change) {
                heard.add(change.sessionId() + ":" + change.version());
              }

              @Override
              public void connected() {
                heard.add("connected");
              }
            }));
    assertThat(heard.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("connected");

    String id = waitingSession();
    String last = id + ":" + nodeB.session(id).state().version();
    List<String> said = new ArrayList<>();
    for (String got = ""; !got.equals(last); said.add(got)) {
      got = heard.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(got)
          .as("the feed said %s, then nothing while we expected %s", said, last)
          .isNotNull();
    }
    assertThat(said)
        .as("a notification of the connection's earlier life")
        .doesNotContain("stale:1");
  }

  /** A pool of one connection that close() hands back, as a real pool would, unreset. */
  private static javax.sql.DataSource onePooledConnection(Connection connection) {
    Connection handle =
        (Connection)
            java.lang.reflect.Proxy.newProxyInstance(
                Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("close")) {
                    return null;
                  }
                  try {
                    return method.invoke(connection, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    return (javax.sql.DataSource)
        java.lang.reflect.Proxy.newProxyInstance(
            javax.sql.DataSource.class.getClassLoader(),
            new Class<?>[] {javax.sql.DataSource.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getConnection")) {
                return handle;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  @Test
  void anAwaitOnOneNodeCompletesFromAnotherNodesNotifyWithoutPolling() throws Exception {
    watchFeedOfA();
    expectFromFeedOfA("connected");
    String id = waitingSession();
    CompletableFuture<SessionState> done = nodeA.session(id).finished();

    nodeB.session(id).provideInput("approval", "yes", "ana");
    long version = nodeB.session(id).state().version();

    expectFromFeedOfA(id + ":" + version);
    assertThat(done.get(WAIT_SECONDS, TimeUnit.SECONDS).status())
        .isEqualTo(SessionStatus.COMPLETED);
  }

  @Test
  void aKilledListeningConnectionIsReopenedAndAnAwaitStillCompletes() throws Exception {
    watchFeedOfA();
    expectFromFeedOfA("connected");
    String id = waitingSession();
    CompletableFuture<SessionState> done = nodeA.session(id).finished();

    assertThat(terminateListeners()).as("listening connections killed").isEqualTo(1);
    expectFromFeedOfA("disconnected");
    nodeB
        .session(id)
        .provideInput("approval", "yes", "ana"); // while A's feed is down, or just back
    expectFromFeedOfA("connected");

    assertThat(done.get(WAIT_SECONDS, TimeUnit.SECONDS).status())
        .isEqualTo(SessionStatus.COMPLETED);
    nodeB.session(id).post("ana", "once more");
    expectFromFeedOfA(id + ":" + nodeB.session(id).state().version());
  }

  @Test
  void aStoreWithTheFeedTurnedOffHasNoneAndItsAppendsNotifyNobody() throws Exception {
    PostgresSessionStore quiet =
        PostgresSessionStore.builder(DB.dataSource()).schema(schema).changeFeed(false).build();
    watchFeedOfA();
    expectFromFeedOfA("connected");

    assertThat(quiet.supportsChanges()).isFalse();
    Sessions quietNode = node(quiet, "quiet");
    String silent = quietNode.newSession("plain").input("start").start().id();
    String heard = nodeB.newSession("plain").input("start").start().id();

    expectFromFeedOfA(heard + ":1");
    assertThat(heardByA)
        .as(
            "notifications are delivered in commit order: the quiet node's "
                + "would have come first")
        .noneMatch(s -> s.startsWith(silent + ":"));
  }

  /** Kills the backends listening on this schema's channel; returns how many. */
  private int terminateListeners() throws Exception {
    try (Connection c = DB.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(pg_terminate_backend(pid)) FROM "
                    + "pg_stat_activity WHERE query = 'LISTEN \""
                    + PostgresSessionStore.channel(schema)
                    + "\"'")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
