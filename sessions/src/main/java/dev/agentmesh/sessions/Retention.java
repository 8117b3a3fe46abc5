package dev.agentmesh.sessions;

import dev.agentmesh.sessions.spi.PurgeRequest;
import dev.agentmesh.sessions.spi.SessionArchive;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * How long finished sessions are kept: {@link Sessions} purges completed, failed and cancelled
 * sessions whose last update is older than a window, optionally handing each log to a {@link
 * SessionArchive} first. Running, waiting and paused sessions are never purged, however old, nor
 * are quarantined or leased ones.
 *
 * <pre>{@code
 * Sessions sessions = Sessions.builder(mesh)
 *     .store(store)
 *     .retention(Retention.purgeFinishedAfter(Duration.ofDays(30)).archiveTo(archive))
 *     .build(); // the periodic sweep purges, at most once per checkEvery (default 1 hour)
 * }</pre>
 *
 * <p>Other modules' rows of a purged session are deleted with it, except idempotency keys ({@code
 * sessions.once}, always kept, so a redelivered trigger does not start a purged session again) and
 * rows of the namespaces named by {@link #keepRows}.
 *
 * <p>The sweep runs on the {@link Sessions.Builder#scheduler scheduler} and judges age by the
 * {@link Sessions.Builder#clock clock}, both injectable. Several nodes may purge one store at once:
 * each session is deleted once. Immutable; each {@code with}-style method returns a copy.
 */
public final class Retention {

  private final Duration window;
  private final @Nullable SessionArchive archive;
  private final Duration checkEvery;
  private final int batchSize;
  private final Set<String> keepRows;

  private Retention(
      Duration window,
      @Nullable SessionArchive archive,
      Duration checkEvery,
      int batchSize,
      Set<String> keepRows) {
    this.window = window;
    this.archive = archive;
    this.checkEvery = checkEvery;
    this.batchSize = batchSize;
    this.keepRows = keepRows;
  }

  /**
   * Purges finished sessions last updated more than {@code window} ago, without archiving.
   *
   * @param window how long a finished session is kept after its last update
   * @return the policy
   * @throws IllegalArgumentException if {@code window} is negative
   */
  public static Retention purgeFinishedAfter(Duration window) {
    Objects.requireNonNull(window, "window");
    if (window.isNegative()) {
      throw new IllegalArgumentException(
          "The retention window must not be negative but was "
              + window
              + "; use Duration.ZERO to purge finished sessions at the next check");
    }
    return new Retention(window, null, Duration.ofHours(1), 100, Set.of(CreateOnce.NAMESPACE));
  }

  /**
   * This policy, handing each session's log to {@code archive} before deleting it; a session whose
   * archive call throws is kept.
   *
   * @param archive where logs go before they are deleted
   * @return a copy of this policy with the archive
   */
  public Retention archiveTo(SessionArchive archive) {
    return new Retention(
        window, Objects.requireNonNull(archive, "archive"), checkEvery, batchSize, keepRows);
  }

  /**
   * This policy, checked at most once per {@code interval} (default 1 hour).
   *
   * @param interval the least time between two purges
   * @return a copy of this policy with the interval
   * @throws IllegalArgumentException if {@code interval} is not positive
   */
  public Retention checkEvery(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("checkEvery must be positive but was " + interval);
    }
    return new Retention(window, archive, interval, batchSize, keepRows);
  }

  /**
   * This policy, deleting at most {@code batchSize} sessions per store call (default 100).
   *
   * @param batchSize 1 to {@value PurgeRequest#MAX_LIMIT}
   * @return a copy of this policy with the batch size
   * @throws IllegalArgumentException if {@code batchSize} is out of range
   */
  public Retention batchSize(int batchSize) {
    if (batchSize < 1 || batchSize > PurgeRequest.MAX_LIMIT) {
      throw new IllegalArgumentException(
          "batchSize must be between 1 and " + PurgeRequest.MAX_LIMIT + " but was " + batchSize);
    }
    return new Retention(window, archive, checkEvery, batchSize, keepRows);
  }

  /**
   * This policy, also keeping other modules' rows of these namespaces when their session is purged
   * (idempotency keys, {@code sessions.once}, are always kept), such as a trigger's occurrence
   * claims. An erasure ({@link Sessions#delete}) removes them all the same.
   *
   * @param namespaces row namespaces, such as {@code triggers.claim}
   * @return a copy of this policy that keeps those rows too
   * @throws IllegalArgumentException if a namespace is malformed
   */
  public Retention keepRows(String... namespaces) {
    Set<String> all = new HashSet<>(keepRows);
    all.addAll(List.of(namespaces));
    PurgeRequest.finishedBefore(Instant.EPOCH, Instant.EPOCH).keepRows(all); // checks each
    return new Retention(window, archive, checkEvery, batchSize, Set.copyOf(all));
  }

  /**
   * The namespaces of rows kept when their session is purged.
   *
   * @return the namespaces, read-only; {@code sessions.once} among them
   */
  public Set<String> keptRows() {
    return keepRows;
  }

  /**
   * How long a finished session is kept after its last update.
   *
   * @return the window
   */
  public Duration window() {
    return window;
  }

  /**
   * Where logs go before they are deleted, or null when they are not archived.
   *
   * @return the archive, or null
   */
  public @Nullable SessionArchive archive() {
    return archive;
  }

  /**
   * The least time between two purges.
   *
   * @return the interval
   */
  public Duration checkEvery() {
    return checkEvery;
  }

  /**
   * The most sessions deleted per store call.
   *
   * @return the batch size
   */
  public int batchSize() {
    return batchSize;
  }

  @Override
  public String toString() {
    return "Retention{purgeFinishedAfter="
        + window
        + (archive == null ? "" : ", archived")
        + ", checkEvery="
        + checkEvery
        + ", batchSize="
        + batchSize
        + ", keepRows="
        + new TreeSet<>(keepRows)
        + "}";
  }
}
