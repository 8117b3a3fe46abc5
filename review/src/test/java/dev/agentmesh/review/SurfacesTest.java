package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Behaviour of the code, document, table, record and action surfaces beyond the golden files. */
class SurfacesTest {

  private final ArtifactTypes types = ArtifactTypes.standard();

  @Test
  void aCodeDiffHighlightsTheChangedWordsOfAChangedLine() {
    String out =
        types.render(
            new CodeDiff(
                List.of(
                    CodeDiff.FileChange.between(
                        "A.java", "int total = price * 2;\n", "int total = price * 3;\n"))),
            SurfaceFormat.TEXT);
    assertThat(out)
        .contains("- int total = price * [-2-];\n+ int total = price * {+3+};\n")
        .contains("~ | A.java | +1      | -1        |");
  }

  @Test
  void lockFilesAreCollapsedButCounted() {
    String out =
        types.render(
            new CodeDiff(List.of(CodeDiff.FileChange.between("web/yarn.lock", "a\n", "b\n"))),
            SurfaceFormat.TEXT);
    assertThat(out)
        .contains("NOTE: web/yarn.lock (+1 -1): generated or lock file, collapsed")
        .doesNotContain("{+b+}");
  }

  @Test
  void theHtmlDiffEscapesAmpersandsAndAngleBrackets() {
    String out =
        types.render(
            new CodeDiff(
                List.of(
                    CodeDiff.FileChange.between(
                        "a.html", "<p>Tom & Jerry</p>\n", "<p>Tom &amp; Jerry</p>\n"))),
            SurfaceFormat.HTML);
    assertThat(out)
        .contains("<td style=\"white-space:pre-wrap\">&lt;p&gt;Tom &amp; Jerry&lt;/p&gt;</td>")
        .contains("&lt;p&gt;Tom &amp;<ins style=\"background:#d4f8d4\">amp;</ins> Jerry&lt;/p&gt;");
  }

  @Test
  void aDocumentRedlineMarksInsertedAndDeletedWords() {
    String out =
        types.render(
            new Document("d", Document.Format.TEXT, "The quick fox.", "The slow brown fox."),
            SurfaceFormat.TEXT);
    assertThat(out).contains("The [-quick-]{+slow+} {+brown +}fox.").contains("words: 3 -> 4 (+1)");
  }

  @Test
  void aRenderedMarkdownPreviewEscapesHtmlAndDropsScriptLinks() {
    String out =
        types.render(
            new Document(
                "d",
                Document.Format.MARKDOWN,
                "",
                "Hi <b>there</b> [x](javascript:alert(1)) [ok](https://example.com) ![i](https://tracker.test/p.png)"),
            SurfaceFormat.HTML);
    assertThat(out)
        .contains("Hi &lt;b&gt;there&lt;/b&gt; <a rel=\"nofollow\" href=\"\">x</a>")
        .contains("<a rel=\"nofollow\" href=\"https://example.com\">ok</a>")
        .contains("<img src=\"\" alt=\"i\" />");
  }

  @Test
  void aTableDiffIsKeyedNotPositional() {
    Table.Data before =
        new Table.Data(
            List.of("id", "n"), List.of(Map.of("id", "1", "n", "a"), Map.of("id", "2", "n", "b")));
    Table.Data after =
        new Table.Data(
            List.of("id", "n"), List.of(Map.of("id", "2", "n", "b"), Map.of("id", "1", "n", "a")));
    assertThat(
            types.render(
                new Table("t", List.of("id"), List.of(), before, after), SurfaceFormat.TEXT))
        .contains("rows: 0 added, 0 removed, 0 changed, 2 unchanged");
  }

  @Test
  void numericCellsShowAbsoluteAndRelativeDeltasAndIgnoredColumnsAreLeftOut() {
    String out = types.render(Samples.table(), SurfaceFormat.TEXT);
    assertThat(out)
        .contains("[-10.00-] -> {+12.50+} (+2.50, +25.0%)")
        .contains("total price: 20.50 -> 45.00 (+24.50, +119.5%)")
        .contains("columns: 1 added [stock], 0 removed []")
        .doesNotContain("updated_at |")
        .doesNotContain("2026-02-02");
  }

  @Test
  void aRecordChangeShowsTheVersionReadAndUnsetFields() {
    String out = types.render(Samples.recordChange(), SurfaceFormat.TEXT);
    assertThat(out)
        .contains("Version read: 17")
        .contains("| *phone* | *(unset)*      | {++49 30 1234+}    |");
  }

  @Test
  void anActionShowsItsArgumentsSortedAndWhetherItIsIdempotent() {
    String out = types.render(Samples.action(), SurfaceFormat.MARKDOWN);
    assertThat(out)
        .contains("- **Idempotent:** **\u26A0 no**")
        .contains("\u00A0\u00A0\"amount\" : \"12.50\",  \n\u00A0\u00A0\"notify\" : {");
  }
}
