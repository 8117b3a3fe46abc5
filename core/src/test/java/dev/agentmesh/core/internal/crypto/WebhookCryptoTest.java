package dev.agentmesh.core.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookCryptoTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void slackSignatureMatchesSlacksWorkedExample() {
    // "Verifying requests from Slack", byte for byte.
    String body =
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
            + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect"
            + "&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
            + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

    assertThat(
            WebhookCrypto.slackSignature(
                utf8("8f742231b10e8888abcd99yyyzzz85a5"), "1531420618", utf8(body)))
        .isEqualTo("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
  }

  @Test
  void standardWebhooksSignatureMatchesTheSpecificationsExample() {
    byte[] key = WebhookCrypto.whsecKey("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

    assertThat(
            WebhookCrypto.standardWebhooksSignature(
                key, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", utf8("{\"test\": 2432232314}")))
        .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void whsecKeyTakesThePrefixAsOptionalAndRefusesWhatIsNotBase64() {
    assertThat(WebhookCrypto.whsecKey("whsec_AAEC")).containsExactly(0, 1, 2);
    assertThat(WebhookCrypto.whsecKey("AAEC")).containsExactly(0, 1, 2);
    assertThat(WebhookCrypto.whsecKey("whsec_!!notbase64")).isNull();
  }

  @Test
  void hex32ReadsExactlySixtyFourHexDigits() {
    String hex = "a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    assertThat(WebhookCrypto.hex(WebhookCrypto.hex32(hex.toUpperCase(java.util.Locale.ROOT))))
        .isEqualTo(hex);
    assertThat(WebhookCrypto.hex32(hex.substring(2))).isNull();
    assertThat(WebhookCrypto.hex32(hex.substring(2) + "zz")).isNull();
  }

  @Test
  void constantTimeEqualsComparesWholeArrays() {
    assertThat(WebhookCrypto.constantTimeEquals(utf8("v0=ab"), utf8("v0=ab"))).isTrue();
    assertThat(WebhookCrypto.constantTimeEquals(utf8("v0=ab"), utf8("v0=ac"))).isFalse();
    assertThat(WebhookCrypto.constantTimeEquals(utf8("v0=ab"), utf8("v0=a"))).isFalse();
  }
}
