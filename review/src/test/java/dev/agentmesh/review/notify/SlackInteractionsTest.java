package dev.agentmesh.review.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.review.Reviewer;
import dev.agentmesh.review.Reviews;
import dev.agentmesh.review.notify.SlackInteractions.Result;
import dev.agentmesh.sessions.InMemorySessionStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlackInteractionsTest {

  // Slack's worked example ("Verifying requests from Slack"), byte for byte, as in triggers'
  // WebhookVerifierTest.
  static final String SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  static final String SLACK_TIMESTAMP = "1531420618";
  static final String SLACK_BODY =
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
          + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect"
          + "&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
          + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
  static final String SLACK_SIGNATURE =
      "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

  static final Instant NOW = Instant.ofEpochSecond(1531420618 + 10);
  static final String HASH = "sha256:" + "ab".repeat(32);

  /** Reviews not bound to sessions: a verified press reaches decide, which then fails. */
  static final Reviews UNBOUND =
      Reviews.builder(
              Mesh.builder().model("default", request -> ChatResponse.ofText("unused")).build())
          .authenticator(credential -> Reviewer.of("anyone"))
          .store(InMemorySessionStore.create())
          .build();

  final SlackInteractions interactions =
      SlackInteractions.builder(SLACK_SECRET, UNBOUND)
          .clock(Clock.fixed(NOW, ZoneOffset.UTC))
          .build();

  static String press(String actionId, String value, String user) {
    String payload =
        "{\"type\":\"block_actions\",\"team\":{\"id\":\"T1DC2JH3J\"},"
            + "\"user\":{\"id\":\""
            + user
            + "\",\"team_id\":\"T1DC2JH3J\"},"
            + "\"actions\":[{\"action_id\":\""
            + actionId
            + "\",\"value\":\""
            + value
            + "\",\"type\":\"button\"}]}";
    return "payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8);
  }

  Result handle(String body, String timestamp, String signature) {
    return interactions.handle(
        body.getBytes(StandardCharsets.UTF_8),
        Map.of(
            "x-slack-request-timestamp",
            List.of(timestamp),
            "X-Slack-Signature",
            List.of(signature)));
  }

  Result signedPress(String body) {
    return handle(
        body,
        SLACK_TIMESTAMP,
        SlackInteractions.sign(
            SLACK_SECRET.getBytes(StandardCharsets.UTF_8), SLACK_TIMESTAMP, body));
  }

  @Test
  void slacksDocumentedExampleSignatureIsReproduced() {
    assertThat(
            SlackInteractions.sign(
                SLACK_SECRET.getBytes(StandardCharsets.UTF_8), SLACK_TIMESTAMP, SLACK_BODY))
        .isEqualTo(SLACK_SIGNATURE);
  }

  @Test
  void slacksDocumentedExampleVerifiesAndIsThenReadAsNotAButtonPress() {
    // The signature passes; the slash-command body holds no interaction payload.
    assertThat(handle(SLACK_BODY, SLACK_TIMESTAMP, SLACK_SIGNATURE))
        .isEqualTo(new Result.Refused(400, "the body holds no 'payload' form field"));
  }

  @Test
  void aVerifiedPressReachesTheReviewsAndTheirFailureIsA500WithoutDetails() {
    Result result = signedPress(press("agentmesh.approve", "s-1/r1 " + HASH, "U2CERLKJA"));

    assertThat(result)
        .isEqualTo(
            new Result.Refused(500, "the review runtime failed to decide: IllegalStateException"));
    assertThat(result.body()).doesNotContain(SLACK_SECRET);
  }

  @Test
  void aPressWithoutAUserIsRefused() {
    String payload =
        "{\"actions\":[{\"action_id\":\"agentmesh.approve\",\"value\":\"s-1/r1 " + HASH + "\"}]}";
    assertThat(signedPress("payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8)))
        .isEqualTo(new Result.Refused(400, "the payload names no user and team"));
  }

  @Test
  void aBadSignatureIsRefused() {
    String body = press("agentmesh.approve", "art-7 " + HASH, "U2CERLKJA");
    assertThat(handle(body, SLACK_TIMESTAMP, SLACK_SIGNATURE))
        .isEqualTo(
            new Result.Refused(
                401,
                "header X-Slack-Signature does not match the body signed with the signing secret"));
  }

  @Test
  void aTamperedBodyIsRefused() {
    String body = press("agentmesh.approve", "art-7 " + HASH, "U2CERLKJA");
    String signature =
        SlackInteractions.sign(
            SLACK_SECRET.getBytes(StandardCharsets.UTF_8), SLACK_TIMESTAMP, body);
    String tampered = press("agentmesh.approve", "art-8 " + HASH, "U2CERLKJA");

    assertThat(handle(tampered, SLACK_TIMESTAMP, signature).status()).isEqualTo(401);
  }

  @Test
  void aStaleTimestampIsRefusedEvenWithAGoodSignature() {
    SlackInteractions later =
        SlackInteractions.builder(SLACK_SECRET, UNBOUND)
            .clock(Clock.fixed(NOW.plusSeconds(600), ZoneOffset.UTC))
            .build();

    Result result =
        later.handle(
            SLACK_BODY.getBytes(StandardCharsets.UTF_8),
            Map.of(
                "X-Slack-Request-Timestamp",
                List.of(SLACK_TIMESTAMP),
                "X-Slack-Signature",
                List.of(SLACK_SIGNATURE)));

    assertThat(result)
        .isEqualTo(
            new Result.Refused(
                401, "header X-Slack-Request-Timestamp is 610 s from now; the tolerance is 300 s"));
  }

  @Test
  void missingOrMalformedHeadersAreRefused() {
    assertThat(interactions.handle(new byte[0], Map.of()))
        .isEqualTo(new Result.Refused(401, "missing header X-Slack-Request-Timestamp"));
    assertThat(handle(SLACK_BODY, "yesterday", SLACK_SIGNATURE))
        .isEqualTo(
            new Result.Refused(
                401, "header X-Slack-Request-Timestamp is not a number of seconds since 1970"));
  }

  @Test
  void otherInteractionsAreIgnoredAndMalformedValuesRefused() {
    assertThat(signedPress(press("agentmesh.open", "", "U2CERLKJA")))
        .isEqualTo(new Result.Ignored("action 'agentmesh.open' is not an agentmesh decision"));
    assertThat(signedPress(press("agentmesh.approve", "art-7 sha1:zz", "U2CERLKJA")))
        .isEqualTo(new Result.Refused(400, "the button value is not '<artifact id> sha256:<hex>'"));
    assertThat(signedPress("payload=%7Bnot-json"))
        .isEqualTo(new Result.Refused(400, "the 'payload' form field is not JSON"));
  }
}
