package dev.agentmesh.triggers;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@link WebhookHandler} answers: a status, a few headers and a small JSON body, for an
 * adapter to write to its server's response. Bodies are {@code {"status":"accepted","session":
 * "..."}} (202), {@code {"status":"duplicate","session":"..."}} (200) or {@code {"error":"...",
 * "message":"..."}}; a message never holds a secret, a signature or the request's body.
 *
 * <pre>{@code
 * WebhookResponse response = handler.handle(request);
 * response.headers().forEach(servletResponse::setHeader);
 * servletResponse.setStatus(response.status());
 * servletResponse.getOutputStream().write(response.bodyBytes());
 * }</pre>
 *
 * @param status the HTTP status
 * @param headers header names to values ({@code Content-Type} included)
 * @param body the JSON body
 */
public record WebhookResponse(int status, Map<String, String> headers, String body) {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * Copies the headers.
   *
   * @param status the HTTP status
   * @param headers header names to values
   * @param body the JSON body
   */
  public WebhookResponse {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be from 100 to 599 but was " + status);
    }
    headers = Map.copyOf(headers);
    Objects.requireNonNull(body, "body");
  }

  /** {@return the body as UTF-8 bytes} */
  public byte[] bodyBytes() {
    return body.getBytes(StandardCharsets.UTF_8);
  }

  static WebhookResponse started(String sessionId, boolean created) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("status", created ? "accepted" : "duplicate").put("session", sessionId);
    return of(created ? 202 : 200, json, Map.of());
  }

  static WebhookResponse error(int status, String code, String message) {
    return error(status, code, message, Map.of());
  }

  static WebhookResponse error(
      int status, String code, String message, Map<String, String> extraHeaders) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("error", code).put("message", message);
    return of(status, json, extraHeaders);
  }

  private static WebhookResponse of(int status, ObjectNode json, Map<String, String> extra) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json; charset=utf-8");
    headers.put("Cache-Control", "no-store");
    headers.putAll(extra);
    return new WebhookResponse(status, headers, JSON.writeValueAsString(json));
  }
}
