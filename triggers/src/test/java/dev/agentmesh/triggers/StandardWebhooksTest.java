package dev.agentmesh.triggers;

import static dev.agentmesh.triggers.WebhookVerifierTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import dev.agentmesh.triggers.WebhookVerification.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Our Standard Webhooks verifier against the reference library {@code com.standardwebhooks} as the
 * oracle: it signs and we verify, we sign and it verifies. (Its own verify reads the wall clock, so
 * that direction signs at the wall clock's instant.)
 */
class StandardWebhooksTest {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String OLD_SECRET = "whsec_ZXhhbXBsZSBvbGQgc2VjcmV0IGtleQ==";
  private static final String BODY = "{\"type\":\"invoice.paid\",\"id\":42}";
  private static final Instant SENT = Instant.parse("2026-11-29T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(SENT.plusSeconds(30), ZoneOffset.UTC);

  @Test
  void whatTheReferenceLibrarySignsWeVerify() throws Exception {
    String signature = new Webhook(SECRET).sign("msg_2LQ", SENT.getEpochSecond(), BODY);

    WebhookVerification result =
        verifier(SECRET).verify(request("msg_2LQ", SENT.getEpochSecond(), signature, BODY));

    assertThat(result.verified()).isTrue();
    assertThat(result.deliveryKey())
        .isEqualTo(Signatures.deliveryKey("standard-webhooks", "msg_2LQ"));
  }

  @Test
  void whatWeSignTheReferenceLibraryVerifies() {
    WebhookVerifier ours =
        WebhookVerifier.builder(WebhookScheme.STANDARD_WEBHOOKS)
            .secret(SECRET)
            .clock(Clock.systemUTC())
            .build();
    Map<String, List<String>> headers = new TreeMap<>();
    ours.sign("msg_ours", bytes(BODY)).forEach((name, value) -> headers.put(name, List.of(value)));

    assertThatCode(() -> new Webhook(SECRET).verify(BODY, headers)).doesNotThrowAnyException();
    assertThatThrownBy(() -> new Webhook(OLD_SECRET).verify(BODY, headers))
        .hasMessageContaining("No matching signature");
  }

  @Test
  void theSignatureOfOurSignerIsByteForByteTheReferenceOne() throws Exception {
    WebhookVerifier ours =
        WebhookVerifier.builder(WebhookScheme.STANDARD_WEBHOOKS)
            .secret(SECRET)
            .clock(Clock.fixed(SENT, ZoneOffset.UTC))
            .build();

    assertThat(ours.sign("msg_2LQ", bytes(BODY)))
        .containsEntry(
            "webhook-signature", new Webhook(SECRET).sign("msg_2LQ", SENT.getEpochSecond(), BODY));
  }

  @Test
  void aRetryWithANewTimestampKeepsItsDeliveryKey() throws Exception {
    WebhookVerifier ours = verifier(SECRET);
    Webhook sender = new Webhook(SECRET);
    long retry = SENT.getEpochSecond() + 20;

    WebhookVerification first =
        ours.verify(
            request(
                "msg_1",
                SENT.getEpochSecond(),
                sender.sign("msg_1", SENT.getEpochSecond(), BODY),
                BODY));
    WebhookVerification second =
        ours.verify(request("msg_1", retry, sender.sign("msg_1", retry, BODY), BODY));

    assertThat(second.deliveryKey()).isNotNull().isEqualTo(first.deliveryKey());
  }

  @Test
  void aRotationAcceptsASignatureByEitherSecretAndSeveralEntriesInOneHeader() throws Exception {
    WebhookVerifier rotating =
        WebhookVerifier.builder(WebhookScheme.STANDARD_WEBHOOKS)
            .secret(SECRET)
            .secret(OLD_SECRET)
            .clock(CLOCK)
            .build();
    long ts = SENT.getEpochSecond();
    String byOld = new Webhook(OLD_SECRET).sign("msg_1", ts, BODY);
    String byStranger =
        new Webhook("whsec_c3RyYW5nZXIgc2VjcmV0IGtleSAxMjM0NQ==").sign("msg_1", ts, BODY);

    assertThat(rotating.verify(request("msg_1", ts, byOld, BODY)).verified()).isTrue();
    assertThat(
            verifier(SECRET)
                .verify(
                    request(
                        "msg_1",
                        ts,
                        byStranger + " v2,abc " + new Webhook(SECRET).sign("msg_1", ts, BODY),
                        BODY))
                .verified())
        .isTrue();
    assertThat(verifier(SECRET).verify(request("msg_1", ts, byStranger, BODY)))
        .isEqualTo(
            WebhookVerification.refused(
                Outcome.BAD_SIGNATURE,
                "no signature in header 'webhook-signature' matches any of the 1 secret"));
  }

  @Test
  void aChangedIdTimestampOrBodyIsABadSignature() throws Exception {
    long ts = SENT.getEpochSecond();
    String signature = new Webhook(SECRET).sign("msg_1", ts, BODY);

    assertThat(verifier(SECRET).verify(request("msg_2", ts, signature, BODY)).outcome())
        .isEqualTo(Outcome.BAD_SIGNATURE);
    assertThat(verifier(SECRET).verify(request("msg_1", ts + 1, signature, BODY)).outcome())
        .isEqualTo(Outcome.BAD_SIGNATURE);
    assertThat(verifier(SECRET).verify(request("msg_1", ts, signature, BODY + " ")).outcome())
        .isEqualTo(Outcome.BAD_SIGNATURE);
  }

  @Test
  void missingExpiredAndMalformedHeadersAreRefusedWithTheirReason() throws Exception {
    long ts = SENT.getEpochSecond();
    String signature = new Webhook(SECRET).sign("msg_1", ts, BODY);
    WebhookRequest noId =
        WebhookRequest.builder()
            .header("webhook-timestamp", String.valueOf(ts))
            .header("webhook-signature", signature)
            .body(bytes(BODY))
            .build();

    assertThat(verifier(SECRET).verify(noId))
        .isEqualTo(
            WebhookVerification.refused(Outcome.MISSING_HEADER, "missing header 'webhook-id'"));
    assertThat(
            verifier(SECRET)
                .verify(
                    request(
                        "msg_1",
                        ts - 600,
                        new Webhook(SECRET).sign("msg_1", ts - 600, BODY),
                        BODY)))
        .isEqualTo(
            WebhookVerification.refused(
                Outcome.EXPIRED,
                "timestamp 2026-11-29T11:50:00Z is 630 s from now; the tolerance is 300 s"));
    assertThat(verifier(SECRET).verify(request("msg_1", ts, "v1,not*base64", BODY)))
        .isEqualTo(
            WebhookVerification.refused(
                Outcome.MALFORMED,
                "header 'webhook-signature' holds a v1 signature that is not base64"));
    assertThat(verifier(SECRET).verify(request("msg_1", ts, "v2,abc", BODY)))
        .isEqualTo(
            WebhookVerification.refused(
                Outcome.MALFORMED, "header 'webhook-signature' holds no v1,<base64> signature"));
    WebhookRequest wordTimestamp =
        WebhookRequest.builder()
            .header("webhook-id", "msg_1")
            .header("webhook-timestamp", "soon")
            .header("webhook-signature", signature)
            .body(bytes(BODY))
            .build();
    assertThat(verifier(SECRET).verify(wordTimestamp))
        .isEqualTo(
            WebhookVerification.refused(
                Outcome.MALFORMED,
                "header 'webhook-timestamp' is not a number of seconds since 1970"));
  }

  @Test
  void aSecretThatIsNotBase64IsRefusedWithoutShowingIt() {
    assertThatThrownBy(
            () ->
                WebhookVerifier.builder(WebhookScheme.STANDARD_WEBHOOKS)
                    .secret("whsec_not*base64!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "secret 1 is not whsec_<base64> (its value is not shown). Fix: copy the secret exactly as the sender shows it");
    assertThat(verifier(SECRET).toString())
        .isEqualTo("WebhookVerifier{STANDARD_WEBHOOKS, 1 secret(s)}");
  }

  private static WebhookVerifier verifier(String secret) {
    return WebhookVerifier.builder(WebhookScheme.STANDARD_WEBHOOKS)
        .secret(secret)
        .clock(CLOCK)
        .build();
  }

  private static WebhookRequest request(String id, long timestamp, String signature, String body) {
    return WebhookRequest.builder()
        .header("Webhook-Id", id)
        .header("webhook-timestamp", String.valueOf(timestamp))
        .header("WEBHOOK-SIGNATURE", signature)
        .body(bytes(body))
        .build();
  }
}
