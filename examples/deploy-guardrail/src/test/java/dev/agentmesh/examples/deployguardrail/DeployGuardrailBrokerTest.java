package dev.agentmesh.examples.deployguardrail;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import dev.agentmesh.sessions.InMemorySessionStore;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.Session;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.sessions.Sessions;
import dev.agentmesh.sessions.spi.SessionQuery;
import dev.agentmesh.sessions.spi.SessionSummary;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Against the real RabbitMQ on 127.0.0.1:5672 (guest/guest), with names no other test uses. */
class DeployGuardrailBrokerTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final DeployRequest GOOD =
      new DeployRequest(
          "billing",
          "production",
          "registry.example.com/billing:1.4.2",
          "ana",
          Instant.parse("2026-12-01T10:00:00Z"),
          List.of(new DeployRequest.Migration("0042_add", "0042_drop")),
          List.of("bo", "cy"));

  private static final DeployRequest BAD =
      new DeployRequest(
          "search",
          "production",
          "registry.example.com/search:latest",
          "dee",
          Instant.parse("2026-12-02T10:00:00Z"),
          List.of(),
          List.of("eve", "fay"));

  @Test
  void aDeployRequestedMessageIsCheckedOnceAndItsVerdictGoesBackToTheBrokerAndIntoTheSession()
      throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(DeployGuardrailApp.DEFAULT_URI);
    String prefix = "deploy-guardrail-test-" + UUID.randomUUID();
    InMemorySessionStore store = InMemorySessionStore.create();
    BlockingQueue<Delivery> verdicts = new LinkedBlockingQueue<>();
    List<SessionSummary> checks;
    try (Connection connection = factory.newConnection("deploy-guardrail test")) {
      Channel channel = connection.createChannel();
      try (DeployGuardrail guardrail =
          DeployGuardrail.start(
              factory, DeployGuardrail.Names.prefixed(prefix), store, DeployChecks.standard())) {
        String queue = channel.queueDeclare().getQueue();
        channel.queueBind(queue, guardrail.names().exchange(), DeployGuardrail.VERDICT);
        channel.basicConsume(queue, true, (tag, d) -> verdicts.add(d), tag -> {});

        publish(channel, guardrail, "m-1", GOOD);
        publish(channel, guardrail, "m-1", GOOD); // the same message, delivered again
        publish(channel, guardrail, "m-2", BAD);

        Delivery first = verdicts.poll(60, TimeUnit.SECONDS);
        Delivery second = verdicts.poll(60, TimeUnit.SECONDS);
        assertThat(first).as("first verdict").isNotNull();
        assertThat(second).as("second verdict").isNotNull();
        List<Delivery> both = List.of(first, second);
        Delivery good = both.stream().filter(d -> correlation(d).equals("m-1")).findFirst().get();
        Delivery bad = both.stream().filter(d -> correlation(d).equals("m-2")).findFirst().get();
        assertThat(good.getProperties().getMessageId()).isEqualTo("verdict:m-1");
        assertThat(JSON.readValue(good.getBody(), Verdict.class).allowed()).isTrue();
        Verdict blocked = JSON.readValue(bad.getBody(), Verdict.class);
        assertThat(blocked.findings())
            .extracting(Verdict.Finding::rule)
            .containsExactly("image-tag");
        checks =
            guardrail
                .sessions()
                .query(SessionQuery.builder().agent(DeployGuardrail.AGENT).build())
                .sessions();
      } // publishes what is pending and stops
    }

    assertThat(checks).hasSize(2);
    try (Sessions sessions =
        Sessions.builder(DeployGuardrail.mesh(DeployChecks.standard())).store(store).build()) {
      for (SessionSummary check : checks) {
        Session session = sessions.session(check.id());
        SessionState state = session.state();
        assertThat(state.origin().kind()).isEqualTo(Origin.Kind.EVENT);
        assertThat(session.history())
            .extracting(e -> e.event().type())
            .containsExactly(
                "session.created",
                "agent.run.started",
                "agent.output.produced",
                "session.completed",
                DeployGuardrail.VERDICT_PUBLISHED);
      }
    }
  }

  private static String correlation(Delivery d) {
    return String.valueOf(d.getProperties().getCorrelationId());
  }

  private static void publish(Channel channel, DeployGuardrail guardrail, String id, Object body)
      throws Exception {
    channel.basicPublish(
        guardrail.names().exchange(),
        DeployGuardrail.REQUESTED,
        new AMQP.BasicProperties.Builder().messageId(id).contentType("application/json").build(),
        JSON.writeValueAsBytes(body));
  }
}
