package dev.agentmesh.review.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import dev.agentmesh.review.ContentHash;
import dev.agentmesh.review.notify.kit.NotifierCompatibilityKit;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class WebhookNotifierTest {

  static final String SECRET =
      "whsec_" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
  static final String HOSTILE =
      "\"}, \"type\": \"forged\" </script><script>alert(1)</script>\r\nX-Evil: 1 \u202e <!channel>";

  @StartStop final MockWebServer server = new MockWebServer();

  WebhookNotifier notifier() {
    return WebhookNotifier.builder(server.url("/hooks/agentmesh").uri())
        .secret(SECRET)
        .clock(Clock.systemUTC())
        .build();
  }

  Notification requested(String title) {
    return Notification.builder(Notification.Kind.REVIEW_REQUESTED, "req-7")
        .title(title)
        .recipient(Recipient.group("approvers"))
        .surfaces(new RenderedSurfaces("text", "**md**", "<p>html</p>"))
        .link(Notification.LinkRel.OPEN, URI.create("https://review.example.com/a/7"))
        .provenance(
            new Provenance(
                "art-7", new ContentHash("ab".repeat(32)), "sess-3", "release-notes", "high"))
        .build();
  }

  @Test
  void theStandardWebhooksLibraryVerifiesOurSignature() throws Exception {
    server.enqueue(new MockResponse.Builder().code(204).build());

    notifier().deliver(requested("Release notes need review"));

    RecordedRequest request = server.takeRequest();
    String body = request.getBody().utf8();
    Map<String, List<String>> headers = request.getHeaders().toMultimap();
    new Webhook(SECRET).verify(body, headers); // throws WebhookVerificationException when wrong
    assertThat(request.getHeaders().get("webhook-id")).isEqualTo("req-7");
    assertThat(request.getHeaders().get("webhook-signature")).startsWith("v1,");
  }

  @Test
  void aTamperedBodyFailsTheLibrarysVerification() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    notifier().deliver(requested("Release notes need review"));
    RecordedRequest request = server.takeRequest();
    String tampered = request.getBody().utf8().replace("approvers", "everyone");

    assertThatThrownBy(
            () -> new Webhook(SECRET).verify(tampered, request.getHeaders().toMultimap()))
        .hasMessageContaining("No matching signature found");
  }

  @Test
  void theBodyHasTheDocumentedShape() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    notifier().deliver(requested("Release notes need review"));

    JsonNode root = Http.MAPPER.readTree(server.takeRequest().getBody().utf8());

    assertThat(root.path("type").asString()).isEqualTo("review.requested");
    JsonNode data = root.path("data");
    assertThat(data.path("id").asString()).isEqualTo("req-7");
    assertThat(data.path("recipients").toString())
        .isEqualTo("[{\"type\":\"group\",\"id\":\"approvers\"}]");
    assertThat(data.path("provenance").path("contentHash").asString())
        .isEqualTo("sha256:" + "ab".repeat(32));
    assertThat(data.path("provenance").path("risk").asString()).isEqualTo("high");
    assertThat(data.path("links").path("open").asString())
        .isEqualTo("https://review.example.com/a/7");
    assertThat(data.path("surfaces").path("markdown").asString()).isEqualTo("**md**");
  }

  @Test
  void hostileTitlesStayInsideTheirJsonString() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    notifier().deliver(requested(HOSTILE));

    JsonNode root = Http.MAPPER.readTree(server.takeRequest().getBody().utf8());

    assertThat(root.path("type").asString()).isEqualTo("review.requested");
    assertThat(root.path("data").path("title").asString()).isEqualTo(HOSTILE);
  }

  @Test
  void serverErrorsAndThrottlingAreRetryableAndClientErrorsAreNot() {
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(new MockResponse.Builder().code(429).build());
    server.enqueue(new MockResponse.Builder().code(400).build());
    WebhookNotifier webhook = notifier();
    String where = "webhook http://" + server.getHostName() + ":" + server.getPort() + "/...";

    assertThatThrownBy(() -> webhook.deliver(requested("t")))
        .isInstanceOf(NotificationException.class)
        .hasMessage(where + " answered HTTP 503; expected 2xx (will retry)")
        .satisfies(e -> assertThat(((NotificationException) e).isRetryable()).isTrue());
    assertThatThrownBy(() -> webhook.deliver(requested("t")))
        .satisfies(e -> assertThat(((NotificationException) e).isRetryable()).isTrue());
    assertThatThrownBy(() -> webhook.deliver(requested("t")))
        .hasMessage(
            where
                + " answered HTTP 400; expected 2xx (not retried: fix the receiver or its configuration)")
        .satisfies(e -> assertThat(((NotificationException) e).isRetryable()).isFalse());
  }

  @Test
  void aSlowReceiverTimesOutAsARetryableFailure() {
    server.enqueue(new MockResponse.Builder().code(200).headersDelay(2, TimeUnit.SECONDS).build());
    WebhookNotifier slow =
        WebhookNotifier.builder(server.url("/slow").uri())
            .secret(SECRET)
            .timeout(Duration.ofMillis(100))
            .build();

    assertThatThrownBy(() -> slow.deliver(requested("t")))
        .isInstanceOf(NotificationException.class)
        .hasMessageContaining("failed: InterruptedIOException: timeout")
        .satisfies(e -> assertThat(((NotificationException) e).isRetryable()).isTrue());
  }

  @Test
  void theGuardRetriesAFailingWebhookAndCountsTheAttempts() throws Exception {
    server.enqueue(new MockResponse.Builder().code(500).build());
    server.enqueue(new MockResponse.Builder().code(502).build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    var manual = new dev.agentmesh.testing.ManualScheduler();
    var scheduler = InProcessDeliveryScheduler.of(manual.clock(), manual);
    List<DeliveryRecord> records = new ArrayList<>();
    Deliveries.builder(scheduler)
        .notifier("webhook", notifier())
        .listener(records::add)
        .random(() -> 0L)
        .build()
        .deliver(requested("t"));

    manual.advance(Duration.ofMinutes(10));

    assertThat(records)
        .extracting(DeliveryRecord::outcome)
        .containsExactly(
            DeliveryRecord.Outcome.RETRYING,
            DeliveryRecord.Outcome.RETRYING,
            DeliveryRecord.Outcome.DELIVERED);
    assertThat(server.getRequestCount()).isEqualTo(3);
    // The same webhook-id on every attempt: receivers deduplicate on it.
    for (int i = 0; i < 3; i++) {
      assertThat(server.takeRequest().getHeaders().get("webhook-id")).isEqualTo("req-7");
    }
  }

  @Test
  void aSecretMustBeAWhsecKeyAndIsNeverEchoed() {
    assertThatThrownBy(
            () ->
                WebhookNotifier.builder(URI.create("https://x.example.com"))
                    .secret("topsecretvalue"))
        .hasMessage(
            "a webhook secret must start with 'whsec_' followed by base64 but starts with 'top...'");
    assertThatThrownBy(
            () ->
                WebhookNotifier.builder(URI.create("https://x.example.com"))
                    .secret("whsec_!!notbase64"))
        .hasMessage(
            "a webhook secret must be 'whsec_' followed by base64; the part after 'whsec_' is not base64"
                + " (the secret is not shown)");
    assertThatThrownBy(() -> WebhookNotifier.builder(URI.create("file:///etc/passwd")))
        .hasMessage("webhook url must be an http or https URL but has scheme 'file'");
  }

  @Nested
  class Compatibility extends NotifierCompatibilityKit {
    boolean broken;

    @Override
    protected Notifier notifier() {
      server.setDispatcher(
          new mockwebserver3.Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              return new MockResponse.Builder().code(broken ? 503 : 200).build();
            }
          });
      return WebhookNotifierTest.this.notifier();
    }

    @Override
    protected List<String> received() throws Exception {
      List<String> bodies = new ArrayList<>();
      int count = server.getRequestCount();
      for (int i = 0; i < count; i++) {
        bodies.add(server.takeRequest().getBody().utf8());
      }
      // takeRequest drains; keep them for the next call.
      seen.addAll(bodies);
      return List.copyOf(seen);
    }

    final List<String> seen = new ArrayList<>();

    @Override
    protected void breakChannel() {
      broken = true;
    }

    @Override
    protected List<String> secrets() {
      return List.of(SECRET, SECRET.substring(6));
    }
  }
}
