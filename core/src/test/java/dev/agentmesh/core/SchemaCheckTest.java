package dev.agentmesh.core;

import static dev.agentmesh.core.AgentSpecsTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The JSON Schemas of a spec's {@code input} and {@code output} are checked at load, every keyword,
 * every level.
 */
class SchemaCheckTest {

  static final String HEAD = "name: a\ninstructions: Go.\n";
  static final String TYPES = "[string, number, integer, boolean, object, array, null]";

  @Test
  void aTypeThatIsNoJsonSchemaTypeIsRefusedWhereItStandsWithASuggestion() {
    String yaml =
        HEAD
            + "input:\n  type: objct\n  properties:\n    customer: {type: strin}\n    n: {type: int}\n";

    assertThat(problems(yaml, "t.yaml"))
        .containsExactly(
            "t.yaml:4:9: 'input.type' expected one of "
                + TYPES
                + " but found 'objct' (did you mean 'object'?)",
            "t.yaml:6:22: 'input.properties.customer.type' expected one of "
                + TYPES
                + " but found 'strin' (did you mean 'string'?)",
            "t.yaml:7:15: 'input.properties.n.type' expected one of "
                + TYPES
                + " but found 'int' (did you mean 'integer'?)");
  }

  @Test
  void aTypeListMustNameTypesOnceEach() {
    String yaml = HEAD + "output:\n  type: [string, nul, string]\n";

    assertThat(problems(yaml, "t.yaml"))
        .containsExactly(
            "t.yaml:4:18: 'output.type' expected one of "
                + TYPES
                + " but found 'nul' (did you mean 'null'?)",
            "t.yaml:4:23: 'output.type' lists 'string' twice; keep one");
  }

  @Test
  void everyKeywordsValueIsTypeCheckedAndAllMistakesAreReportedTogether() {
    String yaml =
        HEAD
            + """
        output:
          type: object
          properties: [a, b]
          required: name
          enum: []
          minimum: low
          maxLength: -1
          minItems: 1.5
          pattern: "([a-z]"
          additionalProperties: maybe
          uniqueItems: 1
          description: 42
          anyOf: {type: string}
          items: [{type: string}]
          exclusiveMinimum: true
        """;

    assertThat(problems(yaml, "t.yaml"))
        .containsExactly(
            "t.yaml:5:15: 'output.properties' expected a mapping of names to schemas but found a list",
            "t.yaml:6:13: 'output.required' expected a list of property names but found a string ('name')",
            "t.yaml:7:9: 'output.enum' is empty, so no value can match; list the allowed values",
            "t.yaml:8:12: 'output.minimum' expected a number but found a string ('low')",
            "t.yaml:9:14: 'output.maxLength' expected a non-negative integer but found an integer (-1)",
            "t.yaml:10:13: 'output.minItems' expected a non-negative integer but found a number (1.5)",
            "t.yaml:11:12: 'output.pattern' is not a valid regular expression: Unclosed group at index 6 in '([a-z]'",
            "t.yaml:12:25: 'output.additionalProperties' expected a schema (a mapping, or true or false) but found a "
                + "string ('maybe')",
            "t.yaml:13:16: 'output.uniqueItems' expected true or false but found an integer (1)",
            "t.yaml:14:16: 'output.description' expected a string but found an integer (42)",
            "t.yaml:15:10: 'output.anyOf' expected a non-empty list of schemas but found a mapping",
            "t.yaml:16:10: 'output.items' expected one schema but found a list; in JSON Schema 2020-12 every item matches "
                + "the one 'items' schema (a list of schemas would be 'prefixItems', which is not supported)",
            "t.yaml:17:21: 'output.exclusiveMinimum' expected a number but found a boolean (true); since draft 6 it is the "
                + "bound itself, such as exclusiveMinimum: 0");
  }

  @Test
  void aMisspeltKeywordGetsASuggestionAndItsValueIsStillChecked() {
    String yaml =
        HEAD + "output:\n  type: object\n  propertes:\n    a: {type: strng}\n  requird: [a]\n";

    assertThat(problems(yaml, "t.yaml"))
        .map(p -> p.replaceAll("; agentmesh supports .*", ""))
        .containsExactly(
            "t.yaml:5:3: unknown JSON Schema keyword 'propertes' in 'output' (did you mean 'properties'?)",
            "t.yaml:6:15: 'output.propertes.a.type' expected one of "
                + TYPES
                + " but found 'strng' (did you mean 'string'?)",
            "t.yaml:7:3: unknown JSON Schema keyword 'requird' in 'output' (did you mean 'required'?)");
  }

