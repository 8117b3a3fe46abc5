package dev.agentmesh.sessions;

import dev.agentmesh.sessions.spi.PurgeRequest;
import dev.agentmesh.sessions.spi.SessionArchive;
import dev.agentmesh.sessions.spi.SessionStore;
import dev.agentmesh.sessions.spi.SessionSummary;
import dev.agentmesh.sessions.spi.StoredEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link Retention} policy: purges finished sessions page by page, archiving each log
 * first when the policy has an archive (a dry run picks the page, the archive gets each log, and a
 * purge restricted to the archived sessions at the versions read deletes them). Used by one sweep
 * at a time.
 */
final class RetentionSweep {

  private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);

  private final FoldedLogs sessionLog;
  private final Retention retention;
  private final Clock clock;
  private @Nullable Instant due;

  RetentionSweep(FoldedLogs sessionLog, Retention retention, Clock clock) {
    this.sessionLog = sessionLog;
    this.retention = retention;
    this.clock = clock;
  }

  /** Purges when at least {@code checkEvery} passed since the last purge (or never ran). */
  synchronized int runIfDue() {
    Instant now = clock.instant();
    if (due != null && now.isBefore(due)) {
      return 0;
    }
    due = now.plus(retention.checkEvery());
    return run();
  }

  /** Purges every finished session older than the window now; how many were deleted. */
  synchronized int run() {
    int total = 0;
    while (true) {
      Instant now = clock.instant();
      PurgeRequest request =
          PurgeRequest.finishedBefore(now.minus(retention.window()), now)
              .limit(retention.batchSize())
              .keepRows(retention.keptRows())
              .build();
      SessionArchive archive = retention.archive();
      Page page = archive == null ? purge(request) : archiveThenPurge(request, archive);
      page.deleted().forEach(s -> sessionLog.forget(s.id()));
      total += page.deleted().size();
      if (!page.more()) {
        return total;
      }
    }
  }

  /** What one round deleted, and whether another round may find more. */
  private record Page(List<SessionSummary> deleted, boolean more) {}

  private Page purge(PurgeRequest request) {
    List<SessionSummary> deleted = store().purge(request);
    return new Page(deleted, deleted.size() == request.limit());
  }

  private Page archiveThenPurge(PurgeRequest request, SessionArchive archive) {
    List<SessionSummary> seen = store().purge(request.newBuilder().dryRun(true).build());
    List<SessionSummary> archived = new ArrayList<>(seen.size());
    for (SessionSummary s : seen) {
      if (archived(s, archive)) {
        archived.add(s);
      }
    }
    List<SessionSummary> deleted =
        archived.isEmpty() ? List.of() : store().purge(request.newBuilder().only(archived).build());
    boolean full = seen.size() == request.limit();
    return new Page(deleted, full && archived.size() == seen.size() && !deleted.isEmpty());
  }

  /** Hands the session's log at the version seen to the archive; false if that failed. */
  private boolean archived(SessionSummary s, SessionArchive archive) {
    try {
      List<StoredEvent> events =
          store().load(s.id(), 0, (int) Math.min(s.version(), Integer.MAX_VALUE));
      if (events.size() != s.version()) {
        return false; // deleted or changed since the dry run; a later purge sees it again
      }
      archive.archive(s, events);
      return true;
    } catch (Exception e) {
      log.warn(
          "Archiving session {} failed; it is kept and archived again at the next purge",
          s.id(),
          e);
      return false;
    }
  }

  private SessionStore store() {
    return sessionLog.store();
  }
}
