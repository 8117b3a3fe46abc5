package dev.agentmesh.triggers;

import static dev.agentmesh.triggers.WebhookServerFixture.HUB_SECRET;
import static dev.agentmesh.triggers.WebhookServerFixture.LIMIT;
import static dev.agentmesh.triggers.WebhookServerFixture.NOW;
import static dev.agentmesh.triggers.WebhookServerFixture.STD_OLD_SECRET;
import static dev.agentmesh.triggers.WebhookServerFixture.STD_SECRET;
import static dev.agentmesh.triggers.WebhookServerFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.standardwebhooks.Webhook;
import dev.agentmesh.sessions.Origin;
import dev.agentmesh.sessions.SessionState;
import dev.agentmesh.triggers.WebhookServerFixture.Answer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks over real HTTP: the JDK server on a free loopback port, {@code java.net.http} as the
 * sender, Standard Webhooks signed by the reference library {@code com.standardwebhooks}. Every
 * refused request is checked to leave the store without a session, and its answer without the
 * secret or the body.
 */
class WebhookHttpTest {

  private static final String TICKET = "{\"title\":\"Printer on fire BODY-MARKER\",\"priority\":1}";

  private final WebhookServerFixture f = new WebhookServerFixture();

  @AfterEach
  void close() {
    f.close();
  }

  private static Map<String, String> standardHeaders(
      String secret, String id, long timestamp, String body) throws Exception {
    Map<String, String> headers = new HashMap<>();
    headers.put("webhook-id", id);
    headers.put("webhook-timestamp", String.valueOf(timestamp));
    headers.put("webhook-signature", new Webhook(secret).sign(id, timestamp, body));
    return headers;
  }

  private Answer sendStandard(String secret, String id, long timestamp, String body)
      throws Exception {
    return f.post("/webhooks/std", standardHeaders(secret, id, timestamp, body), body);
  }

  /** A refusal: its status and code, no session stored, no secret or body in the answer. */
  private void assertRefused(Answer answer, int status, String error) {
    assertThat(answer.status()).as(answer.json().toString()).isEqualTo(status);
    assertThat(answer.error()).isEqualTo(error);
    assertThat(answer.raw().body())
        .doesNotContain(
            STD_SECRET, STD_OLD_SECRET.substring(6), HUB_SECRET, "BODY-MARKER", "Printer on fire");
    assertThat(answer.raw().headers().firstValue("Content-Type"))
        .hasValue("application/json; charset=utf-8");
    assertThat(f.sessionsInStore()).isEmpty();
  }

  @Test
  void aDeliverySignedByTheReferenceLibraryStartsOneSessionWithItsOrigin() throws Exception {
    Answer answer = sendStandard(STD_SECRET, "msg_2LQ", NOW.getEpochSecond(), TICKET);

    assertThat(answer.status()).isEqualTo(202);
    assertThat(answer.json().path("status").asString()).isEqualTo("accepted");
    SessionState state = f.sessions.session(answer.session()).state();
    assertThat(state.agent()).isEqualTo("triage");
    assertThat(state.origin()).isEqualTo(Origin.webhook("std", "msg_2LQ"));
    assertThat(state.input()).isEqualTo(WebhookServerFixture.JSON.readTree(TICKET));
    assertThat(f.sessionsInStore()).hasSize(1);
  }

  @Test
  void aReplayedOrReSentDeliveryAnswers200WithTheFirstSessionAndStartsNoOther() throws Exception {
    Answer first = sendStandard(STD_SECRET, "msg_1", NOW.getEpochSecond(), TICKET);
    Answer replay = sendStandard(STD_SECRET, "msg_1", NOW.getEpochSecond(), TICKET);
    f.clock.advance(Duration.ofMinutes(2));
    Answer resent = sendStandard(STD_SECRET, "msg_1", f.clock.instant().getEpochSecond(), TICKET);

    assertThat(first.status()).isEqualTo(202);
    for (Answer again : new Answer[] {replay, resent}) {
      assertThat(again.status()).isEqualTo(200);
      assertThat(again.json().path("status").asString()).isEqualTo("duplicate");
      assertThat(again.session()).isEqualTo(first.session());
    }
    assertThat(f.sessionsInStore()).hasSize(1);
  }

  @Test
  void anotherDeliveryWithTheSameBodyIsAnotherSession() throws Exception {
    Answer one = sendStandard(STD_SECRET, "msg_a", NOW.getEpochSecond(), TICKET);
    Answer two = sendStandard(STD_SECRET, "msg_b", NOW.getEpochSecond(), TICKET);

    assertThat(one.status()).isEqualTo(202);
    assertThat(two.status()).isEqualTo(202);
    assertThat(two.session()).isNotEqualTo(one.session());
    assertThat(f.sessionsInStore()).hasSize(2);
  }

  @Test
  void aBadSignatureIsRefused() throws Exception {
    Map<String, String> headers =
        standardHeaders(STD_SECRET, "msg_1", NOW.getEpochSecond(), TICKET);
    String tampered = TICKET.replace("\"priority\":1", "\"priority\":9");

    Answer answer = f.post("/webhooks/std", headers, tampered);

    assertRefused(answer, 401, "unauthorized");
    assertThat(answer.message())
        .isEqualTo(
            "The signature does not verify (bad_signature): no signature in header"
                + " 'webhook-signature' matches any of the 2 secrets");
  }

