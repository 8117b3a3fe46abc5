package dev.agentmesh.review.notify;

import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one INFO line per notification through SLF4J: its kind, id, title and provenance ids,
 * never a surface or any other content. Line breaks and controls in the title are shown as escapes,
 * so a title cannot forge a log line.
 *
 * <pre>{@code
 * Notifier log = LogNotifier.create();
 * // INFO dev.agentmesh.review.notify.LogNotifier - review.requested req-7 'Release notes need review' artifact=art-7 ...
 * }</pre>
 */
public final class LogNotifier implements Notifier {

  private final Logger logger;

  private LogNotifier(Logger logger) {
    this.logger = Objects.requireNonNull(logger, "logger");
  }

  /**
   * Logs to the logger named {@code dev.agentmesh.review.notify.LogNotifier}.
   *
   * @return the notifier
   */
  public static LogNotifier create() {
    return new LogNotifier(LoggerFactory.getLogger(LogNotifier.class));
  }

  /**
   * Logs to {@code logger}.
   *
   * @param logger the logger
   * @return the notifier
   */
  public static LogNotifier to(Logger logger) {
    return new LogNotifier(logger);
  }

  @Override
  public void deliver(Notification n) {
    Provenance p = n.provenance();
    logger.info(
        "{} {} '{}' artifact={} hash={} session={} agent={} recipients={} items={}",
        n.kind().wireName(),
        n.id(),
        NotifyText.visible(n.title(), 200),
        ids(p.artifactId()),
        p.contentHash() == null ? "-" : p.contentHash(),
        ids(p.sessionId()),
        ids(p.agent()),
        n.recipients().size(),
        n.items().size());
  }

  private static String ids(@org.jspecify.annotations.Nullable String id) {
    return id == null ? "-" : NotifyText.visible(id, 100);
  }
}
