package dev.agentmesh.core;

import dev.agentmesh.core.internal.spec.SpecTree.Node;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonToken;

/**
 * Checks a spec's JSON Schema against the subset agentmesh supports, keyword by keyword and
 * recursively, so a schema no provider or validator would accept is refused at load with its place,
 * not at the first call. Every problem is reported: one typo never hides a second one.
 */
final class SchemaCheck {

  /** The seven JSON Schema types. */
  static final List<String> TYPES =
      List.of("string", "number", "integer", "boolean", "object", "array", "null");

  /** Names people write for a type, and the type they mean. */
  private static final Map<String, String> TYPE_ALIASES =
      Map.ofEntries(
          Map.entry("int", "integer"),
          Map.entry("long", "integer"),
          Map.entry("float", "number"),
          Map.entry("double", "number"),
          Map.entry("decimal", "number"),
          Map.entry("bool", "boolean"),
          Map.entry("str", "string"),
          Map.entry("text", "string"),
          Map.entry("list", "array"),
          Map.entry("map", "object"),
          Map.entry("dict", "object"),
          Map.entry("none", "null"));

  /** JSON Schema keywords outside the subset, with what to use instead. */
  private static final Map<String, String> UNSUPPORTED =
      Map.ofEntries(
          Map.entry("oneOf", "use 'anyOf'"),
          Map.entry("allOf", "merge the schemas into one"),
          Map.entry("not", "describe what is allowed instead"),
          Map.entry("definitions", "use '$defs'"),
          Map.entry("prefixItems", "use 'items' with one schema"),
          Map.entry("patternProperties", "list the 'properties'"),
          Map.entry("if", "use 'anyOf'"),
          Map.entry("then", "use 'anyOf'"),
          Map.entry("else", "use 'anyOf'"),
          Map.entry("multipleOf", "say it in 'description'"),
          Map.entry("minProperties", "use 'required'"),
          Map.entry("maxProperties", "say it in 'description'"),
          Map.entry("$comment", "use 'description'"),
          Map.entry("$id", "leave it out"),
          Map.entry("$anchor", "use '$defs' and '$ref'"),
          Map.entry("contains", "say it in 'description'"),
          Map.entry("propertyNames", "list the 'properties'"),
          Map.entry("dependentRequired", "say it in 'description'"),
          Map.entry("dependentSchemas", "use 'anyOf'"),
          Map.entry("unevaluatedProperties", "use 'additionalProperties'"),
          Map.entry("unevaluatedItems", "use 'items'"),
          Map.entry("readOnly", "leave it out"),
          Map.entry("writeOnly", "leave it out"),
          Map.entry("deprecated", "say it in 'description'"));

  private static final Set<String> SCHEMA_MAPS =
      Set.of("properties", "$defs", "definitions", "patternProperties", "dependentSchemas");
  private static final Set<String> SCHEMA_LISTS = Set.of("anyOf", "oneOf", "allOf", "prefixItems");
  private static final Set<String> SCHEMAS =
      Set.of(
          "items",
          "additionalProperties",
          "not",
          "if",
          "then",
          "else",
          "contains",
          "propertyNames",
          "unevaluatedProperties",
          "unevaluatedItems");

  private final String source;
  private final Node root;
  private final String field;
  private final List<SpecProblem> problems;

  private SchemaCheck(String source, Node root, String field, List<SpecProblem> problems) {
    this.source = source;
    this.root = root;
    this.field = field;
    this.problems = problems;
  }

  /**
   * Adds a located problem for everything wrong in the schema {@code root} of spec field {@code
   * field}.
   */
  static void check(Node root, String field, String source, List<SpecProblem> problems) {
    new SchemaCheck(source, root, field, problems).schema(root, field);
  }

  private void schema(Node schema, String path) {
    if (!schema.isObject()) {
      if (schema.token != JsonToken.VALUE_TRUE && schema.token != JsonToken.VALUE_FALSE) {
        boolean typeName = schema.isString() && TYPES.contains(schema.scalar);
        problem(
            schema,
            "'"
                + path
                + "' expected a schema (a mapping, or true or false) but found "
                + schema.describe()
                + (typeName ? "; write {type: " + schema.scalar + "}" : ""));
      }
      return;
    }
    schema.fields.forEach((key, value) -> keyword(schema, key, value, path));
    requiredDefined(schema, path);
    bounds(schema, path, "minLength", "maxLength");
    bounds(schema, path, "minItems", "maxItems");
    bounds(schema, path, "minimum", "maximum");
  }

