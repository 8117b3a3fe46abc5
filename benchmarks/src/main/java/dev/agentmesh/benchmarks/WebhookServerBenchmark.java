package dev.agentmesh.benchmarks;

import dev.agentmesh.core.AgentSpec;
import dev.agentmesh.core.Mesh;
import dev.agentmesh.core.spi.ChatResponse;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.triggers.InputMapping;
import dev.agentmesh.triggers.JdkWebhookServer;
import dev.agentmesh.triggers.WebhookHandler;
import dev.agentmesh.triggers.WebhookScheme;
import dev.agentmesh.triggers.WebhookTrigger;
import dev.agentmesh.triggers.WebhookVerifier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhook requests per second through the JDK server adapter, sent by a loopback {@code
 * java.net.http} client from 4 threads: {@code accepted} (a new Standard Webhooks delivery each
 * time: verify, parse, map by JSON Pointer, validate against the agent's input schema, create the
 * session once in an in-memory store, whose turn then runs on the sessions' executor), {@code
 * duplicate} (one delivery again and again: verified, then answered 200 with its session) and
 * {@code badSignature} (refused with 401: the adapter and the verifier alone).
 *
 * <pre>
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar WebhookServerBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Threads(4)
@Fork(1)
public class WebhookServerBenchmark {

  private static final Instant SENT = Instant.parse("2026-11-30T09:00:00Z");
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"title\":{\"type\":\"string\"},"
          + "\"author\":{\"type\":\"string\"}},\"required\":[\"title\",\"author\"]}";
  private static final byte[] BODY =
      ("{\"action\":\"opened\",\"issue\":{\"title\":\"Printer on fire\",\"user\":{\"login\":"
              + "\"ana\"},\"body\":\""
              + "x".repeat(800)
              + "\"}}")
          .getBytes(StandardCharsets.UTF_8);

  private final AtomicLong deliveries = new AtomicLong();
  private final WebhookVerifier verifier =
      WebhookVerifier.builder(WebhookScheme.STANDARD_WEBHOOKS)
          .secret(SECRET)
          .clock(Clock.fixed(SENT, ZoneOffset.UTC))
          .build();
  private Sessions sessions;
  private JdkWebhookServer server;
  private HttpClient client;
  private URI uri;
  private HttpRequest duplicate;
  private HttpRequest forged;

  /** Starts sessions on an in-memory store and the server on a free loopback port. */
  @Setup(Level.Trial)
  public void start() {
    Mesh mesh =
        Mesh.builder()
            .model("default", request -> ChatResponse.ofText("triaged"))
            .agent(
                AgentSpec.builder("triage")
                    .instructions("Triage {{input.title}}.")
                    .inputSchema(JsonMapper.builder().build().readTree(SCHEMA))
                    .build())
            .build();
    sessions = Sessions.builder(mesh).store(InMemorySessionStore.create()).build();
    WebhookTrigger issues =
        WebhookTrigger.builder("issues")
            .agent("triage")
            .verifier(verifier)
            .input(
                InputMapping.fields(Map.of("title", "/issue/title", "author", "/issue/user/login")))
            .build();
    WebhookHandler handler = WebhookHandler.builder(sessions).trigger(issues).build();
    server = JdkWebhookServer.builder(handler).threads(8).stopGrace(Duration.ZERO).start();
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    uri = server.uri("/webhooks/issues");
    duplicate = request("msg_duplicate", verifier.sign("msg_duplicate", BODY));
    forged =
        request(
            "msg_forged",
            Map.of(
                "webhook-id", "msg_forged",
                "webhook-timestamp", String.valueOf(SENT.getEpochSecond()),
                "webhook-signature", "v1,Zm9yZ2VkIHNpZ25hdHVyZSBvZiAzMiBieXRlcyEhISE="));
    send(duplicate, 202);
  }

  /** Stops the server and the sessions. */
  @TearDown(Level.Trial)
  public void stop() {
    server.close();
    sessions.close();
  }

  private HttpRequest request(String id, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(BODY));
    headers.forEach(request::header);
    return request.build();
  }

  private int send(HttpRequest request, int expected) {
    try {
      int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status != expected) {
        throw new IllegalStateException("expected " + expected + " but got " + status);
      }
      return status;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@return the status of a new delivery: 202} */
  @Benchmark
  public int accepted() {
    String id = "msg_" + deliveries.incrementAndGet();
    return send(request(id, verifier.sign(id, BODY)), 202);
  }

  /** {@return the status of a replayed delivery: 200} */
  @Benchmark
  public int duplicate() {
    return send(duplicate, 200);
  }

  /** {@return the status of a forged signature: 401} */
  @Benchmark
  public int badSignature() {
    return send(forged, 401);
  }
}
