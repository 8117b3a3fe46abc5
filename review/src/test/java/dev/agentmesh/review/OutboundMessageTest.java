package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutboundMessageTest {

  private final ArtifactTypes types =
      ArtifactTypes.builder().internalDomains("example.com").build();

  private String text(String body) {
    return types.render(
        new OutboundMessage(
            "email", "me@example.com", List.of("you@example.com"), List.of(), List.of(), "s", body),
        SurfaceFormat.TEXT);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "Dear {{ first_name }},; >>{{ first_name }}<<",
        "Total: ${amount}; >>${amount}<<",
        "Hi {name}!; >>{name}<<",
        "Regards, [SENDER NAME]; >>[SENDER NAME]<<",
        "Order [ORDER_ID] shipped; >>[ORDER_ID]<<"
      })
  void unresolvedPlaceholdersAreFlagged(String body, String flagged) {
    assertThat(text(body)).contains(flagged).contains("1 unresolved placeholder\n");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "JSON {\"a\": 1}",
        "a [link](https://example.com)",
        "see [1]",
        "code { x }",
        "[Note] lower"
      })
  void ordinaryBracesAndBracketsAreNotPlaceholders(String body) {
    assertThat(text(body)).contains("0 unresolved placeholders");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "[https://bank.example.com](https://evil.test/x); shows bank.example.com but goes to evil.test",
        "<https://evil.test|www.example.com>; shows example.com but goes to evil.test",
        "<a href=\"https://evil.test\">example.com</a>; shows example.com but goes to evil.test",
        "[click](javascript:alert(1)); not an http, https or mailto link",
        "data:text/html,hi; not an http, https or mailto link",
        "https://xn--pple-43d.com/login; internationalised (punycode) domain"
      })
  void suspiciousLinksAreFlaggedWithTheirDestination(String body, String problem) {
    assertThat(text(body)).contains(">>" + problem + "<<").contains("1 link, 1 flagged");
  }

  @Test
  void aChatMessageWithoutSubjectIsTitledByItsChannel() {
    String out =
        types.render(
            new OutboundMessage(
                "slack", "bot", List.of("#ops"), List.of(), List.of(), "", "Deploy <!here> done"),
            SurfaceFormat.MARKDOWN);
    assertThat(out)
        .startsWith("### Outbound slack message\n")
        .contains("Deploy &lt;!here&gt; done")
        .contains("1 recipient, 0 external");
  }

  @Test
  void recipientsOutsideTheInternalDomainsAreFlagged() {
    String out =
        types.render(
            new OutboundMessage(
                "email",
                "me@example.com",
                List.of("a@example.com", "b@eu.example.com"),
                List.of("c@example.com.evil.test"),
                List.of("d@other.org"),
                "s",
                "b"),
            SurfaceFormat.TEXT);
    assertThat(out)
        .contains("To: a@example.com, b@eu.example.com\n")
        .contains("Cc: >>c@example.com.evil.test (external)<<\n")
        .contains("Bcc: >>d@other.org (external)<<\n")
        .contains("4 recipients, 2 external");
  }

  @Test
  void aLineBreakInASubjectIsShownEscapedAndWarnedAbout() {
    String out =
        types.render(
            new OutboundMessage(
                "email",
                "me@example.com",
                List.of("x@example.com\r\nBcc: y@evil.test"),
                List.of(),
                List.of(),
                "Hi\r\nBcc: victim@evil.test",
                "b"),
            SurfaceFormat.TEXT);
    assertThat(out)
        .contains("Subject: Hi\\r\\nBcc: victim@evil.test\n")
        .contains("To: x@example.com\\r\\nBcc: y@evil.test\n")
        .contains("WARNING: a header field (sender, recipient or subject) contains a line break")
        .doesNotContain("\nBcc:");
  }
}
