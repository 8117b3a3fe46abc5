package dev.agentmesh.examples.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * The data a {@link CrmServer} starts with, read from JSON files shaped like the API's own list
 * responses, one file per object type:
 *
 * <ul>
 *   <li>{@code owners.json}: {@code {"results": [owner, ...]}} (HubSpot owners: the reps);
 *   <li>{@code tickets.json}: {@code {"tickets": [ticket, ...]}} (Zendesk tickets);
 *   <li>{@code <type>.json} for any other type ({@code companies}, {@code contacts}, {@code calls},
 *       {@code notes}, {@code leads}...): {@code {"results": [record, ...]}} (HubSpot CRM v3
 *       objects).
 * </ul>
 *
 * <p>{@link #sample()} is the default data set every example may reuse: four owners (three reps and
 * their manager, {@code 104}), ten companies with {@code tier}, {@code annualrevenue}, {@code
 * onboarding_status} and {@code notes_last_contacted} (the last touch), their contacts, support
 * tickets, call notes ({@code calls}), notes and leads, dated around Monday 2026-11-30.
 *
 * <pre>{@code
 * try (CrmServer crm = CrmServer.start(CrmData.sample())) {
 *   CrmClient client = CrmClient.create(crm.baseUri());
 * }
 * }</pre>
 */
public final class CrmData {

  /** The file names {@link #fromClasspath} looks for, without {@code .json}. */
  public static final List<String> FILES =
      List.of(
          "owners",
          "companies",
          "contacts",
          "deals",
          "calls",
          "notes",
          "tasks",
          "leads",
          "tickets");

  /** Where {@link #sample()} lives on the class path. */
  public static final String SAMPLE = "/dev/agentmesh/examples/support/sample-crm";

  private final Map<String, List<CrmRecord>> objects;
  private final List<CrmOwner> owners;
  private final List<CrmTicket> tickets;

  private CrmData(
      Map<String, List<CrmRecord>> objects, List<CrmOwner> owners, List<CrmTicket> tickets) {
    Map<String, List<CrmRecord>> copy = new LinkedHashMap<>();
    objects.forEach((type, records) -> copy.put(type, List.copyOf(records)));
    this.objects = java.util.Collections.unmodifiableMap(copy);
    this.owners = List.copyOf(owners);
    this.tickets = List.copyOf(tickets);
  }

  /** {@return no records at all} */
  public static CrmData empty() {
    return new CrmData(Map.of(), List.of(), List.of());
  }

  /** {@return the default data set shipped in this module (see the class javadoc)} */
  public static CrmData sample() {
    return fromClasspath(SAMPLE);
  }

  /**
   * Reads the {@link #FILES} present in a class-path directory (an example's own data).
   *
   * @param directory a class-path directory such as {@code /crm}
   * @return the data
   */
  public static CrmData fromClasspath(String directory) {
    String dir = (directory.startsWith("/") ? "" : "/") + directory.replaceAll("/+$", "");
    Map<String, String> files = new LinkedHashMap<>();
    for (String name : FILES) {
      try (InputStream in = CrmData.class.getResourceAsStream(dir + "/" + name + ".json")) {
        if (in != null) files.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + dir + "/" + name + ".json", e);
      }
    }
    if (files.isEmpty())
      throw new IllegalArgumentException(
          "No CRM data files in class-path directory "
              + dir
              + ": expected one or more of "
              + FILES.stream().map(f -> f + ".json").toList());
    return parse(files, "classpath:" + dir);
  }

  /**
   * Reads every {@code *.json} file of a directory.
   *
   * @param directory the directory
   * @return the data
   */
  public static CrmData load(Path directory) {
    Map<String, String> files = new LinkedHashMap<>();
    try (Stream<Path> list = Files.list(directory)) {
      for (Path file : list.sorted().toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".json"))
          files.put(name.substring(0, name.length() - 5), Files.readString(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the CRM data directory " + directory, e);
    }
    return parse(files, directory.toString());
  }

  private static CrmData parse(Map<String, String> files, String where) {
    Map<String, List<CrmRecord>> objects = new LinkedHashMap<>();
    List<CrmOwner> owners = new ArrayList<>();
    List<CrmTicket> tickets = new ArrayList<>();
    files.forEach(
        (name, json) -> {
          String at = where + "/" + name + ".json";
          JsonNode root = CrmJson.parse(json, at);
          if (name.equals("tickets")) {
            for (JsonNode t : list(root, "tickets", at)) tickets.add(CrmJson.ticket(t, at));
          } else if (name.equals("owners")) {
            for (JsonNode o : list(root, "results", at)) owners.add(CrmJson.owner(o, at));
          } else {
            List<CrmRecord> records = new ArrayList<>();
            for (JsonNode r : list(root, "results", at))
              records.add(CrmJson.record(name, r, 1, at));
            objects.put(name, records);
          }
        });
    return new CrmData(objects, owners, tickets);
  }

  private static JsonNode list(JsonNode root, String field, String where) {
    JsonNode list = root.isArray() ? root : root.path(field);
    if (!list.isArray())
      throw new IllegalArgumentException(
          where + ": expected {\"" + field + "\": [...]} but found " + root.getNodeType());
    return list;
  }

  /** {@return the object types with records ({@code companies}, {@code contacts}...)} */
  public Set<String> types() {
    return objects.keySet();
  }

  /**
   * The records of one type.
   *
   * @param type the object type ({@code companies})
   * @return its records in file order, empty when none
   */
  public List<CrmRecord> objects(String type) {
    return objects.getOrDefault(type, List.of());
  }

  /** {@return the owners (reps)} */
  public List<CrmOwner> owners() {
    return owners;
  }

  /** {@return the support tickets} */
  public List<CrmTicket> tickets() {
    return tickets;
  }

  /**
   * This data with one record added or replaced (same type and id).
   *
   * @param record the record
   * @return new data
   */
  public CrmData with(CrmRecord record) {
    Map<String, List<CrmRecord>> copy = new LinkedHashMap<>(objects);
    List<CrmRecord> records = new ArrayList<>(objects(record.type()));
    records.removeIf(r -> r.id().equals(record.id()));
    records.add(record);
    copy.put(record.type(), records);
    return new CrmData(copy, owners, tickets);
  }

  /**
   * This data with one ticket added or replaced (same id).
   *
   * @param ticket the ticket
   * @return new data
   */
  public CrmData with(CrmTicket ticket) {
    List<CrmTicket> copy = new ArrayList<>(tickets);
    copy.removeIf(t -> t.id() == ticket.id());
    copy.add(ticket);
    return new CrmData(objects, owners, copy);
  }
}
