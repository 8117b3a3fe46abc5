package dev.agentmesh.examples.springboot;

import dev.agentmesh.triggers.WebhookHandler;
import dev.agentmesh.triggers.WebhookRequest;
import dev.agentmesh.triggers.WebhookResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the webhook triggers under {@code /webhooks/}: the request goes to the {@link
 * WebhookHandler} as it arrived (raw body, every header), which verifies the signature, maps the
 * payload and starts one session per delivery. A body over the trigger's limit is refused before it
 * is read.
 *
 * <pre>
 * POST /webhooks/support  webhook-id, webhook-timestamp, webhook-signature  {"ticket": {...}}
 * 202 {"status":"accepted","session":"..."}   (a replay: 200 {"status":"duplicate",...})
 * </pre>
 */
@RestController
public class WebhookController {

  private final WebhookHandler webhooks;

  /**
   * The handler it serves.
   *
   * @param webhooks the handler of the bound webhook triggers
   */
  public WebhookController(WebhookHandler webhooks) {
    this.webhooks = webhooks;
  }

  /**
   * One delivery.
   *
   * @param request the servlet request, read here so the signature is checked on the raw bytes
   * @return the handler's answer
   * @throws IOException if the body cannot be read
   */
  @PostMapping("/webhooks/**")
  public ResponseEntity<byte[]> deliver(HttpServletRequest request) throws IOException {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    Map<String, List<String>> headers = headers(request);
    WebhookRequest head = WebhookRequest.of("POST", path, headers, new byte[0]);
    WebhookResponse answer =
        webhooks
            .precheck(head)
            .orElseGet(
                () ->
                    webhooks.handle(
                        WebhookRequest.of(
                            "POST", path, headers, readAtMost(request, webhooks.bodyLimit(path)))));
    HttpHeaders out = new HttpHeaders();
    answer.headers().forEach(out::set);
    return ResponseEntity.status(answer.status()).headers(out).body(answer.bodyBytes());
  }

  private static Map<String, List<String>> headers(HttpServletRequest request) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      headers.put(name, new ArrayList<>(Collections.list(request.getHeaders(name))));
    }
    return headers;
  }

  /** Up to {@code limit} bytes and one more, so the handler can tell an oversized body (413). */
  private static byte[] readAtMost(HttpServletRequest request, int limit) {
    try (InputStream in = request.getInputStream()) {
      return in.readNBytes(limit + 1);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("Cannot read the webhook's body", e);
    }
  }
}
