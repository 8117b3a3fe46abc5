package dev.agentmesh.examples.deployguardrail;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import dev.agentmesh.examples.support.ExampleStore;
import dev.agentmesh.sessions.LoggedEvent;
import dev.agentmesh.sessions.SqliteSessionStore;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The runnable example: connects to RabbitMQ, starts the guardrail, publishes three {@code
 * deploy.requested} messages (a good deploy, a bad one, and the good one delivered again) and
 * prints the verdicts that come back and the session log of a check.
 *
 * <pre>{@code
 * ./mvnw -q -pl examples/deploy-guardrail -am package -DskipTests exec:java
 * }</pre>
 *
 * <p>Reads {@code RABBITMQ_URI} (default {@code amqp://guest:guest@127.0.0.1:5672}); exits with 1
 * and says what to start when the broker cannot be reached.
 */
public final class DeployGuardrailApp {

  /** The broker the example uses unless {@code RABBITMQ_URI} says otherwise. */
  public static final String DEFAULT_URI = "amqp://guest:guest@127.0.0.1:5672";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private DeployGuardrailApp() {}

  /**
   * Runs the example and exits with its status.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    int status = run(System.getenv(), System.getProperties(), System.out);
    System.exit(status);
  }

  /**
   * The whole example, with the environment and system properties it reads passed in.
   *
   * @param env the environment: {@code RABBITMQ_URI}, {@code AGENTMESH_EXAMPLE_DB}
   * @param props the system properties: {@code agentmesh.example.db}
   * @param out where it prints
   * @return 0 when it ran, 1 when RabbitMQ could not be reached
   */
  public static int run(Map<String, String> env, Properties props, PrintStream out) {
    String uri = env.getOrDefault("RABBITMQ_URI", DEFAULT_URI);
    ConnectionFactory factory = new ConnectionFactory();
    try {
      factory.setUri(uri);
    } catch (URISyntaxException | GeneralSecurityException | IllegalArgumentException e) {
      out.println(
          "RABBITMQ_URI is not an AMQP URI (" + e.getMessage() + "); expected " + DEFAULT_URI);
      return 1;
    }
    factory.setConnectionTimeout(5_000);
    String where = factory.getHost() + ":" + factory.getPort();
    out.println("Model: none (deploy-guardrail is a deterministic agent: Java rules, no model)");
    try (Connection probe = factory.newConnection("deploy-guardrail probe")) {
      out.println("RabbitMQ: connected to " + where);
    } catch (IOException | TimeoutException e) {
      out.println(
          "RabbitMQ is not reachable at "
              + where
              + " ("
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage())
              + "). This example needs RabbitMQ: start it (`rabbitmq-server -detached`, or"
              + " `docker run -d -p 5672:5672 rabbitmq:3`) or point RABBITMQ_URI at one, then run"
              + " it again.");
      return 1;
    }
    DeployGuardrail.Names names =
        DeployGuardrail.Names.prefixed(
            "deploy-guardrail-demo-" + UUID.randomUUID().toString().substring(0, 8));
    try (SqliteSessionStore store = ExampleStore.sqlite("deploy-guardrail", props, env);
        DeployGuardrail guardrail =
            DeployGuardrail.start(factory, names, store, DeployChecks.standard());
        Connection connection = factory.newConnection("deploy-guardrail demo")) {
      demo(guardrail, connection, out);
      return 0;
    } catch (IOException | TimeoutException e) {
      out.println("RabbitMQ failed during the example: " + e.getMessage());
      return 1;
    }
  }

  private static void demo(DeployGuardrail guardrail, Connection connection, PrintStream out)
      throws IOException {
    DeployGuardrail.Names names = guardrail.names();
    Channel channel = connection.createChannel();
    String verdicts = channel.queueDeclare().getQueue(); // exclusive, deleted with the connection
    channel.queueBind(verdicts, names.exchange(), DeployGuardrail.VERDICT);

    String run = UUID.randomUUID().toString().substring(0, 8);
    DeployRequest good =
        new DeployRequest(
            "billing",
            "production",
            "registry.example.com/billing:1.4.2",
            "ana",
            Instant.parse("2026-12-01T10:00:00Z"),
            List.of(
                new DeployRequest.Migration("0042_add_invoice_index", "0042_drop_invoice_index")),
            List.of("bo", "cy"));
    DeployRequest bad =
        new DeployRequest(
            "search",
            "production",
            "registry.example.com/search:latest",
            "dee",
            Instant.parse("2026-12-05T11:00:00Z"), // a Saturday
            List.of(new DeployRequest.Migration("0007_drop_legacy_column", null)),
            List.of("dee", "eve"));
    publish(channel, names, "deploy-" + run + "-1", good, out);
    publish(channel, names, "deploy-" + run + "-2", bad, out);
    publish(channel, names, "deploy-" + run + "-1", good, out); // delivered again
    out.println();

    List<Delivery> received = new ArrayList<>();
    BlockingQueue<Delivery> arriving = new LinkedBlockingQueue<>();
    channel.basicConsume(verdicts, true, (tag, delivery) -> arriving.add(delivery), tag -> {});
    try {
      while (received.size() < 2) {
        Delivery d = arriving.poll(60, TimeUnit.SECONDS);
        if (d == null) break;
        received.add(d);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Delivery r : received) {
      Verdict v = JSON.readValue(r.getBody(), Verdict.class);
      out.println(
          "Verdict for "
              + v.service()
              + " ("
              + v.environment()
              + ", message "
              + r.getProperties().getCorrelationId()
              + "): "
              + v.decision().toUpperCase(java.util.Locale.ROOT));
      v.findings().forEach(f -> out.println("  - " + f.rule() + ": " + f.detail()));
    }
    if (received.size() < 2) {
      out.println("Only " + received.size() + " of 2 verdicts arrived within a minute.");
    }
    out.println();

    out.println(
        "3 messages, "
            + received.size()
            + " verdicts: the message delivered twice was checked once (one session per message"
            + " id).");
    for (Delivery r : received) {
      String sessionId = String.valueOf(r.getProperties().getHeaders().get("x-session-id"));
      out.println("Session log of the check of " + r.getProperties().getCorrelationId() + ":");
      for (LoggedEvent e : guardrail.sessions().session(sessionId).history()) {
        out.println("  " + e.version() + " " + e.event().type());
      }
    }
  }

  private static void publish(
      Channel channel,
      DeployGuardrail.Names names,
      String id,
      DeployRequest deploy,
      PrintStream out)
      throws IOException {
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder()
            .messageId(id)
            .contentType("application/json")
            .deliveryMode(2)
            .build();
    channel.basicPublish(
        names.exchange(), DeployGuardrail.REQUESTED, props, JSON.writeValueAsBytes(deploy));
    out.println(
        "Published deploy.requested "
            + id
            + ": "
            + deploy.service()
            + " "
            + deploy.image()
            + " to "
            + deploy.environment());
  }
}
