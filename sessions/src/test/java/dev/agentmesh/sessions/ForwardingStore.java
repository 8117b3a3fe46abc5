package dev.agentmesh.sessions;

import dev.agentmesh.sessions.spi.Append;
import dev.agentmesh.sessions.spi.Lease;
import dev.agentmesh.sessions.spi.PurgeRequest;
import dev.agentmesh.sessions.spi.Row;
import dev.agentmesh.sessions.spi.RowQuery;
import dev.agentmesh.sessions.spi.RowWrite;
import dev.agentmesh.sessions.spi.SessionPage;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.SessionSummary;
import dev.agentmesh.sessions.spi.StoredEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A store that hands every call to another: test stores override only what they change. */
abstract class ForwardingStore implements SessionStore {

  protected final SessionStore delegate;

  ForwardingStore(SessionStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public long append(Append append) {
    return delegate.append(append);
  }

  @Override
  public List<StoredEvent> load(String id, long afterVersion, int limit) {
    return delegate.load(id, afterVersion, limit);
  }

  @Override
  public Optional<SessionSummary> find(String id) {
    return delegate.find(id);
  }

  @Override
  public SessionPage query(SessionQuery query) {
    return delegate.query(query);
  }

  @Override
  public Optional<Lease> tryAcquireLease(String id, String owner, Instant now, Duration ttl) {
    return delegate.tryAcquireLease(id, owner, now, ttl);
  }

  @Override
  public boolean releaseLease(String id, String owner) {
    return delegate.releaseLease(id, owner);
  }

  @Override
  public boolean quarantine(String id, String reason) {
    return delegate.quarantine(id, reason);
  }

  @Override
  public boolean releaseQuarantine(String id) {
    return delegate.releaseQuarantine(id);
  }

  @Override
  public boolean supportsChanges() {
    return delegate.supportsChanges();
  }

  @Override
  public Subscription subscribe(ChangeListener listener) {
    return delegate.subscribe(listener);
  }

  @Override
  public List<String> claim(String owner, Instant now, Duration ttl, int limit) {
    return delegate.claim(owner, now, ttl, limit);
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

  @Override
  public boolean delete(String id) {
    return delegate.delete(id);
  }

  @Override
  public List<SessionSummary> purge(PurgeRequest request) {
    return delegate.purge(request);
  }
}
