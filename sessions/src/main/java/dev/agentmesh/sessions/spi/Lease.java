package dev.agentmesh.sessions.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A session's lease as {@link SessionStore#tryAcquireLease tryAcquireLease} granted it: who drives
 * the session, until when, and under which epoch. The epoch grows every time the lease passes to
 * another holder (another owner, or anyone after it was free, or a {@link SessionStore#claim
 * claim}); renewals by the holder keep it. An {@link Append} fenced by a lease ({@link
 * Append#fencedBy(Lease)}) is stored only while the session's epoch is still this one, so a driver
 * that was overtaken cannot write beside its successor.
 *
 * <pre>{@code
 * Lease lease = store.tryAcquireLease("s-1", "node-a", clock.instant(), ttl).orElseThrow();
 * store.append(Append.of("s-1", v, events, summary).fencedBy(lease)); // LeaseLostException once overtaken
 * }</pre>
 *
 * @param sessionId the leased session
 * @param owner the node that holds it
 * @param epoch the holder's epoch, at least 1, increasing per session
 * @param expiresAt when the lease ends unless renewed
 */
public record Lease(String sessionId, String owner, long epoch, Instant expiresAt) {

  /**
   * Checks the components are present and the epoch is at least 1.
   *
   * @param sessionId the leased session
   * @param owner the node that holds it
   * @param epoch the holder's epoch, at least 1, increasing per session
   * @param expiresAt when the lease ends unless renewed
   */
  public Lease {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (epoch < 1) {
      throw new IllegalArgumentException(
          "epoch of the lease of session '" + sessionId + "' must be at least 1 but was " + epoch);
    }
  }
}
