package dev.agentmesh.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds spec resources on the classpath: in directories ({@code file:} URLs) and inside jars
 * ({@code jar:} URLs, nested jars included when their URL handler gives a {@link JarURLConnection}).
 * Each is named {@code classpath:<resource name>} in messages.
 */
final class SpecResources {

  private SpecResources() {}

  static ClassLoader defaultLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : AgentSpecs.class.getClassLoader();
  }

  static void readOne(String name, ClassLoader loader, SpecBatch batch) {
    String resource = trim(name);
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        batch.problem(new SpecProblem("classpath:" + resource, 0, 0,
            "no such resource on the classpath; expected a spec such as agents/triage.yaml in src/main/resources"));
        return;
      }
      read(in, "classpath:" + resource, batch);
    } catch (IOException e) {
      batch.problem(cannotRead("classpath:" + resource, e));
    }
  }

  static void readDirectory(String directory, ClassLoader loader, SpecBatch batch) {
    String dir = trim(directory);
    TreeMap<String, Opener> found = new TreeMap<>();
    List<JarFile> jars = new ArrayList<>();
    try {
      Enumeration<URL> roots = loader.getResources(dir);
      if (!roots.hasMoreElements()) {
        batch.problem(new SpecProblem("classpath:" + dir, 0, 0,
            "no such directory on the classpath; expected a resource directory such as src/main/resources/" + dir));
        return;
      }
      while (roots.hasMoreElements()) list(roots.nextElement(), dir, found, jars, batch);
      found.forEach((name, opener) -> {
        try (InputStream in = opener.open()) {
          read(in, "classpath:" + name, batch);
        } catch (IOException e) {
          batch.problem(cannotRead("classpath:" + name, e));
        }
      });
    } catch (IOException | UncheckedIOException e) {
      batch.problem(new SpecProblem("classpath:" + dir, 0, 0, "cannot list the classpath directory: " + e.getMessage()));
    } finally {
      jars.forEach(SpecResources::close);
    }
  }

  /** Opens one resource's content. */
  @FunctionalInterface
  private interface Opener {
    InputStream open() throws IOException;
  }

  /** Adds each spec resource under one classpath root to {@code found}, keeping the first of a name. */
  private static void list(URL root, String dir, TreeMap<String, Opener> found, List<JarFile> jars, SpecBatch batch)
      throws IOException {
    if (root.getProtocol().equals("file")) {
      Path base;
      try {
        base = Path.of(root.toURI());
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw new IOException("cannot read " + root + ": " + e.getMessage(), e);
      }
      if (!Files.isDirectory(base)) return;
      try (Stream<Path> walk = Files.walk(base)) {
        walk.filter(Files::isRegularFile).filter(p -> AgentSpecs.isSpecName(p.getFileName().toString()))
            .forEach(p -> found.putIfAbsent(dir + "/" + base.relativize(p).toString().replace('\\', '/'),
                () -> Files.newInputStream(p)));
      }
      return;
    }
    URLConnection connection = root.openConnection();
    if (!(connection instanceof JarURLConnection)) {
      batch.problem(new SpecProblem("classpath:" + dir, 0, 0, "cannot list resources at " + root
          + "; load each spec with AgentSpecs.loadResource(name) instead"));
      return;
    }
    JarURLConnection jarConnection = (JarURLConnection) connection;
    jarConnection.setUseCaches(false);
    String prefix = jarConnection.getEntryName() == null ? "" : jarConnection.getEntryName() + "/";
    JarFile jar = jarConnection.getJarFile();
    jars.add(jar);
    for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
      JarEntry entry = entries.nextElement();
      String name = entry.getName();
      if (entry.isDirectory() || !name.startsWith(prefix) || !AgentSpecs.isSpecName(name)) continue;
      found.putIfAbsent(dir + "/" + name.substring(prefix.length()), () -> jar.getInputStream(entry));
    }
  }

  private static void close(JarFile jar) {
    try {
      jar.close();
    } catch (IOException e) {
      // nothing was written; a failed close loses nothing
    }
  }

  private static void read(InputStream in, String source, SpecBatch batch) throws IOException {
    byte[] bytes = in.readNBytes(SpecTree.MAX_BYTES + 1);
    if (bytes.length > SpecTree.MAX_BYTES) {
      batch.problem(new SpecProblem(source, 0, 0,
          "resource is over 1 MiB but an agent spec may be at most 1 MiB; split it or move long text out"));
      return;
    }
    batch.add(bytes, source);
  }

  private static SpecProblem cannotRead(String source, IOException e) {
    return new SpecProblem(source, 0, 0, "cannot read the resource: " + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
  }

  private static String trim(String name) {
    String n = name.strip();
    while (n.startsWith("/")) n = n.substring(1);
    while (n.endsWith("/")) n = n.substring(0, n.length() - 1);
    return n;
  }
}
