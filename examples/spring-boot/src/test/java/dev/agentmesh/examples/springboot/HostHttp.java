package dev.agentmesh.examples.springboot;

import com.standardwebhooks.Webhook;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A client of the host as a ticket system and a reviewer see it: plain HTTP on loopback. */
final class HostHttp {

  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String LEAD = "demo-token-of-the-support-lead";
  static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient client = HttpClient.newHttpClient();
  private final String base;

  HostHttp(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** A ticket as the ticket system sends it, signed by the Standard Webhooks reference library. */
  static Delivery ticket(String customer, String subject) {
    String body =
        JSON.createObjectNode()
            .set(
                "ticket", JSON.createObjectNode().put("customer", customer).put("subject", subject))
            .toString();
    String id = "msg_" + UUID.randomUUID();
    long at = Instant.now().getEpochSecond();
    try {
      return new Delivery(id, at, new Webhook(SECRET).sign(id, at, body), body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  record Delivery(String id, long timestamp, String signature, String body) {
    Delivery withSignature(String other) {
      return new Delivery(id, timestamp, other, body);
    }
  }

  Answer deliver(Delivery d) {
    return send(
        HttpRequest.newBuilder(URI.create(base + "/webhooks/support"))
            .header("Content-Type", "application/json")
            .header("webhook-id", d.id())
            .header("webhook-timestamp", Long.toString(d.timestamp()))
            .header("webhook-signature", d.signature())
            .POST(HttpRequest.BodyPublishers.ofString(d.body()))
            .build());
  }

  Answer get(String path, String token) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build());
  }

  Answer post(String path, String token, String json) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  private Answer send(HttpRequest request) {
    try {
      HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (Exception e) {
      throw new IllegalStateException("HTTP " + request.uri() + " failed", e);
    }
  }

  record Answer(int status, String body) {
    JsonNode json() {
      return JSON.readTree(body);
    }
  }
}
