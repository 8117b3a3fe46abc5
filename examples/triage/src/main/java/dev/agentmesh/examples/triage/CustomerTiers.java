package dev.agentmesh.examples.triage;

import dev.agentmesh.core.Tool;
import dev.agentmesh.core.ToolParam;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The triage agent's one tool: a customer's support tier, from the CSV the example ships.
 *
 * <pre>{@code
 * Mesh.builder().tools(CustomerTiers.fromClasspath("/customers.csv"))...
 * }</pre>
 */
public final class CustomerTiers {

  /** What the tool answers. */
  public record Tier(String customer, String name, String tier) {}

  private final Map<String, Tier> tiers;

  CustomerTiers(Map<String, Tier> tiers) {
    this.tiers = Map.copyOf(tiers);
  }

  /** Reads {@code customer,name,tier} rows, with a header line. */
  public static CustomerTiers fromClasspath(String resource) {
    try (InputStream in = CustomerTiers.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalArgumentException("no classpath resource " + resource);
      Map<String, Tier> tiers = new TreeMap<>();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      reader.readLine();
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String[] cells = line.split(",", -1);
        if (cells.length == 3)
          tiers.put(
              cells[0].trim().toLowerCase(Locale.ROOT),
              new Tier(cells[0].trim(), cells[1].trim(), cells[2].trim()));
      }
      return new CustomerTiers(tiers);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Tool(value = "Looks up a customer's support tier (gold, silver or basic)", idempotent = true)
  public Tier lookupTier(@ToolParam("The customer's account id, such as acme") String customer) {
    Tier tier = tiers.get(customer.trim().toLowerCase(Locale.ROOT));
    return tier != null ? tier : new Tier(customer, "unknown customer", "basic");
  }
}
