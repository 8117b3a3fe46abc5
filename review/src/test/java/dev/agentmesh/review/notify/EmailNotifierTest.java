package dev.agentmesh.review.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.agentmesh.review.notify.kit.NotifierCompatibilityKit;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmailNotifierTest {

  @RegisterExtension
  final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  EmailNotifier notifier() {
    return EmailNotifier.builder(
            "127.0.0.1", greenMail.getSmtp().getPort(), "agentmesh@example.com")
        .addressBook(
            r ->
                r.id().equals("approvers")
                    ? List.of("ann@example.com", "bob@example.com")
                    : List.of())
        .build();
  }

  Notification requested(String title, Recipient... to) {
    return Notification.builder(Notification.Kind.REVIEW_REQUESTED, "req-7")
        .title(title)
        .recipients(List.of(to))
        .surfaces(
            new RenderedSurfaces(
                "2 sections changed\n+ added line", "md", "<p>2 sections changed</p>"))
        .link(Notification.LinkRel.OPEN, URI.create("https://review.example.com/a/7"))
        .build();
  }

  @Test
  void aNotificationArrivesAsPlainTextAndHtmlAlternatives() throws Exception {
    notifier()
        .deliver(requested("Release notes need review", Recipient.email("carol@example.com")));

    MimeMessage received = greenMail.getReceivedMessages()[0];
    assertThat(received.getSubject()).isEqualTo("Release notes need review");
    assertThat(received.getHeader("X-Agentmesh-Notification")).containsExactly("req-7");
    MimeMultipart parts = (MimeMultipart) received.getContent();
    assertThat(parts.getContentType()).startsWith("multipart/alternative");
    assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
    assertThat((String) parts.getBodyPart(0).getContent())
        .contains(
            "open: https://review.example.com/a/7",
            "2 sections changed\n+ added line".replace("\n", "\r\n"));
    assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
    assertThat((String) parts.getBodyPart(1).getContent())
        .contains(
            "<p>2 sections changed</p>", "<a href=\"https://review.example.com/a/7\">open</a>");
  }

  @Test
  void groupsAreResolvedThroughTheAddressBook() throws Exception {
    notifier().deliver(requested("t", Recipient.group("approvers")));

    assertThat(greenMail.getReceivedMessages()).hasSize(2);
    assertThat(
            Arrays.stream(
                    greenMail.getReceivedMessages()[0].getRecipients(Message.RecipientType.TO))
                .map(Object::toString))
        .containsExactly("ann@example.com", "bob@example.com");
  }

  @Test
  void lineBreaksInTheTitleCannotAddHeaders() throws Exception {
    notifier()
        .deliver(
            requested(
                "Hi\r\nBcc: evil@example.com\r\n\r\nforged body",
                Recipient.email("carol@example.com")));

    assertThat(greenMail.getReceivedMessages()).hasSize(1);
    MimeMessage received = greenMail.getReceivedMessages()[0];
    assertThat(received.getSubject()).isEqualTo("Hi Bcc: evil@example.com forged body");
    assertThat(received.getHeader("Bcc")).isNull();
    assertThat(GreenMailUtil.getHeaders(received)).doesNotContain("\nBcc:");
  }

  @Test
  void aRecipientWithALineBreakIsRefusedAndNotRetried() {
    Notification n = requested("t", Recipient.email("carol@example.com"));
    EmailNotifier email =
        EmailNotifier.builder("127.0.0.1", greenMail.getSmtp().getPort(), "agentmesh@example.com")
            .addressBook(r -> List.of("eve@example.com\r\nBcc: victim@example.com"))
            .build();

    assertThatThrownBy(() -> email.deliver(n.withRecipients(List.of(Recipient.group("g")))))
        .isInstanceOf(NotificationException.class)
        .hasMessage(
            "recipient group:g: an e-mail address must not hold line breaks or control characters but"
                + " 'eve@example.com\\r\\nBcc: victim@example.com' does")
        .satisfies(e -> assertThat(((NotificationException) e).isRetryable()).isFalse());
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  void twoAddressesInOneRecipientAreRefused() {
    assertThatThrownBy(
            () ->
                notifier().deliver(requested("t", Recipient.email("a@example.com, b@example.com"))))
        .hasMessageStartingWith(
            "recipient email:a@example.com, b@example.com: 'a@example.com, b@example.com' is not"
                + " one valid e-mail address");
  }

  @Test
  void hostileHtmlInTheTitleIsEscapedInTheHtmlPart() throws Exception {
    notifier()
        .deliver(requested("<script>alert(1)</script>", Recipient.email("carol@example.com")));

    MimeMultipart parts = (MimeMultipart) greenMail.getReceivedMessages()[0].getContent();
    assertThat((String) parts.getBodyPart(1).getContent())
        .contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>")
        .doesNotContain("<script>");
  }

  @Test
  void aNotificationWithoutEmailRecipientsIsRefusedAndNotRetried() {
    assertThatThrownBy(() -> notifier().deliver(requested("t", Recipient.reviewer("u-1"))))
        .hasMessage(
            "notification req-7 has no e-mail recipient; add Recipient.email(...) or map its recipients"
                + " in addressBook(...)")
        .satisfies(e -> assertThat(((NotificationException) e).isRetryable()).isFalse());
  }

  @Nested
  class Compatibility extends NotifierCompatibilityKit {
    @Override
    protected Notifier notifier() {
      return EmailNotifierTest.this.notifier();
    }

    @Override
    protected List<String> received() {
      return Arrays.stream(greenMail.getReceivedMessages())
          .map(GreenMailUtil::getWholeMessage)
          .toList();
    }

    @Override
    protected void breakChannel() {
      greenMail.stop();
    }
  }
}
