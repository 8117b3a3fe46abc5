package dev.agentmesh.examples.leadenrichment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sign-up system's side: it sends {@code user.signed_up} webhooks signed the <a
 * href="https://www.standardwebhooks.com/">Standard Webhooks</a> way ({@code webhook-id}, {@code
 * webhook-timestamp}, {@code webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>} with
 * the {@code whsec_} secret). A delivery can be sent again unchanged, as a sender retrying would.
 *
 * <pre>{@code
 * SignupSystem signups = new SignupSystem(SignupSystem.newSecret(), clock);
 * SignupSystem.Delivery d = signups.signup("su_1001", "Rachael Rosen", "rachael@tyrell.example", "tyrell.example");
 * HttpResponse<String> answer = signups.send(endpoint, d);
 * }</pre>
 */
public final class SignupSystem {

  /** One webhook delivery: its id, timestamp and body, as signed. */
  public record Delivery(String id, long timestamp, String body, String signature) {}

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final String secret;
  private final Clock clock;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A sign-up system that signs with {@code secret} ({@code whsec_<base64>}). */
  public SignupSystem(String secret, Clock clock) {
    this.secret = secret;
    this.clock = clock;
  }

  /** {@return a fresh random {@code whsec_} secret, as the sign-up system's settings page shows} */
  public static String newSecret() {
    byte[] key = new byte[24];
    new SecureRandom().nextBytes(key);
    return "whsec_" + Base64.getEncoder().encodeToString(key);
  }

  /** A signed {@code user.signed_up} delivery for one person. */
  public Delivery signup(String signupId, String name, String email, String domain) {
    ObjectNode body = JSON.createObjectNode().put("type", "user.signed_up");
    body.putObject("data")
        .put("id", signupId)
        .put("name", name)
        .put("email", email)
        .put("company_domain", domain);
    String id = "msg_" + signupId;
    long timestamp = clock.instant().getEpochSecond();
    String text = body.toString();
    return new Delivery(id, timestamp, text, sign(id, timestamp, text));
  }

  /** Posts {@code delivery} to {@code endpoint}; returns the receiver's answer. */
  public HttpResponse<String> send(URI endpoint, Delivery delivery) {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("webhook-id", delivery.id())
            .header("webhook-timestamp", String.valueOf(delivery.timestamp()))
            .header("webhook-signature", delivery.signature())
            .POST(HttpRequest.BodyPublishers.ofString(delivery.body()))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot deliver the sign-up webhook to " + endpoint, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while delivering a webhook", e);
    }
  }

  private String sign(String id, long timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] digest =
          mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
