package dev.agentmesh.core;

import dev.agentmesh.core.internal.spec.SpecTree;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Finds spec resources on the classpath: in directories ({@code file:} URLs) and inside jars
 * ({@code jar:} URLs, nested jars included when their URL handler gives a {@link JarURLConnection},
 * and the jars of a {@link URLClassLoader} or of {@code java.class.path} even without directory
 * entries). Each is read through the class loader and named {@code classpath:<resource name>} in
 * messages.
 */
final class SpecResources {

  private SpecResources() {}

  static ClassLoader defaultLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : AgentSpecs.class.getClassLoader();
  }

  static void readOne(String name, ClassLoader loader, SpecBatch batch) {
    String resource = trim(name);
    URL url = resource.isEmpty() ? null : loader.getResource(resource);
    if (resource.isEmpty()
        || isDirectory(url)
        || url == null && !specNames(resource, loader, new SpecBatch(), classPath()).isEmpty()) {
      batch.problem(
          new SpecProblem(
              "classpath:" + resource,
              0,
              0,
              "is a directory, not a spec; load the specs "
                  + "under it with AgentSpecs.loadResources(\""
                  + resource
                  + "\")"));
      return;
    }
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        batch.problem(
            new SpecProblem(
                "classpath:" + resource,
                0,
                0,
                "no such resource on the classpath; expected a spec such as agents/triage.yaml in src/main/resources"));
        return;
      }
      read(in, "classpath:" + resource, batch);
    } catch (IOException e) {
      batch.problem(cannotRead("classpath:" + resource, e));
    }
  }

  /**
   * Lists the spec resources under {@code directory} in every classpath root that has it, then
   * reads each name through the loader, so when two roots hold the same name the loader's own
   * choice wins. Jars without directory entries are found through the loader's URLs and manifests,
   * and for the application class loader through {@code java.class.path}. The classpath root itself
   * ({@code ""}) is refused: it holds every library's resources, in directories and jars alike.
   */
  static void readDirectory(String directory, ClassLoader loader, SpecBatch batch) {
    readDirectory(directory, loader, batch, classPath());
  }

  /**
   * As {@link #readDirectory(String, ClassLoader, SpecBatch)}, with the application class path
   * given.
   */
  static void readDirectory(
      String directory, ClassLoader loader, SpecBatch batch, String classPath) {
    String dir = trim(directory);
    if (dir.isEmpty()) {
      batch.problem(
          new SpecProblem(
              "classpath:",
              0,
              0,
              "expected a resource directory such as agents, but the "
                  + "classpath root is not searched; put the specs in a directory such as src/main/resources/agents"));
      return;
    }
    int before = batch.problemCount();
    Set<String> names = specNames(dir, loader, batch, classPath);
    if (batch.problemCount() > before) return;
    if (names.isEmpty()) {
      URL url = loader.getResource(dir);
      boolean file =
          url != null && List.of("file", "jar").contains(url.getProtocol()) && !isDirectory(url);
      batch.problem(
          new SpecProblem(
              "classpath:" + dir,
              0,
              0,
              file
                  ? "is a file, not a directory; load it with AgentSpecs.loadResource(\""
                      + dir
                      + "\")"
                  : "no agent specs found; expected .yaml, .yml or .json resources under it (searched recursively)"));
      return;
    }
    names.forEach(name -> readOne(name, loader, batch));
  }

  /**
   * The spec resource names under {@code dir}; adds a problem when there is no such directory or it
   * cannot be listed.
   */
  private static Set<String> specNames(
      String dir, ClassLoader loader, SpecBatch batch, String classPath) {
    Set<String> names = new TreeSet<>();
    try {
      Enumeration<URL> roots = loader.getResources(dir);
      boolean found = roots.hasMoreElements();
      while (roots.hasMoreElements()) list(roots.nextElement(), dir, names, batch);
      for (Path jar : jars(loader, classPath)) {
        try (JarFile file = new JarFile(jar.toFile())) {
          found |= listJar(file, "", dir, names);
        }
      }
      if (!found) {
        batch.problem(
            new SpecProblem(
                "classpath:" + dir,
                0,
                0,
                "no such directory on the classpath; expected a resource directory such as src/main/resources/"
                    + dir));
      }
    } catch (IOException | UncheckedIOException e) {
      batch.problem(
          new SpecProblem(
              "classpath:" + dir, 0, 0, "cannot list the classpath directory: " + e.getMessage()));
    }
    return names;
  }

  private static String classPath() {
    return System.getProperty("java.class.path", "");
  }

  /**
   * Whether the resource is a directory: a {@code file:} directory, or a directory entry of a jar.
   */
  private static boolean isDirectory(@Nullable URL url) {
    if (url == null) return false;
    if (url.getProtocol().equals("file")) {
      try {
        return Files.isDirectory(Path.of(url.toURI()));
      } catch (URISyntaxException | IllegalArgumentException e) {
        return false;
      }
    }
    return isJarDirectory(url);
  }

  private static boolean isJarDirectory(URL url) {
    try {
      URLConnection connection = url.openConnection();
      if (!(connection instanceof JarURLConnection)) return false;
      JarURLConnection jar = (JarURLConnection) connection;
      jar.setUseCaches(false);
      JarEntry entry = jar.getJarEntry();
      try (JarFile ignored = jar.getJarFile()) {
        return entry != null && entry.isDirectory();
      }
    } catch (IOException e) {
      return false;
    }
  }

  /** Adds the names of the spec resources under one classpath root of {@code dir}. */
  private static void list(URL root, String dir, Set<String> names, SpecBatch batch)
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
        walk.filter(Files::isRegularFile)
            .filter(p -> AgentSpecs.isSpecName(p.getFileName().toString()))
            .forEach(p -> names.add(dir + "/" + base.relativize(p).toString().replace('\\', '/')));
      }
      return;
    }
    URLConnection connection = root.openConnection();
    if (!(connection instanceof JarURLConnection)) {
      batch.problem(
          new SpecProblem(
              "classpath:" + dir,
              0,
              0,
              "cannot list resources at "
                  + root
                  + "; load each spec with AgentSpecs.loadResource(name) instead"));
      return;
    }
    JarURLConnection jar = (JarURLConnection) connection;
    jar.setUseCaches(false);
    String entry = jar.getEntryName() == null ? dir : jar.getEntryName();
    try (JarFile file = jar.getJarFile()) {
      listJar(file, entry.substring(0, entry.length() - dir.length()), dir, names);
    }
  }

  /** Adds spec entries under {@code base + dir}; whether the jar has anything there. */
  private static boolean listJar(JarFile jar, String base, String dir, Set<String> names) {
    String prefix = base + dir + "/";
    boolean any = false;
    for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
      JarEntry entry = entries.nextElement();
      String name = entry.getName();
      if (!name.startsWith(prefix)) continue;
      any = true;
      if (!entry.isDirectory() && AgentSpecs.isSpecName(name))
        names.add(name.substring(base.length()));
    }
    return any;
  }

  /**
   * The jar files of the loader and its parents that are {@link URLClassLoader}s, and those of
   * {@code classPath} when the application class loader (which is no URLClassLoader) is among them.
   */
  static List<Path> jars(ClassLoader loader, String classPath) {
    List<Path> jars = new ArrayList<>();
    ClassLoader app = ClassLoader.getSystemClassLoader();
    for (ClassLoader l = loader; l != null; l = l.getParent()) {
      if (l instanceof URLClassLoader) {
        for (URL url : ((URLClassLoader) l).getURLs()) {
          if (!url.getProtocol().equals("file") || !url.getPath().endsWith(".jar")) continue;
          try {
            addJar(Path.of(url.toURI()), jars);
          } catch (URISyntaxException | IllegalArgumentException e) {
            // not a local file: found through getResources or not at all
          }
        }
      }
      if (l == app) {
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
          if (entry.endsWith(".jar")) {
            try {
              addJar(Path.of(entry), jars);
            } catch (java.nio.file.InvalidPathException e) {
              // not a path this file system can name
            }
          }
        }
      }
    }
    return jars;
  }

  private static void addJar(Path jar, List<Path> jars) {
    if (Files.isRegularFile(jar) && !jars.contains(jar)) jars.add(jar);
  }

  private static void read(InputStream in, String source, SpecBatch batch) throws IOException {
    byte[] bytes = in.readNBytes(SpecTree.MAX_BYTES + 1);
    if (bytes.length > SpecTree.MAX_BYTES) {
      batch.problem(
          new SpecProblem(
              source,
              0,
              0,
              "resource is over 1 MiB but an agent spec may be at most 1 MiB; split it or move long text out"));
      return;
    }
    batch.add(bytes, source);
  }

  private static SpecProblem cannotRead(String source, IOException e) {
    return new SpecProblem(
        source,
        0,
        0,
        "cannot read the resource: "
            + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
  }

  private static String trim(String name) {
    String n = name.strip();
    while (n.startsWith("/")) n = n.substring(1);
    while (n.endsWith("/")) n = n.substring(0, n.length() - 1);
    return n;
  }
}
