package dev.agentmesh.review;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ValidationTest {

  private final ArtifactTypes types = ArtifactTypes.standard();

  @Test
  void aTableRowWithoutItsKeyColumnIsRefused() {
    Table t =
        new Table(
            "prices",
            List.of("sku"),
            List.of(),
            new Table.Data(List.of("sku", "price"), List.of(Map.of("sku", "A1", "price", "1"))),
            new Table.Data(
                List.of("sku", "price"),
                List.of(Map.of("sku", "A1", "price", "2"), Map.of("price", "3"))));
    assertThatThrownBy(() -> types.validate(t))
        .isInstanceOf(ArtifactValidationException.class)
        .hasMessage("Invalid 'table' artifact: after row 2 has no value for key column 'sku'");
  }

  @Test
  void duplicateKeysAndUnknownColumnsAreRefusedTogether() {
    Table t =
        new Table(
            "prices",
            List.of("sku"),
            List.of(),
            new Table.Data(
                List.of("sku"), List.of(Map.of("sku", "A1"), Map.of("sku", "A1", "colour", "red"))),
            new Table.Data(List.of("id"), List.of()));
    assertThatThrownBy(() -> types.validate(t))
        .isInstanceOfSatisfying(
            ArtifactValidationException.class,
            e ->
                org.assertj.core.api.Assertions.assertThat(e.problems())
                    .containsExactly(
                        "before row 2 has column 'colour' not in its columns [sku]",
                        "before rows 1 and 2 have the same key [A1]; keys must be unique",
                        "after columns [id] lack key column 'sku'"));
  }

  @Test
  void aPatchWhoseHunkHeaderCountsMoreLinesThanFollowIsRefused() {
    CodeDiff diff =
        new CodeDiff(List.of(new CodeDiff.FileChange("a.txt", "@@ -1,3 +1,3 @@\n-a\n+b\n")));
    assertThatThrownBy(() -> types.validate(diff))
        .hasMessage(
            "Invalid 'code-diff' artifact: file 'a.txt' hunk 1 is short by 2 old and 2 new lines"
                + " (its '@@' header counts more lines than follow it)");
  }

  @Test
  void textThatIsNotAPatchIsRefusedWithTheLine() {
    CodeDiff diff =
        new CodeDiff(List.of(new CodeDiff.FileChange("a.txt", "@@ -1 +1 @@\n-a\n+b\nrm -rf /\n")));
    assertThatThrownBy(() -> types.validate(diff))
        .hasMessage(
            "Invalid 'code-diff' artifact: file 'a.txt' line 4 is not part of a unified patch: 'rm -rf /'"
                + " (expected a header, '@@ -a,b +c,d @@', or a line starting with ' ', '+' or '-')");
  }

  @Test
  void aRecordChangeThatChangesNothingIsRefused() {
    RecordChange r =
        new RecordChange(
            "crm",
            "contact",
            "7",
            " ",
            List.of(
                new RecordChange.FieldChange("title", "CTO", "CTO"),
                new RecordChange.FieldChange("title", null, "x")));
    assertThatThrownBy(() -> types.validate(r))
        .hasMessage(
            "Invalid 'record-change' artifact:"
                + " a record change needs versionRead but it is blank; field 'title' does not change (before and after"
                + " are both 'CTO'); field 'title' appears twice; give each field one change");
  }

  @Test
  void anActionsArgumentsMustBeAnObject() {
    Action a = new Action("send", JsonMapper.shared().readTree("[1,2]"), true);
    assertThatThrownBy(() -> types.validate(a))
        .hasMessage(
            "Invalid 'action' artifact: an action's arguments must be a JSON object but were ARRAY");
  }

  @Test
  void aMessageNeedsARecipient() {
    OutboundMessage m =
        new OutboundMessage("email", "a@example.com", List.of(), List.of(), List.of(), "s", "b");
    assertThatThrownBy(() -> types.validate(m))
        .hasMessage(
            "Invalid 'outbound-message' artifact: a message needs at least one recipient in to, cc or bcc");
  }

  @Test
  void aDocumentThatDoesNotChangeIsRefused() {
    assertThatThrownBy(
            () -> types.validate(new Document("d", Document.Format.TEXT, "same", "same")))
        .hasMessage(
            "Invalid 'document' artifact: before and after are identical; a document change must change something");
  }
}
