package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class AnchorTest {

  static String refusal(Anchor anchor, ReviewArtifact artifact) {
    ReviewRefusedException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            ReviewRefusedException.class, () -> anchor.validate(artifact));
    assertThat(e).as("expected %s to be refused", anchor).isNotNull();
    assertThat(e.reason()).isEqualTo(ReviewRefusedException.Reason.INVALID_ANCHOR);
    return e.getMessage();
  }

  @Test
  void theWholeArtifactIsAnAnchorOfEveryType() {
    for (ReviewArtifact artifact : Samples.all()) {
      assertThatCode(() -> Anchor.whole().validate(artifact)).doesNotThrowAnyException();
    }
  }

  @Test
  void aDocumentLineBeyondTheTextIsRefusedWithItsLength() {
    Document doc = Samples.document(); // 7 lines after

    assertThatCode(() -> Anchor.lines(null, 3, 7).validate(doc)).doesNotThrowAnyException();
    assertThat(refusal(Anchor.line(8), doc))
        .isEqualTo(
            "line 8 is beyond the document's proposed text, which has 7 lines (numbered from 1)");
    assertThat(refusal(Anchor.line("a.md", 1), doc))
        .isEqualTo(
            "'a.md' line 1 names a file, but the document's proposed text has no files;"
                + " use Anchor.lines(null, from, to)");
  }

  @Test
  void aMessageLineCountsTheBody() {
    OutboundMessage message = Samples.message(); // 4 body lines

    assertThatCode(() -> Anchor.line(4).validate(message)).doesNotThrowAnyException();
    assertThat(refusal(Anchor.lines(null, 2, 5), message))
        .isEqualTo("lines 2-5 is beyond the body, which has 4 lines (numbered from 1)");
  }

  @Test
  void aCodeDiffLineMustBeOneTheDiffShowsInANamedFile() {
    CodeDiff diff = Samples.codeDiff(); // Greeter.java: hunk +1,7

    assertThatCode(() -> Anchor.lines("src/Greeter.java", 3, 6).validate(diff))
        .doesNotThrowAnyException();
    assertThat(refusal(Anchor.line("src/Greeter.java", 8), diff))
        .isEqualTo(
            "'src/Greeter.java' line 8 is not shown by the diff; comment on lines of the new"
                + " version it shows: 1-7");
    assertThat(refusal(Anchor.line("src/Greter.java", 1), diff))
        .isEqualTo(
            "the diff has no file 'src/Greter.java'; its files are [src/Greeter.java,"
                + " package-lock.json]");
    assertThat(refusal(Anchor.line(1), diff))
        .isEqualTo(
            "line 1 names no file, but a code diff has lines per file; name one of"
                + " [src/Greeter.java, package-lock.json]");
  }

  @Test
  void aCellMustNameAnExistingRowByItsKeyAndAnExistingColumn() {
    Table table = Samples.table();

    assertThatCode(() -> Anchor.cell(Map.of("sku", "A1"), "price").validate(table))
        .doesNotThrowAnyException();
    assertThatCode(() -> Anchor.cell(Map.of("sku", "B2"), "name").validate(table))
        .as("a removed row is still a row of the diff")
        .doesNotThrowAnyException();
    assertThat(refusal(Anchor.cell(Map.of("sku", "Z9"), "price"), table))
        .isEqualTo("the table has no row sku=Z9; its rows are [sku=A1, sku=C3, sku=D4, sku=B2]");
    assertThat(refusal(Anchor.cell(Map.of("sku", "A1"), "prise"), table))
        .isEqualTo(
            "the table has no column 'prise'; its columns are [sku, name, price, stock,"
                + " updated_at]");
    assertThat(refusal(Anchor.cell(Map.of("id", "A1"), "price"), table))
        .isEqualTo(
            "row id=A1, column 'price' does not name the table's key columns; its row key must"
                + " give exactly [sku]");
  }

  @Test
  void aRegionMustLieInsideTheAfterImage() {
    VisualChange change = Samples.visualChange(); // 8x6

    assertThatCode(() -> Anchor.region(0, 0, 8, 6).validate(change)).doesNotThrowAnyException();
    assertThat(refusal(Anchor.region(4, 2, 5, 2), change))
        .isEqualTo(
            "region x=4 y=2 5x2 px is outside the after image, which is 8x6 px"
                + " (x from 0 to 7, y from 0 to 5)");
  }

  @Test
  void aFieldMustBeOneTheArtifactHas() {
    assertThatCode(() -> Anchor.field("title").validate(Samples.recordChange()))
        .doesNotThrowAnyException();
    assertThatCode(() -> Anchor.field("amount").validate(Samples.action()))
        .doesNotThrowAnyException();
    assertThatCode(() -> Anchor.field("subject").validate(Samples.message()))
        .doesNotThrowAnyException();
    assertThat(refusal(Anchor.field("email"), Samples.recordChange()))
        .isEqualTo("the record change touches no field 'email'; it has [title, phone, fax]");
    assertThat(refusal(Anchor.field("amont"), Samples.action()))
        .isEqualTo("the action has no argument 'amont'; it has [order, amount, notify]");
  }

  @Test
  void anAnchorOfTheWrongKindSaysWhichKindFits() {
    assertThat(refusal(Anchor.line(1), Samples.table()))
        .isEqualTo("a 'table' artifact has no line 1; use Anchor.cell(rowKey, column)");
    assertThat(refusal(Anchor.region(0, 0, 1, 1), Samples.document()))
        .isEqualTo(
            "a 'document' artifact has no region x=0 y=0 1x1 px;"
                + " use Anchor.line(n) or Anchor.lines(null, from, to)");
    record Ticket(String id) implements ReviewArtifact {}
    assertThat(refusal(Anchor.field("id"), new Ticket("T-1")))
        .isEqualTo(
            "a 'Ticket' artifact has no field 'id'; use only Anchor.whole(), as the review module"
                + " knows no places in host types");
  }

  @Test
  void describeIsOneInertLine() {
    assertThat(Anchor.whole().describe()).isEqualTo("the whole artifact");
    assertThat(Anchor.lines("src/A.java", 12, 15).describe()).isEqualTo("'src/A.java' lines 12-15");
    assertThat(Anchor.cell(Map.of("sku", "A1", "region", "eu"), "price").describe())
        .isEqualTo("row region=eu, sku=A1, column 'price'");
    assertThat(Anchor.field("a\nb\u202E").describe()).isEqualTo("field 'a\\nb\\u202E'");
  }

  @Test
  void impossibleAnchorsAreRefusedWhenMade() {
    assertThatThrownBy(() -> Anchor.lines(null, 5, 4))
        .hasMessage(
            "lines are numbered from 1 and a range ends at or after its start, but was 5 to 4");
    assertThatThrownBy(() -> Anchor.line(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Anchor.region(-1, 0, 1, 1))
        .hasMessage(
            "a region starts at x, y >= 0 and is at least 1x1 pixels, but was x=-1 y=0 1x1");
    assertThatThrownBy(() -> Anchor.cell(Map.of(), "price"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anchorsAndCommentsRoundTripThroughJson() {
    JsonMapper json = JsonMapper.builder().build();
    List<Anchor> anchors =
        List.of(
            Anchor.whole(),
            Anchor.lines("a.txt", 1, 2),
            Anchor.line(3),
            Anchor.cell(Map.of("sku", "A1"), "price"),
            Anchor.field("title"),
            Anchor.region(1, 2, 3, 4));
    for (Anchor anchor : anchors) {
      String written = json.writeValueAsString(new Comment(anchor, "see here"));
      assertThat(json.readValue(written, Comment.class)).isEqualTo(new Comment(anchor, "see here"));
    }
    assertThat(json.writeValueAsString(Anchor.field("title")))
        .isEqualTo("{\"kind\":\"field\",\"name\":\"title\"}");
  }
}
