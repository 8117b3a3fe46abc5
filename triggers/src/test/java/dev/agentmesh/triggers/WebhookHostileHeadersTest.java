package dev.agentmesh.triggers;

import static dev.agentmesh.triggers.WebhookVerifierTest.SLACK_BODY;
import static dev.agentmesh.triggers.WebhookVerifierTest.SLACK_SECRET;
import static dev.agentmesh.triggers.WebhookVerifierTest.SLACK_SIGNATURE;
import static dev.agentmesh.triggers.WebhookVerifierTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.triggers.WebhookVerification.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whatever a sender puts in a request, verify answers with a reason and never throws. */
class WebhookHostileHeadersTest {

  private static final WebhookVerifier SLACK =
      WebhookVerifier.builder(WebhookScheme.SLACK)
          .secret(SLACK_SECRET)
          .clock(Clock.fixed(Instant.ofEpochSecond(1531420618), ZoneOffset.UTC))
          .build();

  @Test
  void aHugeHeaderIsRefusedUnread() {
    WebhookVerification result =
        SLACK.verify(request(SLACK_SIGNATURE + "0".repeat(1_000_000), "1531420618"));

    assertThat(result)
        .isEqualTo(
            WebhookVerification.refused(
                Outcome.MALFORMED,
                "header 'X-Slack-Signature' is 1000067 characters long; at most 8192 are read"));
  }

  @Test
  void aRepeatedSignatureHeaderIsRefusedEvenWhenOneCopyIsGood() {
    WebhookRequest twice =
        WebhookRequest.of(
            Map.of(
                "X-Slack-Signature",
                List.of("v0=" + "0".repeat(64), SLACK_SIGNATURE),
                "X-Slack-Request-Timestamp",
                List.of("1531420618")),
            bytes(SLACK_BODY));

    assertThat(SLACK.verify(twice))
        .isEqualTo(
            WebhookVerification.refused(
                Outcome.MALFORMED, "header 'X-Slack-Signature' appears 2 times; expected once"));
  }

  @Test
  void headersThatDifferOnlyInCaseCountAsRepeated() {
    WebhookRequest twice =
        WebhookRequest.builder()
            .header("x-slack-request-timestamp", "1531420618")
            .header("X-SLACK-REQUEST-TIMESTAMP", "1531420618")
            .header("X-Slack-Signature", SLACK_SIGNATURE)
            .body(bytes(SLACK_BODY))
            .build();

    assertThat(SLACK.verify(twice).reason())
        .isEqualTo("header 'X-Slack-Request-Timestamp' appears 2 times; expected once");
  }

  @Test
  void nonAsciiAndControlCharactersAreRefused() {
    assertThat(SLACK.verify(request("v0=ä" + SLACK_SIGNATURE.substring(4), "1531420618")))
        .isEqualTo(
            WebhookVerification.refused(
                Outcome.MALFORMED,
                "header 'X-Slack-Signature' holds a character outside printable ASCII"));
    assertThat(SLACK.verify(request(SLACK_SIGNATURE, "1531420618\r\nX-Evil: 1")).outcome())
        .isEqualTo(Outcome.MALFORMED);
    assertThat(SLACK.verify(request(SLACK_SIGNATURE, "１５３１４２０６１８")).outcome())
        .isEqualTo(Outcome.MALFORMED);
  }

  @Test
  void anAbsurdTimestampIsMalformedRatherThanAnOverflow() {
    assertThat(SLACK.verify(request(SLACK_SIGNATURE, "99999999999999999999")))
        .isEqualTo(
            WebhookVerification.refused(
                Outcome.MALFORMED,
                "header 'X-Slack-Request-Timestamp' is not a number of seconds since 1970"));
    assertThat(SLACK.verify(request(SLACK_SIGNATURE, "-1531420618")).outcome())
        .isEqualTo(Outcome.MALFORMED);
  }

  @Test
  void anEmptyBodyAndEmptyHeadersAreJustBadRequests() {
    assertThat(
            SLACK
                .verify(
                    WebhookRequest.builder()
                        .header("X-Slack-Signature", "")
                        .header("X-Slack-Request-Timestamp", "")
                        .build())
                .outcome())
        .isEqualTo(Outcome.MALFORMED);
    assertThat(SLACK.verify(WebhookRequest.builder().build()).outcome())
        .isEqualTo(Outcome.MISSING_HEADER);
  }

  private static WebhookRequest request(String signature, String timestamp) {
    return WebhookRequest.builder()
        .header("X-Slack-Signature", signature)
        .header("X-Slack-Request-Timestamp", timestamp)
        .body(bytes(SLACK_BODY))
        .build();
  }
}
