package dev.agentmesh.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.testsupport.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fast check of flat object schemas (most tools' arguments) never accepts what the general
 * validator refuses, and answers with the general validator's words whenever it does not accept.
 */
class FlatSchemaPropertyTest {

  private static final List<String> TYPES = List.of("string", "integer", "number", "boolean");

  static Stream<Long> seeds() {
    return Seeds.of(200);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void theFastCheckAgreesWithTheGeneralValidator(long seed) {
    Random random = new Random(seed);
    ObjectNode schema = randomSchema(random);
    Seeds.print(FlatSchemaPropertyTest.class, seed, schema);
    Schemas.FlatObject flat = Schemas.FlatObject.of(schema);
    assertThat(flat).as("a flat schema gets the fast check").isNotNull();
    Schemas.Validator validator = Schemas.validator(schema);
    Schemas.Validator general = generalValidator(schema);

    for (int i = 0; i < 50; i++) {
      JsonNode instance = randomInstance(random, schema);
      List<String> errors = general.validate(instance);
      if (flat.accepts(instance)) {
        assertThat(errors).as("accepted %s", instance).isEmpty();
      }
      assertThat(validator.validate(instance)).as("%s", instance).isEqualTo(errors);
    }
  }

  /**
   * The general validator alone: the same schema with an annotation the fast check does not take.
   */
  private static Schemas.Validator generalValidator(ObjectNode schema) {
    ObjectNode marked = schema.deepCopy();
    marked.putArray("examples");
    assertThat(Schemas.FlatObject.of(marked)).isNull();
    return Schemas.validator(marked);
  }

  private static ObjectNode randomSchema(Random random) {
    ObjectNode schema = Json.object().put("type", "object");
    if (random.nextBoolean()) schema.put("additionalProperties", random.nextBoolean());
    if (random.nextInt(4) == 0) schema.put("description", "the arguments");
    ObjectNode properties = schema.putObject("properties");
    List<String> required = new ArrayList<>();
    int n = random.nextInt(5);
    for (int i = 0; i < n; i++) {
      String name = "p" + i;
      ObjectNode p = properties.putObject(name).put("type", TYPES.get(random.nextInt(4)));
      if (random.nextBoolean()) p.put("description", "property " + i);
      if (random.nextBoolean()) required.add(name);
    }
    if (random.nextInt(5) == 0) required.add("absent");
    if (!required.isEmpty() || random.nextBoolean()) {
      required.forEach(schema.putArray("required")::add);
    }
    return schema;
  }

  private static JsonNode randomInstance(Random random, ObjectNode schema) {
    switch (random.nextInt(12)) {
      case 0:
        return Json.MAPPER.readTree("\"text\"");
      case 1:
        return Json.MAPPER.readTree("[1]");
      default:
        break;
    }
    ObjectNode instance = Json.object();
    for (String name : schema.path("properties").propertyNames()) {
      if (random.nextInt(4) == 0) continue; // left out
      String type = schema.path("properties").path(name).path("type").asString();
      instance.set(name, random.nextInt(5) == 0 ? anyValue(random) : valueOf(type, random));
    }
    if (random.nextInt(4) == 0) instance.set("extra", anyValue(random));
    return instance;
  }

  private static JsonNode valueOf(String type, Random random) {
    return switch (type) {
      case "string" -> Json.MAPPER.getNodeFactory().stringNode("s" + random.nextInt(9));
      case "integer" -> Json.MAPPER.getNodeFactory().numberNode(random.nextLong());
      case "number" -> Json.MAPPER.getNodeFactory().numberNode(random.nextDouble());
      default -> Json.MAPPER.getNodeFactory().booleanNode(random.nextBoolean());
    };
  }

  private static JsonNode anyValue(Random random) {
    String[] values = {
      "null", "1", "1.0", "2.5", "true", "\"x\"", "{}", "[]", "12345678901234567890"
    };
    return Json.MAPPER.readTree(values[random.nextInt(values.length)]);
  }
}
