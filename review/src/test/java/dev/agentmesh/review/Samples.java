package dev.agentmesh.review;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.imageio.ImageIO;
import tools.jackson.databind.json.JsonMapper;

/** One realistic artifact of every built-in type, and ways to put a given string in each. */
final class Samples {

  private Samples() {}

  static final String JAVA_BEFORE =
      """
      class Greeter {
        String greet(String name) {
          return "Hello, " + name;
        }
      }
      """;
  static final String JAVA_AFTER =
      """
      class Greeter {
        String greet(String name) {
          return "Hello, " + name + "!";
        }

        String bye() { return "Bye"; }
      }
      """;

  static CodeDiff codeDiff() {
    return new CodeDiff(
        List.of(
            CodeDiff.FileChange.between("src/Greeter.java", JAVA_BEFORE, JAVA_AFTER),
            CodeDiff.FileChange.between("package-lock.json", "{\"a\": 1}\n", "{\"a\": 2}\n")));
  }

  static Document document() {
    return new Document(
        "Release notes",
        Document.Format.MARKDOWN,
        "# Release 1.2\n\nFixes a crash on start.\n\n## Known issues\n\nNone.\n",
        "# Release 1.2\n\nFixes a rare crash on start and a leak.\n\n## Upgrading\n\nRun the migration.\n");
  }

  static Table table() {
    List<String> columns = List.of("sku", "name", "price", "updated_at");
    return new Table(
        "prices",
        List.of("sku"),
        List.of("updated_at"),
        new Table.Data(
            columns,
            List.of(
                Map.of("sku", "A1", "name", "Mug", "price", "10.00", "updated_at", "2026-01-01"),
                Map.of("sku", "B2", "name", "Cap", "price", "8.00", "updated_at", "2026-01-01"),
                Map.of("sku", "C3", "name", "Pen", "price", "2.50", "updated_at", "2026-01-01"))),
        new Table.Data(
            List.of("sku", "name", "price", "stock", "updated_at"),
            List.of(
                Map.of(
                    "sku",
                    "A1",
                    "name",
                    "Mug",
                    "price",
                    "12.50",
                    "stock",
                    "5",
                    "updated_at",
                    "2026-02-02"),
                Map.of(
                    "sku",
                    "C3",
                    "name",
                    "Pen",
                    "price",
                    "2.50",
                    "stock",
                    "9",
                    "updated_at",
                    "2026-02-02"),
                Map.of(
                    "sku",
                    "D4",
                    "name",
                    "Bag",
                    "price",
                    "30.00",
                    "stock",
                    "1",
                    "updated_at",
                    "2026-02-02"))));
  }

  static VisualChange visualChange() {
    return new VisualChange("pricing page", png(8, 6, 0, 0), png(8, 6, 2, 3));
  }

  /** A white {@code width x height} PNG with a black {@code size x size} square at (1, 1). */
  static byte[] png(int width, int height, int size, int offset) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLACK);
    g.fillRect(offset, 1, size, size);
    g.dispose();
    return encode(image);
  }

  static byte[] encode(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static OutboundMessage message() {
    return new OutboundMessage(
        "email",
        "support@example.com",
        List.of("Ana Lima <ana@customer.org>", "bo@example.com"),
        List.of("ops@eu.example.com"),
        List.of(),
        "Your invoice {{invoice_id}}",
        "Hi [FIRST NAME],\n\nYour refund is on its way: [https://example.com/refund](https://evil.test/login).\n"
            + "See https://example.com/help or <https://status.example.com|status page>.\n");
  }

  static RecordChange recordChange() {
    return new RecordChange(
        "crm",
        "contact",
        "0031x00000AbC",
        "17",
        List.of(
            new RecordChange.FieldChange("title", "Engineer", "Staff Engineer"),
            new RecordChange.FieldChange("phone", null, "+49 30 1234"),
            new RecordChange.FieldChange("fax", "+49 30 999", null)));
  }

  static Action action() {
    return new Action(
        "payments.refund",
        JsonMapper.shared()
            .readTree("{\"order\":\"A-17\",\"amount\":\"12.50\",\"notify\":{\"email\":true}}"),
        false);
  }

  static List<ReviewArtifact> all() {
    return List.of(
        codeDiff(), document(), table(), visualChange(), message(), recordChange(), action());
  }

  /** For each type, a valid artifact that carries {@code s} in every text it shows. */
  static List<Map.Entry<String, Function<String, ReviewArtifact>>> carriers() {
    return List.of(
        Map.entry(
            "code-diff",
            s ->
                new CodeDiff(
                    List.of(
                        CodeDiff.FileChange.between(
                            "src/" + s + ".java",
                            "a\n" + s + "\nb\n",
                            "a\n" + s + " x\nb\n" + s + "\n")))),
        Map.entry(
            "document",
            s ->
                new Document(
                    s, Document.Format.MARKDOWN, "# " + s + "\n\n" + s, s + "\n\nmore " + s)),
        Map.entry(
            "table",
            s ->
                new Table(
                    s,
                    List.of("id"),
                    List.of(),
                    new Table.Data(
                        List.of("id", "v"),
                        List.of(Map.of("id", s, "v", "1"), Map.of("id", "old", "v", s))),
                    new Table.Data(
                        List.of("id", "v", s),
                        List.of(Map.of("id", s, "v", s), Map.of("id", "new", s, s))))),
        Map.entry("visual-change", s -> new VisualChange(s, png(4, 4, 1, 0), png(4, 4, 2, 0))),
        Map.entry(
            "outbound-message",
            s ->
                new OutboundMessage(
                    s,
                    s,
                    List.of(s, "x@" + s),
                    List.of(s),
                    List.of(s),
                    s,
                    s + "\n[" + s + "](" + s + ") <" + s + "|" + s + ">")),
        Map.entry(
            "record-change",
            s ->
                new RecordChange(
                    s,
                    s,
                    s,
                    s,
                    List.of(
                        new RecordChange.FieldChange(s, s + "0", s),
                        new RecordChange.FieldChange("f", null, s)))),
        Map.entry(
            "action", s -> new Action(s, JsonMapper.shared().createObjectNode().put(s, s), true)));
  }
}