  @Test
  void nestedSchemasAreCheckedInItemsAnyOfDefsAndAdditionalProperties() {
    String yaml =
        HEAD
            + """
        output:
          type: object
          $defs:
            tag: {type: strin}
          additionalProperties: {type: bool}
          properties:
            tags: {type: array, items: {$ref: "#/$defs/tags"}}
            either: {anyOf: [{type: string}, {type: nul}]}
            remote: {$ref: "https://example.com/s.json"}
        """;

    assertThat(problems(yaml, "t.yaml"))
        .containsExactly(
            "t.yaml:6:17: 'output.$defs.tag.type' expected one of "
                + TYPES
                + " but found 'strin' (did you mean 'string'?)",
            "t.yaml:7:32: 'output.additionalProperties.type' expected one of "
                + TYPES
                + " but found 'bool' (did you mean "
                + "'boolean'?)",
            "t.yaml:9:39: 'output.properties.tags.items.$ref' refers to '#/$defs/tags' but 'output' has nothing there "
                + "(did you mean '#/$defs/tag'?); defined: [#/$defs/tag]",
            "t.yaml:10:45: 'output.properties.either.anyOf[1].type' expected one of "
                + TYPES
                + " but found 'nul' (did you "
                + "mean 'null'?)",
            "t.yaml:11:20: 'output.properties.remote.$ref' refers to 'https://example.com/s.json' outside the schema; "
                + "agentmesh resolves only references inside it, such as '#/$defs/address'");
  }

  @Test
  void aKeywordOutsideTheSubsetSaysWhatToUseAndItsSchemasAreStillChecked() {
    String yaml =
        HEAD
            + "output:\n  oneOf: [{type: strin}, {type: integer}]\n  minLength: 5\n  maxLength: 2\n";

    assertThat(problems(yaml, "t.yaml"))
        .containsExactly(
            "t.yaml:4:3: JSON Schema keyword 'oneOf' in 'output' is outside the subset agentmesh supports (what every "
                + "model provider accepts); use 'anyOf'",
            "t.yaml:4:18: 'output.oneOf[0].type' expected one of "
                + TYPES
                + " but found 'strin' (did you mean 'string'?)",
            "t.yaml:5:14: 'output' has minLength 5 greater than maxLength 2, so no value can match");
  }

  @Test
  void aBareNullTypeAndATypeNameInsteadOfASchemaGetAHint() {
    String yaml =
        HEAD
            + "input:\n  type: object\n  properties:\n    a: string\n    b: {type: [string, null]}\n";

    assertThat(problems(yaml, "t.yaml"))
        .containsExactly(
            "t.yaml:6:8: 'input.properties.a' expected a schema (a mapping, or true or false) but found a string ('string'); "
                + "write {type: string}",
            "t.yaml:7:24: 'input.properties.b.type' expected type names but found nothing (null); in YAML the type 'null' "
                + "needs quotes: \"null\"");
  }

  @Test
  void aValidSchemaUsingTheWholeSubsetLoads() {
    String yaml =
        HEAD
            + """
        output:
          $schema: https://json-schema.org/draft/2020-12/schema
          title: Answer
          type: object
          $defs:
            tag: {type: string, minLength: 1, maxLength: 20, pattern: "^[a-z]+$"}
          properties:
            tags: {type: array, items: {$ref: "#/$defs/tag"}, minItems: 0, maxItems: 5, uniqueItems: true}
            score: {type: [number, "null"], minimum: 0, exclusiveMaximum: 10.5, default: 1}
            kind: {enum: [a, b], examples: [a]}
            fixed: {const: 3, description: always three, format: int32, nullable: false}
            either: {anyOf: [{type: string}, true]}
          required: [tags]
          additionalProperties: false
        """;

    assertThat(AgentSpecs.parse(yaml, "t.yaml").outputSchema().get("properties").size())
        .isEqualTo(5);
  }

  @Test
  void anEmptyAlternativesListIsCalledEmpty() {
    assertThat(problems(HEAD + "input:\n  anyOf: []\n", "t.yaml"))
        .containsExactly(
            "t.yaml:4:10: 'input.anyOf' expected a non-empty list of schemas but found an empty list");
  }

  @Test
  void anAliasInASchemaIsReportedOnceAsAnAlias() {
    assertThat(
            problems(
                HEAD
                    + "input:\n  type: object\n  properties:\n    a: &str {type: string}\n    b: *str\n",
                "t.yaml"))
        .containsExactly(
            "t.yaml:7:8: YAML alias '*str' is not supported in agent specs (it would be read as the text 'str'); write "
                + "the value out");
  }

  @Test
  void aRequiredNameThatIsNoListedPropertyIsRefusedAtItsEntry() {
    String yaml =
        HEAD
            + "input:\n  type: object\n  properties: {name: {type: string}}\n  required: [name, nmae]\n"
            + "output:\n  type: object\n  properties: {a: {}}\n  additionalProperties: true\n  required: [b]\n";

    assertThat(problems(yaml, "t.yaml"))
        .containsExactly(
            "t.yaml:6:20: 'input.required' names 'nmae', which is not in 'input.properties' (did you mean 'name'?); "
                + "defined: [name]; add it there or remove it from 'required'");
  }
}
