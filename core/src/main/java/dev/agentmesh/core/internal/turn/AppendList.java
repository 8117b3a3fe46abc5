package dev.agentmesh.core.internal.turn;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An immutable list that grows by {@link #plus}, sharing one backing array with the lists it grew
 * from: a view of the first {@code size} elements. Appending to the longest view costs O(1)
 * amortized; so does appending, to a shorter view, the element the backing already holds there (the
 * same step applied twice, such as a decision previewed and then taken). Appending anything else to
 * a shorter view (two writers branching from one state) copies the view.
 *
 * <p>Thread-safe: appends lock the backing; reads do not (an element below a view's size is never
 * written again, and the array that holds it is published through a volatile field).
 */
final class AppendList<T> extends AbstractList<T> implements RandomAccess {

  private static final AppendList<Object> EMPTY = new AppendList<>(new Backing(0), 0);

  /** The shared storage; {@code length} only grows, under the backing's lock. */
  private static final class Backing {
    volatile Object[] items;
    int length;

    Backing(int capacity) {
      items = new Object[Math.max(capacity, 8)];
    }
  }

  private final Backing backing;
  private final int size;

  private AppendList(Backing backing, int size) {
    this.backing = backing;
    this.size = size;
  }

  @SuppressWarnings("unchecked")
  static <T> AppendList<T> empty() {
    return (AppendList<T>) EMPTY;
  }

  /** {@return this list with {@code item} appended; this list does not change} */
  AppendList<T> plus(T item) {
    Objects.requireNonNull(item, "item");
    Backing b = backing;
    synchronized (b) {
      if (b.length == size && b != EMPTY.backing) {
        Object[] items = b.items;
        if (size == items.length) {
          items = Arrays.copyOf(items, size * 2);
        }
        items[size] = item;
        b.items = items;
        b.length = size + 1;
        return new AppendList<>(b, size + 1);
      }
      if (b.length > size && b.items[size].equals(item)) {
        return new AppendList<>(b, size + 1);
      }
    }
    Backing copy = new Backing(size * 2);
    for (int i = 0; i < size; i++) {
      copy.items[i] = get(i);
    }
    copy.items[size] = item;
    copy.length = size + 1;
    return new AppendList<>(copy, size + 1);
  }

  /** {@return the first {@code length} elements, sharing this list's backing} */
  AppendList<T> prefix(int length) {
    Objects.checkFromToIndex(0, length, size);
    return length == size ? this : new AppendList<>(backing, length);
  }

  /** {@return this list with every one of {@code items} appended} */
  AppendList<T> plusAll(List<? extends T> items) {
    AppendList<T> list = this;
    for (T item : items) {
      list = list.plus(item);
    }
    return list;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T get(int index) {
    Objects.checkIndex(index, size);
    return (T) backing.items[index];
  }

  @Override
  public int size() {
    return size;
  }
}
