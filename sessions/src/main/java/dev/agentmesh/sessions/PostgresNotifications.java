package dev.agentmesh.sessions;

import dev.agentmesh.sessions.spi.SessionChange;
import dev.agentmesh.sessions.spi.SessionStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening side of the PostgreSQL store's change feed. Every append runs {@code
 * pg_notify(channel, 'id:version')} in its transaction ({@code PostgresSessionStore.notifyChange}),
 * so PostgreSQL delivers it on commit and never for a rolled-back append; while anyone subscribes,
 * one daemon thread holds one connection that {@code LISTEN}s on the channel and hands what arrives
 * to the {@link ChangeFeed}. A lost connection is reported ({@code disconnected}), reopened with a
 * growing pause (up to {@code maxBackoff}), and reported again ({@code connected}: changes in
 * between were missed). When the last subscriber leaves, the thread stops listening and returns its
 * connection.
 *
 * <p>Uses the PostgreSQL JDBC driver's {@link PGConnection} (an optional dependency of this module:
 * a host on PostgreSQL has it). A {@code DataSource} whose connections do not unwrap to it gets no
 * feed: the subscribers never hear {@code connected}, so they keep polling.
 */
final class PostgresNotifications implements ChangeFeed.Source {

  private static final Logger log = LoggerFactory.getLogger(PostgresNotifications.class);

  /** How long one wait for notifications blocks before the thread checks it should stop. */
  private static final int WAIT_MILLIS = 1000;

  /** After this long without a notification, the thread checks its connection is alive. */
  private static final long PROBE_NANOS = TimeUnit.SECONDS.toNanos(30);

  private static final Duration MIN_BACKOFF = Duration.ofMillis(100);

  private final DataSource dataSource;
  private final String channel;
  private final Duration maxBackoff;
  private final ChangeFeed feed;
  private final Object lock = new Object();
  private boolean wanted; // guarded by lock: someone subscribes
  private @Nullable Thread thread; // guarded by lock
  private boolean unsupported; // guarded by lock: the connections are not the driver's

  PostgresNotifications(DataSource dataSource, String channel, Duration maxBackoff, String store) {
    this.dataSource = dataSource;
    this.channel = channel;
    this.maxBackoff = maxBackoff;
    this.feed = new ChangeFeed(store, false, this);
  }

  SessionStore.Subscription subscribe(SessionStore.ChangeListener listener) {
    return feed.subscribe(listener);
  }

  @Override
  public void start() {
    synchronized (lock) {
      wanted = true;
      if (thread == null && !unsupported) {
        Thread t = new Thread(this::run, "agentmesh-pg-listen-" + channel);
        t.setDaemon(true);
        thread = t;
        t.start();
      }
      lock.notifyAll();
    }
  }

  @Override
  public void stop() {
    synchronized (lock) {
      wanted = false;
      lock.notifyAll();
    }
  }

  private boolean wanted() {
    synchronized (lock) {
      return wanted;
    }
  }