  private void keyword(Node schema, String key, Node value, String path) {
    String at = path + "." + key;
    if (Schemas.KEYWORDS.contains(key)) {
      value(key, value, at, path);
      return;
    }
    int[] place = schema.keyPlaces.getOrDefault(key, new int[] {schema.line, schema.column});
    String instead = UNSUPPORTED.get(key);
    if (instead != null) {
      problem(
          place,
          "JSON Schema keyword '"
              + key
              + "' in '"
              + path
              + "' is outside the subset agentmesh supports "
              + "(what every model provider accepts); "
              + instead);
      if (SCHEMA_MAPS.contains(key) || SCHEMA_LISTS.contains(key) || SCHEMAS.contains(key))
        value(key, value, at, path);
      return;
    }
    String meant = Text.closest(key, Schemas.KEYWORDS);
    problem(
        place,
        "unknown JSON Schema keyword '"
            + key
            + "' in '"
            + path
            + "'"
            + (meant == null ? "" : " (did you mean '" + meant + "'?)")
            + "; agentmesh supports the subset every model provider accepts: "
            + new java.util.TreeSet<>(Schemas.KEYWORDS));
    // Check the value as the keyword it was meant to be, so a typo does not hide the next mistake.
    if (meant != null) value(meant, value, at, path);
  }

  private void value(String key, Node value, String at, String path) {
    switch (key) {
      case "type" -> type(value, at);
      case "required" -> names(value, at);
      case "enum" -> {
        if (!value.isArray())
          problem(
              value,
              "'" + at + "' expected a list of the allowed values but found " + value.describe());
        else if (value.items.isEmpty())
          problem(value, "'" + at + "' is empty, so no value can match; list the allowed values");
      }
      case "examples" -> {
        if (!value.isArray())
          problem(value, "'" + at + "' expected a list of examples but found " + value.describe());
      }
      case "items" -> {
        if (value.isArray()) {
          problem(
              value,
              "'"
                  + at
                  + "' expected one schema but found a list; in JSON Schema 2020-12 every item "
                  + "matches the one 'items' schema (a list of schemas would be 'prefixItems', which is not supported)");
        } else {
          schema(value, at);
        }
      }
      case "anyOf", "oneOf", "allOf", "prefixItems" -> schemaList(value, at);
      case "properties", "$defs", "definitions", "patternProperties", "dependentSchemas" ->
          schemaMap(value, at);
      case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum" -> number(value, at);
      case "minLength", "maxLength", "minItems", "maxItems" -> count(value, at);
      case "pattern" -> pattern(value, at);
      case "format", "description", "title", "$schema" -> string(value, at);
      case "uniqueItems", "nullable" -> bool(value, at);
      case "$ref" -> ref(value, at);
      case "const", "default" -> {}
      default -> {
        if (SCHEMAS.contains(key)) schema(value, at);
      }
    }
  }

  private void type(Node value, String at) {
    if (value.isString()) {
      typeName(value, at);
    } else if (value.isArray() && !value.items.isEmpty()) {
      Set<Object> seen = new HashSet<>();
      for (Node item : value.items) {
        if (!item.isString())
          problem(
              item,
              "'" + at + "' expected type names but found " + item.describe() + quoteNull(item));
        else if (typeName(item, at) && !seen.add(item.scalar))
          problem(item, "'" + at + "' lists '" + item.scalar + "' twice; keep one");
      }
    } else {
      problem(
          value,
          "'"
              + at
              + "' expected one of "
              + TYPES
              + ", or a list of them, but found "
              + value.describe()
              + quoteNull(value));
    }
  }

  /** YAML reads a bare {@code null} as nothing, not as the type's name. */
  private static String quoteNull(Node value) {
    return value.isNull() ? "; in YAML the type 'null' needs quotes: \"null\"" : "";
  }

  private boolean typeName(Node value, String at) {
    String name = value.text();
    if (TYPES.contains(name)) return true;
    String meant = Text.closest(name, TYPES);
    if (meant == null) meant = TYPE_ALIASES.get(name.toLowerCase(java.util.Locale.ROOT));
    problem(
        value,
        "'"
            + at
            + "' expected one of "
            + TYPES
            + " but found '"
            + Text.clip(name, 40)
            + "'"
            + (meant == null ? "" : " (did you mean '" + meant + "'?)"));
    return false;
  }

  private void names(Node value, String at) {
    if (!value.isArray()) {
      problem(
          value, "'" + at + "' expected a list of property names but found " + value.describe());
      return;
    }
    Set<Object> seen = new HashSet<>();
    for (Node item : value.items) {
      if (!item.isString())
        problem(item, "'" + at + "' expected a property name but found " + item.describe());
      else if (!seen.add(item.scalar))
        problem(item, "'" + at + "' lists '" + item.scalar + "' twice; keep one");
    }
  }

  /**
   * A {@code required} name must be one of the {@code properties} when they are listed, unless
   * {@code additionalProperties} is true or a schema: the name would otherwise be a typo no input
   * can satisfy.
   */
  private void requiredDefined(Node schema, String path) {
    Node required = schema.fields.get("required");
    Node properties = schema.fields.get("properties");
    Node additional = schema.fields.get("additionalProperties");
    if (required == null || !required.isArray() || properties == null || !properties.isObject())
      return;
    if (additional != null && (additional.isObject() || additional.token == JsonToken.VALUE_TRUE))
      return;
    for (Node item : required.items) {
      if (item.isString() && !properties.fields.containsKey(item.scalar)) {
        String name = item.text();
        problem(
            item,
            "'"
                + path
                + ".required' names '"
                + Text.clip(name, 40)
                + "', which is not in '"
                + path
                + ".properties'"
                + Text.didYouMean(name, properties.fields.keySet())
                + "; defined: "
                + properties.fields.keySet()
                + "; add it there or remove it from 'required'");
      }
    }
  }

