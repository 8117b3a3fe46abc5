package dev.agentmesh.core.internal.spec;

import dev.agentmesh.core.SpecProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLParser;

/**
 * A parsed spec document that remembers where each value and key stands, so every problem can name
 * {@code file:line:col}. Built from Jackson's streaming parser, which reads YAML and JSON alike and
 * never expands YAML aliases into copies (no alias bombs); an alias is reported (the first five of
 * a document), as Jackson would read it as its anchor's name.
 */
public final class SpecTree {

  /** The largest spec file read, in bytes. */
  public static final int MAX_BYTES = 1 << 20;

  /** The deepest nesting read. */
  public static final int MAX_DEPTH = 64;

  /**
   * What kind of document is read, for the messages about a whole file.
   *
   * @param noun what one document is, {@code agent spec}
   * @param expected what an empty file should have held
   * @param oneDocument how to fix a second document in a file
   */
  public record Kind(String noun, String expected, String oneDocument) {

    /** Agent specs: one agent per file. */
    public static final Kind AGENT_SPEC =
        new Kind(
            "agent spec",
            "an agent spec, a mapping with at least 'name' and 'instructions'",
            "put one agent in each file");
  }

  private static final StreamReadConstraints CONSTRAINTS =
      StreamReadConstraints.builder()
          .maxNestingDepth(MAX_DEPTH)
          .maxStringLength(MAX_BYTES)
          .maxNumberLength(100)
          .build();
  private static final TokenStreamFactory JSON =
      JsonFactory.builder().streamReadConstraints(CONSTRAINTS).build();
  private static final TokenStreamFactory YAML =
      YAMLFactory.builder().streamReadConstraints(CONSTRAINTS).build();

  /**
   * A value with its place. Filled by the parser, then only read; not API (the fields are open to
   * the loaders of {@code dev.agentmesh.core} and {@code dev.agentmesh.triggers}).
   */
  @SuppressWarnings("VisibilityModifier")
  public static final class Node {
    /** The parser's token for the value: a mapping, a list, or a scalar's type. */
    public final JsonToken token;

    /** 1-based line, or 0 when unknown. */
    public final int line;

    /** 1-based column, or 0 when unknown. */
    public final int column;

    /** A string, {@code BigInteger}, {@code BigDecimal} or {@code Boolean}; null otherwise. */
    public final @Nullable Object scalar;

    /** A mapping's entries, in the order written. */
    public final Map<String, Node> fields = new LinkedHashMap<>();

    /** Where each key of a mapping stands: {line, column}. */
    public final Map<String, int[]> keyPlaces = new LinkedHashMap<>();

    /** A list's items. */
    public final List<Node> items = new ArrayList<>();

    /** Where a scalar ends (just past it), to find places inside it; 0 when unknown. */
    public int endLine;

    /** The column where a scalar ends. */
    public int endColumn;

    Node(JsonToken token, int line, int column, @Nullable Object scalar) {
      this.token = token;
      this.line = line;
      this.column = column;
      this.scalar = scalar;
    }

    /** {@return whether this is a mapping} */
    public boolean isObject() {
      return token == JsonToken.START_OBJECT;
    }

    /** {@return whether this is a list} */
    public boolean isArray() {
      return token == JsonToken.START_ARRAY;
    }

    /** {@return whether this is a string} */
    public boolean isString() {
      return token == JsonToken.VALUE_STRING;
    }

    /** {@return whether this is null} */
    public boolean isNull() {
      return token == JsonToken.VALUE_NULL;
    }

    /**
     * The scalar of a string, number or boolean node; the caller has checked the token.
     *
     * @return the scalar
     * @throws IllegalStateException on a node without a scalar (a mapping, a list, a null)
     */
    public Object value() {
      if (scalar == null) {
        throw new IllegalStateException(
            "expected a scalar at " + line + ":" + column + " but found " + describe());
      }
      return scalar;
    }

    /** {@return the string of a string node ({@link #isString()}); see {@link #value()}} */
    public String text() {
      return (String) value();
    }

