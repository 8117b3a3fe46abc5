package dev.agentmesh.sessions;

import java.io.Serializable;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The properties of an object node {@link PayloadTrees} writes: the names and the values in two
 * arrays, in insertion order, as a {@link java.util.LinkedHashMap} keeps them, found by a scan.
 * Such an object has a few properties (a record's components), and a map that hashes them costs an
 * entry object per property, a table and a hash per put, for lookups that a scan of a few names
 * does as fast. A complete {@link Map}: equal to any map of the same entries, iterated in insertion
 * order, its views' iterators remove, its entries' {@code setValue} writes through, and an iterator
 * fails fast when the map changes under it. Not thread-safe, as a LinkedHashMap is not.
 */
final class SmallProperties extends AbstractMap<String, JsonNode> implements Serializable {

  private static final long serialVersionUID = 1L;

  private @Nullable String[] names;
  private @Nullable JsonNode[] values;
  private int size;
  private int modCount;
  private transient @Nullable Set<Map.Entry<String, JsonNode>> entries;

  /** An empty map with room for {@code capacity} properties before it grows. */
  SmallProperties(int capacity) {
    names = new String[Math.max(capacity, 2)];
    values = new JsonNode[names.length];
  }

  private int indexOf(@Nullable Object name) {
    for (int i = 0; i < size; i++) {
      if (names[i] == name) {
        return i;
      }
    }
    if (name != null) {
      for (int i = 0; i < size; i++) {
        if (name.equals(names[i])) {
          return i;
        }
      }
    }
    return -1;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  @Override
  public boolean containsKey(@Nullable Object name) {
    return indexOf(name) >= 0;
  }

  @Override
  public @Nullable JsonNode get(@Nullable Object name) {
    int i = indexOf(name);
    return i < 0 ? null : values[i];
  }

  @Override
  public @Nullable JsonNode put(String name, JsonNode value) {
    int i = indexOf(name);
    if (i >= 0) {
      JsonNode old = values[i];
      values[i] = value;
      return old;
    }
    add(name, value);
    return null;
  }

  /**
   * Adds a property the caller knows this map does not hold (no scan for it first): as {@link #put}
   * when {@code name} is new.
   */
  void add(String name, JsonNode value) {
    if (size == names.length) {
      names = Arrays.copyOf(names, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    names[size] = name;
    values[size] = value;
    size++;
    modCount++;
  }

  @Override
  public @Nullable JsonNode remove(@Nullable Object name) {
    int i = indexOf(name);
    if (i < 0) {
      return null;
    }
    JsonNode old = values[i];
    removeAt(i);
    return old;
  }

  private void removeAt(int i) {
    int after = size - i - 1;
    System.arraycopy(names, i + 1, names, i, after);
    System.arraycopy(values, i + 1, values, i, after);
    size--;
    names[size] = null;
    values[size] = null;
    modCount++;
  }

  @Override
  public void clear() {
    Arrays.fill(names, 0, size, null);
    Arrays.fill(values, 0, size, null);
    size = 0;
    modCount++;
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super JsonNode> action) {
    int expected = modCount;
    for (int i = 0; i < size; i++) {
      action.accept(names[i], values[i]);
      if (modCount != expected) {
        throw new ConcurrentModificationException();
      }
    }
  }

  @Override
  public Set<Map.Entry<String, JsonNode>> entrySet() {
    Set<Map.Entry<String, JsonNode>> view = entries;
    if (view == null) {
      view = new Entries();
      entries = view;
    }
    return view;
  }

  private final class Entries extends AbstractSet<Map.Entry<String, JsonNode>> {
    @Override
    public int size() {
      return size;
    }

    @Override
    public void clear() {
      SmallProperties.this.clear();
    }

    @Override
    public Iterator<Map.Entry<String, JsonNode>> iterator() {
      return new Iterator<>() {
        private int next;
        private int last = -1;
        private int expected = modCount;

        @Override
        public boolean hasNext() {
          return next < size;
        }

        @Override
        public Map.Entry<String, JsonNode> next() {
          if (modCount != expected) {
            throw new ConcurrentModificationException();
          }
          if (next >= size) {
            throw new NoSuchElementException();
          }
          last = next++;
          return new Property(last);
        }

        @Override
        public void remove() {
          if (last < 0) {
            throw new IllegalStateException("next() was not called, or remove() was already");
          }
          if (modCount != expected) {
            throw new ConcurrentModificationException();
          }
          removeAt(last);
          next = last;
          last = -1;
          expected = modCount;
        }
      };
    }
  }

  /**
   * One property, as a LinkedHashMap's entry is: it reads and writes the map's value while the map
   * holds its name (where it was, or where it moved to), and keeps its last value once removed.
   */
  private final class Property implements Map.Entry<String, JsonNode> {
    private final String name;
    private int at;
    private JsonNode value;

    Property(int at) {
      this.name = Objects.requireNonNull(names[at]);
      this.at = at;
      this.value = Objects.requireNonNull(values[at]); // set below size, as every held value
    }

    /** Where the map holds this name now, or -1. */
    private int index() {
      if (at < size && names[at] == name) {
        return at;
      }
      at = indexOf(name);
      return at;
    }

    @Override
    public String getKey() {
      return name;
    }

    @Override
    public JsonNode getValue() {
      int i = index();
      if (i >= 0) {
        value = Objects.requireNonNull(values[i]);
      }
      return value;
    }

    @Override
    public JsonNode setValue(JsonNode now) {
      JsonNode old = getValue();
      int i = index();
      if (i >= 0) {
        values[i] = now;
      }
      value = now;
      return old;
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof Map.Entry<?, ?> e
          && name.equals(e.getKey())
          && Objects.equals(getValue(), e.getValue());
    }

    @Override
    public int hashCode() {
      return name.hashCode() ^ Objects.hashCode(getValue());
    }

    @Override
    public String toString() {
      return name + "=" + getValue();
    }
  }
}
