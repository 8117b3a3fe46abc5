package dev.agentmesh.review;

import dev.agentmesh.review.spi.RenderContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Validation and surface of {@link OutboundMessage}. */
final class MessageSurface {

  static final Pattern PLACEHOLDER =
      Pattern.compile(
          "\\{\\{[^{}\\n]{0,100}\\}\\}|\\$\\{[^{}\\n]{1,100}\\}|\\{[A-Za-z_][A-Za-z0-9_.-]{0,63}\\}"
              + "|\\[[A-Z][A-Z0-9_ ]{0,63}\\](?!\\()");
  private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>]+@([A-Za-z0-9.-]+)");

  private MessageSurface() {}

  static List<String> problems(OutboundMessage m, ReviewLimits limits) {
    List<String> problems = new ArrayList<>();
    if (m.channel().isBlank()) {
      problems.add("a message needs a channel (like 'email' or 'slack') but it is blank");
    }
    if (m.sender().isBlank()) {
      problems.add("a message needs a sender but it is blank");
    }
    if (m.to().isEmpty() && m.cc().isEmpty() && m.bcc().isEmpty()) {
      problems.add("a message needs at least one recipient in to, cc or bcc");
    }
    return problems;
  }

  static Surface render(OutboundMessage m, RenderContext context) {
    List<Block.Field> headers = new ArrayList<>();
    headers.add(Block.Field.of("Channel", Span.plain(m.channel())));
    headers.add(new Block.Field("From", recipients(List.of(m.sender()), context)));
    int external = 0;
    for (String kind : List.of("To", "Cc", "Bcc")) {
      List<String> list = kind.equals("To") ? m.to() : kind.equals("Cc") ? m.cc() : m.bcc();
      if (!list.isEmpty()) {
        headers.add(new Block.Field(kind, recipients(list, context)));
        external += (int) list.stream().filter(r -> isExternal(r, context)).count();
      }
    }
    headers.add(new Block.Field("Subject", placeholders(m.subject())));
    List<Link> links = Links.find(m.body());
    long flaggedLinks = links.stream().filter(l -> !l.problem().isEmpty()).count();
    long holes =
        PLACEHOLDER.matcher(m.subject()).results().count()
            + PLACEHOLDER.matcher(m.body()).results().count();
    int recipients = m.to().size() + m.cc().size() + m.bcc().size();
    List<String> summary =
        List.of(
            Texts.plural(recipients, "recipient", "recipients") + ", " + external + " external",
            Texts.plural(holes, "unresolved placeholder", "unresolved placeholders"),
            Texts.plural(links.size(), "link", "links") + ", " + flaggedLinks + " flagged");
    List<Block> blocks = new ArrayList<>();
    warnings(m, external, holes, blocks);
    blocks.add(new Block.Fields(headers));
    blocks.add(new Block.Heading("Body"));
    blocks.add(new Block.Paragraph(placeholders(m.body())));
    if (!links.isEmpty()) {
      blocks.add(new Block.Heading("Links"));
      blocks.add(
          new Block.Grid(
              new Block.Row(
                  Block.Marker.CONTEXT,
                  List.of(
                      List.of(Span.strong("shown as")),
                      List.of(Span.strong("goes to")),
                      List.of(Span.strong("check")))),
              links.stream()
                  .map(
                      l ->
                          new Block.Row(
                              l.problem().isEmpty() ? Block.Marker.CONTEXT : Block.Marker.CHANGED,
                              List.of(
                                  List.of(Span.plain(l.text())),
                                  List.of(Span.plain(l.target())),
                                  List.of(
                                      l.problem().isEmpty()
                                          ? Span.plain("ok")
                                          : Span.flagged(l.problem())))))
                  .toList()));
    }
    String title = "Outbound " + m.channel().toLowerCase(Locale.ROOT) + " message";
    return new Surface(m.subject().isEmpty() ? title : title + ": " + m.subject(), summary, blocks);
  }

  private static void warnings(OutboundMessage m, int external, long holes, List<Block> blocks) {
    boolean breaks =
        (m.subject()
                + m.sender()
                + String.join("", m.to())
                + String.join("", m.cc())
                + String.join("", m.bcc()))
            .chars()
            .anyMatch(c -> c == '\r' || c == '\n');
    if (breaks) {
      blocks.add(
          new Block.Notice(
              Block.Notice.Level.WARNING,
              "a header field (sender, recipient or subject) contains a line break; it must not be sent as is"));
    }
    if (external > 0) {
      blocks.add(
          new Block.Notice(
              Block.Notice.Level.WARNING,
              Texts.plural(external, "recipient is", "recipients are")
                  + " outside the internal domains"));
    }
    if (holes > 0) {
      blocks.add(
          new Block.Notice(
              Block.Notice.Level.WARNING,
              Texts.plural(holes, "template placeholder was", "template placeholders were")
                  + " not filled in"));
    }
  }

  private static List<Span> recipients(List<String> list, RenderContext context) {
    List<Span> spans = new ArrayList<>();
    for (String r : list) {
      if (!spans.isEmpty()) {
        spans.add(Span.plain(", "));
      }
      spans.add(isExternal(r, context) ? Span.flagged(r + " (external)") : Span.plain(r));
    }
    return spans;
  }

  static boolean isExternal(String recipient, RenderContext context) {
    Matcher m = ADDRESS.matcher(recipient);
    return m.find() && !context.isInternal(m.group(1));
  }

  /** {@code text} with every placeholder flagged. */
  static List<Span> placeholders(String text) {
    List<Span> spans = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(text);
    int at = 0;
    while (m.find()) {
      if (m.start() > at) {
        spans.add(Span.plain(text.substring(at, m.start())));
      }
      spans.add(Span.flagged(m.group()));
      at = m.end();
    }
    if (at < text.length() || spans.isEmpty()) {
      spans.add(Span.plain(text.substring(at)));
    }
    return spans;
  }

  /** A link found in a body: what it shows, where it goes, and what is wrong with it (or ""). */
  record Link(String text, String target, String problem) {}
}
