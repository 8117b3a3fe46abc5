package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.review.notify.SlackInteractions;
import dev.agentmesh.review.notify.SlackUser;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * After a button press decides a review, the pressed message is replaced through the interaction's
 * {@code response_url}, as Slack documents ("Handling user interaction": "replace_original").
 */
class SlackMessageUpdateTest {

  static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  static final JsonMapper JSON = JsonMapper.builder().build();

  @StartStop final MockWebServer slack = new MockWebServer();
  private final ReviewHarness world = new ReviewHarness();
  private final ReviewHarness.Node node =
      world.node(
          "a",
          world
              .reviews()
              .authenticator(
                  c -> {
                    if (c instanceof SlackUser u && u.userId().equals("U0CA5")) {
                      return Reviewer.of("bo");
                    }
                    throw new ReviewRefusedException(
                        ReviewRefusedException.Reason.UNAUTHENTICATED, "not a known Slack user");
                  }));

  @AfterEach
  void close() {
    world.close();
  }

  @Test
  void anApprovalReplacesThePressedMessageThroughItsResponseUrl() throws Exception {
    slack.enqueue(new MockResponse.Builder().code(200).body("ok").build());
    ReviewState review = node.pending(node.start("Invoice 50"));
    SlackInteractions interactions =
        SlackInteractions.builder(SECRET, node.reviews())
            .clock(world.clock)
            .responseUrlPrefix(slack.url("/").toString())
            .build();
    String responseUrl =
        slack.url("/actions/T9TK3CUKW/1524253112/fhS6cRxFjlNcj0Yz2s4VbKjB").toString();

    SlackInteractions.Result result = press(interactions, review, "U0CA5", responseUrl);

    assertThat(result).isInstanceOf(SlackInteractions.Result.Decided.class);
    RecordedRequest update = slack.takeRequest(10, TimeUnit.SECONDS);
    assertThat(update).isNotNull();
    assertThat(update.getMethod()).isEqualTo("POST");
    assertThat(update.getUrl().encodedPath())
        .isEqualTo("/actions/T9TK3CUKW/1524253112/fhS6cRxFjlNcj0Yz2s4VbKjB");
    assertThat(update.getHeaders().get("Content-Type")).startsWith("application/json");
    JsonNode body = JSON.readTree(update.getBody().utf8());
    assertThat(body.path("replace_original").asBoolean()).isTrue();
    assertThat(body.path("text").asString())
        .isEqualTo("*Approved* by <@U0CA5>: " + review.id() + "; its effect is applied");
  }

  @Test
  void aRefusedPressAndAResponseUrlOutsideThePrefixUpdateNothing() throws Exception {
    ReviewState review = node.pending(node.start("Invoice 51"));
    SlackInteractions interactions =
        SlackInteractions.builder(SECRET, node.reviews()).clock(world.clock).build();

    SlackInteractions.Result stranger =
        press(interactions, review, "U0STRANGER", slack.url("/actions/x").toString());
    SlackInteractions.Result decided =
        press(interactions, review, "U0CA5", slack.url("/actions/y").toString());

    assertThat(stranger).isInstanceOf(SlackInteractions.Result.NotDecided.class);
    assertThat(decided).isInstanceOf(SlackInteractions.Result.Decided.class);
    assertThat(slack.getRequestCount())
        .as("the default prefix is Slack's own, not this server")
        .isZero();
  }

  private SlackInteractions.Result press(
      SlackInteractions interactions, ReviewState review, String user, String responseUrl)
      throws Exception {
    String body =
        "payload=" + URLEncoder.encode(payload(review, user, responseUrl), StandardCharsets.UTF_8);
    String timestamp = String.valueOf(world.clock.instant().getEpochSecond());
    return interactions.handle(
        body.getBytes(StandardCharsets.UTF_8),
        Map.of(
            "X-Slack-Request-Timestamp",
            List.of(timestamp),
            "X-Slack-Signature",
            List.of(sign(timestamp, body))));
  }

  /** Slack's documented block_actions payload, with this review's button and response_url. */
  private static String payload(ReviewState review, String user, String responseUrl) {
    return """
        {
          "type": "block_actions",
          "team": {"id": "T9TK3CUKW", "domain": "example"},
          "user": {"id": "%s", "username": "bo", "name": "bo", "team_id": "T9TK3CUKW"},
          "api_app_id": "AABA1ABCD",
          "token": "9s8d9as89d8as9d8as989",
          "container": {"type": "message", "message_ts": "1548261231.000200",
            "channel_id": "CBR2V3XEX", "is_ephemeral": false},
          "trigger_id": "12466734323.1395872398.0d35b4a2cc2b9c7c2aad2c1c1d06a7f0",
          "channel": {"id": "CBR2V3XEX", "name": "review-queue"},
          "message": {"bot_id": "BAH5CA16Z", "type": "message", "text": "A review waits",
            "user": "UAJ2RU415", "ts": "1548261231.000200"},
          "response_url": "%s",
          "actions": [{"action_id": "agentmesh.approve", "block_id": "=qXel",
            "text": {"type": "plain_text", "text": "Approve", "emoji": true},
            "value": "%s %s", "type": "button", "action_ts": "1548426417.840180"}]
        }
        """
        .formatted(user, responseUrl, review.id(), review.hash());
  }

  private static String sign(String timestamp, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] digest = mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8));
    return "v0=" + HexFormat.of().formatHex(digest);
  }
}