  private void run() {
    Duration backoff = MIN_BACKOFF;
    boolean warned = false;
    try {
      while (wanted()) {
        try (Connection c = dataSource.getConnection()) {
          if (!c.isWrapperFor(PGConnection.class)) {
            log.warn(
                "The change feed of the PostgreSQL store needs connections of the PostgreSQL "
                    + "JDBC driver (org.postgresql), but {} does not unwrap to one; awaits poll the "
                    + "store instead",
                c.getClass().getName());
            unsupported();
            return;
          }
          listen(c);
          PGConnection pg = c.unwrap(PGConnection.class);
          // A pooled connection may hold notifications of its earlier life (received after its
          // last read, before its UNLISTEN): stale, and reported again they would repeat a
          // change. Whatever committed before connected() is re-read by subscribers anyway.
          pg.getNotifications();
          backoff = MIN_BACKOFF;
          if (warned) {
            log.info("Listening on PostgreSQL channel {} again", channel);
            warned = false;
          }
          feed.connected();
          receive(c, pg);
          feed.disconnected(); // a subscriber arriving now waits for the next LISTEN
          unlisten(c); // the connection goes back to the pool: leave nothing behind
          pg.getNotifications(); // nor notifications read with the UNLISTEN
        } catch (SQLException | RuntimeException e) {
          feed.disconnected();
          if (!warned) {
            log.warn(
                "Lost the connection listening on PostgreSQL channel {} ({}); awaits poll "
                    + "the store until it is back. Reconnecting",
                channel,
                e.toString());
            warned = true;
          } else {
            log.debug("Reconnecting to listen on PostgreSQL channel {} failed", channel, e);
          }
          pause(backoff);
          backoff =
              backoff.multipliedBy(2).compareTo(maxBackoff) > 0
                  ? maxBackoff
                  : backoff.multipliedBy(2);
        }
      }
    } catch (LinkageError noDriver) {
      log.warn(
          "The change feed of the PostgreSQL store needs the PostgreSQL JDBC driver "
              + "(org.postgresql) on the class path; awaits poll the store instead",
          noDriver);
      unsupported();
    } finally {
      exit();
    }
  }

  /** Hands notifications to the feed until no one subscribes; throws when the connection dies. */
  private void receive(Connection c, PGConnection pg) throws SQLException {
    long quietSince = System.nanoTime();
    while (wanted()) {
      PGNotification[] got = pg.getNotifications(WAIT_MILLIS);
      if (got == null || got.length == 0) {
        if (System.nanoTime() - quietSince > PROBE_NANOS) {
          listen(c); // a round trip: fails on a connection that died quietly
          quietSince = System.nanoTime();
        }
        continue;
      }
      quietSince = System.nanoTime();
      for (PGNotification n : got) {
        SessionChange change = parse(n);
        if (change != null) {
          feed.queue(change);
        }
      }
      feed.drain();
    }
  }

  private @Nullable SessionChange parse(PGNotification n) {
    String payload = n.getParameter();
    int colon = payload == null ? -1 : payload.lastIndexOf(':');
    if (payload == null || colon <= 0 || !channel.equals(n.getName())) {
      log.debug(
          "Ignoring notification {} on channel {}: not 'sessionId:version'", payload, n.getName());
      return null;
    }
    try {
      return new SessionChange(
          payload.substring(0, colon), Long.parseLong(payload.substring(colon + 1)));
    } catch (IllegalArgumentException notOurs) {
      log.debug("Ignoring notification {} on channel {}", payload, channel, notOurs);
      return null;
    }
  }

  private void listen(Connection c) throws SQLException {
    if (!c.getAutoCommit()) {
      c.setAutoCommit(true); // LISTEN takes effect at commit
    }
    try (Statement s = c.createStatement()) {
      s.execute("LISTEN \"" + channel + "\"");
    }
  }

  private void unlisten(Connection c) {
    try (Statement s = c.createStatement()) {
      s.execute("UNLISTEN \"" + channel + "\"");
    } catch (SQLException e) {
      log.debug("UNLISTEN {} failed; the connection goes back to its pool anyway", channel, e);
    }
  }

  /** Waits {@code pause} before reconnecting, or less when no one subscribes any more. */
  private void pause(Duration pause) {
    long until = System.nanoTime() + pause.toNanos();
    synchronized (lock) {
      for (long left = pause.toNanos(); wanted && left > 0; left = until - System.nanoTime()) {
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          wanted = false;
        }
      }
    }
  }

  private void unsupported() {
    synchronized (lock) {
      unsupported = true;
    }
  }

  /** The thread ends: the feed is down; a subscriber that came meanwhile gets a new thread. */
  private void exit() {
    feed.disconnected();
    synchronized (lock) {
      thread = null;
      if (wanted && !unsupported && !Thread.currentThread().isInterrupted()) {
        start();
      }
    }
  }
}
