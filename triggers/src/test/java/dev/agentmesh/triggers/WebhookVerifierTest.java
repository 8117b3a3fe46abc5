package dev.agentmesh.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.triggers.WebhookVerification.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Each scheme on published examples and on good, bad, missing, expired and rotated signatures. */
class WebhookVerifierTest {

  static final String SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  // Slack's worked example ("Verifying requests from Slack"), byte for byte: token=...Fasx0q6G,
  // user_name=roadrunner.
  static final String SLACK_BODY =
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
          + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect"
          + "&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
          + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
  static final String SLACK_SIGNATURE =
      "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
  private static final Clock SLACK_CLOCK =
      Clock.fixed(Instant.ofEpochSecond(1531420618 + 10), ZoneOffset.UTC);

  @Test
  void slacksDocumentedExampleVerifies() {
    WebhookVerifier slack =
        WebhookVerifier.builder(WebhookScheme.SLACK)
            .secret(SLACK_SECRET)
            .clock(SLACK_CLOCK)
            .build();

    WebhookVerification result = slack.verify(slackRequest(SLACK_SIGNATURE, "1531420618"));

    assertThat(result.verified()).isTrue();
    assertThat(result.deliveryKey())
        .isEqualTo(Signatures.deliveryKey("slack", bytes(SLACK_BODY)))
        .matches("slack:[0-9a-f]{64}");
  }

  @Test
  void ourSlackSignatureOfTheDocumentedRequestIsTheDocumentedOne() {
    Clock atRequest = Clock.fixed(Instant.ofEpochSecond(1531420618), ZoneOffset.UTC);
    WebhookVerifier slack =
        WebhookVerifier.builder(WebhookScheme.SLACK).secret(SLACK_SECRET).clock(atRequest).build();

    assertThat(slack.sign("unused", bytes(SLACK_BODY)))
        .containsEntry("X-Slack-Signature", SLACK_SIGNATURE);
  }

  @Test
  void aSlackRequestOutsideTheToleranceIsExpiredEitherWay() {
    Clock late = Clock.fixed(Instant.ofEpochSecond(1531420618 + 301), ZoneOffset.UTC);
    Clock early = Clock.fixed(Instant.ofEpochSecond(1531420618 - 301), ZoneOffset.UTC);

    for (Clock clock : new Clock[] {late, early}) {
      WebhookVerification result =
          WebhookVerifier.builder(WebhookScheme.SLACK)
              .secret(SLACK_SECRET)
              .clock(clock)
              .build()
              .verify(slackRequest(SLACK_SIGNATURE, "1531420618"));
      assertThat(result)
          .isEqualTo(
              WebhookVerification.refused(
                  Outcome.EXPIRED,
                  "timestamp 2018-07-12T18:36:58Z is 301 s from now; the tolerance is 300 s"));
    }
  }

  @Test
  void aTamperedSlackBodyOrTimestampIsABadSignature() {
    WebhookVerifier slack =
        WebhookVerifier.builder(WebhookScheme.SLACK)
            .secret(SLACK_SECRET)
            .clock(SLACK_CLOCK)
            .build();

    WebhookVerification result = slack.verify(slackRequest(SLACK_SIGNATURE, "1531420619"));

    assertThat(result.outcome()).isEqualTo(Outcome.BAD_SIGNATURE);
    assertThat(result.reason())
        .isEqualTo("no signature in header 'X-Slack-Signature' matches any of the 1 secret")
        .doesNotContain(SLACK_SECRET);
    assertThat(result.deliveryKey()).isNull();
  }

  @Test
  void githubsDocumentedExampleVerifiesAndItsKeyCoversTheDeliveryHeader() {
    WebhookVerifier github =
        WebhookVerifier.builder(WebhookScheme.HMAC_SHA256)
            .secret("It's a Secret to Everybody")
            .build();
    String signature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    WebhookVerification first = github.verify(hub(signature, "delivery-1"));
    WebhookVerification again = github.verify(hub(signature, "delivery-1"));
    WebhookVerification other = github.verify(hub(signature, "delivery-2"));

    assertThat(first.verified()).isTrue();
    assertThat(again.deliveryKey()).isEqualTo(first.deliveryKey());
    assertThat(other.deliveryKey()).isNotEqualTo(first.deliveryKey());
  }

  @Test
  void headerNamesAreCaseInsensitive() {
    WebhookVerifier github =
        WebhookVerifier.builder(WebhookScheme.HMAC_SHA256)
            .secret("It's a Secret to Everybody")
            .build();
    WebhookRequest request =
        WebhookRequest.builder()
            .header(
                "x-hub-SIGNATURE-256",
                "sha256=757107EA0EB2509FC211221CCE984B8A37570B6D7586C22C46F4379C8B043E17")
            .body(bytes("Hello, World!"))
            .build();

    assertThat(github.verify(request).verified()).isTrue();
  }

