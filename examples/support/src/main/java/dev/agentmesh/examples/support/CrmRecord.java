package dev.agentmesh.examples.support;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One CRM object (a company, contact, call, note, lead...), as HubSpot's CRM v3 objects API shows
 * it: {@code {"id": "1001", "properties": {...}, "associations": {...}, "createdAt": ...,
 * "updatedAt": ...}}. Property values are strings, as in HubSpot.
 *
 * <pre>{@code
 * CrmRecord acme = crm.get("companies", "1001");
 * String lastTouch = acme.property("notes_last_contacted");
 * crm.update("companies", "1001", acme.version(), Map.of("notes_last_contacted", "2026-11-30"));
 * }</pre>
 *
 * @param type the object type, plural as in the API path ({@code companies})
 * @param id the record's id
 * @param properties the record's properties, by name
 * @param associations ids of associated records by their type ({@code companies -> [1001]})
 * @param createdAt when the record was created
 * @param updatedAt when the record last changed
 * @param version the record's version: the {@code ETag} of a single read, bumped by every change;
 *     {@code 0} in list and search results, which carry no {@code ETag} (read the record to update
 *     it)
 */
public record CrmRecord(
    String type,
    String id,
    Map<String, String> properties,
    Map<String, List<String>> associations,
    Instant createdAt,
    Instant updatedAt,
    long version) {

  /**
   * Copies the maps.
   *
   * @param type the object type
   * @param id the record's id
   * @param properties the properties
   * @param associations the associations
   * @param createdAt when created
   * @param updatedAt when last changed
   * @param version the version
   */
  public CrmRecord {
    properties = Map.copyOf(properties);
    associations = Map.copyOf(associations);
  }

  /**
   * A property's value.
   *
   * @param name the property's name
   * @return its value, or {@code null} when the record has none
   */
  public @Nullable String property(String name) {
    return properties.get(name);
  }

  /**
   * A property's value, or a fallback.
   *
   * @param name the property's name
   * @param fallback returned when the record has no such property
   * @return the value or the fallback
   */
  public String property(String name, String fallback) {
    return properties.getOrDefault(name, fallback);
  }

  /**
   * The ids of associated records of one type.
   *
   * @param toType the associated type ({@code companies})
   * @return their ids, empty when none
   */
  public List<String> associated(String toType) {
    return associations.getOrDefault(toType, List.of());
  }
}