  @Test
  void aSignatureWithAnUnknownSecretIsRefused() throws Exception {
    Answer answer =
        sendStandard("whsec_c29tZW9uZSBlbHNlcyBzZWNyZXQ=", "msg_1", NOW.getEpochSecond(), TICKET);

    assertRefused(answer, 401, "unauthorized");
  }

  @Test
  void missingSignatureHeadersAreRefused() throws Exception {
    Map<String, String> headers =
        standardHeaders(STD_SECRET, "msg_1", NOW.getEpochSecond(), TICKET);
    headers.remove("webhook-signature");

    Answer answer = f.post("/webhooks/std", headers, TICKET);

    assertRefused(answer, 401, "unauthorized");
    assertThat(answer.message())
        .isEqualTo(
            "The signature does not verify (missing_header): missing header"
                + " 'webhook-signature'");
    assertRefused(f.post("/webhooks/std", Map.of(), TICKET), 401, "unauthorized");
  }

  @Test
  void anExpiredSignatureIsRefusedEvenWhenItsDeliveryWasAcceptedBefore() throws Exception {
    long sent = NOW.getEpochSecond();
    Map<String, String> headers = standardHeaders(STD_SECRET, "msg_old", sent - 301, TICKET);

    assertRefused(f.post("/webhooks/std", headers, TICKET), 401, "unauthorized");
    assertThat(f.post("/webhooks/std", headers, TICKET).message()).contains("(expired)");

    Answer accepted = sendStandard(STD_SECRET, "msg_new", sent, TICKET);
    f.clock.advance(Duration.ofMinutes(6));
    Answer lateReplay = sendStandard(STD_SECRET, "msg_new", sent, TICKET);
    assertThat(accepted.status()).isEqualTo(202);
    assertThat(lateReplay.status()).isEqualTo(401);
    assertThat(lateReplay.message()).contains("(expired)");
    assertThat(f.sessionsInStore()).hasSize(1);
  }

  @Test
  void duringARotationBothSecretsAreAccepted() throws Exception {
    Answer current = sendStandard(STD_SECRET, "msg_new_key", NOW.getEpochSecond(), TICKET);
    Answer previous = sendStandard(STD_OLD_SECRET, "msg_old_key", NOW.getEpochSecond(), TICKET);

    assertThat(current.status()).isEqualTo(202);
    assertThat(previous.status()).isEqualTo(202);
    assertThat(f.sessionsInStore()).hasSize(2);
  }

