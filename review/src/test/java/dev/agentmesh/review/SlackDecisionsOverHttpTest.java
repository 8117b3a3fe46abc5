package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.agentmesh.review.notify.SlackInteractions;
import dev.agentmesh.review.notify.SlackUser;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.testsupport.DocsExamples;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Slack's Approve and Reject buttons, pressed over real HTTP: the request signed the way Slack
 * signs it (computed here with {@code javax.crypto}, independently of the library), the interaction
 * handler mounted on a JDK HTTP server, the decision applied to the reviews by the reviewer the
 * host's authenticator maps the Slack user to, and Slack answered with the outcome.
 */
class SlackDecisionsOverHttpTest {

  static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  static final JsonMapper JSON = JsonMapper.builder().build();

  private final ReviewHarness world = new ReviewHarness();
  private final Map<String, Reviewer> slackToReviewer =
      Map.of("T1/U-BO", Reviewer.of("bo"), "T1/U-EVE", Reviewer.of("eve"));
  private final ReviewHarness.Node node =
      world.node("a", world.reviews().authenticator(this::slack));
  private final HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  SlackDecisionsOverHttpTest() throws Exception {
    Reviews reviews = node.reviews();
    // docs:begin slack-interactions
    SlackInteractions slack =
        SlackInteractions.builder(SIGNING_SECRET, reviews).clock(world.clock).build();

    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/slack/interactions",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          SlackInteractions.Result result = slack.handle(body, exchange.getRequestHeaders());
          byte[] answer = result.body().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(result.status(), answer.length == 0 ? -1 : answer.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
        });
    // docs:end
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    this.server = server;
  }

  /** The host's authenticator: Slack users through its own directory, nothing else. */
  private Reviewer slack(Object credential) {
    // docs:begin slack-authenticator
    if (credential instanceof SlackUser user) {
      Reviewer reviewer = slackToReviewer.get(user.teamId() + "/" + user.userId());
      if (reviewer != null) {
        return reviewer;
      }
    }
    throw new ReviewRefusedException(
        ReviewRefusedException.Reason.UNAUTHENTICATED, "not a known Slack user");
    // docs:end
  }

  @AfterEach
  void close() {
    server.stop(0);
    world.close();
  }

  @Test
  void anApprovePressApprovesTheReviewAndSlackIsToldTheOutcome() throws Exception {
    Session session = node.start("Invoice 40");
    ReviewState review = node.pending(session);

    HttpResponse<String> answer = press("agentmesh.approve", review.id(), review.hash(), "U-BO");

    assertThat(answer.statusCode()).isEqualTo(200);
    JsonNode message = JSON.readTree(answer.body());
    assertThat(message.path("response_type").asString()).isEqualTo("ephemeral");
    assertThat(message.path("text").asString())
        .isEqualTo("Approved " + review.id() + "; its effect is applied");
    ReviewState decided = node.reviews().review(review.id());
    assertThat(decided.status()).isEqualTo(ReviewStatus.APPROVED);
    assertThat(decided.decisions())
        .singleElement()
        .satisfies(d -> assertThat(d.reviewer()).isEqualTo("bo"));
    assertThat(world.sent).hasSize(1);
  }

  @Test
  void aRejectPressRejectsIt() throws Exception {
    ReviewState review = node.pending(node.start("Invoice 41"));

    HttpResponse<String> answer = press("agentmesh.reject", review.id(), review.hash(), "U-BO");

    assertThat(JSON.readTree(answer.body()).path("text").asString())
        .isEqualTo("Rejected " + review.id() + "; it is now rejected");
    assertThat(node.reviews().review(review.id()).status()).isEqualTo(ReviewStatus.REJECTED);
    assertThat(world.sent).isEmpty();
  }

  @Test
  void aRefusedDecisionIsAnsweredAsSuchNotAsAnError() throws Exception {
    ReviewState review = node.pending(node.start("Invoice 42"));

    HttpResponse<String> stranger =
        press("agentmesh.approve", review.id(), review.hash(), "U-STRANGER");
    HttpResponse<String> notAReviewer =
        press("agentmesh.approve", review.id(), review.hash(), "U-EVE");
    HttpResponse<String> stale =
        press(
            "agentmesh.approve",
            review.id(),
            ContentHash.parse("sha256:" + "cd".repeat(32)),
            "U-BO");

    assertThat(stranger.statusCode()).isEqualTo(200);
    assertThat(text(stranger)).startsWith("Not approved (unauthenticated): ");
    assertThat(text(notAReviewer)).startsWith("Not approved (not-a-reviewer): 'eve'");
    assertThat(text(stale)).startsWith("Not approved (stale-hash): the decision is on sha256:");
    ReviewState still = node.reviews().review(review.id());
    assertThat(still.status()).isEqualTo(ReviewStatus.PENDING);
    assertThat(still.refusals())
        .extracting(ReviewState.RefusalRecord::code)
        .containsExactly("unauthenticated", "not-a-reviewer", "stale-hash");
  }

  @Test
  void aSecondPressAfterTheDecisionIsToldItIsAlreadyDecided() throws Exception {
    ReviewState review = node.pending(node.start("Invoice 43"));
    press("agentmesh.approve", review.id(), review.hash(), "U-BO");

    HttpResponse<String> again = press("agentmesh.reject", review.id(), review.hash(), "U-BO");

    assertThat(text(again)).startsWith("Not rejected (already-decided): ");
    assertThat(world.sent).hasSize(1);
  }

  @Test
  void aRequestNotSignedWithTheSigningSecretDecidesNothing() throws Exception {
    ReviewState review = node.pending(node.start("Invoice 44"));
    String body = body("agentmesh.approve", review.id(), review.hash(), "U-BO");
    String timestamp = String.valueOf(world.clock.instant().getEpochSecond());

    HttpResponse<String> forged = post(body, timestamp, sign("not the secret", timestamp, body));

    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(node.reviews().review(review.id()).decisions()).isEmpty();
  }

  @Test
  void theDocsShowTheHandlerAndTheAuthenticatorAsTheyRunHere() {
    Path page = Path.of("../docs/review.md");
    Path source = Path.of("src/test/java/dev/agentmesh/review/SlackDecisionsOverHttpTest.java");
    DocsExamples.assertBlocksMatchRegions(page, "java slack", source);
    assertThat(DocsExamples.blocks(page, "java slack")).hasSize(2);
  }

  private HttpResponse<String> press(String action, String id, ContentHash hash, String user)
      throws Exception {
    String body = body(action, id, hash, user);
    String timestamp = String.valueOf(world.clock.instant().getEpochSecond());
    return post(body, timestamp, sign(SIGNING_SECRET, timestamp, body));
  }

  private HttpResponse<String> post(String body, String timestamp, String signature)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/slack/interactions"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("X-Slack-Request-Timestamp", timestamp)
            .header("X-Slack-Signature", signature)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** A block_actions payload as Slack sends it for a button of {@code SlackNotifier}. */
  private static String body(String action, String id, ContentHash hash, String user) {
    String payload =
        JSON.createObjectNode()
            .put("type", "block_actions")
            .set("user", JSON.createObjectNode().put("id", user).put("team_id", "T1"))
            .set(
                "actions",
                JSON.createArrayNode()
                    .add(
                        JSON.createObjectNode()
                            .put("action_id", action)
                            .put("value", id + " " + hash)
                            .put("type", "button")))
            .toString();
    return "payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8);
  }

  /** Slack's scheme: {@code v0=} hex HMAC-SHA256 of {@code v0:<timestamp>:<body>}. */
  private static String sign(String secret, String timestamp, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] digest = mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8));
    return "v0=" + HexFormat.of().formatHex(digest);
  }

  private static String text(HttpResponse<String> answer) {
    return JSON.readTree(answer.body()).path("text").asString();
  }
}
