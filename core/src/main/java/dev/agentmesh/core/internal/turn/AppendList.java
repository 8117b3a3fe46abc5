package dev.agentmesh.core.internal.turn;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * An immutable list that grows by {@link #plus}, sharing one backing array with the lists it grew
 * from: a view of the first {@code size} elements. Appending to the longest view costs O(1)
 * amortized; so does appending, to a shorter view, the element the backing already holds there (the
 * same step applied twice, such as a decision previewed and then taken). Appending anything else to
 * a shorter view (two writers branching from one state) copies the view.
 *
 * <p>Thread-safe without locks: an append claims its slot with one compare-and-set on the backing's
 * claimed length, writes the element, then publishes it (a release store of the published length);
 * a view is made only after its last element is published, so reads see every element below their
 * view's size. Only the claimer of a slot writes it, and a slot can be claimed only through a view
 * that ends just before it, which exists only once the slot before is published: claims, and the
 * growth of the array, happen one at a time.
 */
final class AppendList<T> extends AbstractList<T> implements RandomAccess {

  private static final VarHandle CLAIMED;
  private static final VarHandle PUBLISHED;
  private static final VarHandle ITEMS;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      CLAIMED = lookup.findVarHandle(Backing.class, "claimed", int.class);
      PUBLISHED = lookup.findVarHandle(Backing.class, "published", int.class);
      ITEMS = lookup.findVarHandle(Backing.class, "items", Object[].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final AppendList<Object> EMPTY = new AppendList<>(new Backing(0), 0);

  /**
   * The shared storage. {@code claimed} only grows (by compare-and-set); {@code published} follows
   * it once the claimed slot is written; {@code items} is replaced, larger, by the claimer that
   * finds it full. All three are read with acquire and written with release semantics.
   */
  private static final class Backing {
    @SuppressWarnings("unused") // through ITEMS
    Object[] items;

    @SuppressWarnings("unused") // through CLAIMED
    int claimed;

    @SuppressWarnings("unused") // through PUBLISHED
    int published;

    /**
     * A prefix of the backing that {@link #noneMatch} found to hold no element its test matches;
     * null until asked. Published elements never change, so the fact stays true as the list grows.
     */
    volatile @Nullable Checked checked;

    Backing(int capacity) {
      items = new Object[Math.max(capacity, 8)];
    }

    Object[] items() {
      return (Object[]) ITEMS.getAcquire(this);
    }
  }

  /** The first {@code length} elements of a backing hold none that {@code test} matches. */
  private record Checked(Predicate<?> test, int length) {}

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
    if (b != EMPTY.backing) {
      if ((int) CLAIMED.getAcquire(b) == size && CLAIMED.compareAndSet(b, size, size + 1)) {
        Object[] items = b.items(); // no one else writes it until we publish
        if (size == items.length) {
          items = Arrays.copyOf(items, size * 2);
        }
        items[size] = item;
        ITEMS.setRelease(b, items);
        PUBLISHED.setRelease(b, size + 1);
        return new AppendList<>(b, size + 1);
      }
      // A longer list shares this one's elements: share it too when it goes on with this item.
      if ((int) PUBLISHED.getAcquire(b) > size && item.equals(b.items()[size])) {
        return new AppendList<>(b, size + 1);
      }
    }
    Backing copy = new Backing(size * 2);
    Object[] items = copy.items();
    for (int i = 0; i < size; i++) {
      items[i] = get(i);
    }
    items[size] = item;
    copy.claimed = size + 1;
    copy.published = size + 1; // the new list publishes the copy (its fields are final)
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

  /**
   * Whether no element matches {@code test}: the elements past the prefix already found to hold
   * none (by the same test, on any list sharing this one's backing) are looked at, so asking again
   * as the list grows costs its growth, not its length. {@code test} must give one answer per
   * element (a constant predicate) for the memory to hold.
   *
   * @param test what no element may match
   * @return true when none does
   */
  boolean noneMatch(Predicate<? super T> test) {
    Checked known = backing.checked;
    int from = known != null && known.test() == test ? Math.min(known.length(), size) : 0;
    Object[] items = backing.items();
    for (int i = from; i < size; i++) {
      @SuppressWarnings("unchecked")
      T item = (T) items[i];
      if (test.test(item)) {
        return false;
      }
    }
    if (size > from) {
      backing.checked =
          new Checked(test, size); // a racing shorter one only makes a later scan longer
    }
    return true;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T get(int index) {
    Objects.checkIndex(index, size);
    return (T) backing.items()[index];
  }

  @Override
  public int size() {
    return size;
  }
}