    /** {@return what this is, for messages: {@code a mapping}, {@code a string ('x')}, ...} */
    public String describe() {
      switch (token) {
        case START_OBJECT:
          return "a mapping";
        case START_ARRAY:
          return "a list";
        case VALUE_STRING:
          return "a string ('" + Names.clip(String.valueOf(scalar), 40) + "')";
        case VALUE_NUMBER_INT:
          return "an integer (" + scalar + ")";
        case VALUE_NUMBER_FLOAT:
          return "a number (" + scalar + ")";
        case VALUE_TRUE:
        case VALUE_FALSE:
          return "a boolean (" + scalar + ")";
        case VALUE_NULL:
          return "nothing (null)";
        default:
          return String.valueOf(token);
      }
    }

    /** {@return this value as plain JSON, places dropped} */
    public JsonNode toJson() {
      JsonNodeFactory f = JsonNodeFactory.instance;
      switch (token) {
        case START_OBJECT:
          ObjectNode o = f.objectNode();
          fields.forEach((k, v) -> o.set(k, v.toJson()));
          return o;
        case START_ARRAY:
          ArrayNode a = f.arrayNode();
          items.forEach(i -> a.add(i.toJson()));
          return a;
        case VALUE_STRING:
          return f.stringNode((String) scalar);
        case VALUE_NUMBER_INT:
          return f.numberNode((java.math.BigInteger) scalar);
        case VALUE_NUMBER_FLOAT:
          return f.numberNode((java.math.BigDecimal) scalar);
        case VALUE_TRUE:
        case VALUE_FALSE:
          return f.booleanNode((Boolean) value());
        default:
          return f.nullNode();
      }
    }
  }

  private SpecTree() {}

  /**
   * Parses one agent spec; returns {@code null} after adding problems when it cannot. Never throws
   * for any input.
   *
   * @param bytes the file's bytes
   * @param source names the file in problems
   * @param yaml YAML (a superset of JSON) or strict JSON
   * @param problems where problems go
   * @return the root value, or null
   */
  public static @Nullable Node parse(
      byte[] bytes, String source, boolean yaml, List<SpecProblem> problems) {
    return parse(bytes, source, yaml, Kind.AGENT_SPEC, problems);
  }