  private void schemaList(Node value, String at) {
    if (!value.isArray() || value.items.isEmpty()) {
      problem(
          value,
          "'"
              + at
              + "' expected a non-empty list of schemas but found "
              + (value.isArray() ? "an empty list" : value.describe()));
      return;
    }
    for (int i = 0; i < value.items.size(); i++) schema(value.items.get(i), at + "[" + i + "]");
  }

  private void schemaMap(Node value, String at) {
    if (!value.isObject()) {
      problem(
          value,
          "'" + at + "' expected a mapping of names to schemas but found " + value.describe());
      return;
    }
    value.fields.forEach((name, schema) -> schema(schema, at + "." + name));
  }

  private void number(Node value, String at) {
    if (value.token.isNumeric()) return;
    boolean draft4 = value.token == JsonToken.VALUE_TRUE || value.token == JsonToken.VALUE_FALSE;
    problem(
        value,
        "'"
            + at
            + "' expected a number but found "
            + value.describe()
            + (draft4 && at.contains("exclusive")
                ? "; since draft 6 it is the bound itself, such as exclusiveMinimum: 0"
                : ""));
  }

  private void count(Node value, String at) {
    if (value.token != JsonToken.VALUE_NUMBER_INT || ((BigInteger) value.value()).signum() < 0) {
      problem(value, "'" + at + "' expected a non-negative integer but found " + value.describe());
    }
  }

  private void pattern(Node value, String at) {
    if (!string(value, at)) return;
    try {
      Pattern.compile(value.text());
    } catch (PatternSyntaxException e) {
      problem(
          value,
          "'"
              + at
              + "' is not a valid regular expression: "
              + e.getDescription()
              + (e.getIndex() >= 0 ? " at index " + e.getIndex() : "")
              + " in '"
              + Text.clip(value.text(), 60)
              + "'");
    }
  }

  private boolean string(Node value, String at) {
    if (value.isString()) return true;
    problem(value, "'" + at + "' expected a string but found " + value.describe());
    return false;
  }

  private void bool(Node value, String at) {
    if (value.token != JsonToken.VALUE_TRUE && value.token != JsonToken.VALUE_FALSE) {
      problem(value, "'" + at + "' expected true or false but found " + value.describe());
    }
  }

  private void ref(Node value, String at) {
    if (!string(value, at)) return;
    String ref = value.text();
    if (!ref.startsWith("#")) {
      problem(
          value,
          "'"
              + at
              + "' refers to '"
              + Text.clip(ref, 60)
              + "' outside the schema; agentmesh resolves only "
              + "references inside it, such as '#/$defs/address'");
      return;
    }
    if (resolve(ref) != null) return;
    Node defs = root.fields.get("$defs");
    List<String> known = new ArrayList<>();
    if (defs != null) defs.fields.keySet().forEach(name -> known.add("#/$defs/" + name));
    problem(
        value,
        "'"
            + at
            + "' refers to '"
            + Text.clip(ref, 60)
            + "' but '"
            + field
            + "' has nothing there"
            + Text.didYouMean(ref, known)
            + "; defined: "
            + known);
  }

  /** The node a local JSON pointer ({@code #/$defs/a}) names in the root schema, or null. */
  private @Nullable Node resolve(String ref) {
    if (ref.equals("#")) return root;
    if (!ref.startsWith("#/")) return null;
    Node at = root;
    for (String token : ref.substring(2).split("/", -1)) {
      String name = token.replace("~1", "/").replace("~0", "~");
      if (at.isObject()) {
        at = at.fields.get(name);
      } else if (at.isArray()
          && name.matches("\\d{1,9}")
          && Integer.parseInt(name) < at.items.size()) {
        at = at.items.get(Integer.parseInt(name));
      } else {
        return null;
      }
      if (at == null) return null;
    }
    return at;
  }

  private void bounds(Node schema, String path, String min, String max) {
    Node low = schema.fields.get(min);
    Node high = schema.fields.get(max);
    if (low == null || high == null || !low.token.isNumeric() || !high.token.isNumeric()) return;
    if (decimal(low).compareTo(decimal(high)) > 0) {
      problem(
          low,
          "'"
              + path
              + "' has "
              + min
              + " "
              + low.scalar
              + " greater than "
              + max
              + " "
              + high.scalar
              + ", so no value can match");
    }
  }

  private static BigDecimal decimal(Node n) {
    return n.scalar instanceof BigDecimal
        ? (BigDecimal) n.scalar
        : new BigDecimal((BigInteger) n.scalar);
  }

  private void problem(Node at, String message) {
    problems.add(new SpecProblem(source, at.line, at.column, message));
  }

  private void problem(int[] place, String message) {
    problems.add(new SpecProblem(source, place[0], place[1], message));
  }
}
