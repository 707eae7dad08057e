package io.qgate.engine.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tomlj.TomlArray;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * One table of a configuration file ({@code [interface]} or one {@code [[peer]]}) read through
 * typed getters that report a wrong, missing or out-of-range value to {@link ConfigProblems} with
 * its line and the fix, and return null (or the fallback) so that reading goes on.
 *
 * <p>Every key the table may hold comes with an example value: messages about a key show how to
 * write it.
 */
final class ConfigTable {
    private final TomlTable table;
    private final String label;
    private final int line;
    private final Map<String, String> examples;
    private final ConfigProblems problems;
    /** Known keys an unknown key was taken for: their absence is already reported with the fix. */
    private final Set<String> suggested = new HashSet<>();

    /**
     * Reports every key of {@code table} not in {@code examples}, with the closest known key.
     *
     * @param label    how messages name the table, such as {@code [interface]}
     * @param line     the table header's line, for problems about a key that is missing
     * @param examples every key the table may hold, in documentation order, to an example value
     */
    ConfigTable(TomlTable table, String label, int line, Map<String, String> examples, ConfigProblems problems) {
        this.table = table;
        this.label = label;
        this.line = line;
        this.examples = examples;
        this.problems = problems;
        for (String key : table.keySet()) {
            if (!examples.containsKey(key)) {
                String close = Spelling.closest(key, examples.keySet());
                if (close != null) {
                    suggested.add(close);
                }
                problems.add(line(key), "unknown key '" + ConfigProblems.printable(key) + "' in " + label + "; "
                    + Spelling.suggestion(key, examples.keySet()));
            }
        }
    }

    String label() {
        return label;
    }

    /** The line of {@code key}, or of the table header when the key is absent. */
    int line(String key) {
        TomlPosition p = table.contains(List.of(key)) ? table.inputPositionOf(List.of(key)) : null;
        return p == null ? line : p.line();
    }

    /** Reports {@code text} against {@code key}'s line. */
    void problem(String key, String text) {
        problems.add(line(key), text);
    }

    boolean has(String key) {
        return table.contains(List.of(key));
    }

    /** The string at {@code key}, {@code fallback} if absent, null if it is not a string (reported). */
    String string(String key, String fallback) {
        return value(key, fallback, String.class, "a string");
    }

    /** The boolean at {@code key}, {@code fallback} if absent, null if it is not a boolean (reported). */
    Boolean bool(String key, boolean fallback) {
        return value(key, fallback, Boolean.class, "true or false");
    }

    /** The value at {@code key} if it is a {@code type}, {@code fallback} if absent, null if of another type (reported as not {@code wanted}). */
    private <T> T value(String key, T fallback, Class<T> type, String wanted) {
        Object value = table.get(List.of(key));
        if (value == null) {
            return fallback;
        }
        if (type.isInstance(value)) {
            return type.cast(value);
        }
        wrongType(key, value, wanted);
        return null;
    }

    /** The string at {@code key}; absent or not a string is reported and gives null. */
    String required(String key, String purpose) {
        if (!has(key)) {
            if (suggested.contains(key)) {
                return null;
            }
            problems.add(line, label + " has no '" + key + "'; add " + key + " = " + examples.get(key) + " (" + purpose + ")");
            return null;
        }
        return string(key, null);
    }

    /** The integer at {@code key} within {@code [min, max]}, {@code fallback} if absent, null if wrong (reported). */
    Integer integer(String key, int fallback, int min, int max) {
        Object value = table.get(List.of(key));
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Long n)) {
            wrongType(key, value, "a whole number");
            return null;
        }
        String outside = outside(n, min, max);
        if (outside != null) {
            problem(key, key + " " + n + outside);
            return null;
        }
        return n.intValue();
    }

    /**
     * The strings at {@code key}: an array of strings, or one string taken as a list of one.
     * Absent gives an empty list; a value or an entry of another type is reported and gives null.
     */
    List<Entry<String>> strings(String key) {
        Object value = table.get(List.of(key));
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            return List.of(new Entry<>(s, line(key)));
        }
        if (!(value instanceof TomlArray array)) {
            wrongType(key, value, "a list of strings");
            return null;
        }
        List<Entry<String>> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < array.size(); i++) {
            int at = lineOf(array, i, key);
            if (array.get(i) instanceof String s) {
                out.add(new Entry<>(s, at));
            } else {
                problems.add(at, key + " holds " + typeOf(array.get(i)) + " where a string belongs; write " + key + " = " + examples.get(key));
                ok = false;
            }
        }
        return ok ? out : null;
    }

    /** The whole numbers at {@code key}, each within {@code [min, max]}; absent gives an empty list. */
    List<Integer> integers(String key, int min, int max) {
        Object value = table.get(List.of(key));
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof TomlArray array)) {
            wrongType(key, value, "a list of whole numbers");
            return null;
        }
        List<Integer> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < array.size(); i++) {
            int at = lineOf(array, i, key);
            String outside = array.get(i) instanceof Long n ? outside(n, min, max) : null;
            if (!(array.get(i) instanceof Long n)) {
                problems.add(at, key + " holds " + typeOf(array.get(i)) + " where a whole number belongs; write " + key + " = " + examples.get(key));
                ok = false;
            } else if (outside != null) {
                problems.add(at, key + " entry " + n + outside);
                ok = false;
            } else {
                out.add(n.intValue());
            }
        }
        return ok ? out : null;
    }

    /** A value read from the file and the line it is on. */
    record Entry<T>(T value, int line) {
    }

    private int lineOf(TomlArray array, int index, String key) {
        TomlPosition p = array.inputPositionOf(index);
        return p == null ? line(key) : p.line();
    }

    private void wrongType(String key, Object value, String wanted) {
        problem(key, key + " must be " + wanted + ", not " + typeOf(value) + "; write " + key + " = " + examples.get(key));
    }

    private static String outside(long n, int min, int max) {
        if (n < min) {
            return " is below " + min + "; use a value between " + min + " and " + max;
        }
        if (n > max) {
            return " is above " + max + "; use a value between " + min + " and " + max;
        }
        return null;
    }

    /** How a message names the type of a value read by tomlj. */
    static String typeOf(Object value) {
        return switch (value) {
            case String s -> "a string";
            case Long n -> "a whole number";
            case Double d -> "a decimal number";
            case Boolean b -> "true or false";
            case TomlArray a -> "a list";
            case TomlTable t -> "a table";
            default -> "a date or time";
        };
    }
}
