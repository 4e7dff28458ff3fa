package io.securetx.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Further names under which the worker accepts each task, so that unchanged Python clients work.
 * Celery names a task after its module ({@code new.send_welcome_email} for the seed's {@code
 * new.py}); a module prefix such as {@code new.} registers every task under that module too, and an
 * explicit {@code alias=task} pair names one task.
 *
 * @param modules module prefixes, each ending with a dot
 * @param explicit explicit aliases, alias to task name
 */
public record TaskAliases(List<String> modules, Map<String, String> explicit) {

  /** Copies the collections. */
  public TaskAliases {
    modules = List.copyOf(modules);
    explicit = Collections.unmodifiableMap(new LinkedHashMap<>(explicit));
  }

  /**
   * Parses {@code SECURETX_TASK_ALIASES}: comma-separated entries, each a module prefix ending with
   * a dot ({@code new.}) or an {@code alias=task} pair. Blank means none.
   *
   * @param text the variable's value
   * @return the aliases
   * @throws IllegalArgumentException naming the first bad entry
   */
  public static TaskAliases parse(String text) {
    List<String> modules = new ArrayList<>();
    Map<String, String> explicit = new LinkedHashMap<>();
    for (String raw : text.split(",", -1)) {
      String entry = raw.strip();
      if (entry.isEmpty()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq < 0) {
        String module = entry.substring(0, entry.length() - 1);
        if (!entry.endsWith(".") || !isName(module)) {
          throw new IllegalArgumentException(
              "entry '" + entry + "' is neither a module prefix like new. nor alias=task");
        }
        if (!modules.contains(entry)) {
          modules.add(entry);
        }
        continue;
      }
      String alias = entry.substring(0, eq).strip();
      String task = entry.substring(eq + 1).strip();
      if (!isName(alias) || !isName(task)) {
        throw new IllegalArgumentException(
            "entry '" + entry + "' must be alias=task with dotted names on both sides");
      }
      String earlier = explicit.putIfAbsent(alias, task);
      if (earlier != null && !earlier.equals(task)) {
        throw new IllegalArgumentException(
            "alias '" + alias + "' names both " + earlier + " and " + task);
      }
    }
    return new TaskAliases(modules, explicit);
  }

  /**
   * A Celery task name: dotted words of ASCII letters, digits and underscores, not led by a digit.
   */
  private static boolean isName(String text) {
    if (text.isEmpty() || Character.isDigit(text.charAt(0))) {
      return false;
    }
    for (String word : text.split("\\.", -1)) {
      if (word.isEmpty()) {
        return false;
      }
      for (int i = 0; i < word.length(); i++) {
        char c = word.charAt(i);
        boolean ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * The further names of one task, in configuration order.
   *
   * @param task the task's own name
   * @return its aliases: one per module prefix, then its explicit aliases
   */
  public List<String> aliasesOf(String task) {
    List<String> names = new ArrayList<>();
    for (String module : modules) {
      names.add(module + task);
    }
    explicit.forEach(
        (alias, target) -> {
          if (target.equals(task) && !names.contains(alias)) {
            names.add(alias);
          }
        });
    return names;
  }

  /**
   * The aliases in the variable's own syntax.
   *
   * @return e.g. {@code new.,old_name=send_welcome_email}, or {@code (none)}
   */
  public String describe() {
    List<String> entries = new ArrayList<>(modules);
    explicit.forEach((alias, task) -> entries.add(alias + "=" + task));
    return entries.isEmpty() ? "(none)" : String.join(",", entries);
  }
}
