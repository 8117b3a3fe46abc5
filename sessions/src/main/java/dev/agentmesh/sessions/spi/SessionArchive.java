package dev.agentmesh.sessions.spi;

import java.util.List;

/**
 * Where a finished session's log goes before {@link dev.agentmesh.sessions.Retention retention}
 * deletes it: object storage, a data warehouse, a compressed file.
 *
 * <pre>{@code
 * SessionArchive toFiles = (summary, log) -> {
 *   Path file = dir.resolve(summary.id() + ".jsonl");
 *   Files.write(file, log.stream().map(json::writeValueAsString).toList());
 * };
 * Retention retention = Retention.purgeFinishedAfter(Duration.ofDays(30)).archiveTo(toFiles);
 * }</pre>
 *
 * <h2>Contract</h2>
 *
 * Called on the sweep's thread, one session at a time, with the session's summary and its whole log
 * at that summary's version. Return only once the log is stored durably: the session is deleted
 * after the call returns, and only if it is still at that version (a session that moved on is kept
 * and archived again when it is purged later). Throwing keeps the session (nothing is deleted) and
 * the next sweep tries again, so make it idempotent: the same session may be handed over more than
 * once (after a throw, a crash between archive and delete, or a session that finished again later).
 * What it throws is logged, never propagated to other sessions.
 */
@FunctionalInterface
public interface SessionArchive {

  /**
   * Stores {@code log}, the whole log of the session {@code summary} describes.
   *
   * @param summary the session's summary; {@code summary.version()} is {@code log.size()}
   * @param log the session's events, versions 1 to {@code summary.version()}, in order
   * @throws Exception if the log was not stored; the session is kept and archived again later
   */
  void archive(SessionSummary summary, List<StoredEvent> log) throws Exception;
}
