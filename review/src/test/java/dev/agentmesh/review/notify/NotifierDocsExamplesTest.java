package dev.agentmesh.review.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.review.ArtifactTypes;
import dev.agentmesh.review.Document;
import dev.agentmesh.testing.FakeClock;
import dev.agentmesh.testing.ManualScheduler;
import dev.agentmesh.testsupport.DocsExamples;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/**
 * The code in the "Notifiers" section of docs/review.md, compiled and run. Keep the two in step.
 */
class NotifierDocsExamplesTest {

  private static final Path PAGE = Path.of("../docs/review.md");
  private static final Path SOURCE =
      Path.of("src/test/java/dev/agentmesh/review/notify/NotifierDocsExamplesTest.java");

  @StartStop final MockWebServer server = new MockWebServer();
  final ManualScheduler manual =
      new ManualScheduler(FakeClock.at(Instant.parse("2026-11-29T09:00:00Z")));
  final DeliveryScheduler scheduler = InProcessDeliveryScheduler.of(manual.clock(), manual);

  @Test
  void wiringSendsADigestThroughTheGuardedChannels() throws Exception {
    for (int i = 0; i < 2; i++) {
      server.enqueue(new MockResponse.Builder().code(200).build());
    }
    URI slackWebhook = server.url("/services/T0/B0/secret").uri();
    URI hostWebhook = server.url("/hooks/agentmesh").uri();
    String webhookSecret = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
    ArtifactTypes types = ArtifactTypes.standard();
    Document document =
        new Document("Release notes 4.2", Document.Format.MARKDOWN, "# 4.1", "# 4.2");

    // docs:begin notify-wiring
    Deliveries deliveries =
        Deliveries.builder(
                scheduler) // InProcessDeliveryScheduler.create(Clock.systemUTC()) in production
            .notifier("slack", SlackNotifier.builder(slackWebhook).build())
            .notifier("webhook", WebhookNotifier.builder(hostWebhook).secret(webhookSecret).build())
            .notifier("log", LogNotifier.create())
            .retryPolicy(new DeliveryRetryPolicy(5, Duration.ofSeconds(30), Duration.ofMinutes(10)))
            .build();
    DigestNotifier digests =
        DigestNotifier.builder(deliveries, scheduler).interval(Duration.ofHours(1)).build().start();

    digests.deliver(
        Notification.builder(Notification.Kind.REVIEW_REQUESTED, "req-7")
            .title("Release notes for 4.2 need review")
            .recipient(Recipient.group("release-approvers"))
            .surfaces(RenderedSurfaces.of(types, document))
            .link(Notification.LinkRel.OPEN, URI.create("https://review.example.com/a/7"))
            .provenance(
                new Provenance(
                    "art-7", types.contentHash(document), "sess-3", "release-notes", "low"))
            .build());
    // docs:end

    manual.advance(Duration.ofHours(1));
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void everyJavaBlockOfTheNotifiersSectionIsARegionOfThisTest() {
    DocsExamples.assertBlocksMatchRegions(PAGE, "java notifiers", SOURCE);
    assertThat(DocsExamples.blocks(PAGE, "java notifiers")).hasSize(1);
  }
}
