package dev.agentmesh.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.testsupport.DocsExamples;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The webhook trigger code shown in docs/triggers.md (blocks fenced {@code ```java webhooks}),
 * compiled and run; {@link #everyWebhookBlockOnThePageIsARegionOfThisTest} fails when they drift.
 */
class WebhookDocsExamplesTest {

  private static final Path PAGE = Path.of("../docs/triggers.md");
  private static final Path SOURCE =
      Path.of("src/test/java/dev/agentmesh/triggers/WebhookDocsExamplesTest.java");
  private static final String ISSUE =
      "{\"action\":\"opened\",\"issue\":{\"title\":\"Crash on start\",\"user\":{\"login\":\"ana\"}}}";

  @Test
  void inputMapping() {
    JsonNode payload = WebhookServerFixture.JSON.readTree(ISSUE);
    // docs:begin input-mapping
    InputMapping mapping =
        InputMapping.builder()
            .field("title", "/issue/title") // required: 400 when absent
            .field("author", "/issue/user/login")
            .optionalField("labels", "/issue/labels") // left out when absent
            .build();
    JsonNode input = mapping.apply(payload); // {"title":"Crash on start","author":"ana"}
    // docs:end
    assertThat(input.toString()).isEqualTo("{\"title\":\"Crash on start\",\"author\":\"ana\"}");
    assertThat(InputMapping.whole().apply(payload)).isEqualTo(payload);
  }

  @Test
  void webhookServer() throws Exception {
    String githubSecret = "It's a Secret to Everybody";
    ExecutorService executor = Executors.newFixedThreadPool(4);
    Sessions sessions =
        Sessions.builder(WebhookServerFixture.mesh(java.time.Clock.systemUTC()))
            .store(InMemorySessionStore.create())
            .build();
    // docs:begin webhook-server
    WebhookTrigger issues =
        WebhookTrigger.builder("github-issues")
            .path("/webhooks/github") // default: /webhooks/github-issues
            .agent("triage")
            .verifier(
                WebhookVerifier.builder(WebhookScheme.HMAC_SHA256).secret(githubSecret).build())
            .input(InputMapping.fields(Map.of("title", "/issue/title")))
            .maxBodyBytes(512 * 1024) // default: 1 MiB
            .build();
    WebhookHandler webhooks = WebhookHandler.builder(sessions).trigger(issues).build();
    JdkWebhookServer server =
        JdkWebhookServer.builder(webhooks)
            .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)) // a free port
            .executor(executor) // default: a pool of its own
            .start();
    URI endpoint = server.uri("/webhooks/github"); // tell GitHub
    // docs:end
    try {
      byte[] body = ISSUE.getBytes(StandardCharsets.UTF_8);
      HttpRequest.Builder request =
          HttpRequest.newBuilder(endpoint)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      issues.verifier().sign("72d3162e-cc78-11e3-81ab-4c9367dc0958", body).forEach(request::header);
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(202);
      String id = WebhookServerFixture.JSON.readTree(response.body()).path("session").asString();
      assertThat(sessions.session(id).state().input().toString())
          .isEqualTo("{\"title\":\"Crash on start\"}");
    } finally {
      server.close();
      sessions.close();
      executor.shutdown();
    }
  }

  @Test
  void anyServer() {
    String secret = "It's a Secret to Everybody";
    Sessions sessions =
        Sessions.builder(WebhookServerFixture.mesh(java.time.Clock.systemUTC()))
            .store(InMemorySessionStore.create())
            .build();
    WebhookTrigger issues =
        WebhookTrigger.builder("github-issues")
            .path("/webhooks/github")
            .agent("triage")
            .verifier(WebhookVerifier.builder(WebhookScheme.HMAC_SHA256).secret(secret).build())
            .input(InputMapping.fields(Map.of("title", "/issue/title")))
            .build();
    WebhookHandler webhooks = WebhookHandler.builder(sessions).trigger(issues).build();
    byte[] rawBody = ISSUE.getBytes(StandardCharsets.UTF_8);
    Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.put("Content-Type", List.of("application/json"));
    issues.verifier().sign("d-1", rawBody).forEach((k, v) -> headers.put(k, List.of(v)));
    try {
      // docs:begin webhook-any-server
      WebhookRequest head = WebhookRequest.of("POST", "/webhooks/github", headers, new byte[0]);
      WebhookResponse response =
          webhooks
              .precheck(head) // 404, 405, 415, or 413 by Content-Length: before the body is read
              .orElseGet(
                  () -> {
                    int limit = webhooks.bodyLimit("/webhooks/github");
                    byte[] read = readAtMost(limit + 1); // one byte over the limit says 413
                    return webhooks.handle(
                        WebhookRequest.of("POST", "/webhooks/github", headers, read));
                  });
      // write response.status(), response.headers() and response.bodyBytes()
      // docs:end
      assertThat(response.status()).isEqualTo(202);
      assertThat(response.headers())
          .containsEntry("Content-Type", "application/json; charset=utf-8");
      assertThat(
              webhooks
                  .handle(WebhookRequest.of("POST", "/webhooks/github", headers, rawBody))
                  .status())
          .isEqualTo(200);
    } finally {
      sessions.close();
    }
  }

  private static byte[] readAtMost(int n) {
    byte[] body = ISSUE.getBytes(StandardCharsets.UTF_8);
    return java.util.Arrays.copyOf(body, Math.min(n, body.length));
  }

  @Test
  void everyWebhookBlockOnThePageIsARegionOfThisTest() {
    DocsExamples.assertBlocksMatchRegions(PAGE, "java webhooks", SOURCE);
  }
}