  @Test
  void aGitHubStyleDeliveryMapsFieldsByPointerAndDedupesOnBodyAndDeliveryHeader() {
    String body = "{\"action\":\"opened\",\"issue\":{\"title\":\"Crash\",\"number\":7}}";
    Map<String, String> headers = f.hub.sign("72d3162e-cc78-11e3-81ab-4c9367dc0958", bytes(body));

    Answer first = f.post("/webhooks/github", headers, body);
    Answer again = f.post("/webhooks/github", headers, body);

    assertThat(first.status()).isEqualTo(202);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.session()).isEqualTo(first.session());
    SessionState state = f.sessions.session(first.session()).state();
    assertThat(state.input())
        .isEqualTo(WebhookServerFixture.JSON.readTree("{\"title\":\"Crash\"}"));
    assertThat(state.origin())
        .isEqualTo(Origin.webhook("github", "72d3162e-cc78-11e3-81ab-4c9367dc0958"));
  }

  @Test
  void stripeAndSlackDeliveriesStartSessionsOncePerBody() {
    Map<String, String> stripeHeaders = f.stripe.sign("unused", bytes(TICKET));
    Map<String, String> slackHeaders = f.slack.sign("unused", bytes(TICKET));

    Answer stripe = f.post("/webhooks/stripe", stripeHeaders, TICKET);
    Answer stripeAgain = f.post("/webhooks/stripe", stripeHeaders, TICKET);
    Answer slack = f.post("/webhooks/slack", slackHeaders, TICKET);

    assertThat(stripe.status()).isEqualTo(202);
    assertThat(stripeAgain.status()).isEqualTo(200);
    assertThat(slack.status()).isEqualTo(202);
    assertThat(slack.session()).isNotEqualTo(stripe.session());
    assertThat(f.sessionsInStore()).hasSize(2);
    assertThat(f.sessions.session(stripe.session()).state().origin().reference())
        .startsWith("stripe:");
  }

  @Test
  void aBodyThatDoesNotMapIsRefusedWithThePointer() {
    String body = "{\"action\":\"opened\",\"pull_request\":{\"title\":\"BODY-MARKER\"}}";

    Answer answer = f.post("/webhooks/github", f.hub.sign("d-1", bytes(body)), body);

    assertRefused(answer, 400, "unmappable_payload");
    assertThat(answer.message())
        .startsWith(
            "Input field 'title' expects a value at JSON Pointer '/issue/title' in the payload"
                + " but found none: the payload is an object with fields [action,"
                + " pull_request].");
  }

  @Test
  void aWronglyTypedBodyIsRefusedByTheAgentsInputSchema() throws Exception {
    String wrong = "{\"title\":\"Printer on fire BODY-MARKER\",\"priority\":\"urgent\"}";

    Answer answer = sendStandard(STD_SECRET, "msg_1", NOW.getEpochSecond(), wrong);
    Answer noTitle = sendStandard(STD_SECRET, "msg_2", NOW.getEpochSecond(), "[1,2]");

    assertRefused(answer, 400, "invalid_input");
    assertThat(answer.message())
        .startsWith("The input does not match the input schema of agent 'triage': ")
        .contains("priority")
        .contains("integer");
    assertRefused(noTitle, 400, "invalid_input");
  }

  @Test
  void malformedJsonIsRefusedWhereParsingStopped() throws Exception {
    for (String body :
        new String[] {
          "{\"title\": BODY-MARKER",
          "",
          "{\"title\":\"a\"} {\"title\":\"b\"}",
          "{\"title\":\"a\",\"title\":\"b\"}",
          "\"Printer on fire\"\u0000"
        }) {
      Answer answer = sendStandard(STD_SECRET, "msg_" + body.length(), NOW.getEpochSecond(), body);

      assertRefused(answer, 400, "invalid_json");
      assertThat(answer.message()).startsWith("The body ");
    }
  }

  @Test
  void theWrongContentTypeMethodOrPathIsRefusedBeforeTheSignatureIsLookedAt() throws Exception {
    Map<String, String> headers =
        standardHeaders(STD_SECRET, "msg_1", NOW.getEpochSecond(), TICKET);

    HttpRequest form =
        f.post("/webhooks/std", headers, bytes(TICKET))
            .setHeader("Content-Type", "application/x-www-form-urlencoded")
            .build();
    HttpRequest latin1 =
        f.post("/webhooks/std", headers, bytes(TICKET))
            .setHeader("Content-Type", "application/json; charset=iso-8859-1")
            .build();
    HttpRequest get = HttpRequest.newBuilder(f.server.uri("/webhooks/std")).GET().build();

    assertRefused(f.send(form), 415, "unsupported_media_type");
    assertRefused(f.send(latin1), 415, "unsupported_media_type");
    Answer notAllowed = f.send(get);
    assertRefused(notAllowed, 405, "method_not_allowed");
    assertThat(notAllowed.raw().headers().firstValue("Allow")).hasValue("POST");
    assertRefused(f.post("/webhooks/nope", headers, TICKET), 404, "not_found");
    assertRefused(f.post("/webhooks/std/", headers, TICKET), 404, "not_found");
    HttpRequest vendorJson =
        f.post("/webhooks/std", headers, bytes(TICKET))
            .setHeader("Content-Type", "application/vnd.acme+json; charset=UTF-8")
            .build();
    assertThat(f.send(vendorJson).status()).isEqualTo(202);
  }

  @Test
  void aBodyOverTheLimitIsRefusedWithoutReadingItAndOneAtTheLimitIsRead() throws Exception {
    String padded = TICKET + " ".repeat(LIMIT - TICKET.length()); // JSON allows the spaces
    String over = padded + " ";

    Answer declared = sendStandard(STD_SECRET, "msg_big", NOW.getEpochSecond(), over);
    HttpRequest chunked =
        f.post(
                "/webhooks/std",
                standardHeaders(STD_SECRET, "msg_chunked", NOW.getEpochSecond(), over),
                new byte[0])
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new ByteArrayInputStream(bytes(over))))
            .build();
    Answer streamed = f.send(chunked);

    assertRefused(declared, 413, "payload_too_large");
    assertThat(declared.message())
        .isEqualTo("The body is longer than this webhook's limit of 4096 bytes");
    assertRefused(streamed, 413, "payload_too_large");
    assertThat(sendStandard(STD_SECRET, "msg_fits", NOW.getEpochSecond(), padded).status())
        .isEqualTo(202);
  }

  @Test
  void aDeclaredLengthOverTheLimitIsAnsweredBeforeAnyOfTheBodyIsSent() throws Exception {
    // A raw socket: the head says 8 MiB are coming, and none come. The answer arrives anyway,
    // so the server refused without reading the body. (An HTTP client writing the 8 MiB would
    // see the connection closed under it: the JDK server does not linger to drain it.)
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), f.server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          bytes(
              "POST /webhooks/std HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json"
                  + "\r\nContent-Length: 8388608\r\n\r\n"));
      out.flush();
      String answer = readResponse(socket.getInputStream());

      assertThat(answer).startsWith("HTTP/1.1 413 ").contains("\"error\":\"payload_too_large\"");
    }
    assertThat(f.sessionsInStore()).isEmpty();
  }

  /** The head and the Content-Length body of one response; the connection may stay open. */
  private static String readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      head.append((char) c);
    }
    Matcher length = Pattern.compile("(?i)content-length: *([0-9]+)").matcher(head.toString());
    int n = length.find() ? Integer.parseInt(length.group(1)) : 0;
    return head + new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }
}
