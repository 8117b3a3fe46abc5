package dev.agentmesh.examples.support;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The CRM and ticketing service ({@link CrmServer}) as a process of its own on 127.0.0.1, started
 * by an example and stopped with it. Everything this handle offers goes over HTTP: the API through
 * {@link #client()}, and what a test or a demo's summary reads ({@link #requests()}, {@link
 * #records}) from the server's own endpoint or its API.
 *
 * <pre>{@code
 * try (CrmProcess crm = CrmProcess.start(System.out)) {
 *   CrmClient client = crm.client();
 *   CrmRecord acme = client.get("companies", "1001");
 *   crm.edit("companies", "1001", "tier", "strategic"); // someone else's change
 * }
 * }</pre>
 */
public final class CrmProcess implements AutoCloseable {

  private final LoopbackProcess process;
  private final CrmClient client;
  private final HttpClient http;

  private CrmProcess(LoopbackProcess process) {
    this.process = process;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.client = CrmClient.create(process.baseUri(), http);
  }

  /**
   * Starts the service with the sample data ({@link CrmData#sample()}).
   *
   * @param out where the process's output goes (it prints nothing while it serves)
   * @return the running service; close it
   */
  public static CrmProcess start(PrintStream out) {
    return new CrmProcess(
        LoopbackProcess.start("the CRM and ticketing service", CrmServer.class, List.of(), out));
  }

  /** {@return the service's address, {@code http://127.0.0.1:<port>}} */
  public URI baseUri() {
    return process.baseUri();
  }

  /** {@return a client of the service's API} */
  public CrmClient client() {
    return client;
  }

  /** {@return every request the service answered so far, oldest first} */
  public List<CrmServer.RecordedRequest> requests() {
    return CrmServer.requests(process.getJson(http, CrmServer.REQUESTS, "requests"));
  }

  /**
   * The current records of a type, each read with its version.
   *
   * @param type the object type
   * @return its records, in creation order
   */
  public List<CrmRecord> records(String type) {
    List<CrmRecord> out = new ArrayList<>();
    for (CrmRecord r : client.list(type)) out.add(client.get(type, r.id()));
    return out;
  }

  /**
   * A change made in the CRM by someone else, over its API: reads the record and sets one property
   * on the version read, so a write based on an earlier read gets {@code 412}.
   *
   * @param type the object type
   * @param id the record's id
   * @param field the property to set
   * @param value its new value
   * @return the record after the change
   */
  public CrmRecord edit(String type, String id, String field, String value) {
    CrmRecord now = client.get(type, id);
    return client.update(type, id, now.version(), Map.of(field, value));
  }

  /** Stops the process. */
  @Override
  public void close() {
    process.close();
  }

  @Override
  public String toString() {
    return process.toString();
  }
}
