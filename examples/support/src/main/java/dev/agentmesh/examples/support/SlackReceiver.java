package dev.agentmesh.examples.support;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;

/**
 * A local Slack-compatible incoming webhook on 127.0.0.1: point a Slack notifier at {@link
 * #webhookUri()} and every message is printed as a user would see it (Block Kit rendered as text:
 * sections, fields, buttons as {@code [Approve]}, context lines) and kept for tests. It answers as
 * Slack does: {@code 200 ok}, {@code 400 invalid_payload} for a body that is not JSON, {@code 400
 * no_text} for a message with neither {@code text} nor {@code blocks}.
 *
 * <pre>{@code
 * try (SlackReceiver slack = SlackReceiver.start(System.out)) {
 *   notifier = SlackNotifier.builder().webhook(slack.webhookUri()).build();
 *   ...
 *   assertThat(slack.messages()).hasSize(1);
 * }
 * }</pre>
 */
public final class SlackReceiver implements AutoCloseable {

  /** The path of the webhook, shaped like Slack's own. */
  public static final String PATH = "/services/T0000EXAMPLE/B0000EXAMPLE/agentmeshexamplewebhook";

  /**
   * One message received.
   *
   * @param text the message's {@code text} (its notification fallback), empty when none
   * @param rendered what the user sees, as plain text lines
   * @param json the request body as received
   */
  public record Message(String text, String rendered, String json) {}

  private final PrintStream out;
  private final List<Message> messages = new CopyOnWriteArrayList<>();
  private final Loopback http;

  private SlackReceiver(PrintStream out) {
    this.out = out;
    this.http = Loopback.start("slack-receiver", this::handle);
  }

  /**
   * Starts a receiver printing to {@code out}.
   *
   * @param out where each message is printed
   * @return the running receiver; close it
   */
  public static SlackReceiver start(PrintStream out) {
    return new SlackReceiver(out);
  }

  /** {@return the incoming-webhook address to post messages to} */
  public URI webhookUri() {
    return URI.create(http.baseUri() + PATH);
  }

  /** {@return the messages received so far, oldest first} */
  public List<Message> messages() {
    return List.copyOf(messages);
  }

  @Override
  public void close() {
    http.close();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = Loopback.body(exchange);
    if (!exchange.getRequestMethod().equals("POST")
        || !exchange.getRequestURI().getPath().equals(PATH)) {
      Loopback.send(exchange, 404, "text/plain", "no_service");
      return;
    }
    JsonNode json;
    try {
      json = CrmJson.parse(body, "Slack webhook body");
    } catch (IllegalArgumentException e) {
      Loopback.send(exchange, 400, "text/plain", "invalid_payload");
      return;
    }
    String text = CrmJson.scalar(json.path("text"));
    if (text.isBlank() && json.path("blocks").isEmpty()) {
      Loopback.send(exchange, 400, "text/plain", "no_text");
      return;
    }
    Message message = new Message(text, render(json), body);
    synchronized (this) {
      messages.add(message);
      out.println("Slack message:");
      for (String line : message.rendered().split("\n")) out.println("  | " + line);
      out.flush();
    }
    Loopback.send(exchange, 200, "text/plain", "ok");
  }

  /** Block Kit as the plain text a reader would take in. */
  static String render(JsonNode message) {
    List<String> lines = new ArrayList<>();
    if (message.path("blocks").isEmpty()) lines.add(CrmJson.scalar(message.path("text")));
    for (JsonNode block : message.path("blocks")) {
      switch (block.path("type").asString("")) {
        case "header":
        case "section":
          if (!block.path("text").isMissingNode()) lines.add(text(block.path("text")));
          List<String> fields = new ArrayList<>();
          for (JsonNode f : block.path("fields")) fields.add(text(f));
          if (!fields.isEmpty()) lines.add(String.join("  |  ", fields));
          if (block.path("accessory").path("type").asString("").equals("button"))
            lines.add(button(block.path("accessory")));
          break;
        case "divider":
          lines.add("----");
          break;
        case "actions":
          List<String> buttons = new ArrayList<>();
          for (JsonNode e : block.path("elements")) buttons.add(button(e));
          lines.add(String.join(" ", buttons));
          break;
        case "context":
          List<String> parts = new ArrayList<>();
          for (JsonNode e : block.path("elements")) parts.add(text(e));
          lines.add("(" + String.join(" ", parts) + ")");
          break;
        default:
          lines.add("[" + block.path("type").asString("block") + "]");
      }
    }
    return String.join("\n", lines);
  }

  private static String text(JsonNode node) {
    return node.isString() ? node.asString() : CrmJson.scalar(node.path("text"));
  }

  private static String button(JsonNode e) {
    String label = text(e.path("text"));
    String url = e.path("url").asString("");
    return "[" + label + (url.isEmpty() ? "" : " " + url) + "]";
  }
}
