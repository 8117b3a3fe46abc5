package dev.agentmesh.triggers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link WebhookHandler} as a JDK {@link HttpHandler}, to mount on a {@code
 * com.sun.net.httpserver.HttpServer} the host runs itself ({@link JdkWebhookServer} runs one). It
 * answers what needs no body before reading it (an unknown path, a wrong method or content type, a
 * {@code Content-Length} over the limit), then reads at most the webhook's limit and one byte, so a
 * longer body is refused (413, connection closed) without reading past it.
 *
 * <pre>{@code
 * HttpServer server = HttpServer.create(new InetSocketAddress(8080), 0);
 * server.createContext("/webhooks", JdkWebhookHandler.of(webhooks));
 * server.setExecutor(Executors.newFixedThreadPool(16)); // give it an executor
 * server.start();
 * }</pre>
 *
 * <p>Thread-safe. The request's raw path (without the query) is what the handler routes on.
 */
public final class JdkWebhookHandler implements HttpHandler {

  private static final Logger log = LoggerFactory.getLogger(JdkWebhookHandler.class);

  private final WebhookHandler handler;

  private JdkWebhookHandler(WebhookHandler handler) {
    this.handler = handler;
  }

  /**
   * Wraps a handler.
   *
   * @param handler the framework-neutral handler
   * @return the JDK handler
   */
  public static JdkWebhookHandler of(WebhookHandler handler) {
    return new JdkWebhookHandler(Objects.requireNonNull(handler, "handler"));
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      respond(exchange, answer(exchange));
    } catch (IOException e) {
      log.debug("A webhook exchange broke off: {}", e.toString());
    } catch (RuntimeException e) {
      log.warn("A webhook request failed unexpectedly", e);
      respond(exchange, WebhookResponse.error(500, "internal_error", "The request failed"));
    } finally {
      exchange.close();
    }
  }

  private WebhookResponse answer(HttpExchange exchange) throws IOException {
    WebhookRequest.Builder builder =
        WebhookRequest.builder()
            .method(exchange.getRequestMethod())
            .path(Objects.requireNonNullElse(exchange.getRequestURI().getRawPath(), ""));
    for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
      header.getValue().forEach(value -> builder.header(header.getKey(), value));
    }
    WebhookRequest head = builder.build();
    Optional<WebhookResponse> early = handler.precheck(head);
    if (early.isPresent()) {
      return early.get();
    }
    int limit = handler.bodyLimit(head.path());
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(limit + 1); // one byte over says "too long"
      return handler.handle(head.withBody(body));
    }
  }

  private static void respond(HttpExchange exchange, WebhookResponse response) throws IOException {
    response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    byte[] body = response.bodyBytes();
    exchange.sendResponseHeaders(response.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
