package dev.agentmesh.examples.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SlackReceiverTest {

  final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aBlockKitMessageIsPrintedAsTextAndKept() throws Exception {
    try (SlackReceiver slack =
        SlackReceiver.start(new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
      String body =
          "{\"text\":\"Review: log a call\",\"blocks\":["
              + "{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"*Review: log a call*\"}},"
              + "{\"type\":\"divider\"},"
              + "{\"type\":\"actions\",\"elements\":["
              + "{\"type\":\"button\",\"text\":{\"type\":\"plain_text\",\"text\":\"Approve\"}},"
              + "{\"type\":\"button\",\"text\":{\"type\":\"plain_text\",\"text\":\"Open\"},\"url\":\"http://x/r/1\"}]},"
              + "{\"type\":\"context\",\"elements\":[{\"type\":\"mrkdwn\",\"text\":\"session s-1\"}]}]}";

      HttpResponse<String> r = post(slack, body);

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("ok");
      assertThat(slack.messages()).hasSize(1);
      SlackReceiver.Message m = slack.messages().get(0);
      assertThat(m.text()).isEqualTo("Review: log a call");
      assertThat(m.json()).isEqualTo(body);
      assertThat(m.rendered())
          .isEqualTo("*Review: log a call*\n----\n[Approve] [Open http://x/r/1]\n(session s-1)");
      assertThat(bytes.toString(StandardCharsets.UTF_8))
          .isEqualTo(
              "Slack message:\n  | *Review: log a call*\n  | ----\n"
                  + "  | [Approve] [Open http://x/r/1]\n  | (session s-1)\n");
    }
  }

  @Test
  void itAnswersAsSlackDoesToBadPayloads() throws Exception {
    try (SlackReceiver slack =
        SlackReceiver.start(new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
      assertThat(post(slack, "not json").body()).isEqualTo("invalid_payload");
      assertThat(post(slack, "{\"channel\":\"#x\"}").body()).isEqualTo("no_text");
      assertThat(post(slack, "{\"text\":\"plain\"}").statusCode()).isEqualTo(200);
      assertThat(slack.messages())
          .extracting(SlackReceiver.Message::rendered)
          .containsExactly("plain");
      assertThat(slack.webhookUri().toString())
          .startsWith("http://127.0.0.1:")
          .endsWith(SlackReceiver.PATH);
    }
  }

  private HttpResponse<String> post(SlackReceiver slack, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(slack.webhookUri())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
