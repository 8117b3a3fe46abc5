package dev.agentmesh.review;

import dev.agentmesh.review.spi.RenderContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Validation and surface of {@link Document}. */
final class DocumentSurface {

  private DocumentSurface() {}

  static List<String> problems(Document doc, ReviewLimits limits) {
    List<String> problems = new ArrayList<>();
    if (doc.title().isBlank()) {
      problems.add("a document needs a title but it is blank");
    }
    if (doc.before().equals(doc.after())) {
      problems.add("before and after are identical; a document change must change something");
    }
    return problems;
  }

  static Surface render(Document doc, RenderContext context) {
    List<Span> redline = Diffs.redline(doc.before(), doc.after());
    long inserted = redline.stream().filter(s -> s.style() == Span.Style.INSERTED).count();
    long deleted = redline.stream().filter(s -> s.style() == Span.Style.DELETED).count();
    long wordsBefore = Diffs.words(doc.before());
    long wordsAfter = Diffs.words(doc.after());
    List<String> summary =
        new ArrayList<>(
            List.of(
                "words: "
                    + wordsBefore
                    + " -> "
                    + wordsAfter
                    + " ("
                    + Diffs.signed(wordsAfter - wordsBefore)
                    + ")",
                Texts.plural(inserted, "insertion", "insertions")
                    + ", "
                    + Texts.plural(deleted, "deletion", "deletions")));
    List<Block> blocks = new ArrayList<>();
    if (doc.format() == Document.Format.MARKDOWN) {
      List<Block.Line> outline = outline(doc.before(), doc.after());
      if (!outline.isEmpty()) {
        summary.add(Texts.plural(outline.size(), "section", "sections") + " changed");
        blocks.add(new Block.Lines("Changed sections", outline));
      }
    }
    blocks.add(new Block.Heading("Redline"));
    blocks.add(new Block.Paragraph(redline));
    blocks.add(
        doc.format() == Document.Format.MARKDOWN
            ? new Block.MarkdownPreview("After", doc.after())
            : new Block.Verbatim("After", doc.after()));
    blocks.add(new Block.Verbatim("Before", doc.before()));
    return new Surface(
        "Document '" + doc.title() + "': " + Diffs.signed(wordsAfter - wordsBefore) + " words",
        summary,
        blocks);
  }

  /** Sections (by heading) added, removed or changed, in the order of the after text. */
  private static List<Block.Line> outline(String before, String after) {
    Map<String, String> a = sections(before);
    Map<String, String> b = sections(after);
    List<Block.Line> out = new ArrayList<>();
    b.forEach(
        (heading, body) -> {
          if (!a.containsKey(heading)) {
            out.add(Block.Line.of(Block.Marker.ADDED, Span.inserted(heading)));
          } else if (!a.get(heading).equals(body)) {
            out.add(Block.Line.of(Block.Marker.CHANGED, Span.plain(heading)));
          }
        });
    a.keySet().stream()
        .filter(h -> !b.containsKey(h))
        .forEach(h -> out.add(Block.Line.of(Block.Marker.REMOVED, Span.deleted(h))));
    return out;
  }

  private static Map<String, String> sections(String markdown) {
    Map<String, String> sections = new LinkedHashMap<>();
    String heading = "(preamble)";
    StringBuilder body = new StringBuilder();
    for (String line : markdown.split("\n", -1)) {
      if (line.matches("#{1,6} .*")) {
        sections.merge(heading, body.toString(), String::concat);
        heading = line.strip();
        body.setLength(0);
      } else {
        body.append(line).append('\n');
      }
    }
    sections.merge(heading, body.toString(), String::concat);
    String preamble = sections.get("(preamble)");
    if (preamble != null && preamble.isBlank()) {
      sections.remove("(preamble)");
    }
    return sections;
  }
}
