package dev.agentmesh.review.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.review.ContentHash;
import dev.agentmesh.review.notify.kit.NotifierCompatibilityKit;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LogNotifierTest {

  final RecordingLogger logger = new RecordingLogger();

  @Test
  void oneLineCarriesKindIdTitleAndIdsButNoContent() {
    Notification n =
        Notification.builder(Notification.Kind.REVIEW_REQUESTED, "req-7")
            .title("Release notes need review")
            .recipient(Recipient.group("approvers"))
            .surfaces(
                new RenderedSurfaces("secret body text", "secret markdown", "<p>secret html</p>"))
            .provenance(
                new Provenance(
                    "art-7", new ContentHash("0f".repeat(32)), "sess-3", "release-notes", "high"))
            .build();

    LogNotifier.to(logger).deliver(n);

    assertThat(logger.lines)
        .containsExactly(
            "INFO review.requested req-7 'Release notes need review' artifact=art-7"
                + " hash=sha256:"
                + "0f".repeat(32)
                + " session=sess-3 agent=release-notes recipients=1 items=0");
  }

  @Test
  void aTitleWithLineBreaksCannotForgeALogLine() {
    Notification n =
        Notification.builder(Notification.Kind.DECIDED, "d-1")
            .title("ok\nERROR forged\r\u202eevil")
            .build();

    LogNotifier.to(logger).deliver(n);

    assertThat(logger.lines)
        .singleElement()
        .asString()
        .contains("'ok\\nERROR forged\\r\\u202eevil'")
        .doesNotContain("\n");
  }

  @Nested
  class Compatibility extends NotifierCompatibilityKit {
    @Override
    protected Notifier notifier() {
      return LogNotifier.to(logger);
    }

    @Override
    protected List<String> received() {
      return List.copyOf(logger.lines);
    }

    @Override
    protected void breakChannel() {
      logger.broken = true;
    }
  }
}