  /**
   * Parses one document of the given kind; returns {@code null} after adding problems when it
   * cannot. Never throws for any input.
   *
   * @param bytes the file's bytes
   * @param source names the file in problems
   * @param yaml YAML (a superset of JSON) or strict JSON
   * @param kind what the document is, for messages about the whole file
   * @param problems where problems go
   * @return the root value, or null
   */
  public static @Nullable Node parse(
      byte[] bytes, String source, boolean yaml, Kind kind, List<SpecProblem> problems) {
    if (bytes.length > MAX_BYTES) {
      problems.add(tooLarge(source, bytes.length, kind));
      return null;
    }
    for (byte b : bytes) {
      if (b == 0) {
        problems.add(
            new SpecProblem(
                source,
                0,
                0,
                "not a text file (it holds NUL bytes); expected a YAML or JSON " + kind.noun()));
        return null;
      }
    }
    String text = yaml ? YamlText.decode(bytes, source, problems) : null;
    if (yaml && text == null) return null;
    try (JsonParser p =
        text != null
            ? YAML.createParser(ObjectReadContext.empty(), YamlText.reader(text))
            : JSON.createParser(ObjectReadContext.empty(), bytes)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        problems.add(new SpecProblem(source, 0, 0, "file is empty; expected " + kind.expected()));
        return null;
      }
      Node root = read(p, source, kind, problems);
      if (p.nextToken() != null) {
        TokenStreamLocation at = p.currentTokenLocation();
        problems.add(
            new SpecProblem(
                source,
                at.getLineNr(),
                at.getColumnNr(),
                "found a second document; " + kind.oneDocument()));
      }
      return root;
    } catch (JacksonException e) {
      problems.add(SyntaxErrors.problem(e, source, yaml));
      return null;
    } catch (RuntimeException e) {
      problems.add(failure(e, source, yaml));
      return null;
    }
  }

  /**
   * The problem for an exception other than Jackson's out of the parser. snakeyaml's own exception
   * is its verdict on the input; anything else (an {@code IndexOutOfBoundsException}, say) is a
   * failure inside the parser that says nothing about the file, so it is never reported as invalid
   * YAML or JSON.
   */
  static SpecProblem failure(RuntimeException e, String source, boolean yaml) {
    String message = Names.clip(SyntaxErrors.firstLine(e.getMessage()), 200);
    if (yaml && e instanceof YamlEngineException) {
      return new SpecProblem(source, 0, 0, "not valid YAML: " + message);
    }
    return new SpecProblem(
        source,
        0,
        0,
        "could not read the file: the "
            + (yaml ? "YAML" : "JSON")
            + " parser failed inside it ("
            + e.getClass().getSimpleName()
            + ": "
            + message
            + "); the file may well be valid: please report this, with the file");
  }

  /**
   * The problem of an agent spec file over {@link #MAX_BYTES}.
   *
   * @param source names the file
   * @param size its size in bytes
   * @return the problem
   */
  public static SpecProblem tooLarge(String source, long size) {
    return tooLarge(source, size, Kind.AGENT_SPEC);
  }

  /**
   * The problem of a file over {@link #MAX_BYTES}.
   *
   * @param source names the file
   * @param size its size in bytes
   * @param kind what the file is
   * @return the problem
   */
  public static SpecProblem tooLarge(String source, long size, Kind kind) {
    return new SpecProblem(
        source,
        0,
        0,
        String.format(
            java.util.Locale.ROOT,
            "file is %.1f MiB but %s may be at most 1 MiB; split it or move long text out",
            size / 1048576.0,
            article(kind.noun())));
  }

  private static String article(String noun) {
    return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
  }

  private static Node read(JsonParser p, String source, Kind kind, List<SpecProblem> problems) {
    TokenStreamLocation at = p.currentTokenLocation();
    JsonToken t = p.currentToken();
    if (p instanceof YAMLParser
        && ((YAMLParser) p).isCurrentAlias()
        && problems.stream()
                .filter(x -> x.source().equals(source) && x.message().startsWith("YAML alias"))
                .count()
            < 5) {
      problems.add(
          new SpecProblem(
              source,
              at.getLineNr(),
              at.getColumnNr(),
              "YAML alias '*"
                  + p.getString()
                  + "' is not supported in "
                  + kind.noun()
                  + "s (it would be read as the text '"
                  + Names.clip(p.getString(), 40)
                  + "'); write the value out"));
    }
    Node node = new Node(t, at.getLineNr(), at.getColumnNr(), scalar(p, t));
    TokenStreamLocation end = p.currentLocation();
    node.endLine = end.getLineNr();
    node.endColumn = end.getColumnNr();
    if (t == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        TokenStreamLocation keyAt = p.currentTokenLocation();
        String key = p.currentName();
        p.nextToken();
        Node value = read(p, source, kind, problems);
        int[] first = node.keyPlaces.get(key);
        if (first != null) {
          problems.add(
              new SpecProblem(
                  source,
                  keyAt.getLineNr(),
                  keyAt.getColumnNr(),
                  "duplicate key '" + key + "' (first at line " + first[0] + "); keep one"));
          continue;
        }
        node.keyPlaces.put(key, new int[] {keyAt.getLineNr(), keyAt.getColumnNr()});
        node.fields.put(key, value);
      }
    } else if (t == JsonToken.START_ARRAY) {
      while (p.nextToken() != JsonToken.END_ARRAY) {
        node.items.add(read(p, source, kind, problems));
      }
    }
    return node;
  }

  private static @Nullable Object scalar(JsonParser p, JsonToken t) {
    switch (t) {
      case VALUE_STRING:
        return p.getString();
      case VALUE_NUMBER_INT:
        return p.getBigIntegerValue();
      case VALUE_NUMBER_FLOAT:
        return p.getDecimalValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_EMBEDDED_OBJECT:
        return String.valueOf(p.getEmbeddedObject());
      default:
        return null;
    }
  }
}
