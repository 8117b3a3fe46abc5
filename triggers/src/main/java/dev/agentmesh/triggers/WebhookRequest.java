package dev.agentmesh.triggers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A received webhook: the method and path it was sent to, the headers (names compared without
 * regard to case) and the raw body bytes exactly as they came off the wire (verify before parsing:
 * a re-serialized body no longer matches its signature). {@link WebhookVerifier} reads headers and
 * body; {@link WebhookHandler} also routes by method and path.
 *
 * <pre>{@code
 * WebhookRequest request = WebhookRequest.builder()
 *     .method("POST")
 *     .path("/webhooks/github")
 *     .header("X-Hub-Signature-256", signature)
 *     .body(rawBytes)
 *     .build();
 * }</pre>
 */
public final class WebhookRequest {

  private final String method;
  private final String path;
  private final Map<String, List<String>> headers;
  private final byte[] body;

  private WebhookRequest(
      String method, String path, Map<String, List<String>> headers, byte[] body) {
    this.method = method;
    this.path = path;
    this.headers = headers;
    this.body = body;
  }

  /**
   * From a server's header map (e.g. {@code HttpExchange.getRequestHeaders()}) and raw body, as a
   * {@code POST} to {@code /}.
   *
   * @param headers header names to their values
   * @param body the raw body
   * @return the request
   */
  public static WebhookRequest of(Map<String, List<String>> headers, byte[] body) {
    return of("POST", "/", headers, body);
  }

  /**
   * From what a server received.
   *
   * @param method the HTTP method, such as {@code POST}
   * @param path the request's path, without the query string
   * @param headers header names to their values
   * @param body the raw body
   * @return the request
   */
  public static WebhookRequest of(
      String method, String path, Map<String, List<String>> headers, byte[] body) {
    Builder builder = builder().method(method).path(path).body(body);
    headers.forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
    return builder.build();
  }

  /** {@return a new builder} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the HTTP method, as sent ({@code POST} unless set)} */
  public String method() {
    return method;
  }

  /** {@return the path the request was sent to, without the query string ({@code /} unless set)} */
  public String path() {
    return path;
  }

  /**
   * Every value of header {@code name}, in the order received; empty when absent.
   *
   * @param name the header's name, in any case
   * @return the values
   */
  public List<String> headers(String name) {
    return headers.getOrDefault(name, List.of());
  }

  /** {@return the length of the raw body in bytes} */
  public int bodyLength() {
    return body.length;
  }

  /** {@return a copy of the raw body} */
  public byte[] body() {
    return body.clone();
  }

  byte[] rawBody() {
    return body;
  }

  /** This request with {@code body} (not copied: the caller hands it over). */
  WebhookRequest withBody(byte[] body) {
    return new WebhookRequest(method, path, headers, body);
  }

  /** Collects method, path, headers (repeated names keep every value) and the body. */
  public static final class Builder {
    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private byte[] body = new byte[0];
    private String method = "POST";
    private String path = "/";

    private Builder() {}

    /**
     * Sets the HTTP method; {@code POST} by default.
     *
     * @param method the method, as sent
     * @return this builder
     */
    public Builder method(String method) {
      this.method = Objects.requireNonNull(method, "method");
      return this;
    }

    /**
     * Sets the path the request was sent to (without the query string); {@code /} by default.
     *
     * @param path the path, as sent
     * @return this builder
     */
    public Builder path(String path) {
      this.path = Objects.requireNonNull(path, "path");
      return this;
    }

    /**
     * Adds a value of a header.
     *
     * @param name the header's name
     * @param value the value
     * @return this builder
     */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      return this;
    }

    /**
     * Sets the raw body.
     *
     * @param body the bytes, as received
     * @return this builder
     */
    public Builder body(byte[] body) {
      this.body = Objects.requireNonNull(body, "body").clone();
      return this;
    }

    /**
     * Builds the request.
     *
     * @return the request
     */
    public WebhookRequest build() {
      Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
      // body is this builder's own copy and never written to, so requests may share it.
      return new WebhookRequest(method, path, copy, body);
    }
  }
}