  @Test
  void aRotationAcceptsEitherSecretAndRefusesAThird() {
    WebhookVerifier rotating =
        WebhookVerifier.builder(WebhookScheme.HMAC_SHA256)
            .secret("new secret")
            .secret("It's a Secret to Everybody")
            .build();
    WebhookVerifier stranger =
        WebhookVerifier.builder(WebhookScheme.HMAC_SHA256).secret("someone else").build();
    WebhookVerifier newOnly =
        WebhookVerifier.builder(WebhookScheme.HMAC_SHA256).secret("new secret").build();

    assertThat(
            rotating
                .verify(
                    hub(
                        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
                        "d"))
                .verified())
        .isTrue();
    assertThat(rotating.verify(signed(newOnly, "Hello, World!")).verified()).isTrue();
    assertThat(rotating.verify(signed(stranger, "Hello, World!")).reason())
        .isEqualTo("no signature in header 'X-Hub-Signature-256' matches any of the 2 secrets");
  }

  @Test
  void aMissingOrMalformedSignatureSaysWhich() {
    WebhookVerifier github = WebhookVerifier.builder(WebhookScheme.HMAC_SHA256).secret("s").build();

    assertThat(github.verify(WebhookRequest.builder().body(bytes("{}")).build()))
        .isEqualTo(
            WebhookVerification.refused(
                Outcome.MISSING_HEADER, "missing header 'X-Hub-Signature-256'"));
    assertThat(github.verify(hub("sha1=0123", "d")))
        .isEqualTo(
            WebhookVerification.refused(
                Outcome.MALFORMED, "header 'X-Hub-Signature-256' is not sha256=<64 hex digits>"));
  }

  @Test
  void stripeVerifiesAnyV1AndIgnoresV0() {
    Clock clock = Clock.fixed(Instant.parse("2025-11-29T12:00:30Z"), ZoneOffset.UTC);
    WebhookVerifier stripe =
        WebhookVerifier.builder(WebhookScheme.STRIPE)
            .secret("whsec_test_stripe")
            .clock(clock)
            .build();
    String body = "{\"id\":\"evt_1\",\"type\":\"invoice.paid\"}";
    // python3: hmac.new(b'whsec_test_stripe', b'1764417600.' + body, sha256).hexdigest()
    String good = "c9576a2c23b79e273e311c1ed620c1ec02f79d7046573884020df2de97104e96";
    String other = "00".repeat(32);

    assertThat(
            stripe
                .verify(
                    stripeRequest(
                        "t=1764417600,v1=" + other + ",v1=" + good + ",v0=" + other, body))
                .verified())
        .isTrue();
    assertThat(stripe.verify(stripeRequest("t=1764417600,v1=" + other, body)).outcome())
        .isEqualTo(Outcome.BAD_SIGNATURE);
    assertThat(stripe.verify(stripeRequest("t=1764417600,v0=" + good, body)))
        .isEqualTo(
            WebhookVerification.refused(
                Outcome.MALFORMED,
                "header 'Stripe-Signature' is not t=<seconds>,v1=<64 hex digits>[,v1=...]"));
    assertThat(stripe.verify(stripeRequest("t=1764417000,v1=" + good, body)).outcome())
        .isEqualTo(Outcome.EXPIRED);
    assertThat(stripe.verify(signed(stripe, body)).deliveryKey())
        .isEqualTo(stripe.verify(stripeRequest("t=1764417600,v1=" + good, body)).deliveryKey());
  }

  static WebhookRequest slackRequest(String signature, String timestamp) {
    return WebhookRequest.builder()
        .header("X-Slack-Signature", signature)
        .header("X-Slack-Request-Timestamp", timestamp)
        .body(bytes(SLACK_BODY))
        .build();
  }

  static WebhookRequest hub(String signature, String delivery) {
    return WebhookRequest.builder()
        .header("X-Hub-Signature-256", signature)
        .header("X-GitHub-Delivery", delivery)
        .body(bytes("Hello, World!"))
        .build();
  }

  private static WebhookRequest stripeRequest(String header, String body) {
    return WebhookRequest.builder().header("Stripe-Signature", header).body(bytes(body)).build();
  }

  static WebhookRequest signed(WebhookVerifier signer, String body) {
    WebhookRequest.Builder request = WebhookRequest.builder().body(bytes(body));
    signer.sign("msg_1", bytes(body)).forEach(request::header);
    return request.build();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
