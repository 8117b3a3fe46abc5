package dev.agentmesh.triggers;

import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.spi.Append;
import dev.agentmesh.sessions.spi.Lease;
import dev.agentmesh.sessions.spi.PurgeRequest;
import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowQuery;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.sessions.spi.SessionPage;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.SessionStoreException;
import dev.agentmesh.sessions.spi.SessionSummary;
import dev.agentmesh.sessions.spi.StoredEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An in-memory store whose appends fail while it is {@link #down}, and which can run a hook after
 * each append that creates a session (to hold a consumer between the commit and its ack).
 */
final class FlakyStore implements SessionStore {

  private final InMemorySessionStore delegate = InMemorySessionStore.create();
  private volatile boolean down;
  private volatile Consumer<String> afterCreate = id -> {};
  final AtomicInteger refusedAppends = new AtomicInteger();
  final AtomicInteger creations = new AtomicInteger();

  void down(boolean down) {
    this.down = down;
  }

  void afterCreate(Consumer<String> hook) {
    this.afterCreate = hook;
  }

  @Override
  public long append(Append append) {
    if (down) {
      refusedAppends.incrementAndGet();
      throw new SessionStoreException("the test store is down", null);
    }
    long version = delegate.append(append);
    if (append.expectedVersion() == 0) {
      creations.incrementAndGet();
      afterCreate.accept(append.sessionId());
    }
    return version;
  }

  @Override
  public List<StoredEvent> load(String sessionId, long afterVersion, int limit) {
    return delegate.load(sessionId, afterVersion, limit);
  }

  @Override
  public Optional<SessionSummary> find(String sessionId) {
    return delegate.find(sessionId);
  }

  @Override
  public SessionPage query(SessionQuery query) {
    return delegate.query(query);
  }

  @Override
  public Optional<Lease> tryAcquireLease(
      String sessionId, String owner, Instant now, Duration ttl) {
    return delegate.tryAcquireLease(sessionId, owner, now, ttl);
  }

  @Override
  public boolean releaseLease(String sessionId, String owner) {
    return delegate.releaseLease(sessionId, owner);
  }

  @Override
  public List<String> claim(String owner, Instant now, Duration ttl, int limit) {
    return delegate.claim(owner, now, ttl, limit);
  }

  @Override
  public boolean quarantine(String sessionId, String reason) {
    return delegate.quarantine(sessionId, reason);
  }

  @Override
  public boolean releaseQuarantine(String sessionId) {
    return delegate.releaseQuarantine(sessionId);
  }

  @Override
  public boolean delete(String sessionId) {
    return delegate.delete(sessionId);
  }

  @Override
  public List<SessionSummary> purge(PurgeRequest request) {
    return delegate.purge(request);
  }

  @Override
  public Optional<Row> findRow(String namespace, String key) {
    return delegate.findRow(namespace, key);
  }

  @Override
  public List<Row> queryRows(RowQuery query) {
    return delegate.queryRows(query);
  }

  @Override
  public void writeRows(List<RowWrite> writes) {
    delegate.writeRows(writes);
  }

  @Override
  public List<Row> claimRows(String namespace, String owner, Instant now, Duration ttl, int limit) {
    return delegate.claimRows(namespace, owner, now, ttl, limit);
  }
}
