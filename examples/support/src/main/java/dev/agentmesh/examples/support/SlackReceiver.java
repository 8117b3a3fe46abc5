package dev.agentmesh.examples.support;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local Slack-compatible incoming webhook on 127.0.0.1: point a Slack notifier at {@link
 * #webhookUri()} and every message is printed as a user would see it (Block Kit rendered as text:
 * sections, fields, buttons as {@code [Approve]}, context lines) and kept for tests. It answers as
 * Slack does: {@code 200 ok}, {@code 400 invalid_payload} for a body that is not JSON, {@code 400
 * no_text} for a message with neither {@code text} nor {@code blocks}. The examples run it as a
 * process of its own ({@link #main}, through {@link SlackProcess}), which prints to its standard
 * output and serves what it received at {@link #RECEIVED}.
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
   * This receiver's own endpoint (Slack has none): {@code GET} answers the messages received so
   * far, as {@code {"messages": [{"text", "rendered", "json"}]}}.
   */
  public static final String RECEIVED = "/received";

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

  /**
   * Runs the receiver as a process of its own (see {@link LoopbackProcess}): prints {@code port
   * <n>}, then every message as it arrives, until standard input ends.
   *
   * @param args none
   */
  public static void main(String[] args) {
    SlackReceiver receiver = start(System.out);
    LoopbackProcess.serveUntilEndOfInput(receiver.http.baseUri().getPort(), receiver::close);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = Loopback.body(exchange);
    if (exchange.getRequestMethod().equals("GET")
        && exchange.getRequestURI().getPath().equals(RECEIVED)) {
      Loopback.send(exchange, 200, "application/json;charset=utf-8", receivedJson());
      return;
    }
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
    StringBuilder printed = new StringBuilder("Slack message:\n");
    for (String line : message.rendered().split("\n"))
      printed.append("  | ").append(line).append('\n');
    synchronized (this) {
      messages.add(message);
      out.print(printed); // one write: lines of two messages never interleave
      out.flush();
    }
    Loopback.send(exchange, 200, "text/plain", "ok");
  }

  private String receivedJson() {
    ObjectNode root = CrmJson.object();
    ArrayNode list = root.putArray("messages");
    for (Message m : messages)
      list.addObject().put("text", m.text()).put("rendered", m.rendered()).put("json", m.json());
    return CrmJson.write(root);
  }

  /** The messages in {@link #RECEIVED}'s JSON. */
  static List<Message> messages(JsonNode json) {
    List<Message> out = new ArrayList<>();
    for (JsonNode m : json.path("messages"))
      out.add(
          new Message(
              m.path("text").asString(), m.path("rendered").asString(), m.path("json").asString()));
    return out;
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
