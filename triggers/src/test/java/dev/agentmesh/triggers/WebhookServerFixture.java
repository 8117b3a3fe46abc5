package dev.agentmesh.triggers;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.sessions.spi.SessionSummary;
import dev.agentmesh.testing.FakeClock;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A mesh with agent {@code triage} (input schema: {@code title} string required, {@code priority}
 * integer), sessions on an in-memory store, and a JDK webhook server on a free loopback port with
 * four webhooks: Standard Webhooks ({@code /webhooks/std}, two secrets: a rotation), GitHub style
 * ({@code /webhooks/github}, fields by JSON Pointer), Stripe and Slack (whole payload), each with a
 * body limit of {@value #LIMIT} bytes.
 */
final class WebhookServerFixture implements AutoCloseable {

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final Instant NOW = Instant.parse("2026-11-30T09:00:00Z");
  static final String STD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String STD_OLD_SECRET = "whsec_ZXhhbXBsZSBvbGQgc2VjcmV0IGtleQ==";
  static final String HUB_SECRET = "It's a Secret to Everybody";
  static final String STRIPE_SECRET = "whsec_stripe_test_51Hx";
  static final String SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  static final int LIMIT = 4096;

  static final String SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"title\":{\"type\":\"string\"},"
          + "\"priority\":{\"type\":\"integer\"}},\"required\":[\"title\"]}";

  final FakeClock clock = FakeClock.at(NOW);
  final InMemorySessionStore store;
  final Mesh mesh;
  final Sessions sessions;
  final WebhookVerifier std;
  final WebhookVerifier hub;
  final WebhookVerifier stripe;
  final WebhookVerifier slack;
  final WebhookHandler handler;
  final JdkWebhookServer server;
  final HttpClient client;

  WebhookServerFixture() {
    this(InMemorySessionStore.create());
  }

  /** A node on {@code store}, which another fixture may share (two nodes, one store). */
  WebhookServerFixture(InMemorySessionStore store) {
    this.store = store;
    mesh = mesh(clock);
    sessions = Sessions.builder(mesh).store(store).clock(clock).build();
    std =
        WebhookVerifier.builder(WebhookScheme.STANDARD_WEBHOOKS)
            .secret(STD_SECRET)
            .secret(STD_OLD_SECRET)
            .clock(clock)
            .build();
    hub = WebhookVerifier.builder(WebhookScheme.HMAC_SHA256).secret(HUB_SECRET).build();
    stripe =
        WebhookVerifier.builder(WebhookScheme.STRIPE).secret(STRIPE_SECRET).clock(clock).build();
    slack = WebhookVerifier.builder(WebhookScheme.SLACK).secret(SLACK_SECRET).clock(clock).build();
    handler =
        WebhookHandler.builder(sessions)
            .trigger(trigger("std", std, InputMapping.whole()))
            .trigger(
                trigger(
                    "github",
                    hub,
                    InputMapping.builder()
                        .field("title", "/issue/title")
                        .optionalField("priority", "/issue/priority")
                        .build()))
            .trigger(trigger("stripe", stripe, InputMapping.whole()))
            .trigger(trigger("slack", slack, InputMapping.whole()))
            .build();
    server = JdkWebhookServer.builder(handler).threads(8).stopGrace(Duration.ZERO).start();
    client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /** A mesh with agent {@code triage} and its input schema, answering "triaged". */
  static Mesh mesh(Clock clock) {
    return Mesh.builder()
        .clock(clock)
        .model("default", request -> ChatResponse.ofText("triaged"))
        .agent(
            AgentSpec.builder("triage")
                .instructions("Triage the ticket.")
                .inputSchema(JSON.readTree(SCHEMA))
                .build())
        .build();
  }

  private static WebhookTrigger trigger(String name, WebhookVerifier verifier, InputMapping in) {
    return WebhookTrigger.builder(name)
        .agent("triage")
        .verifier(verifier)
        .input(in)
        .maxBodyBytes(LIMIT)
        .build();
  }

  /** A JSON POST to {@code path} with these headers. */
  HttpRequest.Builder post(String path, Map<String, String> headers, byte[] body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.uri(path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return request;
  }

  Answer send(HttpRequest request) {
    try {
      HttpResponse<String> response =
          client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(response.statusCode(), JSON.readTree(response.body()), response);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Answer post(String path, Map<String, String> headers, String body) {
    return send(post(path, headers, bytes(body)).build());
  }

  List<SessionSummary> sessionsInStore() {
    return store.query(SessionQuery.builder().build()).sessions();
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.close();
    sessions.close();
  }

  /** A response: its status, its JSON body, and the raw response for headers. */
  record Answer(int status, JsonNode json, HttpResponse<String> raw) {
    String error() {
      return json.path("error").asString();
    }

    String message() {
      return json.path("message").asString();
    }

    String session() {
      return json.path("session").asString();
    }
  }
}
