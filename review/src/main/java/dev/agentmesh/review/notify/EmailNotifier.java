package dev.agentmesh.review.notify;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;

/**
 * Sends each notification as an e-mail over SMTP (Jakarta Mail, Eclipse Angus): a {@code
 * multipart/alternative} with a plain-text part from the text surface and an HTML part from the
 * HTML surface, both after a header with the title and links. Header injection is impossible: line
 * breaks and controls in the title become spaces in the subject, and a recipient address with a
 * line break, a control character or more than one address is refused. {@link Recipient.Type#EMAIL}
 * recipients are used as they are; the others go through the host's address book. Needs {@code
 * org.eclipse.angus:angus-mail} on the class path (an optional dependency of agentmesh-review).
 *
 * <pre>{@code
 * EmailNotifier email = EmailNotifier.builder("smtp.example.com", 587, "agentmesh@example.com")
 *     .addressBook(recipient -> directory.emailsOf(recipient))
 *     .build();
 * }</pre>
 */
public final class EmailNotifier implements Notifier {

  private final Session session;
  private final InternetAddress from;
  private final Function<Recipient, List<String>> addressBook;

  private EmailNotifier(Builder b) {
    Properties props = new Properties();
    props.put("mail.smtp.host", b.host);
    props.put("mail.smtp.port", String.valueOf(b.port));
    String timeout = String.valueOf(b.timeout.toMillis());
    props.put("mail.smtp.connectiontimeout", timeout);
    props.put("mail.smtp.timeout", timeout);
    props.put("mail.smtp.writetimeout", timeout);
    props.putAll(b.properties);
    this.session = Session.getInstance(props);
    this.from = b.from;
    this.addressBook = b.addressBook;
  }

  /**
   * SMTP at {@code host:port}, sending as {@code from}.
   *
   * @param host the SMTP host
   * @param port the SMTP port
   * @param from the sender's address
   * @return a new builder
   */
  public static Builder builder(String host, int port, String from) {
    return new Builder(host, port, from);
  }

  @Override
  public void deliver(Notification notification) {
    List<InternetAddress> to = addresses(notification);
    if (to.isEmpty()) {
      throw new NotificationException(
          "notification "
              + NotifyText.visible(notification.id(), 80)
              + " has no e-mail recipient; add Recipient.email(...) or map its recipients in addressBook(...)",
          false);
    }
    try {
      Transport.send(message(notification, to));
    } catch (MessagingException e) {
      throw new NotificationException(
          "SMTP delivery of "
              + NotifyText.visible(notification.id(), 80)
              + " failed: "
              + NotifyText.visible(String.valueOf(e.getMessage()), 200),
          true,
          e);
    }
  }

  private MimeMessage message(Notification n, List<InternetAddress> to) throws MessagingException {
    MimeMessage message = new MimeMessage(session);
    message.setFrom(from);
    message.setRecipients(Message.RecipientType.TO, to.toArray(InternetAddress[]::new));
    message.setSubject(subject(n.title()), "UTF-8");
    message.setSentDate(new Date());
    message.setHeader("X-Agentmesh-Notification", n.id());
    MimeBodyPart text = new MimeBodyPart();
    text.setText(EmailBodies.text(n), "UTF-8", "plain");
    MimeBodyPart html = new MimeBodyPart();
    html.setText(EmailBodies.html(n), "UTF-8", "html");
    message.setContent(new MimeMultipart("alternative", text, html));
    return message;
  }

  /** One line: every line break, control and line or paragraph separator becomes a space. */
  static String subject(String title) {
    return NotifyText.truncate(
        title.replaceAll("[\\p{Cntrl}\\u2028\\u2029\\u0085]+", " ").strip(), 200);
  }

  private List<InternetAddress> addresses(Notification n) {
    List<InternetAddress> out = new ArrayList<>();
    for (Recipient r : n.recipients()) {
      List<String> found =
          r.type() == Recipient.Type.EMAIL ? List.of(r.id()) : addressBook.apply(r);
      for (String address : found) {
        InternetAddress parsed = parse(address, "recipient " + r);
        if (!out.contains(parsed)) {
          out.add(parsed);
        }
      }
    }
    return out;
  }

  static InternetAddress parse(String address, String what) {
    if (address.chars().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029)) {
      throw new NotificationException(
          what
              + ": an e-mail address must not hold line breaks or control characters"
              + " but '"
              + NotifyText.visible(address, 80)
              + "' does",
          false);
    }
    try {
      InternetAddress[] parsed = InternetAddress.parse(address, true);
      if (parsed.length != 1) {
        throw new AddressException("expected one address but found " + parsed.length);
      }
      parsed[0].validate();
      return parsed[0];
    } catch (AddressException e) {
      throw new NotificationException(
          what
              + ": '"
              + NotifyText.visible(address, 80)
              + "' is not one valid e-mail"
              + " address ("
              + NotifyText.visible(String.valueOf(e.getMessage()), 100)
              + ")",
          false);
    }
  }

  @Override
  public String toString() {
    return "EmailNotifier{"
        + session.getProperty("mail.smtp.host")
        + ":"
        + session.getProperty("mail.smtp.port")
        + "}";
  }

  /** Builds an {@link EmailNotifier}. */
  public static final class Builder {
    private final String host;
    private final int port;
    private final InternetAddress from;
    private Function<Recipient, List<String>> addressBook = r -> List.of();
    private Duration timeout = Duration.ofSeconds(20);
    private final Properties properties = new Properties();

    private Builder(String host, int port, String from) {
      if (host.isBlank() || host.chars().anyMatch(c -> c <= ' ')) {
        throw new IllegalArgumentException(
            "SMTP host must be a host name but was '" + NotifyText.visible(host, 80) + "'");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("SMTP port must be between 1 and 65535 but was " + port);
      }
      this.host = host;
      this.port = port;
      try {
        this.from = parse(from, "sender");
      } catch (NotificationException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    }

    /**
     * Maps a non-e-mail recipient (reviewer, group, channel) to addresses; by default to none.
     *
     * @param addressBook maps a recipient to addresses
     * @return this builder
     */
    public Builder addressBook(Function<Recipient, List<String>> addressBook) {
      this.addressBook = Objects.requireNonNull(addressBook, "addressBook");
      return this;
    }

    /**
     * Connect, read and write timeout (default 20 s).
     *
     * @param timeout the timeout
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Http.checkTimeout(timeout);
      return this;
    }

    /**
     * A Jakarta Mail session property, e.g. {@code mail.smtp.starttls.required=true}.
     *
     * @param name the property's name
     * @param value its value
     * @return this builder
     */
    public Builder property(String name, String value) {
      properties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Builds the notifier.
     *
     * @return the notifier
     */
    public EmailNotifier build() {
      return new EmailNotifier(this);
    }
  }
}
