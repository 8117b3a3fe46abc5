package dev.agentmesh.review;

import dev.agentmesh.review.spi.RenderContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Validation and surfaces of the two small types, {@link RecordChange} and {@link Action}. */
final class SmallSurfaces {

  private static final JsonMapper PRETTY =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private SmallSurfaces() {}

  static List<String> recordProblems(RecordChange r, ReviewLimits limits) {
    List<String> problems = new ArrayList<>();
    for (String[] f :
        new String[][] {
          {"system", r.system()},
          {"recordType", r.recordType()},
          {"recordId", r.recordId()},
          {"versionRead", r.versionRead()}
        }) {
      if (f[1].isBlank()) {
        problems.add("a record change needs " + f[0] + " but it is blank");
      }
    }
    if (r.changes().isEmpty()) {
      problems.add("a record change needs at least one field change but has none");
    }
    Set<String> fields = new HashSet<>();
    for (RecordChange.FieldChange c : r.changes()) {
      String where = "field '" + Texts.truncate(c.field(), 60) + "'";
      if (!fields.add(c.field())) {
        problems.add(where + " appears twice; give each field one change");
      }
      if (Objects.equals(c.before(), c.after())) {
        problems.add(
            where
                + " does not change (before and after are both "
                + (c.before() == null ? "unset" : "'" + Texts.truncate(c.before(), 60) + "'")
                + ")");
      }
    }
    return problems;
  }

  static Surface record(RecordChange r, RenderContext context) {
    List<Block.Row> rows =
        r.changes().stream()
            .map(
                c ->
                    new Block.Row(
                        c.before() == null
                            ? Block.Marker.ADDED
                            : c.after() == null ? Block.Marker.REMOVED : Block.Marker.CHANGED,
                        List.of(
                            List.of(Span.strong(c.field())),
                            value(c.before(), true),
                            value(c.after(), false))))
            .toList();
    List<Block> blocks =
        List.of(
            new Block.Fields(
                List.of(
                    Block.Field.of("System", Span.plain(r.system())),
                    Block.Field.of("Record", Span.plain(r.recordType() + " " + r.recordId())),
                    Block.Field.of("Version read", Span.plain(r.versionRead())))),
            new Block.Grid(
                new Block.Row(
                    Block.Marker.CONTEXT,
                    List.of(
                        List.of(Span.strong("field")),
                        List.of(Span.strong("before")),
                        List.of(Span.strong("after")))),
                rows));
    return new Surface(
        "Record change: " + r.system() + " " + r.recordType() + " " + r.recordId(),
        List.of(
            Texts.plural(r.changes().size(), "field", "fields") + " changed",
            "made against version " + r.versionRead() + "; refused if the record changed since"),
        blocks);
  }

  private static List<Span> value(@Nullable String v, boolean before) {
    if (v == null) {
      return List.of(Span.strong("(unset)"));
    }
    return List.of(before ? Span.deleted(v) : Span.inserted(v));
  }

  static List<String> actionProblems(Action a, ReviewLimits limits) {
    List<String> problems = new ArrayList<>();
    if (a.tool().isBlank()) {
      problems.add("an action needs a tool name but it is blank");
    }
    if (!a.arguments().isObject()) {
      problems.add(
          "an action's arguments must be a JSON object but were " + a.arguments().getNodeType());
    }
    return problems;
  }

  static Surface action(Action a, RenderContext context) {
    String pretty = PRETTY.writeValueAsString(CanonicalJson.sorted(a.arguments()));
    String idempotency =
        a.idempotent()
            ? "idempotent: running it again has no further effect"
            : "not idempotent: it runs at most once; an unknown outcome is shown to a human, never retried";
    return new Surface(
        "Action: " + a.tool(),
        List.of(idempotency),
        List.of(
            new Block.Fields(
                List.of(
                    Block.Field.of("Tool", Span.strong(a.tool())),
                    Block.Field.of(
                        "Idempotent", a.idempotent() ? Span.plain("yes") : Span.flagged("no")))),
            new Block.Verbatim("Arguments", pretty)));
  }
}
